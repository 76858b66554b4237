/** v2 alignments between objectives (spec §4.1). */
import {
  AlignmentData,
  AlignmentIdData,
  AlignmentParams,
  CreateAlignmentBody,
  ListAlignmentsData,
  ListAlignmentsQuery,
} from '../../../contract/v2/alignment.js';
import { EntityId, IdTypesQuery } from '../../../contract/v2/common.js';
import { ACCESS } from '../../../contract/scopes.js';
import { Type } from '@sinclair/typebox';
import { endpoint } from '../../endpoint.js';

const ObjectiveParams = Type.Object({ objective_id: EntityId });

export const alignmentEndpoints = [
  endpoint({
    method: 'POST',
    url: '/open-apis/okr/v2/objectives/:objective_id/alignments',
    tag: 'v2',
    summary: 'Align an objective to another objective',
    access: ACCESS.v2ContentWrite,
    schema: { params: ObjectiveParams, querystring: IdTypesQuery, body: CreateAlignmentBody, data: AlignmentIdData },
    handler: ({ caller, params, body, services }) => services.alignments.create(caller, params.objective_id, body),
  }),
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v2/objectives/:objective_id/alignments',
    tag: 'v2',
    summary: "List an objective's alignments, oldest first",
    access: ACCESS.v2ContentRead,
    schema: { params: ObjectiveParams, querystring: ListAlignmentsQuery, data: ListAlignmentsData },
    handler: ({ caller, params, query, services }) => services.alignments.list(caller, params.objective_id, query),
  }),
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v2/alignments/:alignment_id',
    tag: 'v2',
    summary: 'Get an alignment',
    access: ACCESS.v2ContentRead,
    schema: { params: AlignmentParams, querystring: IdTypesQuery, data: AlignmentData },
    handler: ({ caller, params, query, services }) => services.alignments.get(caller, params.alignment_id, query),
  }),
  endpoint({
    method: 'DELETE',
    url: '/open-apis/okr/v2/alignments/:alignment_id',
    tag: 'v2',
    summary: 'Delete an alignment (both objectives stay)',
    access: ACCESS.v2ContentWrite,
    schema: { params: AlignmentParams, data: AlignmentIdData },
    handler: ({ caller, params, services }) => services.alignments.delete(caller, params.alignment_id),
  }),
];
