/** Progress records and the objectives / key results they are written on. */
import { inList, type Tx } from './db.js';
import type { ProgressRecordRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

/** Where a record can be written: 2 objectives, 3 key results. */
export type TargetType = 2 | 3;

const TARGET_TABLE: Record<TargetType, 'objectives' | 'key_results'> = { 2: 'objectives', 3: 'key_results' };

/** An objective or key result with what permission checks need: its OKR's owner and visibility. */
export interface TargetRow {
  id: string;
  okr_id: string;
  owner_id: string;
  visibility: 'tenant' | 'leaders';
}

/** A record with its OKR's owner and visibility. */
export interface ProgressRecordWithOwner extends ProgressRecordRow {
  owner_id: string;
  visibility: 'tenant' | 'leaders';
}

/** The tenant's objective (2) or key result (3) `id`, unless its period is hidden. */
export async function findTarget(
  tx: Tx,
  tenantId: string,
  type: TargetType,
  id: string,
): Promise<TargetRow | undefined> {
  return tx.get(
    `SELECT t.id, t.okr_id, k.owner_id, k.visibility
       FROM ${TARGET_TABLE[type]} t JOIN okrs k ON k.id = t.okr_id JOIN periods p ON p.id = k.period_id
      WHERE t.id = ? AND t.tenant_id = ? AND p.status <> 3`,
    [id, tenantId],
  );
}

/** The tenant's record `id`, unless its period is hidden. */
export async function findProgressRecord(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<ProgressRecordWithOwner | undefined> {
  return tx.get(
    `SELECT r.*, k.owner_id, k.visibility
       FROM progress_records r JOIN okrs k ON k.id = r.okr_id JOIN periods p ON p.id = k.period_id
      WHERE r.id = ? AND r.tenant_id = ? AND p.status <> 3`,
    [id, tenantId],
  );
}

/** Replaces a record's content and progress, stamping its modify time. */
export async function updateProgressRecord(
  tx: TenantTx,
  id: string,
  content: string,
  percent: number | null,
  status: number | null,
  now: number,
): Promise<void> {
  await tx.run(
    `UPDATE progress_records SET content = ?, progress_percent = ?, progress_status = ?, modify_time = ?
      WHERE id = ? AND tenant_id = ?`,
    [content, percent, status, now, id, tx.tenantId],
  );
}

export async function deleteProgressRecord(tx: TenantTx, id: string): Promise<void> {
  await tx.run('DELETE FROM progress_records WHERE id = ? AND tenant_id = ?', [id, tx.tenantId]);
}

/** Records that the target's progress records changed at `now`. */
export async function touchTargetRecords(tx: TenantTx, type: TargetType, id: string, now: number): Promise<void> {
  await tx.run(
    `UPDATE ${TARGET_TABLE[type]} SET progress_record_last_updated_time = ?, updated_at = ? WHERE id = ? AND tenant_id = ?`,
    [now, now, id, tx.tenantId],
  );
}

/** Sets the target's progress percent and stamps when it changed. */
export async function setTargetPercent(
  tx: TenantTx,
  type: TargetType,
  id: string,
  percent: number,
  now: number,
): Promise<void> {
  await tx.run(
    `UPDATE ${TARGET_TABLE[type]} SET progress_percent = ?, progress_rate_percent_last_updated_time = ?
      WHERE id = ? AND tenant_id = ?`,
    [percent, now, id, tx.tenantId],
  );
}

/** Sets the target's progress status and stamps when it changed. */
export async function setTargetStatus(
  tx: TenantTx,
  type: TargetType,
  id: string,
  status: number,
  now: number,
): Promise<void> {
  await tx.run(
    `UPDATE ${TARGET_TABLE[type]} SET progress_status = ?, progress_rate_status_last_updated_time = ?
      WHERE id = ? AND tenant_id = ?`,
    [status, now, id, tx.tenantId],
  );
}

/** Which of `tokens` are images uploaded in the tenant. */
export async function existingImageTokens(tx: Tx, tenantId: string, tokens: readonly string[]): Promise<Set<string>> {
  if (tokens.length === 0) return new Set();
  const rows = await tx.all<{ file_token: string }>(
    `SELECT file_token FROM images WHERE tenant_id = ? AND file_token IN (${inList(tokens.length)})`,
    [tenantId, ...tokens],
  );
  return new Set(rows.map((r) => r.file_token));
}

/** Where a page of progress records starts: after this (modify_time, id), most recently modified first. */
export interface ProgressRecordCursor {
  modify_time: number;
  id: string;
}

/** Up to `limit` of the records on the tenant's objective (2) or key result (3) `targetId`, newest-modified first. */
export async function listProgressRecords(
  tx: Tx,
  tenantId: string,
  type: TargetType,
  targetId: string,
  cursor: ProgressRecordCursor | undefined,
  limit: number,
): Promise<ProgressRecordRow[]> {
  const where = 'target_id = ? AND target_type = ? AND tenant_id = ?';
  if (!cursor) {
    return tx.all(`SELECT * FROM progress_records WHERE ${where} ORDER BY modify_time DESC, id DESC LIMIT ?`, [
      targetId,
      type,
      tenantId,
      limit,
    ]);
  }
  return tx.all(
    `SELECT * FROM progress_records WHERE ${where} AND (modify_time < ? OR (modify_time = ? AND id < ?))
      ORDER BY modify_time DESC, id DESC LIMIT ?`,
    [targetId, type, tenantId, cursor.modify_time, cursor.modify_time, cursor.id, limit],
  );
}
