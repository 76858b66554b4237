/**
 * Identity rows (migration 0010): redirect URIs, passwords, sign-in links, sessions, authorization codes, refresh
 * tokens and the sign-in throttle. Every secret is stored as its hash.
 */
import type { Db, Tx } from './db.js';
import type { AccessTokenRow, AppRow, TenantRow, UserRow } from './rows.js';
import type { TenantTx } from './tenant-write.js';

export interface PasswordRow {
  user_ref: string;
  tenant_id: string;
  hash: string;
  updated_at: number;
}

export interface SignInLinkRow {
  token_hash: string;
  tenant_id: string;
  user_ref: string;
  purpose: 'invite' | 'reset';
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SessionRow {
  id_hash: string;
  tenant_id: string;
  user_ref: string;
  created_at: number;
  expires_at: number;
}

export interface OAuthCodeRow {
  code_hash: string;
  tenant_id: string;
  app_id: string;
  user_ref: string;
  redirect_uri: string;
  scope: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface RefreshTokenRow {
  token_hash: string;
  tenant_id: string;
  app_id: string;
  user_ref: string;
  family_id: string;
  scope: string;
  created_at: number;
  expires_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
}

const num = <T extends object>(row: T | undefined, keys: (keyof T)[]): T | undefined => {
  if (!row) return row;
  // PostgreSQL answers BIGINT as text.
  for (const k of keys)
    if (row[k] !== null && row[k] !== undefined) (row as Record<keyof T, unknown>)[k] = Number(row[k]);
  return row;
};

// --- apps, tenants, people ---------------------------------------------------------------------------------------

/** True when `uri` is exactly one of the app's registered redirect URIs. */
export async function redirectUriRegistered(tx: Tx, appId: string, uri: string): Promise<boolean> {
  return !!(await tx.get('SELECT 1 AS one FROM app_redirect_uris WHERE app_id = ? AND uri = ?', [appId, uri]));
}

/** How many tenants the database holds (the sign-in page asks for the organisation when more than one). */
export async function countTenants(tx: Tx): Promise<number> {
  const row = await tx.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM tenants');
  return Number(row?.n ?? 0);
}

/** The only tenant, when there is exactly one. */
export async function soleTenant(tx: Tx): Promise<TenantRow | undefined> {
  const rows = await tx.all<TenantRow>('SELECT * FROM tenants ORDER BY id LIMIT 2');
  return rows.length === 1 ? rows[0] : undefined;
}

/** The person of the tenant whose employee id or (case-insensitive) email is `login`. */
export async function findUserByLogin(tx: Tx, tenantId: string, login: string): Promise<UserRow | undefined> {
  return tx.get(
    `SELECT * FROM users WHERE tenant_id = ? AND (employee_id = ? OR LOWER(email) = ?)
      ORDER BY CASE WHEN employee_id = ? THEN 0 ELSE 1 END LIMIT 1`,
    [tenantId, login, login.toLowerCase(), login],
  );
}

export async function findUser(tx: Tx, userRef: string): Promise<UserRow | undefined> {
  return tx.get('SELECT * FROM users WHERE id = ?', [userRef]);
}

/**
 * A live user token with its person's `active` flag and its app: one indexed query (token hash, then the primary keys
 * of users and apps).
 */
export async function findLiveUserToken(
  tx: Tx,
  tokenHash: string,
  now: number,
): Promise<(AccessTokenRow & { active: number; app_scopes: string }) | undefined> {
  return tx.get(
    `SELECT t.*, u.active, a.scopes AS app_scopes FROM access_tokens t
       JOIN users u ON u.id = t.user_ref JOIN apps a ON a.app_id = t.app_id
      WHERE t.token_hash = ? AND t.expires_at > ?`,
    [tokenHash, now],
  );
}

// --- passwords ------------------------------------------------------------------------------------------------------

export async function findPasswordHash(tx: Tx, userRef: string): Promise<string | undefined> {
  return (await tx.get<{ hash: string }>('SELECT hash FROM passwords WHERE user_ref = ?', [userRef]))?.hash;
}

export async function upsertPassword(tx: TenantTx, row: PasswordRow): Promise<void> {
  await tx.run(
    `INSERT INTO passwords (user_ref, tenant_id, hash, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_ref) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at`,
    [row.user_ref, row.tenant_id, row.hash, row.updated_at],
  );
}

// --- sign-in links --------------------------------------------------------------------------------------------------

export async function insertSignInLink(tx: TenantTx, row: SignInLinkRow): Promise<void> {
  await tx.run(
    `INSERT INTO sign_in_links (token_hash, tenant_id, user_ref, purpose, created_at, expires_at, used_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [row.token_hash, row.tenant_id, row.user_ref, row.purpose, row.created_at, row.expires_at, row.used_at],
  );
}

/** The unused, unexpired link with this hash. */
export async function findLiveLink(tx: Tx, tokenHash: string, now: number): Promise<SignInLinkRow | undefined> {
  const row = await tx.get<SignInLinkRow>(
    'SELECT * FROM sign_in_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
    [tokenHash, now],
  );
  return num(row, ['created_at', 'expires_at', 'used_at']);
}

/** Marks the link used; resolves to false when another request used it first. */
export async function useLink(tx: TenantTx, tokenHash: string, now: number): Promise<boolean> {
  const changed = await tx.run(
    'UPDATE sign_in_links SET used_at = ? WHERE token_hash = ? AND tenant_id = ? AND used_at IS NULL',
    [now, tokenHash, tx.tenantId],
  );
  return changed === 1;
}

// --- sessions -------------------------------------------------------------------------------------------------------

export async function insertSession(tx: TenantTx, row: SessionRow): Promise<void> {
  await tx.run('INSERT INTO sessions (id_hash, tenant_id, user_ref, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
    row.id_hash,
    row.tenant_id,
    row.user_ref,
    row.created_at,
    row.expires_at,
  ]);
}

/** The live session with this hash, of a person who is still active. */
export async function findLiveSession(tx: Tx, idHash: string, now: number): Promise<SessionRow | undefined> {
  const row = await tx.get<SessionRow>(
    `SELECT s.* FROM sessions s JOIN users u ON u.id = s.user_ref
      WHERE s.id_hash = ? AND s.expires_at > ? AND u.active = 1`,
    [idHash, now],
  );
  return num(row, ['created_at', 'expires_at']);
}

export async function deleteSession(tx: TenantTx, idHash: string): Promise<void> {
  await tx.run('DELETE FROM sessions WHERE id_hash = ? AND tenant_id = ?', [idHash, tx.tenantId]);
}

// --- authorization codes --------------------------------------------------------------------------------------------

export async function insertCode(tx: TenantTx, row: OAuthCodeRow): Promise<void> {
  await tx.run(
    `INSERT INTO oauth_codes (code_hash, tenant_id, app_id, user_ref, redirect_uri, scope, code_challenge,
       code_challenge_method, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.code_hash,
      row.tenant_id,
      row.app_id,
      row.user_ref,
      row.redirect_uri,
      row.scope,
      row.code_challenge,
      row.code_challenge_method,
      row.created_at,
      row.expires_at,
      row.used_at,
    ],
  );
}

export async function findCode(tx: Tx, codeHash: string): Promise<OAuthCodeRow | undefined> {
  const row = await tx.get<OAuthCodeRow>('SELECT * FROM oauth_codes WHERE code_hash = ?', [codeHash]);
  return num(row, ['created_at', 'expires_at', 'used_at']);
}

/** Marks the code used; false when it already was (another request won). */
export async function useCode(tx: TenantTx, codeHash: string, now: number): Promise<boolean> {
  const changed = await tx.run(
    'UPDATE oauth_codes SET used_at = ? WHERE code_hash = ? AND tenant_id = ? AND used_at IS NULL',
    [now, codeHash, tx.tenantId],
  );
  return changed === 1;
}

// --- refresh tokens and families ------------------------------------------------------------------------------------

export async function insertRefreshToken(tx: TenantTx, row: RefreshTokenRow): Promise<void> {
  await tx.run(
    `INSERT INTO refresh_tokens (token_hash, tenant_id, app_id, user_ref, family_id, scope, created_at, expires_at,
       rotated_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.token_hash,
      row.tenant_id,
      row.app_id,
      row.user_ref,
      row.family_id,
      row.scope,
      row.created_at,
      row.expires_at,
      row.rotated_at,
      row.revoked_at,
    ],
  );
}

export async function findRefreshToken(tx: Tx, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  const row = await tx.get<RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE token_hash = ?', [tokenHash]);
  return num(row, ['created_at', 'expires_at', 'rotated_at', 'revoked_at']);
}

/** Marks the refresh token rotated; false when it already was, or was revoked. */
export async function rotateRefreshToken(tx: TenantTx, tokenHash: string, now: number): Promise<boolean> {
  const changed = await tx.run(
    `UPDATE refresh_tokens SET rotated_at = ?
      WHERE token_hash = ? AND tenant_id = ? AND rotated_at IS NULL AND revoked_at IS NULL`,
    [now, tokenHash, tx.tenantId],
  );
  return changed === 1;
}

/** Revokes every refresh token of the family and deletes its access tokens. */
export async function revokeFamily(tx: TenantTx, familyId: string, now: number): Promise<void> {
  await tx.run(
    'UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND tenant_id = ? AND revoked_at IS NULL',
    [now, familyId, tx.tenantId],
  );
  await tx.run('DELETE FROM access_tokens WHERE family_id = ? AND tenant_id = ?', [familyId, tx.tenantId]);
}

export async function insertUserAccessToken(tx: TenantTx, row: AccessTokenRow): Promise<void> {
  await tx.run(
    `INSERT INTO access_tokens (token_hash, kind, tenant_id, app_id, user_ref, created_at, expires_at, scope, family_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.token_hash,
      row.kind,
      row.tenant_id,
      row.app_id,
      row.user_ref,
      row.created_at,
      row.expires_at,
      row.scope,
      row.family_id,
    ],
  );
}

export type { AppRow };

// --- sign-in throttle (a global table, like rate limits) -------------------------------------------------------------

/** The failures counted in `bucket` during the window starting at `windowStart`. */
export async function throttleCount(tx: Tx, bucket: string, windowStart: number): Promise<number> {
  const row = await tx.get<{ window_start: number | string; count: number | string }>(
    'SELECT window_start, count FROM sign_in_throttle WHERE bucket = ?',
    [bucket],
  );
  return row && Number(row.window_start) >= windowStart ? Number(row.count) : 0;
}

// One atomic upsert, as rate-limit.repository.ts does: a row of a past window restarts at 1.
const HIT = `
INSERT INTO sign_in_throttle (bucket, window_start, count) VALUES (?, ?, 1)
ON CONFLICT (bucket) DO UPDATE SET
  count = CASE WHEN sign_in_throttle.window_start < excluded.window_start THEN 1 ELSE sign_in_throttle.count + 1 END,
  window_start = CASE WHEN sign_in_throttle.window_start < excluded.window_start THEN excluded.window_start
                      ELSE sign_in_throttle.window_start END`;

/** Counts one failed sign-in in each bucket (its own transaction: the throttle is server-wide). */
export async function countFailures(db: Db, buckets: readonly string[], windowStart: number): Promise<void> {
  await db.write(async (tx) => {
    for (const b of buckets) await tx.run(HIT, [b, windowStart]);
  });
}

// --- sign-in through the organisation's OpenID Connect provider ------------------------------------------------------

export interface OidcLoginRow {
  state_hash: string;
  tenant_id: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  created_at: number;
  expires_at: number;
}

export async function insertOidcLogin(tx: TenantTx, row: OidcLoginRow): Promise<void> {
  await tx.run(
    `INSERT INTO oidc_logins (state_hash, tenant_id, nonce, code_verifier, return_to, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [row.state_hash, row.tenant_id, row.nonce, row.code_verifier, row.return_to, row.created_at, row.expires_at],
  );
}

export async function findOidcLogin(tx: Tx, stateHash: string): Promise<OidcLoginRow | undefined> {
  const row = await tx.get<OidcLoginRow>('SELECT * FROM oidc_logins WHERE state_hash = ?', [stateHash]);
  return num(row, ['created_at', 'expires_at']);
}

/** Deletes the login in progress; resolves to false when another request took it first. */
export async function deleteOidcLogin(tx: TenantTx, stateHash: string): Promise<boolean> {
  const changed = await tx.run('DELETE FROM oidc_logins WHERE state_hash = ? AND tenant_id = ?', [
    stateHash,
    tx.tenantId,
  ]);
  return changed === 1;
}

/** The tenant's active person with this email (case-insensitive). */
export async function findActiveUserByEmail(tx: Tx, tenantId: string, email: string): Promise<UserRow | undefined> {
  return tx.get('SELECT * FROM users WHERE tenant_id = ? AND LOWER(email) = ? AND active = 1 LIMIT 1', [
    tenantId,
    email.toLowerCase(),
  ]);
}

/** Whether the tenant has a person (active or not) with this employee id. */
export async function employeeIdTaken(tx: Tx, tenantId: string, employeeId: string): Promise<boolean> {
  return !!(await tx.get('SELECT id FROM users WHERE tenant_id = ? AND employee_id = ?', [tenantId, employeeId]));
}
