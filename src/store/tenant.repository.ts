/** Tenants and their apps. */
import type { Tx } from './db.js';
import type { AppRow, TenantRow } from './rows.js';

export async function findTenant(tx: Tx, id: string): Promise<TenantRow | undefined> {
  return tx.get('SELECT * FROM tenants WHERE id = ?', [id]);
}

export async function findApp(tx: Tx, appId: string): Promise<AppRow | undefined> {
  return tx.get('SELECT * FROM apps WHERE app_id = ?', [appId]);
}

export async function appsOfTenant(tx: Tx, tenantId: string): Promise<AppRow[]> {
  return tx.all('SELECT * FROM apps WHERE tenant_id = ? ORDER BY app_id', [tenantId]);
}
