/** Indicators: one per objective and key result (decisions.md OQ-31). */
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
