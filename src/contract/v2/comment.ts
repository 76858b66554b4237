/** v2 comments on cycles, progress records, objectives and key results (spec §4.8). */
import { Type, type Static } from '@sinclair/typebox';
import {
  Described,
  EntityId,
  MsString,
  Page,
  PageSizeParam,
  PageTokenParam,
  StringEnum,
  V2ContentBlock,
} from './common.js';

const TargetType = Described(
  StringEnum(['cycle', 'progress', 'objective', 'key_result']),
  'what is commented on: a user cycle, a progress record, an objective or a key result',
);

/** `user_id_type` on comment endpoints: v2's three types plus `user_key`, served as open_id (decisions.md OQ-27). */
export const CommentUserIdTypeParam = Type.Optional(
  Described(
    StringEnum(['open_id', 'union_id', 'user_id', 'user_key'], { default: 'open_id' }),
    'id type of user ids in the response; user_key is answered as open_id',
  ),
);

/** A comment as the API returns it. */
export const Comment = Type.Object({
  id: Type.String(),
  target: Type.Object({ target_type: TargetType, target_id: Type.String() }),
  commentator_id: Type.String({ description: 'the author; id type per user_id_type' }),
  status: Described(StringEnum(['open', 'solved']), 'open: unresolved, solved: its thread was resolved'),
  create_time: MsString,
  update_time: MsString,
  content: Type.Optional(V2ContentBlock),
  solver_id: Type.Optional(Type.String({ description: 'who solved the thread; id type per user_id_type' })),
  solved_time: Type.Optional(MsString),
  ref_comment_id: Type.Optional(Type.String({ description: 'the comment this one replies to' })),
  selection: Type.Optional(
    Type.Object(
      { id: Type.String(), selected_text: Type.Optional(Type.String()) },
      {
        description: 'the quoted text a selection thread hangs on',
      },
    ),
  ),
});
export type Comment = Static<typeof Comment>;

/** Query of GET /comments. */
export const ListCommentsQuery = Type.Object({
  target_type: TargetType,
  target_id: EntityId,
  page_size: PageSizeParam,
  page_token: PageTokenParam,
  user_id_type: CommentUserIdTypeParam,
});
export type ListCommentsQuery = Static<typeof ListCommentsQuery>;

/** Query of the single-comment endpoints (get, create, patch, solve, reopen). */
export const CommentQuery = Type.Object({ user_id_type: CommentUserIdTypeParam });
export type CommentQuery = Static<typeof CommentQuery>;

/** The `:comment_id` path parameter. */
export const CommentParams = Type.Object({ comment_id: EntityId });
export type CommentParams = Static<typeof CommentParams>;

/** Body of POST /comments; `selected_text` starts a selection thread (objectives and key results only). */
export const CreateCommentBody = Type.Object({
  target: Type.Object({ target_type: TargetType, target_id: EntityId }),
  content: V2ContentBlock,
  selected_text: Type.Optional(Type.String({ maxLength: 1000 })),
  ref_comment_id: Type.Optional(EntityId),
});
export type CreateCommentBody = Static<typeof CreateCommentBody>;

/** Body of PATCH /comments/:comment_id. */
export const PatchCommentBody = Type.Object({ content: V2ContentBlock });
export type PatchCommentBody = Static<typeof PatchCommentBody>;

/** `data` of the comment list. */
export const ListCommentsData = Page(Comment);
export type ListCommentsData = Static<typeof ListCommentsData>;

/** `data` of a comment get or patch. */
export const CommentData = Type.Object({ comment: Comment });
export type CommentData = Static<typeof CommentData>;

/** `data` of a comment create; `selection_id` is set when the comment started a selection thread. */
export const CreateCommentData = Type.Object({ comment_id: Type.String(), selection_id: Type.Optional(Type.String()) });
export type CreateCommentData = Static<typeof CreateCommentData>;

/** `data` of solve and reopen: every comment of the thread whose status changed. */
export const AffectedCommentsData = Type.Object({ affected_comments: Type.Array(Comment) });
export type AffectedCommentsData = Static<typeof AffectedCommentsData>;
