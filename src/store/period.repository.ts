/** Periods and period rules. */
import { inList, type Tx } from './db.js';
import type { PeriodRow, PeriodRuleRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

/** Where a page of periods starts: after this (start time, id) in newest-first order. */
export interface PeriodCursor {
  start_time: number;
  id: string;
}

/** Up to `limit` of the tenant's periods, hidden ones included (decisions.md OQ-21), newest first, after `cursor`. */
export async function listPeriods(
  tx: Tx,
  tenantId: string,
  cursor: PeriodCursor | undefined,
  limit: number,
): Promise<PeriodRow[]> {
  if (!cursor) {
    return tx.all(
      `SELECT * FROM periods WHERE tenant_id = ?
        ORDER BY period_start_time DESC, id DESC LIMIT ?`,
      [tenantId, limit],
    );
  }
  return tx.all(
    `SELECT * FROM periods WHERE tenant_id = ?
        AND (period_start_time < ? OR (period_start_time = ? AND id < ?))
      ORDER BY period_start_time DESC, id DESC LIMIT ?`,
    [tenantId, cursor.start_time, cursor.start_time, cursor.id, limit],
  );
}

/** The tenant's periods among `ids`, whatever their status. */
export async function findPeriods(tx: Tx, tenantId: string, ids: readonly string[]): Promise<PeriodRow[]> {
  return tx.all(`SELECT * FROM periods WHERE tenant_id = ? AND id IN (${inList(ids.length)})`, [tenantId, ...ids]);
}

/** The tenant's visible periods among `ids`. */
export async function findVisiblePeriods(tx: Tx, tenantId: string, ids: readonly string[]): Promise<PeriodRow[]> {
  return tx.all(`SELECT * FROM periods WHERE tenant_id = ? AND status <> 3 AND id IN (${inList(ids.length)})`, [
    tenantId,
    ...ids,
  ]);
}

/** The tenant's period rules, oldest first. */
export async function listPeriodRules(tx: Tx, tenantId: string): Promise<PeriodRuleRow[]> {
  return tx.all('SELECT * FROM period_rules WHERE tenant_id = ? ORDER BY created_at, id', [tenantId]);
}

/** The tenant's period rule `id`. */
export async function findPeriodRule(tx: Tx, tenantId: string, id: string): Promise<PeriodRuleRow | undefined> {
  return tx.get('SELECT * FROM period_rules WHERE id = ? AND tenant_id = ?', [id, tenantId]);
}

/** The tenant's period `id`, whatever its status. */
export async function findPeriod(tx: Tx, tenantId: string, id: string): Promise<PeriodRow | undefined> {
  return tx.get('SELECT * FROM periods WHERE id = ? AND tenant_id = ?', [id, tenantId]);
}

/** Whether any of the tenant's periods (hidden ones too) overlaps [start, end]. */
export async function periodOverlaps(tx: Tx, tenantId: string, start: number, end: number): Promise<boolean> {
  const row = await tx.get(
    'SELECT id FROM periods WHERE tenant_id = ? AND period_start_time <= ? AND period_end_time >= ? LIMIT 1',
    [tenantId, end, start],
  );
  return row !== undefined;
}

/** Serialises period creation per tenant on PostgreSQL (SQLite write transactions are serial already). */
export async function lockTenantPeriods(tx: Tx, tenantId: string): Promise<void> {
  if (tx.dialect === 'postgres') await tx.get('SELECT id FROM tenants WHERE id = ? FOR UPDATE', [tenantId]);
}

/** Sets the period's status; resolves to whether it existed. */
export async function setPeriodStatus(tx: TenantTx, id: string, status: number, now: number): Promise<boolean> {
  return (
    (await tx.run('UPDATE periods SET status = ?, updated_at = ? WHERE id = ? AND tenant_id = ?', [
      status,
      now,
      id,
      tx.tenantId,
    ])) > 0
  );
}
