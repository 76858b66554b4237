/** Tenant administration SQL: tenant settings, people, apps, reviews and the purge of expired credentials. */
import { inList, type Tx } from './db.js';
import type { AppRow, DepartmentRow, PeriodRow, ReviewRow, TenantRow, UserRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

/** Tenant columns an administrator may change. */
export type TenantChanges = Partial<
  Pick<
    TenantRow,
    | 'name'
    | 'utc_offset_minutes'
    | 'password_sign_in'
    | 'oidc_issuer'
    | 'oidc_client_id'
    | 'oidc_client_secret'
    | 'oidc_create_users'
  >
>;

/** Writes `changes` to the transaction's tenant row. */
export async function updateTenantRow(tx: TenantTx, changes: TenantChanges): Promise<void> {
  const cols = Object.keys(changes);
  if (cols.length === 0) return;
  await tx.run(`UPDATE tenants SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [
    ...(Object.values(changes) as (string | number | null)[]),
    tx.tenantId,
  ]);
}

/** User columns an administrator may change. */
export type UserChanges = Partial<
  Pick<UserRow, 'name_zh' | 'name_en' | 'email' | 'mobile' | 'leader_id' | 'active' | 'is_admin'>
>;

/** Writes `changes` to the tenant's user `ref`. */
export async function updateUserRow(tx: TenantTx, ref: string, changes: UserChanges): Promise<void> {
  const cols = Object.keys(changes);
  if (cols.length === 0) return;
  await tx.run(`UPDATE users SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND tenant_id = ?`, [
    ...(Object.values(changes) as (string | number | null)[]),
    ref,
    tx.tenantId,
  ]);
}

/** The tenant's user with this email (compared as stored: emails are stored lower-case). */
export async function findUserByEmail(tx: Tx, tenantId: string, email: string): Promise<UserRow | undefined> {
  return tx.get('SELECT * FROM users WHERE tenant_id = ? AND email = ?', [tenantId, email]);
}

/** The tenant's user with internal id `ref`. */
export async function findUserByRef(tx: Tx, tenantId: string, ref: string): Promise<UserRow | undefined> {
  return tx.get('SELECT * FROM users WHERE id = ? AND tenant_id = ?', [ref, tenantId]);
}

/** The internal ids of `ref` and every leader above them (bounded: a bad import could make the chain circular). */
export async function selfAndLeaderRefs(tx: Tx, tenantId: string, ref: string): Promise<string[]> {
  const rows = await tx.all<{ id: string }>(
    `WITH RECURSIVE chain (id, leader_id, depth) AS (
       SELECT id, leader_id, 1 FROM users WHERE id = ? AND tenant_id = ?
       UNION ALL
       SELECT u.id, u.leader_id, c.depth + 1 FROM chain c JOIN users u ON u.id = c.leader_id WHERE c.depth < 64
     )
     SELECT id FROM chain`,
    [ref, tenantId],
  );
  return rows.map((r) => r.id);
}

/** The internal ids of the departments the user belongs to. */
export async function departmentRefsOfUser(tx: Tx, tenantId: string, userRef: string): Promise<string[]> {
  const rows = await tx.all<{ department_ref: string }>(
    'SELECT department_ref FROM department_members WHERE tenant_id = ? AND user_ref = ? ORDER BY department_ref',
    [tenantId, userRef],
  );
  return rows.map((r) => r.department_ref);
}

/**
 * Ends every credential of a person at once, in every process: their access tokens expire now, their sign-in
 * sessions, refresh tokens and unused authorization codes are deleted. Resolves to how many of each.
 */
export async function revokeUserCredentials(
  tx: TenantTx,
  userRef: string,
  now: number,
): Promise<{ access_tokens: number; sessions: number; refresh_tokens: number; oauth_codes: number }> {
  return {
    access_tokens: await tx.run(
      'UPDATE access_tokens SET expires_at = ? WHERE user_ref = ? AND tenant_id = ? AND expires_at > ?',
      [now, userRef, tx.tenantId, now],
    ),
    sessions: await tx.run('DELETE FROM sessions WHERE user_ref = ? AND tenant_id = ?', [userRef, tx.tenantId]),
    refresh_tokens: await tx.run('DELETE FROM refresh_tokens WHERE user_ref = ? AND tenant_id = ?', [
      userRef,
      tx.tenantId,
    ]),
    oauth_codes: await tx.run('DELETE FROM oauth_codes WHERE user_ref = ? AND tenant_id = ?', [userRef, tx.tenantId]),
  };
}

/** Sets the visibility of every cycle the user owns; resolves to how many changed. */
export async function setOwnerVisibility(
  tx: TenantTx,
  userRef: string,
  visibility: 'tenant' | 'leaders',
  now: number,
): Promise<number> {
  return tx.run(
    'UPDATE okrs SET visibility = ?, updated_at = ? WHERE owner_id = ? AND tenant_id = ? AND visibility <> ?',
    [visibility, now, userRef, tx.tenantId, visibility],
  );
}

/** A user as administration lists them: the row, their leader's employee id and their OKR visibility. */
export interface AdminUserRow extends UserRow {
  leader_employee_id: string | null;
  /** How many of their cycles only leaders see, and how many cycles they own. */
  leaders_cycles: number;
  cycles: number;
}

const ADMIN_USER_SELECT = `SELECT u.*, l.employee_id AS leader_employee_id,
    (SELECT COUNT(*) FROM okrs o WHERE o.owner_id = u.id AND o.tenant_id = u.tenant_id) AS cycles,
    (SELECT COUNT(*) FROM okrs o WHERE o.owner_id = u.id AND o.tenant_id = u.tenant_id
        AND o.visibility = 'leaders') AS leaders_cycles
  FROM users u LEFT JOIN users l ON l.id = u.leader_id`;

/** Up to `limit` of the tenant's users ordered by employee id, after `afterEmployeeId`. */
export async function listAdminUsers(
  tx: Tx,
  tenantId: string,
  afterEmployeeId: string | undefined,
  limit: number,
): Promise<AdminUserRow[]> {
  const rows = await tx.all<AdminUserRow>(
    `${ADMIN_USER_SELECT} WHERE u.tenant_id = ?${afterEmployeeId === undefined ? '' : ' AND u.employee_id > ?'}
      ORDER BY u.employee_id LIMIT ?`,
    afterEmployeeId === undefined ? [tenantId, limit] : [tenantId, afterEmployeeId, limit],
  );
  return rows.map(numbered);
}

/** The tenant's user with this employee id, as administration shows them. */
export async function findAdminUser(tx: Tx, tenantId: string, employeeId: string): Promise<AdminUserRow | undefined> {
  const row = await tx.get<AdminUserRow>(`${ADMIN_USER_SELECT} WHERE u.tenant_id = ? AND u.employee_id = ?`, [
    tenantId,
    employeeId,
  ]);
  return row && numbered(row);
}

// PostgreSQL returns COUNT(*) as a string.
function numbered(row: AdminUserRow): AdminUserRow {
  return { ...row, cycles: Number(row.cycles), leaders_cycles: Number(row.leaders_cycles) };
}

/** The tenant's department ids (their own ids) of each of `userRefs`, sorted. */
export async function departmentIdsOfUsers(
  tx: Tx,
  tenantId: string,
  userRefs: readonly string[],
): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>(userRefs.map((r) => [r, []]));
  if (userRefs.length === 0) return byUser;
  const rows = await tx.all<{ user_ref: string; department_id: string }>(
    `SELECT m.user_ref, d.department_id FROM department_members m JOIN departments d ON d.id = m.department_ref
      WHERE m.tenant_id = ? AND m.user_ref IN (${inList(userRefs.length)}) ORDER BY d.department_id`,
    [tenantId, ...userRefs],
  );
  for (const r of rows) byUser.get(r.user_ref)?.push(r.department_id);
  return byUser;
}

/** Every department of the tenant with its parent's and leader's own ids, ordered by department id. */
export async function listDepartments(
  tx: Tx,
  tenantId: string,
): Promise<(DepartmentRow & { parent_department_id: string | null; leader_employee_id: string | null })[]> {
  return tx.all(
    `SELECT d.*, p.department_id AS parent_department_id, l.employee_id AS leader_employee_id
       FROM departments d LEFT JOIN departments p ON p.id = d.parent_id LEFT JOIN users l ON l.id = d.leader_id
      WHERE d.tenant_id = ? ORDER BY d.department_id`,
    [tenantId],
  );
}

/** Every membership of the tenant's departments: department ref and member employee id, by employee id. */
export async function allDepartmentMembers(
  tx: Tx,
  tenantId: string,
): Promise<{ department_ref: string; employee_id: string }[]> {
  return tx.all(
    `SELECT m.department_ref, u.employee_id FROM department_members m JOIN users u ON u.id = m.user_ref
      WHERE m.tenant_id = ? ORDER BY u.employee_id`,
    [tenantId],
  );
}

/** The tenant's periods, hidden ones too, newest first. */
export async function allPeriods(tx: Tx, tenantId: string): Promise<PeriodRow[]> {
  return tx.all('SELECT * FROM periods WHERE tenant_id = ? ORDER BY period_start_time DESC, id DESC', [tenantId]);
}

/** The redirect URIs of each of `appIds`, in the order they were added. */
export async function redirectUrisOf(
  tx: Tx,
  tenantId: string,
  appIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byApp = new Map<string, string[]>(appIds.map((a) => [a, []]));
  if (appIds.length === 0) return byApp;
  const rows = await tx.all<{ app_id: string; uri: string }>(
    `SELECT app_id, uri FROM app_redirect_uris WHERE tenant_id = ? AND app_id IN (${inList(appIds.length)})
      ORDER BY created_at, uri`,
    [tenantId, ...appIds],
  );
  for (const r of rows) byApp.get(r.app_id)?.push(r.uri);
  return byApp;
}

/** The tenant's app `appId`. */
export async function findAppOfTenant(tx: Tx, tenantId: string, appId: string): Promise<AppRow | undefined> {
  return tx.get('SELECT * FROM apps WHERE app_id = ? AND tenant_id = ?', [appId, tenantId]);
}

/** App columns an administrator may change. */
export type AppChanges = Partial<Pick<AppRow, 'name' | 'scopes' | 'secret_hash'>>;

/** Writes `changes` to the tenant's app. */
export async function updateAppRow(tx: TenantTx, appId: string, changes: AppChanges): Promise<void> {
  const cols = Object.keys(changes);
  if (cols.length === 0) return;
  await tx.run(`UPDATE apps SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE app_id = ? AND tenant_id = ?`, [
    ...(Object.values(changes) as string[]),
    appId,
    tx.tenantId,
  ]);
}

/** Adds a redirect URI to the app. */
export async function insertRedirectUri(tx: TenantTx, appId: string, uri: string, now: number): Promise<void> {
  await tx.run('INSERT INTO app_redirect_uris (tenant_id, app_id, uri, created_at) VALUES (?, ?, ?, ?)', [
    tx.tenantId,
    appId,
    uri,
    now,
  ]);
}

/** Removes a redirect URI from the app; resolves to whether it was there. */
export async function deleteRedirectUri(tx: TenantTx, appId: string, uri: string): Promise<boolean> {
  return (
    (await tx.run('DELETE FROM app_redirect_uris WHERE app_id = ? AND uri = ? AND tenant_id = ?', [
      appId,
      uri,
      tx.tenantId,
    ])) > 0
  );
}

/** Deletes the app and everything issued through it, children first; resolves to how many rows of each. */
export async function deleteAppCascade(tx: TenantTx, appId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['access_tokens', 'oauth_codes', 'refresh_tokens', 'app_redirect_uris', 'app_users', 'apps']) {
    counts[table] = await tx.run(`DELETE FROM ${table} WHERE app_id = ? AND tenant_id = ?`, [appId, tx.tenantId]);
  }
  return counts;
}

/** A review as administration lists it: the row and the person's employee id. */
export type AdminReviewRow = ReviewRow & { employee_id: string };

/** Up to `limit` of the tenant's reviews, newest first, optionally of one user / period, after the cursor. */
export async function listReviews(
  tx: Tx,
  tenantId: string,
  filter: { user_ref?: string; period_id?: string },
  cursor: { create_time: number; id: string } | undefined,
  limit: number,
): Promise<AdminReviewRow[]> {
  const where = ['r.tenant_id = ?'];
  const params: (string | number)[] = [tenantId];
  if (filter.user_ref !== undefined) {
    where.push('r.user_ref = ?');
    params.push(filter.user_ref);
  }
  if (filter.period_id !== undefined) {
    where.push('r.period_id = ?');
    params.push(filter.period_id);
  }
  if (cursor) {
    where.push('(r.create_time < ? OR (r.create_time = ? AND r.id < ?))');
    params.push(cursor.create_time, cursor.create_time, cursor.id);
  }
  return tx.all(
    `SELECT r.*, u.employee_id FROM reviews r JOIN users u ON u.id = r.user_ref
      WHERE ${where.join(' AND ')} ORDER BY r.create_time DESC, r.id DESC LIMIT ?`,
    [...params, limit],
  );
}

/** The tenant's review `id`. */
export async function findReview(tx: Tx, tenantId: string, id: string): Promise<AdminReviewRow | undefined> {
  return tx.get(
    'SELECT r.*, u.employee_id FROM reviews r JOIN users u ON u.id = r.user_ref WHERE r.id = ? AND r.tenant_id = ?',
    [id, tenantId],
  );
}

/** Deletes the tenant's review `id`. */
export async function deleteReview(tx: TenantTx, id: string): Promise<number> {
  return tx.run('DELETE FROM reviews WHERE id = ? AND tenant_id = ?', [id, tx.tenantId]);
}

/** The ids of every tenant (the purge walks them one by one). */
export async function allTenantIds(tx: Tx): Promise<string[]> {
  return (await tx.all<{ id: string }>('SELECT id FROM tenants ORDER BY id')).map((r) => r.id);
}

/** Tables of expiring credentials and sign-in state, purged once expired. */
export const EXPIRING_TABLES = [
  'access_tokens',
  'oauth_codes',
  'sessions',
  'sign_in_links',
  'refresh_tokens',
  'oidc_logins',
] as const;

/** Deletes the tenant's rows of `table` that expired at or before `now`. */
export async function deleteExpired(
  tx: TenantTx,
  table: (typeof EXPIRING_TABLES)[number],
  now: number,
): Promise<number> {
  return tx.run(`DELETE FROM ${table} WHERE tenant_id = ? AND expires_at <= ?`, [tx.tenantId, now]);
}
