/**
 * Who may read and change a cycle and everything in it (decisions.md OQ-29, OQ-34): reads follow v1 visibility;
 * a user token changes only its own cycles, and a department leader the department's; a tenant token changes any.
 */
import { noPermission } from '../errors.js';
import type { Tx } from '../store/db.js';
import { departmentsLedBy } from '../store/department.repository.js';
import type { Caller } from './auth.service.js';
import { unreadable } from './visibility.js';

/** What the checks need of a cycle. */
export interface CycleOwnership {
  id: string;
  owner_id: string | null;
  department_id: string | null;
  visibility: 'tenant' | 'leaders';
}

/** Throws 1001002 unless the caller may read the cycle. */
export async function requireCycleReadable(tx: Tx, caller: Caller, cycle: CycleOwnership): Promise<void> {
  // A team cycle is visible to the whole tenant; a person's follows their visibility.
  if (cycle.owner_id === null) return;
  const hidden = await unreadable(tx, caller, [
    { id: cycle.id, owner_id: cycle.owner_id, visibility: cycle.visibility },
  ]);
  if (hidden.size > 0) throw noPermission('no permission to read this OKR');
}

/** Throws 1001002 unless the caller may change the cycle. */
export async function requireCycleWritable(tx: Tx, caller: Caller, cycle: CycleOwnership): Promise<void> {
  if (caller.kind !== 'user') return;
  if (cycle.owner_id !== null && cycle.owner_id === caller.userRef) return;
  if (cycle.department_id !== null && caller.userRef) {
    const led = await departmentsLedBy(tx, caller.tenantId, caller.userRef);
    if (led.some((d) => d.id === cycle.department_id)) return;
  }
  throw noPermission('no permission to change this OKR');
}
