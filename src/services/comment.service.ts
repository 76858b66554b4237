/**
 * v2 comments (spec §4.8, decisions.md OQ-27, OQ-29): anyone who may read the target's cycle reads and writes them
 * (writing needs a user token: the endpoints take no other); authors edit and delete their own; the thread starter's
 * author or the target's owner solves and reopens a whole thread.
 */
import type {
  AffectedCommentsData,
  Comment,
  CommentData,
  CommentQuery,
  CreateCommentBody,
  CreateCommentData,
  ListCommentsData,
  ListCommentsQuery,
  PatchCommentBody,
} from '../contract/v2/comment.js';
import type { V2ContentBlock } from '../contract/v2/common.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { mentionedUsers, type Content } from '../domain/rich-text.js';
import { invalidParam, noPermission, notFound } from '../errors.js';
import {
  deleteComment,
  findComment,
  findCommentTarget,
  listComments,
  setThreadStatus,
  threadComments,
  updateCommentContent,
  type CommentTargetCycle,
  type CommentWithCycle,
} from '../store/comment.repository.js';
import type { Db, Tx } from '../store/db.js';
import type { CommentRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import type { Caller } from './auth.service.js';
import { requireCycleReadable, requireCycleWritable } from './cycle-access.js';
import { decodeCursor, toPage } from './paging.js';
import { fromV2, isBlank, toV2 } from './v2-rich-text.mapper.js';
import { WireNames, idTypesOf, type IdTypes, type V2UserIdType } from './wire-names.js';

/** `user_id_type` of the comment endpoints: v2's three plus `user_key`, served as open_id (decisions.md OQ-27). */
type CommentUserIdType = V2UserIdType | 'user_key';

/** Serves the v2 comment endpoints. */
export class CommentService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** GET /okr/v2/comments: the comments on a target, oldest first. */
  async list(caller: Caller, query: ListCommentsQuery): Promise<ListCommentsData> {
    const types = typesOf(caller, query.user_id_type);
    const pageSize = query.page_size ?? 10;
    const after = query.page_token ? decodeCursor(query.page_token, ['number', 'string'] as const) : undefined;
    return this.db.read(async (tx) => {
      await readableTarget(tx, caller, query.target_type, query.target_id);
      const rows = await listComments(
        tx,
        caller.tenantId,
        query.target_type,
        query.target_id,
        after && { created_at: after[0], id: after[1] },
        pageSize + 1,
      );
      const page = rows.slice(0, pageSize).map(parsed);
      const names = await namesFor(tx, caller, types, page);
      const views = new Map(page.map((c) => [c.row.id, view(c, names)]));
      return toPage(
        rows,
        pageSize,
        (r) => [r.created_at, r.id],
        (r) => views.get(r.id)!,
      );
    });
  }

  /** GET /okr/v2/comments/:comment_id. */
  async get(caller: Caller, id: string, query: CommentQuery): Promise<CommentData> {
    const types = typesOf(caller, query.user_id_type);
    return this.db.read(async (tx) => {
      const row = await readableComment(tx, caller, id);
      return { comment: await this.render(tx, caller, types, row) };
    });
  }

  /**
   * POST /okr/v2/comments: a new thread, a selection thread (`selected_text`, objectives and key results only), or a
   * reply joining the thread of `ref_comment_id` (a comment on the same target).
   */
  async create(caller: Caller, body: CreateCommentBody, query: CommentQuery): Promise<CreateCommentData> {
    const types = typesOf(caller, query.user_id_type);
    const { target, selected_text: selectedText, ref_comment_id: refId } = body;
    const broken: string[] = [];
    if (isBlank(body.content)) broken.push('content: must not be blank');
    if (selectedText !== undefined) {
      if (target.target_type !== 'objective' && target.target_type !== 'key_result') {
        broken.push('selected_text: only a comment on an objective or a key result can quote a selection');
      } else if (refId !== undefined) {
        broken.push('selected_text: a reply joins its thread and cannot start a selection');
      } else if (selectedText.trim() === '') {
        broken.push('selected_text: must not be blank');
      }
    }
    if (broken.length > 0) throw invalidParam(broken.join('; '));

    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const cycle = await readableTarget(tx, caller, target.target_type, target.target_id);
      let threadId: string | undefined;
      if (refId !== undefined) {
        const ref = await findComment(tx, caller.tenantId, refId);
        if (!ref) throw notFound('ref_comment_id', refId);
        if (ref.target_type !== target.target_type || ref.target_id !== target.target_id) {
          throw invalidParam('ref_comment_id: must be a comment on the same target');
        }
        threadId = ref.thread_id;
      }
      const content = await fromV2(tx, caller, types.user_id_type, body.content, 'content');
      const now = this.clock();
      const id = this.ids();
      const selectionId = selectedText !== undefined ? this.ids() : null;
      const row: CommentRow = {
        id,
        tenant_id: caller.tenantId,
        target_type: target.target_type,
        target_id: target.target_id,
        okr_id: cycle.okr_id,
        thread_id: threadId ?? id,
        ref_comment_id: refId ?? null,
        commentator_id: author(caller),
        content: JSON.stringify(content),
        selection_id: selectionId,
        selected_text: selectedText ?? null,
        status: 'open',
        solver_id: null,
        solved_time: null,
        created_at: now,
        updated_at: now,
      };
      await insertRow(tx, 'comments', row);
      return { comment_id: id, ...(selectionId !== null ? { selection_id: selectionId } : {}) };
    });
  }

  /** PATCH /okr/v2/comments/:comment_id: new content, by the comment's author only. */
  async patch(caller: Caller, id: string, body: PatchCommentBody, query: CommentQuery): Promise<CommentData> {
    const types = typesOf(caller, query.user_id_type);
    if (isBlank(body.content)) throw invalidParam('content: must not be blank');
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const row = await readableComment(tx, caller, id);
      if (row.commentator_id !== caller.userRef) throw noPermission('only its author may edit a comment');
      const content = JSON.stringify(await fromV2(tx, caller, types.user_id_type, body.content, 'content'));
      const now = this.clock();
      await updateCommentContent(tx, row.id, content, now);
      return { comment: await this.render(tx, caller, types, { ...row, content, updated_at: now }) };
    });
  }

  /** DELETE /okr/v2/comments/:comment_id: that one comment, by its author only; its replies stay in the thread. */
  async delete(caller: Caller, id: string): Promise<void> {
    await writeTenant(this.db, caller.tenantId, async (tx) => {
      const row = await readableComment(tx, caller, id);
      if (row.commentator_id !== caller.userRef) throw noPermission('only its author may delete a comment');
      await deleteComment(tx, row.id);
    });
  }

  /**
   * POST /okr/v2/comments/:comment_id/solve (`solved`) and /reopen (`open`): every comment of the comment's thread,
   * by the thread starter's author or the target's owner; answers the comments whose status changed.
   */
  async setStatus(
    caller: Caller,
    id: string,
    status: CommentRow['status'],
    query: CommentQuery,
  ): Promise<AffectedCommentsData> {
    const types = typesOf(caller, query.user_id_type);
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const row = await readableComment(tx, caller, id);
      const thread = await threadComments(tx, caller.tenantId, row.thread_id);
      const starter = thread.find((c) => c.id === row.thread_id);
      if (starter?.commentator_id !== caller.userRef) {
        await requireCycleWritable(tx, caller, cycleOf(row)).catch(() => {
          throw noPermission(
            `only the thread's author or the OKR's owner may ${status === 'solved' ? 'solve' : 'reopen'} it`,
          );
        });
      }
      const now = this.clock();
      const solver = status === 'solved' ? author(caller) : null;
      const solvedTime = status === 'solved' ? now : null;
      const changed = thread
        .filter((c) => c.status !== status)
        .map((c) => ({ ...c, status, solver_id: solver, solved_time: solvedTime, updated_at: now }));
      if (changed.length > 0) await setThreadStatus(tx, row.thread_id, status, solver, solvedTime, now);
      const parsedRows = changed.map(parsed);
      const names = await namesFor(tx, caller, types, parsedRows);
      return { affected_comments: parsedRows.map((c) => view(c, names)) };
    });
  }

  private async render(tx: Tx, caller: Caller, types: IdTypes, row: CommentRow): Promise<Comment> {
    const c = parsed(row);
    return view(c, await namesFor(tx, caller, types, [c]));
  }
}

