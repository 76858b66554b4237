/** Periods and period rules. */
import { inList, type Tx } from './db.js';
import type { PeriodRow, PeriodRuleRow } from './rows.js';

/** Where a page of periods starts: after this (start time, id) in newest-first order. */
export interface PeriodCursor {
  start_time: number;
  id: string;
}

/** Up to `limit` visible (not hidden) periods, newest first, after `cursor`. */
export async function listVisiblePeriods(
  tx: Tx,
  tenantId: string,
  cursor: PeriodCursor | undefined,
  limit: number,
): Promise<PeriodRow[]> {
  if (!cursor) {
    return tx.all(
      `SELECT * FROM periods WHERE tenant_id = ? AND status <> 3
        ORDER BY period_start_time DESC, id DESC LIMIT ?`,
      [tenantId, limit],
    );
  }
  return tx.all(
    `SELECT * FROM periods WHERE tenant_id = ? AND status <> 3
        AND (period_start_time < ? OR (period_start_time = ? AND id < ?))
      ORDER BY period_start_time DESC, id DESC LIMIT ?`,
    [tenantId, cursor.start_time, cursor.start_time, cursor.id, limit],
  );
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
