/** Categories of objectives (spec §4.2): per tenant, for personal or team OKRs. */
import type { Tx } from './db.js';
import type { CategoryRow } from './rows.js';
import { insertRow } from './table.repository.js';
import type { TenantTx } from './tenant-write.js';

/** Where a page of categories starts: after this (created_at, id), oldest first. */
export interface CategoryCursor {
  created_at: number;
  id: string;
}

/** Up to `limit` of the tenant's categories (only those of `type` when given), oldest first, after `cursor`. */
export async function listCategories(
  tx: Tx,
  tenantId: string,
  type: CategoryRow['category_type'] | undefined,
  cursor: CategoryCursor | undefined,
  limit: number,
): Promise<CategoryRow[]> {
  const where = ['tenant_id = ?'];
  const params: (string | number)[] = [tenantId];
  if (type) {
    where.push('category_type = ?');
    params.push(type);
  }
  if (cursor) {
    where.push('(created_at > ? OR (created_at = ? AND id > ?))');
    params.push(cursor.created_at, cursor.created_at, cursor.id);
  }
  return tx.all(`SELECT * FROM categories WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ?`, [
    ...params,
    limit,
  ]);
}

/** Stores a new category. */
export async function insertCategory(tx: TenantTx, row: CategoryRow): Promise<void> {
  await insertRow(tx, 'categories', row);
}
