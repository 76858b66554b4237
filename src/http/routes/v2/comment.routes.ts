/** v2 comments on cycles, progress records, objectives and key results (spec §4.8). */
import {
  AffectedCommentsData,
  CommentData,
  CommentParams,
  CommentQuery,
  CreateCommentBody,
  CreateCommentData,
  ListCommentsData,
  ListCommentsQuery,
  PatchCommentBody,
} from '../../../contract/v2/comment.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';

const PATH = '/open-apis/okr/v2/comments';

export const commentEndpoints = [
  endpoint({
    method: 'GET',
    url: PATH,
    tag: 'v2',
    summary: 'List the comments on a cycle, progress record, objective or key result, oldest first',
    access: ACCESS.commentRead,
    schema: { querystring: ListCommentsQuery, data: ListCommentsData },
    handler: ({ caller, query, services }) => services.comments.list(caller, query),
  }),
  endpoint({
    method: 'GET',
    url: `${PATH}/:comment_id`,
    tag: 'v2',
    summary: 'Get a comment',
    access: ACCESS.commentRead,
    schema: { params: CommentParams, querystring: CommentQuery, data: CommentData },
    handler: ({ caller, params, query, services }) => services.comments.get(caller, params.comment_id, query),
  }),
  endpoint({
    method: 'POST',
    url: PATH,
    tag: 'v2',
    summary: 'Comment on a target: a new thread, a selection thread or a reply',
    access: ACCESS.commentWrite,
    schema: { querystring: CommentQuery, body: CreateCommentBody, data: CreateCommentData },
    handler: ({ caller, query, body, services }) => services.comments.create(caller, body, query),
  }),
  endpoint({
    method: 'PATCH',
    url: `${PATH}/:comment_id`,
    tag: 'v2',
    summary: "Change a comment's content (its author only)",
    access: ACCESS.commentWrite,
    schema: { params: CommentParams, querystring: CommentQuery, body: PatchCommentBody, data: CommentData },
    handler: ({ caller, params, query, body, services }) =>
      services.comments.patch(caller, params.comment_id, body, query),
  }),
  endpoint({
    method: 'DELETE',
    url: `${PATH}/:comment_id`,
    tag: 'v2',
    summary: 'Delete a comment (its author only); its replies stay',
    access: ACCESS.commentDelete,
    schema: { params: CommentParams },
    handler: ({ caller, params, services }) => services.comments.delete(caller, params.comment_id),
  }),
  endpoint({
    method: 'POST',
    url: `${PATH}/:comment_id/solve`,
    tag: 'v2',
    summary: "Solve a comment's whole thread",
    access: ACCESS.commentWrite,
    schema: { params: CommentParams, querystring: CommentQuery, data: AffectedCommentsData },
    handler: ({ caller, params, query, services }) =>
      services.comments.setStatus(caller, params.comment_id, 'solved', query),
  }),
  endpoint({
    method: 'POST',
    url: `${PATH}/:comment_id/reopen`,
    tag: 'v2',
    summary: "Reopen a comment's whole thread",
    access: ACCESS.commentWrite,
    schema: { params: CommentParams, querystring: CommentQuery, data: AffectedCommentsData },
    handler: ({ caller, params, query, services }) =>
      services.comments.setStatus(caller, params.comment_id, 'open', query),
  }),
];
