/**
 * Alignments between objectives (v2 spec §4.1; the v1 aligned / aligning lists read the same rows): `from` supports
 * `to`. Each alignment is read with both ends' cycles (owner, visibility); one whose either end lies in a hidden
 * period is not found, as everything in a hidden period.
 */
import type { Tx } from './db.js';
import type { AlignmentRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

/** An alignment with the cycle of each end: owners for the wire, owner and visibility for permission checks. */
export interface AlignmentWithEnds extends AlignmentRow {
  from_okr_id: string;
  from_owner_id: string | null;
  from_department_id: string | null;
  from_visibility: 'tenant' | 'leaders';
  to_okr_id: string;
  to_owner_id: string | null;
  to_department_id: string | null;
  to_visibility: 'tenant' | 'leaders';
}

/** An existing alignment edge. */
export interface AlignmentEdgeRow {
  from_id: string;
  to_id: string;
}

const SELECT = `SELECT a.*,
       fo.okr_id AS from_okr_id, fk.owner_id AS from_owner_id, fk.department_id AS from_department_id,
       fk.visibility AS from_visibility,
       tob.okr_id AS to_okr_id, tk.owner_id AS to_owner_id, tk.department_id AS to_department_id,
       tk.visibility AS to_visibility
  FROM alignments a
  JOIN objectives fo ON fo.id = a.from_objective_id
  JOIN okrs fk ON fk.id = fo.okr_id
  JOIN periods fp ON fp.id = fk.period_id
  JOIN objectives tob ON tob.id = a.to_objective_id
  JOIN okrs tk ON tk.id = tob.okr_id
  JOIN periods tp ON tp.id = tk.period_id`;

const VISIBLE = 'fp.status <> 3 AND tp.status <> 3';

/** The tenant's alignment `id`, unless either end lies in a hidden period. */
export async function findAlignment(tx: Tx, tenantId: string, id: string): Promise<AlignmentWithEnds | undefined> {
  return tx.get(`${SELECT} WHERE a.id = ? AND a.tenant_id = ? AND ${VISIBLE}`, [id, tenantId]);
}

/** Which alignments of an objective a list shows: others aligned to it, those it aligns to, or both. */
export type AlignDirection = 'aligned' | 'aligning' | 'both';

/**
 * Up to `limit` alignments touching `objectiveId` in `direction` whose ends are both outside hidden periods, oldest
 * first (created_at, id), after the cursor.
 */
export async function listAlignments(
  tx: Tx,
  tenantId: string,
  objectiveId: string,
  direction: AlignDirection,
  after: { created_at: number; id: string } | undefined,
  limit: number,
): Promise<AlignmentWithEnds[]> {
  const touching =
    direction === 'aligning'
      ? 'a.from_objective_id = ?'
      : direction === 'aligned'
        ? 'a.to_objective_id = ?'
        : '(a.from_objective_id = ? OR a.to_objective_id = ?)';
  const objectiveParams = direction === 'both' ? [objectiveId, objectiveId] : [objectiveId];
  const where = `a.tenant_id = ? AND ${touching} AND ${VISIBLE}`;
  if (!after) {
    return tx.all(`${SELECT} WHERE ${where} ORDER BY a.created_at, a.id LIMIT ?`, [
      tenantId,
      ...objectiveParams,
      limit,
    ]);
  }
  return tx.all(
    `${SELECT} WHERE ${where} AND (a.created_at > ? OR (a.created_at = ? AND a.id > ?))
      ORDER BY a.created_at, a.id LIMIT ?`,
    [tenantId, ...objectiveParams, after.created_at, after.created_at, after.id, limit],
  );
}

/**
 * The edges a new alignment `from` → `to` must be checked against (domain/alignment.ts): every alignment reachable
 * from `to` by following alignments (a loop through `from` shows among them), plus `from` → `to` itself if it exists.
 * The recursive walk visits each objective once (UNION), so data that already holds a loop cannot make it run away.
 */
export async function alignmentEdgesFor(
  tx: Tx,
  tenantId: string,
  from: string,
  to: string,
): Promise<AlignmentEdgeRow[]> {
  return tx.all(
    `WITH RECURSIVE reach (objective_id) AS (
       SELECT CAST(? AS TEXT)
       UNION
       SELECT a.to_objective_id FROM alignments a JOIN reach r ON a.from_objective_id = r.objective_id
        WHERE a.tenant_id = ?
     )
     SELECT a.from_objective_id AS from_id, a.to_objective_id AS to_id
       FROM alignments a JOIN reach r ON a.from_objective_id = r.objective_id
      WHERE a.tenant_id = ?
     UNION
     SELECT from_objective_id, to_objective_id FROM alignments
      WHERE from_objective_id = ? AND to_objective_id = ? AND tenant_id = ?`,
    [to, tenantId, tenantId, from, to, tenantId],
  );
}

/**
 * Serialises alignment writes of a tenant for the rest of the transaction, so two alignments made at once cannot
 * close a loop the other did not see. SQLite write transactions are serial already; PostgreSQL takes a transaction
 * advisory lock (released at commit or rollback).
 */
export async function lockAlignments(tx: TenantTx): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.get('SELECT pg_advisory_xact_lock(hashtext(?)) AS locked', [`okrd:alignments:${tx.tenantId}`]);
}

/** Inserts an alignment unless the same pair exists (another transaction may just have made it); true if inserted. */
export async function insertAlignment(tx: TenantTx, row: AlignmentRow): Promise<boolean> {
  const changes = await tx.run(
    `INSERT INTO alignments (id, tenant_id, from_objective_id, to_objective_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [row.id, tx.tenantId, row.from_objective_id, row.to_objective_id, row.created_at, row.updated_at],
  );
  return changes > 0;
}

/** Deletes the tenant's alignment `id`. */
export async function deleteAlignment(tx: TenantTx, id: string): Promise<void> {
  await tx.run('DELETE FROM alignments WHERE id = ? AND tenant_id = ?', [id, tx.tenantId]);
}
