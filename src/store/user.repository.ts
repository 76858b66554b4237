/** Users, their per-app open_ids and their leader chains. */
import type { UserIdType } from '../domain/users.js';
import { inList, type Tx } from './db.js';
import type { UserRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

/** A user as one app sees them: the row plus that app's open_id for them. */
export interface AppUserView extends UserRow {
  open_id: string;
}

const USER_COLUMN: Record<Exclude<UserIdType, 'open_id'>, string> = {
  union_id: 'u.union_id',
  user_id: 'u.employee_id',
  people_admin_id: 'u.people_admin_id',
};

/** The tenant's users whose id of type `idType` is in `ids`, as app `appId` sees them. */
export async function findUsersByWireIds(
  tx: Tx,
  tenantId: string,
  appId: string,
  idType: UserIdType,
  ids: readonly string[],
): Promise<AppUserView[]> {
  if (ids.length === 0) return [];
  if (idType === 'open_id') {
    return tx.all(
      `SELECT u.*, au.open_id FROM app_users au JOIN users u ON u.id = au.user_ref
        WHERE au.app_id = ? AND u.tenant_id = ? AND au.open_id IN (${inList(ids.length)})`,
      [appId, tenantId, ...ids],
    );
  }
  return tx.all(
    `SELECT u.*, au.open_id FROM users u JOIN app_users au ON au.user_ref = u.id AND au.app_id = ?
      WHERE u.tenant_id = ? AND ${USER_COLUMN[idType]} IN (${inList(ids.length)})`,
    [appId, tenantId, ...ids],
  );
}

/** The users with internal ids `refs`, as app `appId` sees them. */
export async function findUsersByRefs(tx: Tx, appId: string, refs: readonly string[]): Promise<AppUserView[]> {
  if (refs.length === 0) return [];
  return tx.all(
    `SELECT u.*, au.open_id FROM users u JOIN app_users au ON au.user_ref = u.id AND au.app_id = ?
      WHERE u.id IN (${inList(refs.length)})`,
    [appId, ...refs],
  );
}

/** The user with employee id `employeeId` in the tenant. */
export async function findUserByEmployeeId(tx: Tx, tenantId: string, employeeId: string): Promise<UserRow | undefined> {
  return tx.get('SELECT * FROM users WHERE tenant_id = ? AND employee_id = ?', [tenantId, employeeId]);
}

/**
 * Gives every user of the tenant a fresh open_id in the new app `appId` (`ou_` + 32 random hex digits, as Feishu's)
 * in one statement: a tenant of 250,000 people took as many round trips one by one. Returns how many were given.
 */
export async function addOpenIdsForEveryUser(tx: TenantTx, appId: string): Promise<number> {
  // Both draw from the operating system's random source (PostgreSQL's UUID keeps 122 of its 128 bits random).
  const hex32 = tx.dialect === 'sqlite' ? 'lower(hex(randomblob(16)))' : "replace(gen_random_uuid()::text, '-', '')";
  return tx.run(
    `INSERT INTO app_users (app_id, user_ref, open_id, tenant_id)
     SELECT ?, id, 'ou_' || ${hex32}, tenant_id FROM users WHERE tenant_id = ?`,
    [appId, tx.tenantId],
  );
}

/** Which of `members` have `leader` somewhere above them in their leader chain. */
export async function membersLedBy(tx: Tx, leader: string, members: readonly string[]): Promise<Set<string>> {
  if (members.length === 0) return new Set();
  // depth bounds the walk should a bad import ever make the chain circular.
  const rows = await tx.all<{ member: string }>(
    `WITH RECURSIVE chain (member, leader, depth) AS (
       SELECT id, leader_id, 1 FROM users WHERE id IN (${inList(members.length)}) AND leader_id IS NOT NULL
       UNION ALL
       SELECT c.member, u.leader_id, c.depth + 1 FROM chain c JOIN users u ON u.id = c.leader
        WHERE u.leader_id IS NOT NULL AND c.depth < 64
     )
     SELECT DISTINCT member FROM chain WHERE leader = ?`,
    [...members, leader],
  );
  return new Set(rows.map((r) => r.member));
}
