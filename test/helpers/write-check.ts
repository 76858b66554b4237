/**
 * A Db wrapper every test app runs on: counts statements, and fails any write transaction that breaks the rules
 * of store/tenant-write.ts, whatever code ran it (a service, the CLI, a future endpoint that bypassed the seam):
 * - a mutating statement on a tenant table that does not name `tenant_id` (or a tenant row that does not bind its id);
 * - a change to an OKR-visible table without the tenant's data_version bump after it in the same transaction.
 * The failing transaction throws (so the request answers 1009999 and rolls back) and the violation is recorded, so
 * a test that expected an error status still fails when the app closes.
 */
import type { Db, Param, Tx } from '../../src/store/db.js';
import { BUMP_DATA_VERSION, GLOBAL_TABLES, OKR_VISIBLE_TABLES, mutatedTable } from '../../src/store/tenant-write.js';

/** What the checker saw: statement count (resettable) and every broken rule. */
export interface WriteCheck {
  count: number;
  violations: string[];
}

/** `db` with every statement counted and every write transaction checked. */
export function checkedDb(db: Db, check: WriteCheck): Db {
  const wrap = (tx: Tx, log?: { sql: string; params: readonly Param[]; changes: number }[]): Tx => {
    const record = (sql: string, params: readonly Param[], changes: number) => {
      if (log && mutatedTable(sql) !== undefined) log.push({ sql, params, changes });
    };
    return {
      dialect: tx.dialect,
      all: async (sql, params = []) => {
        check.count++;
        const rows = await tx.all(sql, params);
        record(sql, params, rows.length);
        return rows as never;
      },
      get: async (sql, params = []) => {
        check.count++;
        const row = await tx.get(sql, params);
        record(sql, params, row === undefined ? 0 : 1);
        return row as never;
      },
      run: async (sql, params = []) => {
        check.count++;
        const changes = await tx.run(sql, params);
        record(sql, params, changes);
        return changes;
      },
      exec: (sql) => tx.exec(sql),
      ...(tx.copyRows && {
        copyRows: async (table: string, columns: readonly string[], rows: readonly (readonly Param[])[]) => {
          check.count++;
          const loaded = await tx.copyRows!(table, columns, rows);
          // Checked as the INSERT it stands for, which names its columns (tenant_id among them).
          record(`INSERT INTO ${table} (${columns.join(', ')})`, [], loaded);
          return loaded;
        },
      }),
    };
  };
  const verify = (log: { sql: string; params: readonly Param[]; changes: number }[]) => {
    let pendingBump: string | undefined;
    let createdTenant = false;
    for (const { sql, changes } of log) {
      const table = mutatedTable(sql)!;
      if (table === 'tenants' && /^\s*INSERT/i.test(sql)) createdTenant = true;
      if (sql.trim() === BUMP_DATA_VERSION) {
        pendingBump = undefined;
        continue;
      }
      if (GLOBAL_TABLES.has(table)) continue;
      if (table !== 'tenants' && !/\btenant_id\b/i.test(sql)) {
        return `statement does not name its tenant: ${sql.replace(/\s+/g, ' ').trim()}`;
      }
      if (changes > 0 && OKR_VISIBLE_TABLES.has(table)) pendingBump = table;
    }
    // A tenant created in this transaction has nothing cached to go stale (see store/tenant-write.ts).
    return pendingBump === undefined || createdTenant
      ? undefined
      : `write to ${pendingBump} without bumping the tenant's data_version (render caches would go stale)`;
  };
  return {
    dialect: db.dialect,
    read: (fn, options) => db.read((tx) => fn(wrap(tx)), options),
    write: (fn) =>
      db.write(async (tx) => {
        const log: { sql: string; params: readonly Param[]; changes: number }[] = [];
        const value = await fn(wrap(tx, log));
        const violation = verify(log);
        if (violation) {
          check.violations.push(violation);
          throw new Error(`write check: ${violation}`);
        }
        return value;
      }),
    withForeignKeysOff: (fn) => db.withForeignKeysOff(fn),
    close: () => db.close(),
  };
}
