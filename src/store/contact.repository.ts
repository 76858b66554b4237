/**
 * The reads behind the contact look-ups (spec §9.3): people by email, mobile or search text, a department's direct
 * members and children, department memberships and member counts — each for a whole answer in one query.
 */
import { inList, type Tx } from './db.js';
import type { DepartmentRow } from './rows.js';
import type { AppUserView } from './user.repository.js';

/** The tenant's users whose email, compared in lower case, is one of `lowerEmails`, as app `appId` sees them. */
export async function findUsersByEmails(
  tx: Tx,
  tenantId: string,
  appId: string,
  lowerEmails: readonly string[],
): Promise<AppUserView[]> {
  if (lowerEmails.length === 0) return [];
  return tx.all(
    `SELECT u.*, au.open_id FROM users u JOIN app_users au ON au.user_ref = u.id AND au.app_id = ?
      WHERE u.tenant_id = ? AND LOWER(u.email) IN (${inList(lowerEmails.length)}) ORDER BY u.id`,
    [appId, tenantId, ...lowerEmails],
  );
}

/** The tenant's users whose mobile is one of `mobiles` (exactly as stored), as app `appId` sees them. */
export async function findUsersByMobiles(
  tx: Tx,
  tenantId: string,
  appId: string,
  mobiles: readonly string[],
): Promise<AppUserView[]> {
  if (mobiles.length === 0) return [];
  return tx.all(
    `SELECT u.*, au.open_id FROM users u JOIN app_users au ON au.user_ref = u.id AND au.app_id = ?
      WHERE u.tenant_id = ? AND u.mobile IN (${inList(mobiles.length)}) ORDER BY u.id`,
    [appId, tenantId, ...mobiles],
  );
}

/** A department membership with both wire ids of the department. */
export interface MembershipRow {
  user_ref: string;
  department_id: string;
  open_department_id: string;
}

/** The departments each of `userRefs` is a direct member of, ordered by user and department. */
export async function membershipsOf(tx: Tx, tenantId: string, userRefs: readonly string[]): Promise<MembershipRow[]> {
  if (userRefs.length === 0) return [];
  return tx.all(
    `SELECT m.user_ref, d.department_id, d.open_department_id
       FROM department_members m JOIN departments d ON d.id = m.department_ref
      WHERE m.tenant_id = ? AND m.user_ref IN (${inList(userRefs.length)})
      ORDER BY m.user_ref, d.id`,
    [tenantId, ...userRefs],
  );
}

/**
 * Up to `limit` active people who are direct members of the department `departmentRef` (null: the root, i.e. people
 * in no department), ordered by internal id, after `afterId`.
 */
export async function activeMembersPage(
  tx: Tx,
  tenantId: string,
  appId: string,
  departmentRef: string | null,
  afterId: string | undefined,
  limit: number,
): Promise<AppUserView[]> {
  const membership =
    departmentRef === null
      ? 'NOT EXISTS (SELECT 1 FROM department_members m WHERE m.user_ref = u.id AND m.tenant_id = ?)'
      : 'EXISTS (SELECT 1 FROM department_members m WHERE m.user_ref = u.id AND m.tenant_id = ? AND m.department_ref = ?)';
  return tx.all(
    `SELECT u.*, au.open_id FROM users u JOIN app_users au ON au.user_ref = u.id AND au.app_id = ?
      WHERE u.tenant_id = ? AND u.active = 1 AND ${membership} ${afterId === undefined ? '' : 'AND u.id > ?'}
      ORDER BY u.id LIMIT ?`,
    [
      appId,
      tenantId,
      tenantId,
      ...(departmentRef === null ? [] : [departmentRef]),
      ...(afterId === undefined ? [] : [afterId]),
      limit,
    ],
  );
}

/** `text` as a LIKE pattern matching it anywhere, its wildcards and the escape character taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Up to `limit` active people whose Chinese or English name, email or (with `byEmployeeId`) employee id contains
 * `lowerText` (compared in lower case; LIKE wildcards in it are literal), ordered by internal id, after `afterId`.
 */
