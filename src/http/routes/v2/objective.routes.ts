/** v2 objectives (spec §4.4) and a cycle's objective order and weights (spec §4.3). */
import { ACCESS } from '../../../contract/scopes.js';
import { IdTypesQuery, PagedQuery } from '../../../contract/v2/common.js';
import {
  CycleParams,
  ObjectivesData,
  ObjectivesPositionBody,
  ObjectivesWeightBody,
} from '../../../contract/v2/cycle.js';
import {
  CreateObjectiveBody,
  CreateObjectiveData,
  DeleteObjectiveData,
  ListObjectivesData,
  ObjectiveData,
  ObjectiveParams,
  PatchObjectiveBody,
} from '../../../contract/v2/objective.js';
import { JsonBytes, endpoint } from '../../endpoint.js';

const CYCLE = '/open-apis/okr/v2/cycles/:cycle_id';
const OBJECTIVE = '/open-apis/okr/v2/objectives/:objective_id';

export const objectiveEndpoints = [
  endpoint({
    method: 'POST',
    url: `${CYCLE}/objectives`,
    tag: 'v2',
    summary: 'Create an objective, last in its cycle',
    access: ACCESS.v2ContentWrite,
    schema: { params: CycleParams, querystring: IdTypesQuery, body: CreateObjectiveBody, data: CreateObjectiveData },
    handler: ({ caller, params, query, body, services }) =>
      services.objectives.create(caller, params.cycle_id, body, query),
  }),
  endpoint({
    method: 'GET',
    url: `${CYCLE}/objectives`,
    tag: 'v2',
    summary: "List a cycle's objectives in position order",
    access: ACCESS.v2ContentRead,
    schema: { params: CycleParams, querystring: PagedQuery, data: ListObjectivesData },
    handler: async ({ caller, params, query, services }) =>
      new JsonBytes(await services.objectives.list(caller, params.cycle_id, query)),
  }),
  endpoint({
    method: 'GET',
    url: OBJECTIVE,
    tag: 'v2',
    summary: 'Get an objective',
    access: ACCESS.v2ContentRead,
    schema: { params: ObjectiveParams, querystring: IdTypesQuery, data: ObjectiveData },
    handler: ({ caller, params, query, services }) => services.objectives.get(caller, params.objective_id, query),
  }),
  endpoint({
    method: 'PATCH',
    url: OBJECTIVE,
    tag: 'v2',
    summary: "Change an objective's content, score, notes, deadline or category",
    access: ACCESS.v2ContentWrite,
    schema: { params: ObjectiveParams, querystring: IdTypesQuery, body: PatchObjectiveBody, data: ObjectiveData },
    handler: ({ caller, params, query, body, services }) =>
      services.objectives.patch(caller, params.objective_id, body, query),
  }),
  endpoint({
    method: 'DELETE',
    url: OBJECTIVE,
    tag: 'v2',
    summary: 'Delete an objective with its key results, indicators, progress records, comments and alignments',
    access: ACCESS.v2ContentWrite,
    schema: { params: ObjectiveParams, querystring: IdTypesQuery, data: DeleteObjectiveData },
    handler: ({ caller, params, query, services }) => services.objectives.delete(caller, params.objective_id, query),
  }),
  endpoint({
    method: 'PUT',
    url: `${CYCLE}/objectives_position`,
    tag: 'v2',
    summary: "Reorder all of a cycle's objectives",
    access: ACCESS.v2ContentWrite,
    schema: { params: CycleParams, querystring: IdTypesQuery, body: ObjectivesPositionBody, data: ObjectivesData },
    handler: ({ caller, params, query, body, services }) =>
      services.objectives.reorder(caller, params.cycle_id, body.objective_ids, query),
  }),
  endpoint({
    method: 'PUT',
    url: `${CYCLE}/objectives_weight`,
    tag: 'v2',
    summary: "Set all of a cycle's objective weights (summing to 1)",
    access: ACCESS.v2ContentWrite,
    schema: { params: CycleParams, querystring: IdTypesQuery, body: ObjectivesWeightBody, data: ObjectivesData },
    handler: ({ caller, params, query, body, services }) =>
      services.objectives.reweigh(caller, params.cycle_id, body.objective_weights, query),
  }),
];
