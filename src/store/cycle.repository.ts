/**
 * Cycles (v2) = OKRs (v1): one per owner — a user, or a department for team OKRs — and tenant period
 * (decisions.md OQ-12, OQ-30, OQ-34). A cycle of a hidden period is not found.
 */
import { inList, type Tx } from './db.js';
import type { TenantTx } from './tenant-write.js';

/** A cycle with what v2 shows of it and what permission checks need. */
export interface CycleRow {
  id: string;
  owner_id: string | null;
  department_id: string | null;
  period_id: string;
  visibility: 'tenant' | 'leaders';
  created_at: number;
  updated_at: number;
  period_status: number;
  period_start_time: number;
  period_end_time: number;
  /** The tenant's data version (the render cache's key). */
  data_version: number;
}

/** Who a cycle belongs to. */
export type CycleOwner = { user: string } | { department: string };

const SELECT = `SELECT o.id, o.owner_id, o.department_id, o.period_id, o.visibility, o.created_at, o.updated_at,
       p.status AS period_status, p.period_start_time, p.period_end_time, t.data_version
  FROM okrs o JOIN periods p ON p.id = o.period_id JOIN tenants t ON t.id = o.tenant_id`;

const ownerColumn = (owner: CycleOwner) => ('user' in owner ? 'o.owner_id' : 'o.department_id');
const ownerRef = (owner: CycleOwner) => ('user' in owner ? owner.user : owner.department);

/** The tenant's cycle `id`, unless its period is hidden. */
export async function findCycle(tx: Tx, tenantId: string, id: string): Promise<CycleRow | undefined> {
  return tx.get(`${SELECT} WHERE o.id = ? AND o.tenant_id = ? AND p.status <> 3`, [id, tenantId]);
}

/** The tenant's cycles among `ids` whose period is not hidden. */
export async function findCycles(tx: Tx, tenantId: string, ids: readonly string[]): Promise<CycleRow[]> {
  if (ids.length === 0) return [];
  return tx.all(`${SELECT} WHERE o.tenant_id = ? AND p.status <> 3 AND o.id IN (${inList(ids.length)})`, [
    tenantId,
    ...ids,
  ]);
}

/** The ids of the tenant's visible periods in which `owner` has no cycle yet. */
export async function periodsWithoutCycle(tx: Tx, tenantId: string, owner: CycleOwner): Promise<string[]> {
  const rows = await tx.all<{ id: string }>(
    `SELECT p.id FROM periods p WHERE p.tenant_id = ? AND p.status <> 3
        AND NOT EXISTS (SELECT 1 FROM okrs o WHERE o.period_id = p.id AND ${ownerColumn(owner)} = ?)
      ORDER BY p.id`,
    [tenantId, ownerRef(owner)],
  );
  return rows.map((r) => r.id);
}

/** Creates `owner`'s cycle of a period unless another transaction just did (several processes may race). */
export async function insertCycle(
  tx: TenantTx,
  id: string,
  owner: CycleOwner,
  periodId: string,
  now: number,
): Promise<void> {
  await tx.run(
    `INSERT INTO okrs (id, tenant_id, owner_id, department_id, period_id, confirm_status, visibility, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 0, 'tenant', ?, ?) ON CONFLICT DO NOTHING`,
    [
      id,
      tx.tenantId,
      'user' in owner ? owner.user : null,
      'department' in owner ? owner.department : null,
      periodId,
      now,
      now,
    ],
  );
}

/** Up to `limit` of `owner`'s cycles in visible periods, newest period first, after the cursor. */
export async function listCycles(
  tx: Tx,
  tenantId: string,
  owner: CycleOwner,
  after: { start_time: number; id: string } | undefined,
  limit: number,
): Promise<CycleRow[]> {
  const where = `o.tenant_id = ? AND ${ownerColumn(owner)} = ? AND p.status <> 3`;
  if (!after) {
    return tx.all(`${SELECT} WHERE ${where} ORDER BY p.period_start_time DESC, o.id DESC LIMIT ?`, [
      tenantId,
      ownerRef(owner),
      limit,
    ]);
  }
  return tx.all(
    `${SELECT} WHERE ${where} AND (p.period_start_time < ? OR (p.period_start_time = ? AND o.id < ?))
      ORDER BY p.period_start_time DESC, o.id DESC LIMIT ?`,
    [tenantId, ownerRef(owner), after.start_time, after.start_time, after.id, limit],
  );
}

/** Σ score × weight of each cycle's objectives (v1 scale × thousandths), for the cycle score. */
export async function cycleScores(tx: Tx, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.all<{ okr_id: string; total: number }>(
    `SELECT okr_id, SUM(score * weight_milli) AS total FROM objectives WHERE okr_id IN (${inList(ids.length)})
      GROUP BY okr_id`,
    [...ids],
  );
  return new Map(rows.map((r) => [r.okr_id, Number(r.total)]));
}

/** Marks the cycle changed at `now`. */
export async function touchCycle(tx: TenantTx, id: string, now: number): Promise<void> {
  await tx.run('UPDATE okrs SET updated_at = ? WHERE id = ? AND tenant_id = ?', [now, id, tx.tenantId]);
}
