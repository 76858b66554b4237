/** Departments and their members. The root department "0" is not stored: departments without a parent sit under it. */
import { inList, type Tx } from './db.js';
import type { DepartmentRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

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

/** The department's members: internal id and employee id, ordered by employee id. */
export async function membersOf(
  tx: Tx,
  tenantId: string,
  departmentRef: string,
): Promise<{ user_ref: string; employee_id: string }[]> {
  return tx.all(
    `SELECT m.user_ref, u.employee_id FROM department_members m JOIN users u ON u.id = m.user_ref
      WHERE m.tenant_id = ? AND m.department_ref = ? ORDER BY u.employee_id`,
    [tenantId, departmentRef],
  );
}

/** A department with the tenant's own ids of its parent (null under the root) and of its leader's user. */
export interface DepartmentWithNames extends DepartmentRow {
  parent_department_id: string | null;
  leader_employee_id: string | null;
}

/** The tenant's department whose own id is `departmentId`, with its parent's and leader's ids. */
export async function findDepartmentWithNames(
  tx: Tx,
  tenantId: string,
  departmentId: string,
): Promise<DepartmentWithNames | undefined> {
  return tx.get(
    `SELECT d.*, p.department_id AS parent_department_id, u.employee_id AS leader_employee_id
       FROM departments d
       LEFT JOIN departments p ON p.id = d.parent_id
       LEFT JOIN users u ON u.id = d.leader_id
      WHERE d.tenant_id = ? AND d.department_id = ?`,
    [tenantId, departmentId],
  );
}

/** The internal ids of the department `ref` and of every department above it, nearest first (it, its parent, …). */
export async function selfAndAncestorRefs(tx: Tx, tenantId: string, ref: string): Promise<string[]> {
  // depth bounds the walk should an import ever have stored a loop.
  const rows = await tx.all<{ id: string }>(
    `WITH RECURSIVE up (id, parent_id, depth) AS (
       SELECT id, parent_id, 0 FROM departments WHERE tenant_id = ? AND id = ?
       UNION ALL
       SELECT d.id, d.parent_id, up.depth + 1 FROM up JOIN departments d ON d.id = up.parent_id
        WHERE d.tenant_id = ? AND up.depth < 1000
     )
     SELECT id FROM up ORDER BY depth`,
    [tenantId, ref, tenantId],
  );
  return rows.map((r) => r.id);
}

/** Stores a new department. */
export async function insertDepartment(tx: TenantTx, row: DepartmentRow): Promise<void> {
  if (row.tenant_id !== tx.tenantId) throw new Error(`department of tenant ${row.tenant_id} in ${tx.tenantId}`);
  await tx.run(
    `INSERT INTO departments (id, tenant_id, department_id, open_department_id, name_zh, name_en, parent_id, leader_id,
       created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.id,
      tx.tenantId,
      row.department_id,
      row.open_department_id,
      row.name_zh,
      row.name_en,
      row.parent_id,
      row.leader_id,
      row.created_at,
      row.updated_at,
    ],
  );
}

/** What `updateDepartmentRow` may change. */
export type DepartmentChanges = Partial<Pick<DepartmentRow, 'name_zh' | 'name_en' | 'parent_id' | 'leader_id'>>;

/** Changes the department `ref` of the transaction's tenant; `updatedAt` is its new updated_at. */
export async function updateDepartmentRow(
  tx: TenantTx,
  ref: string,
  changes: DepartmentChanges,
  updatedAt: number,
): Promise<void> {
  const columns = (['name_zh', 'name_en', 'parent_id', 'leader_id'] as const).filter((c) => changes[c] !== undefined);
  await tx.run(
    `UPDATE departments SET ${[...columns, 'updated_at'].map((c) => `${c} = ?`).join(', ')}
      WHERE id = ? AND tenant_id = ?`,
    [...columns.map((c) => changes[c]!), updatedAt, ref, tx.tenantId],
  );
}

/** Makes `userRef` a member of the department `departmentRef`. */
export async function insertDepartmentMember(
  tx: TenantTx,
  departmentRef: string,
  userRef: string,
  createdAt: number,
): Promise<void> {
  await tx.run('INSERT INTO department_members (tenant_id, department_ref, user_ref, created_at) VALUES (?, ?, ?, ?)', [
    tx.tenantId,
    departmentRef,
    userRef,
    createdAt,
  ]);
}

/** Ends the membership of `userRef` in the department; resolves to the number of rows removed (0 or 1). */
export async function deleteDepartmentMember(tx: TenantTx, departmentRef: string, userRef: string): Promise<number> {
  return tx.run('DELETE FROM department_members WHERE tenant_id = ? AND department_ref = ? AND user_ref = ?', [
    tx.tenantId,
    departmentRef,
    userRef,
  ]);
}
