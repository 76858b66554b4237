/**
 * Objectives and key results as v2 reads and changes them, each found with its cycle's owner and period, and what
 * both share: their siblings' order and weights, and deleting them with everything that hangs on them.
 */
import { inList, type Tx } from './db.js';
import type { KeyResultRow, ObjectiveRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

/** What every objective / key result lookup brings of its cycle, for permission checks and the owner. */
export interface CycleColumns {
  owner_id: string | null;
  department_id: string | null;
  visibility: 'tenant' | 'leaders';
  period_id: string;
  period_start_time: number;
  period_end_time: number;
}

/** An objective with its cycle's columns. */
export type ObjectiveWithCycle = ObjectiveRow & CycleColumns;
/** A key result with its cycle's columns. */
export type KeyResultWithCycle = KeyResultRow & CycleColumns;

const CYCLE = `k.owner_id, k.department_id, k.visibility, k.period_id, p.period_start_time, p.period_end_time
  FROM okrs k JOIN periods p ON p.id = k.period_id`;

/** The tenant's objective `id`, unless its period is hidden. */
export async function findObjective(tx: Tx, tenantId: string, id: string): Promise<ObjectiveWithCycle | undefined> {
  return tx.get(
    `SELECT e.*, ${CYCLE} JOIN objectives e ON e.okr_id = k.id
      WHERE e.id = ? AND e.tenant_id = ? AND p.status <> 3`,
    [id, tenantId],
  );
}

/** The tenant's key result `id`, unless its period is hidden. */
export async function findKeyResult(tx: Tx, tenantId: string, id: string): Promise<KeyResultWithCycle | undefined> {
  return tx.get(
    `SELECT e.*, ${CYCLE} JOIN key_results e ON e.okr_id = k.id
      WHERE e.id = ? AND e.tenant_id = ? AND p.status <> 3`,
    [id, tenantId],
  );
}

/** Where a list page starts: after the item with this position and id (the list's sort key). */
export interface PositionCursor {
  position: number;
  id: string;
}

/** Up to `limit` rows of `table` under `parent` (column = id), in position order, after the cursor. */
export async function pageByPosition<R>(
  tx: Tx,
  table: 'objectives' | 'key_results',
  parentColumn: 'okr_id' | 'objective_id',
  tenantId: string,
  parentId: string,
  after: PositionCursor | undefined,
  limit: number,
): Promise<R[]> {
  const where = `${parentColumn} = ? AND tenant_id = ?`;
  if (!after) {
    return tx.all(`SELECT * FROM ${table} WHERE ${where} ORDER BY position, id LIMIT ?`, [parentId, tenantId, limit]);
  }
  return tx.all(
    `SELECT * FROM ${table} WHERE ${where} AND (position > ? OR (position = ? AND id > ?))
      ORDER BY position, id LIMIT ?`,
    [parentId, tenantId, after.position, after.position, after.id, limit],
  );
}

/**
 * Holds the cycle (`okrs`) or objective row `id` until the transaction ends, so writers that lay out its children
 * (positions 1..n, weights summing to 1) run one after the other: PostgreSQL locks the row (NO KEY UPDATE, which
 * still lets other transactions insert rows referencing it); SQLite write transactions are serial already. False
 * when the row is gone.
 */
export async function lockParent(tx: TenantTx, table: 'okrs' | 'objectives', id: string): Promise<boolean> {
  const lock = tx.dialect === 'postgres' ? ' FOR NO KEY UPDATE' : '';
  const row = await tx.get(`SELECT id FROM ${table} WHERE id = ? AND tenant_id = ?${lock}`, [id, tx.tenantId]);
  return row !== undefined;
}

/** Every objective of the cycle, in position order. */
export async function objectivesOfCycle(tx: Tx, tenantId: string, cycleId: string): Promise<ObjectiveRow[]> {
  return tx.all('SELECT * FROM objectives WHERE okr_id = ? AND tenant_id = ? ORDER BY position, id', [
    cycleId,
    tenantId,
  ]);
}

/** True when `id` is a category of the tenant. */
export async function isCategoryOfTenant(tx: Tx, tenantId: string, id: string): Promise<boolean> {
  return (await tx.get('SELECT id FROM categories WHERE id = ? AND tenant_id = ?', [id, tenantId])) !== undefined;
}

/** Columns a v2 PATCH (and what it stamps) may change. */
export interface TrackedChanges {
  content?: string;
  notes?: string;
  score?: number;
  deadline?: number;
  category_id?: string;
  score_last_updated_time?: number;
  progress_report_last_updated_time?: number;
  updated_at: number;
}

const CHANGEABLE: readonly (keyof TrackedChanges)[] = [
  'content',
  'notes',
  'score',
  'deadline',
  'category_id',
  'score_last_updated_time',
  'progress_report_last_updated_time',
  'updated_at',
];

/** Sets the given columns of the objective or key result `id`. */
export async function updateTracked(
  tx: TenantTx,
  table: 'objectives' | 'key_results',
  id: string,
  changes: TrackedChanges,
): Promise<void> {
  const cols = CHANGEABLE.filter((c) => changes[c] !== undefined);
  await tx.run(`UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND tenant_id = ?`, [
    ...cols.map((c) => changes[c]!),
    id,
    tx.tenantId,
  ]);
}

/** A sibling's new place and weight. */
export interface SiblingLayout {
  id: string;
  position: number;
  weight_milli: number;
}

/** Sets position and weight of each of `rows` (siblings in `table`) and stamps them changed, in one statement. */
export async function layOutSiblings(
  tx: TenantTx,
  table: 'objectives' | 'key_results',
  rows: readonly SiblingLayout[],
  now: number,
): Promise<void> {
  if (rows.length === 0) return;
  // CAST: PostgreSQL cannot type a CASE whose results are all parameters.
  const byId = rows.map(() => 'WHEN ? THEN CAST(? AS INTEGER)').join(' ');
  await tx.run(
    `UPDATE ${table} SET position = CASE id ${byId} END, weight_milli = CASE id ${byId} END, updated_at = ?
      WHERE tenant_id = ? AND id IN (${inList(rows.length)})`,
    [
      ...rows.flatMap((r) => [r.id, r.position]),
      ...rows.flatMap((r) => [r.id, r.weight_milli]),
      now,
      tx.tenantId,
      ...rows.map((r) => r.id),
    ],
  );
}

/**
 * Deletes objectives and key results (the key results of deleted objectives must be among `keyResultIds`) with
 * everything that hangs on them (decisions.md OQ-33): their indicators, progress records, the comments on them and
 * on those progress records, and every alignment from or to a deleted objective. Children go before their parents.
 */
export async function deleteWithDependents(
  tx: TenantTx,
  objectiveIds: readonly string[],
  keyResultIds: readonly string[],
): Promise<void> {
  const o = objectiveIds;
  const k = keyResultIds;
  // "(type = X AND id IN (...))" for each kind that has ids; the lists are never empty together.
  const targets = (typeColumn: string, idColumn: string, objectiveType: string, keyResultType: string) => {
    const parts: string[] = [];
    const params: string[] = [];
    if (o.length > 0) {
      parts.push(`(${typeColumn} = ${objectiveType} AND ${idColumn} IN (${inList(o.length)}))`);
      params.push(...o);
    }
    if (k.length > 0) {
      parts.push(`(${typeColumn} = ${keyResultType} AND ${idColumn} IN (${inList(k.length)}))`);
      params.push(...k);
    }
    return { sql: `(${parts.join(' OR ')})`, params };
  };
  if (o.length === 0 && k.length === 0) return;
  const records = targets('target_type', 'target_id', '2', '3');
  const commented = targets('target_type', 'target_id', `'objective'`, `'key_result'`);
  const tenant = tx.tenantId;

  await tx.run(
    `DELETE FROM comments WHERE tenant_id = ? AND (${commented.sql} OR (target_type = 'progress' AND target_id IN
       (SELECT id FROM progress_records WHERE tenant_id = ? AND ${records.sql})))`,
    [tenant, ...commented.params, tenant, ...records.params],
  );
  await tx.run(`DELETE FROM progress_records WHERE tenant_id = ? AND ${records.sql}`, [tenant, ...records.params]);
  const indicators = targets('entity_type', 'entity_id', '2', '3');
  await tx.run(`DELETE FROM indicators WHERE tenant_id = ? AND ${indicators.sql}`, [tenant, ...indicators.params]);
  if (o.length > 0) {
    await tx.run(
      `DELETE FROM alignments WHERE tenant_id = ? AND (from_objective_id IN (${inList(o.length)})
          OR to_objective_id IN (${inList(o.length)}))`,
      [tenant, ...o, ...o],
    );
  }
  if (k.length > 0) {
    await tx.run(`DELETE FROM key_results WHERE tenant_id = ? AND id IN (${inList(k.length)})`, [tenant, ...k]);
  }
  if (o.length > 0) {
    await tx.run(`DELETE FROM objectives WHERE tenant_id = ? AND id IN (${inList(o.length)})`, [tenant, ...o]);
  }
}
