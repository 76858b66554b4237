/** Tenants and their apps. */
import type { Param, Tx } from './db.js';
import type { AppRow, TenantRow } from './rows.js';

export async function findTenant(tx: Tx, id: string): Promise<TenantRow | undefined> {
  return tx.get('SELECT * FROM tenants WHERE id = ?', [id]);
}

export async function findApp(tx: Tx, appId: string): Promise<AppRow | undefined> {
  return tx.get('SELECT * FROM apps WHERE app_id = ?', [appId]);
}

/**
 * Inserts the app unless a row with its id exists, also one a concurrent transaction is committing (PostgreSQL then
 * waits for it instead of failing on the primary key). True when this call made the row.
 */
export async function insertAppIfAbsent(tx: Tx, row: AppRow): Promise<boolean> {
  const cols = Object.keys(row);
  const sql = `INSERT INTO apps (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT (app_id) DO NOTHING`;
  return (await tx.run(sql, Object.values(row) as Param[])) === 1;
}

export async function appsOfTenant(tx: Tx, tenantId: string): Promise<AppRow[]> {
  return tx.all('SELECT * FROM apps WHERE tenant_id = ? ORDER BY app_id', [tenantId]);
}
