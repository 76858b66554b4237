/** Departments and their members. The root department "0" is not stored: departments without a parent sit under it. */
import { inList, type Tx } from './db.js';
import type { DepartmentRow } from './rows.js';

/** How a request names departments (`department_id_type`). */
export type DepartmentIdType = 'department_id' | 'open_department_id';

const COLUMN: Record<DepartmentIdType, string> = {
  department_id: 'department_id',
  open_department_id: 'open_department_id',
};

/** The tenant's departments whose id of type `type` is in `ids`. */
export async function findDepartmentsByWireIds(
  tx: Tx,
  tenantId: string,
  type: DepartmentIdType,
  ids: readonly string[],
): Promise<DepartmentRow[]> {
  if (ids.length === 0) return [];
  return tx.all(`SELECT * FROM departments WHERE tenant_id = ? AND ${COLUMN[type]} IN (${inList(ids.length)})`, [
    tenantId,
    ...ids,
  ]);
}

/** The tenant's departments with internal ids `refs`. */
export async function findDepartmentsByRefs(
  tx: Tx,
  tenantId: string,
  refs: readonly string[],
): Promise<DepartmentRow[]> {
  if (refs.length === 0) return [];
  return tx.all(`SELECT * FROM departments WHERE tenant_id = ? AND id IN (${inList(refs.length)})`, [
    tenantId,
    ...refs,
  ]);
}

/** The departments the user leads. */
export async function departmentsLedBy(tx: Tx, tenantId: string, userRef: string): Promise<DepartmentRow[]> {
  return tx.all('SELECT * FROM departments WHERE tenant_id = ? AND leader_id = ? ORDER BY id', [tenantId, userRef]);
}
