/**
 * Comments (v2 spec §4.8) on cycles, progress records, objectives and key results. Each row keeps the cycle (okr_id)
 * its target lies in, so who may read it is one join away; threads are the comments sharing a thread_id (the id of
 * the thread's first comment). A comment in a hidden period is not found, as everything in a hidden period.
 */
import type { Tx } from './db.js';
import type { CommentRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

/** What a comment can be written on. */
export type CommentTargetType = CommentRow['target_type'];

/** The cycle a comment target lies in, with what the access checks need. */
export interface CommentTargetCycle {
  okr_id: string;
  owner_id: string | null;
  department_id: string | null;
  visibility: 'tenant' | 'leaders';
}

/** A comment with its cycle's owner and visibility. */
export type CommentWithCycle = CommentRow & Omit<CommentTargetCycle, 'okr_id'>;

const TARGET_TABLE: Record<Exclude<CommentTargetType, 'cycle'>, string> = {
  objective: 'objectives',
  key_result: 'key_results',
  progress: 'progress_records',
};

const CYCLE = 'k.owner_id, k.department_id, k.visibility FROM okrs k JOIN periods p ON p.id = k.period_id';

/** The cycle of the tenant's target `id` of `type`, unless it does not exist or its period is hidden. */
export async function findCommentTarget(
  tx: Tx,
  tenantId: string,
  type: CommentTargetType,
  id: string,
): Promise<CommentTargetCycle | undefined> {
  if (type === 'cycle') {
    return tx.get(`SELECT k.id AS okr_id, ${CYCLE} WHERE k.id = ? AND k.tenant_id = ? AND p.status <> 3`, [
      id,
      tenantId,
    ]);
  }
  return tx.get(
    `SELECT t.okr_id, ${CYCLE} JOIN ${TARGET_TABLE[type]} t ON t.okr_id = k.id
      WHERE t.id = ? AND t.tenant_id = ? AND p.status <> 3`,
    [id, tenantId],
  );
}

/** The tenant's comment `id` with its cycle's owner, unless its period is hidden. */
export async function findComment(tx: Tx, tenantId: string, id: string): Promise<CommentWithCycle | undefined> {
  return tx.get(
    `SELECT c.*, ${CYCLE} JOIN comments c ON c.okr_id = k.id WHERE c.id = ? AND c.tenant_id = ? AND p.status <> 3`,
    [id, tenantId],
  );
}

/** Up to `limit` comments on a target, oldest first (created_at, id), after the cursor. */
export async function listComments(
  tx: Tx,
  tenantId: string,
  type: CommentTargetType,
  targetId: string,
  after: { created_at: number; id: string } | undefined,
  limit: number,
): Promise<CommentRow[]> {
  const where = 'target_id = ? AND target_type = ? AND tenant_id = ?';
  if (!after) {
    return tx.all(`SELECT * FROM comments WHERE ${where} ORDER BY created_at, id LIMIT ?`, [
      targetId,
      type,
      tenantId,
      limit,
    ]);
  }
  return tx.all(
    `SELECT * FROM comments WHERE ${where} AND (created_at > ? OR (created_at = ? AND id > ?))
      ORDER BY created_at, id LIMIT ?`,
    [targetId, type, tenantId, after.created_at, after.created_at, after.id, limit],
  );
}

/** Every comment of a thread, oldest first. */
export async function threadComments(tx: Tx, tenantId: string, threadId: string): Promise<CommentRow[]> {
  return tx.all('SELECT * FROM comments WHERE thread_id = ? AND tenant_id = ? ORDER BY created_at, id', [
    threadId,
    tenantId,
  ]);
}

/** Replaces a comment's content, stamping its update time. */
export async function updateCommentContent(tx: TenantTx, id: string, content: string, now: number): Promise<void> {
  await tx.run('UPDATE comments SET content = ?, updated_at = ? WHERE id = ? AND tenant_id = ?', [
    content,
    now,
    id,
    tx.tenantId,
  ]);
}

/**
 * Deletes one comment. Replies that referenced it stay in their thread with no reference (ref_comment_id is a key,
 * it must not dangle).
 */
export async function deleteComment(tx: TenantTx, id: string): Promise<void> {
  await tx.run('UPDATE comments SET ref_comment_id = NULL WHERE ref_comment_id = ? AND tenant_id = ?', [
    id,
    tx.tenantId,
  ]);
  await tx.run('DELETE FROM comments WHERE id = ? AND tenant_id = ?', [id, tx.tenantId]);
}

/** Sets the status of every comment of a thread not yet in it (solver and time: null when reopening). */
export async function setThreadStatus(
  tx: TenantTx,
  threadId: string,
  status: CommentRow['status'],
  solverId: string | null,
  solvedTime: number | null,
  now: number,
): Promise<void> {
  await tx.run(
    `UPDATE comments SET status = ?, solver_id = ?, solved_time = ?, updated_at = ?
      WHERE thread_id = ? AND tenant_id = ? AND status <> ?`,
    [status, solverId, solvedTime, now, threadId, tx.tenantId, status],
  );
}
