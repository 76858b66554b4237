/** Row-generic statements: insert a typed row, and dump or count a tenant's rows (import/export, tests). */
import type { Param, Tx } from './db.js';

/** Every table that holds tenant data, parents before children (the order to insert and to dump). */
export const TENANT_TABLES = [
  'tenants',
  'apps',
  'users',
  'app_users',
  'app_redirect_uris',
  'passwords',
  'departments',
  'department_members',
  'period_rules',
  'periods',
  'okrs',
  'categories',
  'objectives',
  'key_results',
  'indicators',
  'alignments',
  'progress_records',
  'comments',
  'images',
  'reviews',
] as const;

/** A table that holds tenant data. */
export type TenantTable = (typeof TENANT_TABLES)[number];

// How to pick one tenant's rows of each table, and a stable order to list them in.
const TENANT_FILTER: Record<TenantTable, { where: string; order: string }> = {
  tenants: { where: 'id = ?', order: 'id' },
  apps: { where: 'tenant_id = ?', order: 'app_id' },
  users: { where: 'tenant_id = ?', order: 'id' },
  app_users: { where: 'tenant_id = ?', order: 'app_id, user_ref' },
  app_redirect_uris: { where: 'tenant_id = ?', order: 'app_id, uri' },
  passwords: { where: 'tenant_id = ?', order: 'user_ref' },
  departments: { where: 'tenant_id = ?', order: 'id' },
  department_members: { where: 'tenant_id = ?', order: 'department_ref, user_ref' },
  categories: { where: 'tenant_id = ?', order: 'id' },
  indicators: { where: 'tenant_id = ?', order: 'id' },
  comments: { where: 'tenant_id = ?', order: 'id' },
  period_rules: { where: 'tenant_id = ?', order: 'id' },
  periods: { where: 'tenant_id = ?', order: 'id' },
  okrs: { where: 'tenant_id = ?', order: 'id' },
  objectives: { where: 'tenant_id = ?', order: 'id' },
  key_results: { where: 'tenant_id = ?', order: 'id' },
  alignments: { where: 'tenant_id = ?', order: 'id' },
  progress_records: { where: 'tenant_id = ?', order: 'id' },
  images: { where: 'tenant_id = ?', order: 'file_token' },
  reviews: { where: 'tenant_id = ?', order: 'id' },
};

/** Inserts `row` into `table`; the row's keys are the column names. */
export async function insertRow(
  tx: Tx,
  table: TenantTable | 'access_tokens' | 'server_secrets',
  row: object,
  ifAbsent?: { key: string },
): Promise<boolean> {
  const cols = Object.keys(row);
  // ON CONFLICT DO NOTHING: a row with the same key, also one a concurrent transaction is committing (PostgreSQL then
  // waits for it instead of failing), leaves this insert undone.
  const conflict = ifAbsent ? ` ON CONFLICT (${ifAbsent.key}) DO NOTHING` : '';
  const sql = `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})${conflict}`;
  return (await tx.run(sql, Object.values(row) as Param[])) === 1;
}

/** All rows of `table` that belong to the tenant, in a stable order. */
export async function tenantRows(tx: Tx, table: TenantTable, tenantId: string): Promise<Record<string, unknown>[]> {
  const f = TENANT_FILTER[table];
  return tx.all(`SELECT * FROM ${table} WHERE ${f.where} ORDER BY ${f.order}`, [tenantId]);
}
