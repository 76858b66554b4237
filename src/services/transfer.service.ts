/** A tenant as one JSON document: export, and import into a database that does not hold it yet. */
import { OkrdError, invalidParam } from '../errors.js';
import type { Db } from '../store/db.js';
import { TENANT_TABLES, insertRow, tenantRows, type TenantTable } from '../store/table.repository.js';
import { ensureIndicators } from '../store/indicator.repository.js';
import { findTenant } from '../store/tenant.repository.js';
import { writeTenant } from '../store/tenant-write.js';

/** The export format: every tenant table's rows, parents first, each in a stable order. */
export interface TenantDocument {
  format: 'okrd-tenant';
  version: 1;
  tables: Record<TenantTable, Record<string, unknown>[]>;
}

const COLUMN_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const SCALAR = (v: unknown) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** Exports and imports tenants. */
export class TransferService {
  constructor(private readonly db: Db) {}

  /** The whole tenant; issued tokens are not part of it. */
  async exportTenant(tenantId: string): Promise<TenantDocument> {
    return this.db.read(async (tx) => {
      if (!(await findTenant(tx, tenantId))) throw new OkrdError(1001004, `tenant not found: ${tenantId}`);
      const tables = {} as TenantDocument['tables'];
      for (const table of TENANT_TABLES) tables[table] = await tenantRows(tx, table, tenantId);
      return { format: 'okrd-tenant', version: 1, tables };
    });
  }

  /** Imports `doc` in one transaction: all of it or, on any error, none of it. Resolves to the tenant id. */
  async importTenant(doc: unknown): Promise<string> {
    const tables = checkDocument(doc);
    const tenantId = String(tables.tenants[0]!.id);
    await writeTenant(this.db, tenantId, async (tx) => {
      if (await findTenant(tx, tenantId)) throw invalidParam(`tenant ${tenantId} already exists in this database`);
      for (const table of TENANT_TABLES) {
        for (const row of tables[table]) await insertRow(tx, table, row);
      }
      await ensureIndicators(tx);
    });
    return tenantId;
  }
}

function checkDocument(doc: unknown): TenantDocument['tables'] {
  const d = doc as Partial<TenantDocument> | null;
  if (!d || d.format !== 'okrd-tenant' || d.version !== 1 || typeof d.tables !== 'object' || !d.tables) {
    throw invalidParam('document: not an okrd-tenant version 1 export');
  }
  for (const table of TENANT_TABLES) {
    // A document written before a table existed simply has none of its rows.
    d.tables[table] ??= [];
    const rows = d.tables[table];
    if (!Array.isArray(rows)) throw invalidParam(`document: tables.${table} must be a list`);
    for (const row of rows) {
      if (typeof row !== 'object' || row === null || Array.isArray(row))
        throw invalidParam(`document: a row of ${table} is not an object`);
      for (const [column, value] of Object.entries(row)) {
        // Column names become SQL identifiers: only plain lowercase names get that far.
        if (!COLUMN_NAME.test(column)) throw invalidParam(`document: ${table} has a bad column name`);
        if (!SCALAR(value)) throw invalidParam(`document: ${table}.${column} must be a string, number or null`);
      }
    }
  }
  if (d.tables.tenants.length !== 1) throw invalidParam('document: tables.tenants must hold exactly one tenant');
  // Every row must belong to the one tenant: an import never writes into another tenant.
  const tenantId = d.tables.tenants[0]!.id;
  const appIds = new Set(d.tables.apps.map((a) => a.app_id));
  // Documents written before app_users named its tenant leave it out.
  for (const row of d.tables.app_users) row.tenant_id ??= tenantId;
  for (const table of TENANT_TABLES) {
    if (table === 'tenants') continue;
    if (d.tables[table].some((row) => row.tenant_id !== tenantId))
      throw invalidParam(`document: ${table} holds rows of another tenant`);
  }
  if (d.tables.app_users.some((row) => !appIds.has(row.app_id)))
    throw invalidParam('document: app_users names an app not in the document');
  if (d.tables.app_redirect_uris.some((row) => !appIds.has(row.app_id)))
    throw invalidParam('document: app_redirect_uris names an app not in the document');
  checkReferences(d.tables);
  return d.tables;
}

// Every reference between rows, as (table, column, the tables it may point into). Foreign keys alone would accept a
// reference into another tenant's rows already in the database; here each must point inside the document.
const REFERENCES: [TenantTable, string, TenantTable[]][] = [
  ['users', 'leader_id', ['users']],
  ['app_users', 'user_ref', ['users']],
  ['passwords', 'user_ref', ['users']],
  ['departments', 'parent_id', ['departments']],
  ['departments', 'leader_id', ['users']],
  ['department_members', 'department_ref', ['departments']],
  ['department_members', 'user_ref', ['users']],
  ['periods', 'rule_id', ['period_rules']],
  ['okrs', 'owner_id', ['users']],
  ['okrs', 'period_id', ['periods']],
  ['okrs', 'department_id', ['departments']],
  ['objectives', 'okr_id', ['okrs']],
  ['objectives', 'category_id', ['categories']],
  ['indicators', 'entity_id', ['objectives', 'key_results']],
  ['key_results', 'objective_id', ['objectives']],
  ['key_results', 'okr_id', ['okrs']],
  ['alignments', 'from_objective_id', ['objectives']],
  ['alignments', 'to_objective_id', ['objectives']],
  ['progress_records', 'okr_id', ['okrs']],
  ['progress_records', 'target_id', ['objectives', 'key_results']],
  ['progress_records', 'created_by', ['users']],
  ['comments', 'okr_id', ['okrs']],
  ['comments', 'target_id', ['okrs', 'objectives', 'key_results', 'progress_records']],
  ['comments', 'ref_comment_id', ['comments']],
  ['comments', 'commentator_id', ['users']],
  ['comments', 'solver_id', ['users']],
  ['images', 'target_id', ['objectives', 'key_results']],
  ['images', 'created_by', ['users']],
  ['reviews', 'user_ref', ['users']],
  ['reviews', 'period_id', ['periods']],
];

function checkReferences(tables: TenantDocument['tables']): void {
  const ids = new Map(TENANT_TABLES.map((t) => [t, new Set(tables[t].map((row) => row.id))]));
  for (const [table, column, targets] of REFERENCES) {
    for (const row of tables[table]) {
      const ref = row[column];
      if (ref === null || ref === undefined) continue;
      if (!targets.some((t) => ids.get(t)!.has(ref))) {
        throw invalidParam(`document: ${table}.${column} ${String(ref)} points outside the document`);
      }
    }
  }
}
