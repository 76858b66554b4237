/**
 * The endpoints the web UI calls, each with the server's own contract schemas (types only: nothing of the server is
 * bundled). A page needing another endpoint adds one line here, naming the schemas its route in src/http/routes uses.
 */
import type { BasicBatchBody, BasicBatchData, UserIdTypeQuery } from '../../../src/contract/contact/contact.js';
import type { ListCategoriesData, ListCategoriesQuery } from '../../../src/contract/v2/category.js';
import type { IdTypesQuery, PagedQuery } from '../../../src/contract/v2/common.js';
import type {
  CycleParams,
  ListCyclesData,
  ListCyclesQuery,
  ObjectivesData,
  ObjectivesPositionBody,
  ObjectivesWeightBody,
} from '../../../src/contract/v2/cycle.js';
import type {
  CreateKeyResultBody,
  CreateKeyResultData,
  DeleteKeyResultData,
  KeyResultData,
  KeyResultParams,
  KeyResultsData,
  ListKeyResultsData,
  PatchKeyResultBody,
} from '../../../src/contract/v2/key-result.js';
import type {
  CreateObjectiveBody,
  CreateObjectiveData,
  DeleteObjectiveData,
  KeyResultsPositionBody,
  KeyResultsWeightBody,
  ListObjectivesData,
  ObjectiveData,
  ObjectiveParams,
  PatchObjectiveBody,
} from '../../../src/contract/v2/objective.js';
import type { MeData } from '../../../src/contract/okrd/me.js';
import { op } from './client';

const V2 = '/open-apis/okr/v2';

export const api = {
  me: op<{ data: typeof MeData }>('GET', '/okrd/api/me'),
  basicBatch: op<{ query: typeof UserIdTypeQuery; body: typeof BasicBatchBody; data: typeof BasicBatchData }>(
    'POST',
    '/open-apis/contact/v3/users/basic_batch',
  ),

  listCycles: op<{ query: typeof ListCyclesQuery; data: typeof ListCyclesData }>('GET', `${V2}/cycles`),
  listCategories: op<{ query: typeof ListCategoriesQuery; data: typeof ListCategoriesData }>('GET', `${V2}/categories`),

  listObjectives: op<{ params: typeof CycleParams; query: typeof PagedQuery; data: typeof ListObjectivesData }>(
    'GET',
    `${V2}/cycles/:cycle_id/objectives`,
  ),
  createObjective: op<{
    params: typeof CycleParams;
    query: typeof IdTypesQuery;
    body: typeof CreateObjectiveBody;
    data: typeof CreateObjectiveData;
  }>('POST', `${V2}/cycles/:cycle_id/objectives`),
  patchObjective: op<{
    params: typeof ObjectiveParams;
    query: typeof IdTypesQuery;
    body: typeof PatchObjectiveBody;
    data: typeof ObjectiveData;
  }>('PATCH', `${V2}/objectives/:objective_id`),
  deleteObjective: op<{ params: typeof ObjectiveParams; query: typeof IdTypesQuery; data: typeof DeleteObjectiveData }>(
    'DELETE',
    `${V2}/objectives/:objective_id`,
  ),
  objectivesPosition: op<{
    params: typeof CycleParams;
    query: typeof IdTypesQuery;
    body: typeof ObjectivesPositionBody;
    data: typeof ObjectivesData;
  }>('PUT', `${V2}/cycles/:cycle_id/objectives_position`),
  objectivesWeight: op<{
    params: typeof CycleParams;
    query: typeof IdTypesQuery;
    body: typeof ObjectivesWeightBody;
    data: typeof ObjectivesData;
  }>('PUT', `${V2}/cycles/:cycle_id/objectives_weight`),

  listKeyResults: op<{ params: typeof ObjectiveParams; query: typeof PagedQuery; data: typeof ListKeyResultsData }>(
    'GET',
    `${V2}/objectives/:objective_id/key_results`,
  ),
  createKeyResult: op<{
    params: typeof ObjectiveParams;
    query: typeof IdTypesQuery;
    body: typeof CreateKeyResultBody;
    data: typeof CreateKeyResultData;
  }>('POST', `${V2}/objectives/:objective_id/key_results`),
  patchKeyResult: op<{
    params: typeof KeyResultParams;
    query: typeof IdTypesQuery;
    body: typeof PatchKeyResultBody;
    data: typeof KeyResultData;
  }>('PATCH', `${V2}/key_results/:key_result_id`),
  deleteKeyResult: op<{ params: typeof KeyResultParams; query: typeof IdTypesQuery; data: typeof DeleteKeyResultData }>(
    'DELETE',
    `${V2}/key_results/:key_result_id`,
  ),
  keyResultsPosition: op<{
    params: typeof ObjectiveParams;
    query: typeof IdTypesQuery;
    body: typeof KeyResultsPositionBody;
    data: typeof KeyResultsData;
  }>('PUT', `${V2}/objectives/:objective_id/key_results_position`),
  keyResultsWeight: op<{
    params: typeof ObjectiveParams;
    query: typeof IdTypesQuery;
    body: typeof KeyResultsWeightBody;
    data: typeof KeyResultsData;
  }>('PUT', `${V2}/objectives/:objective_id/key_results_weight`),
};
