/**
 * Bulk loading of generated tenants (src/demo/generator.ts): many rows of one table per call, inside a tenant write
 * transaction, with one statement shape per table whatever the number of rows.
 *
 * - SQLite: one prepared single-row INSERT run in a loop. better-sqlite3 binds and steps a prepared statement in a
 *   few microseconds, mostly binding the values, so a multi-row VALUES measured no faster (docs/benchmarks.md).
 * - PostgreSQL: `COPY … FROM STDIN` (store/postgres-copy.driver.ts), about twice as fast as the JSON parameter
 *   spread by `json_populate_recordset` it replaced, and streamed, so Node encodes while the server stores.
 */
import type { Db, Param } from './db.js';
import type { TenantTable } from './table.repository.js';
import type { TenantTx } from './tenant-write.js';

/**
 * Readies a tenant write transaction for bulk loading. On PostgreSQL, when the role may (a superuser), foreign-key
 * triggers are skipped for this transaction only (`session_replication_role = replica`): each of them looked up and
 * locked the parent row of every loaded row, half the load time, and the generator's rows reference only rows it
 * wrote before (its test checks every reference). Any other role keeps the triggers. Indexes, unique and check
 * constraints stay on. SQLite's foreign-key checks cost nothing measurable here and cannot be switched inside a
 * transaction: they stay on.
 */
export async function beginBulkLoad(tx: TenantTx): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  const role = await tx.get<{ superuser: string }>(`SELECT current_setting('is_superuser') AS superuser`);
  if (role?.superuser === 'on') await tx.run('SET LOCAL session_replication_role = replica');
}

/**
 * Inserts `rows` (all of the transaction's tenant, all with the same keys: the column names) into `table`. Throws when
 * a row was not inserted, and before writing anything when a row names another tenant (the tenant write guard).
 */
export async function insertRows(tx: TenantTx, table: TenantTable, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  if (tx.dialect === 'sqlite') {
    // A plain single-row VALUES: SQLite then knows the statement writes one row and keeps no statement journal (an
    // INSERT ... SELECT writes one to a temporary file for every row). The tenant write guard still checks that each
    // row binds the transaction's tenant.
    const sql = `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    for (const row of rows) await tx.run(sql, Object.values(row) as Param[]);
    return;
  }
  const loaded = await tx.copyRows!(
    table,
    cols,
    rows.map((row) => Object.values(row) as Param[]),
  );
  if (loaded !== rows.length) throw new Error(`bulk load: ${rows.length - loaded} rows of ${table} not inserted`);
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
