/** v2 key results (spec §4.5) and an objective's key-result order and weights (spec §4.4). */
import { ACCESS } from '../../../contract/scopes.js';
import { IdTypesQuery, PagedQuery } from '../../../contract/v2/common.js';
import {
  CreateKeyResultBody,
  CreateKeyResultData,
  DeleteKeyResultData,
  KeyResultData,
  KeyResultParams,
  KeyResultsData,
  ListKeyResultsData,
  PatchKeyResultBody,
} from '../../../contract/v2/key-result.js';
import { KeyResultsPositionBody, KeyResultsWeightBody, ObjectiveParams } from '../../../contract/v2/objective.js';
import { endpoint } from '../../endpoint.js';

const OBJECTIVE = '/open-apis/okr/v2/objectives/:objective_id';
const KEY_RESULT = '/open-apis/okr/v2/key_results/:key_result_id';

export const keyResultEndpoints = [
  endpoint({
    method: 'POST',
    url: `${OBJECTIVE}/key_results`,
    tag: 'v2',
    summary: 'Create a key result, last in its objective',
    access: ACCESS.v2ContentWrite,
    schema: {
      params: ObjectiveParams,
      querystring: IdTypesQuery,
      body: CreateKeyResultBody,
      data: CreateKeyResultData,
    },
    handler: ({ caller, params, query, body, services }) =>
      services.keyResults.create(caller, params.objective_id, body, query),
  }),
  endpoint({
    method: 'GET',
    url: `${OBJECTIVE}/key_results`,
    tag: 'v2',
    summary: "List an objective's key results in position order",
    access: ACCESS.v2ContentRead,
    schema: { params: ObjectiveParams, querystring: PagedQuery, data: ListKeyResultsData },
    handler: ({ caller, params, query, services }) => services.keyResults.list(caller, params.objective_id, query),
  }),
  endpoint({
    method: 'GET',
    url: KEY_RESULT,
    tag: 'v2',
    summary: 'Get a key result',
    access: ACCESS.v2ContentRead,
    schema: { params: KeyResultParams, querystring: IdTypesQuery, data: KeyResultData },
    handler: ({ caller, params, query, services }) => services.keyResults.get(caller, params.key_result_id, query),
  }),
  endpoint({
    method: 'PATCH',
    url: KEY_RESULT,
    tag: 'v2',
    summary: "Change a key result's content, score or deadline",
    access: ACCESS.v2ContentWrite,
    schema: { params: KeyResultParams, querystring: IdTypesQuery, body: PatchKeyResultBody, data: KeyResultData },
    handler: ({ caller, params, query, body, services }) =>
      services.keyResults.patch(caller, params.key_result_id, body, query),
  }),
  endpoint({
    method: 'DELETE',
    url: KEY_RESULT,
    tag: 'v2',
    summary: 'Delete a key result with its indicator, progress records and comments',
    access: ACCESS.v2ContentWrite,
    schema: { params: KeyResultParams, querystring: IdTypesQuery, data: DeleteKeyResultData },
    handler: ({ caller, params, query, services }) => services.keyResults.delete(caller, params.key_result_id, query),
  }),
  endpoint({
    method: 'PUT',
    url: `${OBJECTIVE}/key_results_position`,
    tag: 'v2',
    summary: "Reorder all of an objective's key results",
    access: ACCESS.v2ContentWrite,
    schema: { params: ObjectiveParams, querystring: IdTypesQuery, body: KeyResultsPositionBody, data: KeyResultsData },
    handler: ({ caller, params, query, body, services }) =>
      services.keyResults.reorder(caller, params.objective_id, body.key_result_ids, query),
  }),
  endpoint({
    method: 'PUT',
    url: `${OBJECTIVE}/key_results_weight`,
    tag: 'v2',
    summary: "Set all of an objective's key-result weights (summing to 1)",
    access: ACCESS.v2ContentWrite,
    schema: { params: ObjectiveParams, querystring: IdTypesQuery, body: KeyResultsWeightBody, data: KeyResultsData },
    handler: ({ caller, params, query, body, services }) =>
      services.keyResults.reweigh(caller, params.objective_id, body.key_result_weights, query),
  }),
];
