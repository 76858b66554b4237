/** v2 progress lists (spec §4.7): read-only; records are written through v1 (spec §3.7–3.10). */
import { PagedQuery } from '../../../contract/v2/common.js';
import { KeyResultParams } from '../../../contract/v2/key-result.js';
import { ObjectiveParams } from '../../../contract/v2/objective.js';
import { ListProgressData } from '../../../contract/v2/progress.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';
import { imageOrigin } from '../v1/image.routes.js';

export const progressEndpoints = [
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v2/objectives/:objective_id/progresses',
    tag: 'v2',
    summary: "List an objective's progress records, most recently modified first",
    access: ACCESS.v2ProgressRead,
    schema: { params: ObjectiveParams, querystring: PagedQuery, data: ListProgressData },
    handler: ({ caller, params, query, services, request }) =>
      services.progresses.list(caller, 2, params.objective_id, query, imageOrigin(request, services)),
  }),
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v2/key_results/:key_result_id/progresses',
    tag: 'v2',
    summary: "List a key result's progress records, most recently modified first",
    access: ACCESS.v2ProgressRead,
    schema: { params: KeyResultParams, querystring: PagedQuery, data: ListProgressData },
    handler: ({ caller, params, query, services, request }) =>
      services.progresses.list(caller, 3, params.key_result_id, query, imageOrigin(request, services)),
  }),
];
