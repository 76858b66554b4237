/**
 * The one way to change a tenant's data: a write transaction bound to the tenant.
 *
 * - Every mutating statement must bind the tenant's id (`tenant_id = ?`, or the tenant row's own `id`), so a lookup
 *   that forgot its tenant cannot change another tenant's row: such a statement throws before it runs.
 * - A transaction that changed a table whose rows OKR reads show bumps the tenant's `data_version` before it commits,
 *   so per-process render caches keyed by that version never serve what the write replaced. Nobody has to remember it.
 */
import type { Db, Param, Tx } from './db.js';

/** A write transaction bound to one tenant. */
export interface TenantTx extends Tx {
  readonly tenantId: string;
}

/** Tables whose rows appear in OKR reads (v1 renderings, v2 objects): changing one invalidates cached renderings. */
export const OKR_VISIBLE_TABLES: ReadonlySet<string> = new Set([
  'users',
  'app_users',
  'departments',
  'department_members',
  'periods',
  'okrs',
  'objectives',
  'key_results',
  'alignments',
  'progress_records',
  'indicators',
  'categories',
  'comments',
]);

/** Tables that belong to no tenant (server-wide); statements on them need not name one. */
export const GLOBAL_TABLES: ReadonlySet<string> = new Set([
  'rate_limit_counters',
  'server_secrets',
  'schema_migrations',
  'sign_in_throttle',
]);

// The hand-written statements of store/ start with the verb and name the table right after it.
const MUTATION = /^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)/i;

/** The table a mutating statement changes, or undefined for a read. */
export function mutatedTable(sql: string): string | undefined {
  return MUTATION.exec(sql)?.[1]?.toLowerCase();
}

/** The statement that marks the tenant's OKR data as changed. */
export const BUMP_DATA_VERSION = 'UPDATE tenants SET data_version = data_version + 1 WHERE id = ?';

/** Runs `fn` in a write transaction bound to `tenantId`; see the module comment for what that guarantees. */
export function writeTenant<T>(db: Db, tenantId: string, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return db.write(async (raw) => {
    let okrDataChanged = false;
    // Nothing can have been rendered of a tenant this transaction creates: it needs no bump (and an import keeps the
    // data_version its document holds).
    let createdTenant = false;
    const guard = (sql: string, params: readonly Param[]): string | undefined => {
      const table = mutatedTable(sql);
      if (table === undefined) return undefined;
      // The tenant row is its own tenant (its id is bound); every other table names tenant_id.
      const named = table === 'tenants' || /\btenant_id\b/i.test(sql);
      if (!named || !params.includes(tenantId)) {
        throw new Error(`unscoped write to ${table}: the statement must bind tenant ${tenantId}`);
      }
      return table;
    };
    const counted = (sql: string, table: string | undefined, changes: number) => {
      if (table === undefined || changes === 0) return;
      if (OKR_VISIBLE_TABLES.has(table)) okrDataChanged = true;
      else if (table === 'tenants' && /^\s*INSERT/i.test(sql)) createdTenant = true;
    };
    const tx: TenantTx = {
      dialect: raw.dialect,
      tenantId,
      all: async <R>(sql: string, params: readonly Param[] = []) => {
        const table = guard(sql, params);
        const rows = await raw.all<R>(sql, params);
        counted(sql, table, rows.length);
        return rows;
      },
      get: async <R>(sql: string, params: readonly Param[] = []) => {
        const table = guard(sql, params);
        const row = await raw.get<R>(sql, params);
        counted(sql, table, row === undefined ? 0 : 1);
        return row;
      },
      run: async (sql: string, params: readonly Param[] = []) => {
        const table = guard(sql, params);
        const changes = await raw.run(sql, params);
        counted(sql, table, changes);
        return changes;
      },
      exec: async () => {
        throw new Error('exec runs unscoped scripts: not inside a tenant transaction');
      },
    };
    const copy = raw.copyRows?.bind(raw);
    if (copy) {
      // COPY has no statement to inspect: the same rule is checked on the rows, each of which must bind the tenant.
      tx.copyRows = async (table, columns, rows) => {
        const at = columns.indexOf(table === 'tenants' ? 'id' : 'tenant_id');
        if (at === -1 || rows.some((row) => row[at] !== tenantId))
          throw new Error(`unscoped write to ${table}: every row must bind tenant ${tenantId}`);
        const loaded = await copy(table, columns, rows);
        counted(`INSERT INTO ${table}`, table, loaded);
        return loaded;
      };
    }
    const value = await fn(tx);
    if (okrDataChanged && !createdTenant) await raw.run(BUMP_DATA_VERSION, [tenantId]);
    return value;
  });
}
