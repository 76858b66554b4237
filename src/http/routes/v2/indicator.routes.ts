/** v2 indicators (spec §4.6): an objective's or key result's indicator, and changing it. */
import { IdTypesQuery } from '../../../contract/v2/common.js';
import { IndicatorData, IndicatorParams, PatchIndicatorBody } from '../../../contract/v2/indicator.js';
import { KeyResultParams } from '../../../contract/v2/key-result.js';
import { ObjectiveParams } from '../../../contract/v2/objective.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';

export const indicatorEndpoints = [
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v2/objectives/:objective_id/indicators',
    tag: 'v2',
    summary: "Get an objective's indicator (a single object, not a list)",
    access: ACCESS.v2ContentRead,
    schema: { params: ObjectiveParams, querystring: IdTypesQuery, data: IndicatorData },
    handler: ({ caller, params, query, services }) => services.indicators.get(caller, 2, params.objective_id, query),
  }),
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v2/key_results/:key_result_id/indicators',
    tag: 'v2',
    summary: "Get a key result's indicator (a single object, not a list)",
    access: ACCESS.v2ContentRead,
    schema: { params: KeyResultParams, querystring: IdTypesQuery, data: IndicatorData },
    handler: ({ caller, params, query, services }) => services.indicators.get(caller, 3, params.key_result_id, query),
  }),
  endpoint({
    method: 'PATCH',
    url: '/open-apis/okr/v2/indicators/:indicator_id',
    tag: 'v2',
    summary: "Change an indicator's calculation, values, unit or manual status",
    access: ACCESS.v2ContentWrite,
    schema: { params: IndicatorParams, querystring: IdTypesQuery, body: PatchIndicatorBody, data: IndicatorData },
    handler: ({ caller, params, query, body, services }) =>
      services.indicators.patch(caller, params.indicator_id, body, query),
  }),
];
