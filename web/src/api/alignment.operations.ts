/** The endpoints of alignments between objectives (v2, spec §4.1), in the form of operations.ts. */
import type {
  AlignmentIdData,
  AlignmentParams,
  CreateAlignmentBody,
  ListAlignmentsData,
  ListAlignmentsQuery,
} from '../../../src/contract/v2/alignment.js';
import type { IdTypesQuery } from '../../../src/contract/v2/common.js';
import type { ObjectiveParams } from '../../../src/contract/v2/objective.js';
import { op } from './client';

const V2 = '/open-apis/okr/v2';

export const alignmentApi = {
  listAlignments: op<{
    params: typeof ObjectiveParams;
    query: typeof ListAlignmentsQuery;
    data: typeof ListAlignmentsData;
  }>('GET', `${V2}/objectives/:objective_id/alignments`),
  createAlignment: op<{
    params: typeof ObjectiveParams;
    query: typeof IdTypesQuery;
    body: typeof CreateAlignmentBody;
    data: typeof AlignmentIdData;
  }>('POST', `${V2}/objectives/:objective_id/alignments`),
  deleteAlignment: op<{ params: typeof AlignmentParams; data: typeof AlignmentIdData }>(
    'DELETE',
    `${V2}/alignments/:alignment_id`,
  ),
};
