/**
 * Bulk loading of generated tenants (src/demo/generator.ts): many rows of one table per call, inside a tenant write
 * transaction, with one statement shape per table whatever the number of rows.
 *
 * - SQLite: one prepared single-row INSERT run in a loop. better-sqlite3 binds and steps a prepared statement in a
 *   couple of microseconds, so the loop costs about what a multi-row VALUES would, without a shape per row count.
 * - PostgreSQL: the whole chunk travels as one JSON parameter, spread back into rows by `json_populate_recordset`:
 *   one round trip per chunk instead of per row, and one server-side prepared statement per table.
 */
import type { Db } from './db.js';
import type { TenantTable } from './table.repository.js';
import type { TenantTx } from './tenant-write.js';

/** Rows per PostgreSQL statement: a few MB of JSON, well under any message limit, few round trips. */
export const PG_CHUNK_ROWS = 5_000;

/**
 * Inserts `rows` (all of the transaction's tenant, all with the same keys: the column names) into `table`. Throws when
 * a row was not inserted (a row of another tenant is never written).
 */
export async function insertRows(tx: TenantTx, table: TenantTable, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  if (tx.dialect === 'sqlite') {
    // A plain single-row VALUES: SQLite then knows the statement writes one row and keeps no statement journal (an
    // INSERT ... SELECT writes one to a temporary file for every row). The tenant write guard still checks that each
    // row binds the transaction's tenant.
    const sql = `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    for (const row of rows) await tx.run(sql, Object.values(row) as (string | number | null)[]);
    return;
  }
  // The tenant row is its own tenant; every other table names tenant_id. The WHERE binds the transaction's tenant
  // (the write guard wants it) and keeps any row of another tenant out, which the count check then reports.
  const tenantColumn = table === 'tenants' ? 'id' : 'tenant_id';
  const sql = `INSERT INTO ${table} (${cols.join(', ')})
    SELECT ${cols.join(', ')} FROM json_populate_recordset(NULL::${table}, ?) WHERE ${tenantColumn} = ?`;
  for (let i = 0; i < rows.length; i += PG_CHUNK_ROWS) {
    const chunk = rows.slice(i, i + PG_CHUNK_ROWS);
    const inserted = await tx.run(sql, [JSON.stringify(chunk), tx.tenantId]);
    if (inserted !== chunk.length)
      throw new Error(`bulk load: ${chunk.length - inserted} rows of ${table} not inserted`);
  }
}

/**
 * Refreshes PostgreSQL's planner statistics after a bulk load, so the first queries on a new million-row tenant are
 * planned with its real sizes instead of waiting for autovacuum. SQLite is left alone on purpose: with STAT4 tables,
 * better-sqlite3 re-prepares statements on every new binding (docs/benchmarks.md).
 */
export async function analyzeAfterBulkLoad(db: Db): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await db.write((tx) => tx.exec('ANALYZE'));
}