/** The id types of a comment request; `user_key` is answered as open_id. */
function typesOf(caller: Caller, type: CommentUserIdType | undefined): IdTypes {
  return idTypesOf(caller, { user_id_type: type === 'user_key' || type === undefined ? 'open_id' : type });
}

/** The person writing: comment writes take user tokens only. */
function author(caller: Caller): string {
  if (!caller.userRef) throw noPermission('comments are written by a person (user access token)');
  return caller.userRef;
}

/** The cycle of a target the caller may read; 1001004 naming target_id when there is none. */
async function readableTarget(
  tx: Tx,
  caller: Caller,
  type: CommentRow['target_type'],
  id: string,
): Promise<CommentTargetCycle> {
  const cycle = await findCommentTarget(tx, caller.tenantId, type, id);
  if (!cycle) throw notFound('target_id', id);
  await requireCycleReadable(tx, caller, cycleOf(cycle));
  return cycle;
}

/** A comment the caller may read; 1001004 naming comment_id when there is none. */
async function readableComment(tx: Tx, caller: Caller, id: string): Promise<CommentWithCycle> {
  const row = await findComment(tx, caller.tenantId, id);
  if (!row) throw notFound('comment_id', id);
  await requireCycleReadable(tx, caller, cycleOf(row));
  return row;
}

function cycleOf(c: CommentTargetCycle | CommentWithCycle) {
  return {
    id: c.okr_id,
    owner_id: c.owner_id,
    department_id: c.department_id,
    visibility: c.visibility,
  };
}

/** A comment row with its content parsed. */
interface Parsed {
  row: CommentRow;
  content: Content;
}

function parsed(row: CommentRow): Parsed {
  return { row, content: JSON.parse(row.content) as Content };
}

/** Everyone the comments name (authors, solvers, mentions), looked up in one query. */
function namesFor(tx: Tx, caller: Caller, types: IdTypes, comments: readonly Parsed[]): Promise<WireNames> {
  return new WireNames(caller, types).load(
    tx,
    comments.flatMap((c) => [c.row.commentator_id, c.row.solver_id, ...mentionedUsers(c.content)]),
  );
}

/** The wire form of a comment. */
function view({ row, content }: Parsed, names: WireNames): Comment {
  return {
    id: row.id,
    target: { target_type: row.target_type, target_id: row.target_id },
    commentator_id: names.user(row.commentator_id),
    status: row.status,
    create_time: String(row.created_at),
    update_time: String(row.updated_at),
    content: toV2(content, names.user.bind(names)) as V2ContentBlock,
    ...(row.solver_id !== null ? { solver_id: names.user(row.solver_id) } : {}),
    ...(row.solved_time !== null ? { solved_time: String(row.solved_time) } : {}),
    ...(row.ref_comment_id !== null ? { ref_comment_id: row.ref_comment_id } : {}),
    ...(row.selection_id !== null
      ? {
          selection: {
            id: row.selection_id,
            ...(row.selected_text !== null ? { selected_text: row.selected_text } : {}),
          },
        }
      : {}),
  };
}