export async function searchActiveUsers(
  tx: Tx,
  tenantId: string,
  appId: string,
  lowerText: string,
  byEmployeeId: boolean,
  afterId: string | undefined,
  limit: number,
): Promise<AppUserView[]> {
  const pattern = containsPattern(lowerText);
  const columns = ['u.name_zh', 'u.name_en', 'u.email', ...(byEmployeeId ? ['u.employee_id'] : [])];
  return tx.all(
    `SELECT u.*, au.open_id FROM users u JOIN app_users au ON au.user_ref = u.id AND au.app_id = ?
      WHERE u.tenant_id = ? AND u.active = 1
        AND (${columns.map((c) => `LOWER(${c}) LIKE ? ESCAPE '\\'`).join(' OR ')})
        ${afterId === undefined ? '' : 'AND u.id > ?'}
      ORDER BY u.id LIMIT ?`,
    [appId, tenantId, ...columns.map(() => pattern), ...(afterId === undefined ? [] : [afterId]), limit],
  );
}

/** A department with both wire ids of its parent (null under the root). */
export interface DepartmentWithParent extends DepartmentRow {
  parent_department_id: string | null;
  parent_open_department_id: string | null;
}

/**
 * Up to `limit` departments below `parentRef` (null: the root) ordered by internal id, after `afterId`: its direct
 * children, or with `subtree` every department below it at any depth.
 */
export async function departmentsBelow(
  tx: Tx,
  tenantId: string,
  parentRef: string | null,
  subtree: boolean,
  afterId: string | undefined,
  limit: number,
): Promise<DepartmentWithParent[]> {
  const after = afterId === undefined ? '' : 'AND d.id > ?';
  const afterParams = afterId === undefined ? [] : [afterId];
  const select = `SELECT d.*, p.department_id AS parent_department_id, p.open_department_id AS parent_open_department_id
                    FROM departments d LEFT JOIN departments p ON p.id = d.parent_id`;
  if (!subtree || parentRef === null) {
    // Every department of the tenant lies below the root.
    const parent = subtree ? '' : parentRef === null ? 'AND d.parent_id IS NULL' : 'AND d.parent_id = ?';
    return tx.all(`${select} WHERE d.tenant_id = ? ${parent} ${after} ORDER BY d.id LIMIT ?`, [
      tenantId,
      ...(subtree || parentRef === null ? [] : [parentRef]),
      ...afterParams,
      limit,
    ]);
  }
  // depth bounds the walk should an import ever have stored a loop.
  return tx.all(
    `WITH RECURSIVE below (id, depth) AS (
       SELECT id, 1 FROM departments WHERE tenant_id = ? AND parent_id = ?
       UNION
       SELECT d.id, below.depth + 1 FROM below JOIN departments d ON d.parent_id = below.id
        WHERE d.tenant_id = ? AND below.depth < 1000
     )
     ${select} WHERE d.tenant_id = ? AND d.id IN (SELECT id FROM below) ${after} ORDER BY d.id LIMIT ?`,
    [tenantId, parentRef, tenantId, tenantId, ...afterParams, limit],
  );
}

/**
 * The number of active people in each department of `refs` or any department below it, the departments' leaders
 * included (Feishu's `member_count`); departments without anyone are absent.
 */
export async function memberCounts(tx: Tx, tenantId: string, refs: readonly string[]): Promise<Map<string, number>> {
  if (refs.length === 0) return new Map();
  const rows = await tx.all<{ root: string; n: number }>(
    `WITH RECURSIVE below (root, id, depth) AS (
       SELECT id, id, 0 FROM departments WHERE tenant_id = ? AND id IN (${inList(refs.length)})
       UNION
       SELECT below.root, d.id, below.depth + 1 FROM below JOIN departments d ON d.parent_id = below.id
        WHERE d.tenant_id = ? AND below.depth < 1000
     ),
     people (root, user_ref) AS (
       SELECT below.root, m.user_ref FROM below JOIN department_members m ON m.department_ref = below.id
        WHERE m.tenant_id = ?
       UNION
       SELECT below.root, d.leader_id FROM below JOIN departments d ON d.id = below.id WHERE d.leader_id IS NOT NULL
     )
     SELECT p.root, COUNT(*) AS n FROM people p JOIN users u ON u.id = p.user_ref
      WHERE u.active = 1 GROUP BY p.root`,
    [tenantId, ...refs, tenantId, tenantId],
  );
  return new Map(rows.map((r) => [r.root, Number(r.n)]));
}
