/**
 * The endpoints of the progress page (records, images, indicators, person search) and of comment threads, in the
 * form of operations.ts (kept apart so the two areas of the UI can grow without touching one another's list).
 */
import type { TUnsafe } from '@sinclair/typebox';
import type { SearchUserData, SearchUserQuery } from '../../../src/contract/contact/contact.js';
import type { UploadImageResponse } from '../../../src/contract/image.js';
import type {
  CreateProgressRecordBody,
  ProgressRecord,
  ProgressRecordParams,
  ProgressRecordQuery,
  UpdateProgressRecordBody,
} from '../../../src/contract/progress-record.js';
import type {
  AffectedCommentsData,
  CommentParams,
  CommentQuery,
  CreateCommentBody,
  CreateCommentData,
  ListCommentsData,
  ListCommentsQuery,
} from '../../../src/contract/v2/comment.js';
import type { IdTypesQuery, PagedQuery } from '../../../src/contract/v2/common.js';
import type { IndicatorData, IndicatorParams, PatchIndicatorBody } from '../../../src/contract/v2/indicator.js';
import type { KeyResultData, KeyResultParams } from '../../../src/contract/v2/key-result.js';
import type { ObjectiveData, ObjectiveParams } from '../../../src/contract/v2/objective.js';
import type { ListProgressData } from '../../../src/contract/v2/progress.js';
import { op } from './client';

const V1 = '/open-apis/okr/v1';
const V2 = '/open-apis/okr/v2';

export const progressApi = {
  getObjective: op<{ params: typeof ObjectiveParams; query: typeof IdTypesQuery; data: typeof ObjectiveData }>(
    'GET',
    `${V2}/objectives/:objective_id`,
  ),
  getKeyResult: op<{ params: typeof KeyResultParams; query: typeof IdTypesQuery; data: typeof KeyResultData }>(
    'GET',
    `${V2}/key_results/:key_result_id`,
  ),
  objectiveProgresses: op<{ params: typeof ObjectiveParams; query: typeof PagedQuery; data: typeof ListProgressData }>(
    'GET',
    `${V2}/objectives/:objective_id/progresses`,
  ),
  keyResultProgresses: op<{
    params: typeof KeyResultParams;
    query: typeof PagedQuery;
    data: typeof ListProgressData;
  }>('GET', `${V2}/key_results/:key_result_id/progresses`),
  createRecord: op<{
    query: typeof ProgressRecordQuery;
    body: typeof CreateProgressRecordBody;
    data: typeof ProgressRecord;
  }>('POST', `${V1}/progress_records`),
  updateRecord: op<{
    params: typeof ProgressRecordParams;
    query: typeof ProgressRecordQuery;
    body: typeof UpdateProgressRecordBody;
    data: typeof ProgressRecord;
  }>('PUT', `${V1}/progress_records/:progress_id`),
  deleteRecord: op<{ params: typeof ProgressRecordParams }>('DELETE', `${V1}/progress_records/:progress_id`),
  /** Multipart: data (the image), target_id, target_type. */
  uploadImage: op<{ body: TUnsafe<FormData>; data: (typeof UploadImageResponse)['properties']['data'] }>(
    'POST',
    `${V1}/images/upload`,
  ),

  objectiveIndicator: op<{ params: typeof ObjectiveParams; query: typeof IdTypesQuery; data: typeof IndicatorData }>(
    'GET',
    `${V2}/objectives/:objective_id/indicators`,
  ),
  keyResultIndicator: op<{ params: typeof KeyResultParams; query: typeof IdTypesQuery; data: typeof IndicatorData }>(
    'GET',
    `${V2}/key_results/:key_result_id/indicators`,
  ),
  patchIndicator: op<{
    params: typeof IndicatorParams;
    query: typeof IdTypesQuery;
    body: typeof PatchIndicatorBody;
    data: typeof IndicatorData;
  }>('PATCH', `${V2}/indicators/:indicator_id`),

  searchUsers: op<{ query: typeof SearchUserQuery; data: typeof SearchUserData }>('GET', '/open-apis/search/v1/user'),

  listComments: op<{ query: typeof ListCommentsQuery; data: typeof ListCommentsData }>('GET', `${V2}/comments`),
  createComment: op<{ query: typeof CommentQuery; body: typeof CreateCommentBody; data: typeof CreateCommentData }>(
    'POST',
    `${V2}/comments`,
  ),
  solveComment: op<{ params: typeof CommentParams; query: typeof CommentQuery; data: typeof AffectedCommentsData }>(
    'POST',
    `${V2}/comments/:comment_id/solve`,
  ),
  reopenComment: op<{ params: typeof CommentParams; query: typeof CommentQuery; data: typeof AffectedCommentsData }>(
    'POST',
    `${V2}/comments/:comment_id/reopen`,
  ),
};
