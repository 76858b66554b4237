/** Indicators: one per objective and key result (decisions.md OQ-31). */
import type { Tx } from './db.js';
import type { IndicatorRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

/**
 * Gives every objective and key result of the tenant that has no indicator one with the defaults, its id being the
 * entity's (as migration 0009 did): documents exported before indicators existed import complete.
 */
export async function ensureIndicators(tx: TenantTx): Promise<void> {
  for (const [type, table] of [
    [2, 'objectives'],
    [3, 'key_results'],
  ] as const) {
    await tx.run(
      `INSERT INTO indicators (id, tenant_id, entity_type, entity_id, created_at, updated_at)
       SELECT e.id, e.tenant_id, ${type}, e.id, e.created_at, e.created_at FROM ${table} e
        WHERE e.tenant_id = ? AND NOT EXISTS (SELECT 1 FROM indicators i WHERE i.entity_type = ${type} AND i.entity_id = e.id)`,
      [tx.tenantId],
    );
  }
}

/** A new indicator row with the defaults every objective and key result starts with (manual, no values, NONE). */
export function defaultIndicator(
  id: string,
  tenantId: string,
  entityType: 2 | 3,
  entityId: string,
  now: number,
): IndicatorRow {
  return {
    id,
    tenant_id: tenantId,
    entity_type: entityType,
    entity_id: entityId,
    indicator_status: -1,
    status_calculate_type: 0,
    start_value: null,
    target_value: null,
    current_value: null,
    current_value_calculate_type: 0,
    unit_type: 0,
    unit_value: 'NONE',
    created_at: now,
    updated_at: now,
  };
}

/** The tenant's indicator `id`. */
export async function findIndicator(tx: Tx, tenantId: string, id: string): Promise<IndicatorRow | undefined> {
  return tx.get('SELECT * FROM indicators WHERE id = ? AND tenant_id = ?', [id, tenantId]);
}

/** The indicator of the tenant's objective (2) or key result (3) `entityId`. */
export async function indicatorOf(
  tx: Tx,
  tenantId: string,
  entityType: 2 | 3,
  entityId: string,
): Promise<IndicatorRow | undefined> {
  return tx.get('SELECT * FROM indicators WHERE entity_type = ? AND entity_id = ? AND tenant_id = ?', [
    entityType,
    entityId,
    tenantId,
  ]);
}

/** A key result with what its objective's computed indicator needs, and its own indicator (null if it has none). */
export interface KeyResultIndicatorRow {
  key_result_id: string;
  progress_percent: number;
  weight_milli: number;
  deadline: number;
  indicator_status: number | null;
  status_calculate_type: number | null;
  start_value: number | null;
  target_value: number | null;
  current_value: number | null;
  current_value_calculate_type: number | null;
}

/** Every key result of the tenant's objective `objectiveId` with its indicator, in position order (one query). */
export async function keyResultIndicators(
  tx: Tx,
  tenantId: string,
  objectiveId: string,
): Promise<KeyResultIndicatorRow[]> {
  return tx.all(
    `SELECT k.id AS key_result_id, k.progress_percent, k.weight_milli, k.deadline,
            i.indicator_status, i.status_calculate_type, i.start_value, i.target_value, i.current_value,
            i.current_value_calculate_type
       FROM key_results k LEFT JOIN indicators i ON i.entity_type = 3 AND i.entity_id = k.id
      WHERE k.objective_id = ? AND k.tenant_id = ?
      ORDER BY k.position, k.id`,
    [objectiveId, tenantId],
  );
}

/** What a PATCH may change of an indicator. */
export type IndicatorChanges = Partial<
  Pick<
    IndicatorRow,
    | 'indicator_status'
    | 'status_calculate_type'
    | 'start_value'
    | 'target_value'
    | 'current_value'
    | 'current_value_calculate_type'
    | 'unit_type'
    | 'unit_value'
  >
>;

const CHANGEABLE: readonly (keyof IndicatorChanges)[] = [
  'indicator_status',
  'status_calculate_type',
  'start_value',
  'target_value',
  'current_value',
  'current_value_calculate_type',
  'unit_type',
  'unit_value',
];

/** Sets the given columns of indicator `id` and stamps `updated_at`. */
export async function updateIndicator(tx: TenantTx, id: string, changes: IndicatorChanges, now: number): Promise<void> {
  const columns = CHANGEABLE.filter((c) => changes[c] !== undefined);
  await tx.run(
    `UPDATE indicators SET ${[...columns.map((c) => `${c} = ?`), 'updated_at = ?'].join(', ')}
      WHERE id = ? AND tenant_id = ?`,
    [...columns.map((c) => changes[c]!), now, id, tx.tenantId],
  );
}
