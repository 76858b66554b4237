/** Key results under their objective, as v2 lists and changes them (lookups by id: objective.repository.ts). */
import type { Tx } from './db.js';
import type { KeyResultRow } from './rows.js';

/** Every key result of the objective, in position order. */
export async function keyResultsOfObjective(tx: Tx, tenantId: string, objectiveId: string): Promise<KeyResultRow[]> {
  return tx.all('SELECT * FROM key_results WHERE objective_id = ? AND tenant_id = ? ORDER BY position, id', [
    objectiveId,
    tenantId,
  ]);
}

/** The ids of the objective's key results. */
export async function keyResultIdsOf(tx: Tx, tenantId: string, objectiveId: string): Promise<string[]> {
  const rows = await tx.all<{ id: string }>('SELECT id FROM key_results WHERE objective_id = ? AND tenant_id = ?', [
    objectiveId,
    tenantId,
  ]);
  return rows.map((r) => r.id);
}
