/**
 * People sign in (decisions.md OQ-28, OQ-39): with their employee id or email and a local password, into a browser
 * session shared by every okrd process; failed attempts are throttled per account and per address; invitation and
 * reset links set the password. (Signing in through the organisation's OpenID Connect provider will add a second
 * way to `startSession`.)
 */
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { Db } from '../store/db.js';
import {
  countFailures,
  countTenants,
  deleteSession,
  findLiveLink,
  findLiveSession,
  findPasswordHash,
  findUser,
  findUserByLogin,
  insertSession,
  insertSignInLink,
  soleTenant,
  throttleCount,
  upsertPassword,
  useLink,
} from '../store/identity.repository.js';
import type { TenantRow, UserRow } from '../store/rows.js';
import { findTenant } from '../store/tenant.repository.js';
import { revokeUserCredentials } from '../store/admin.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import { findUserByEmployeeId } from '../store/user.repository.js';
import { hashPassword, passwordMatches, passwordProblem } from './password.js';
import { hashToken, newToken } from './secrets.js';
import { userNotFound } from '../errors.js';

/** How long a browser session lasts. */
export const SESSION_TTL_MS = 12 * 3600_000;
/** Failed sign-ins are counted per window of this length. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** Failures allowed per account, and per address, in one window. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
const LINK_TTL_MS = { invite: 7 * 24 * 3600_000, reset: 3600_000 } as const;

/** A signed-in browser. */
export interface Session {
  tenantId: string;
  userRef: string;
  user: UserRow;
}

/** What a sign-in attempt came to; `failed` never says why (unknown account, wrong password, deactivated…). */
export type SignInResult =
  { ok: true; sessionId: string; expiresAt: number } | { ok: false; reason: 'failed' | 'throttled' };

/** What setting a password through a link came to. */
export type SetPasswordResult = { ok: true } | { ok: false; reason: 'invalid_link' | 'too_short' | 'too_long' };

export class SignInService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: Pick<Config, 'publicUrl' | 'host' | 'port'>,
  ) {}

  /** The tenant a bare sign-in page signs into: the only one, else undefined (the page asks). */
  async defaultTenant(): Promise<TenantRow | undefined> {
    return this.db.read((tx) => soleTenant(tx));
  }

  /** True when the database holds more than one tenant (the sign-in page then asks for the organisation). */
  async manyTenants(): Promise<boolean> {
    return (await this.db.read((tx) => countTenants(tx))) > 1;
  }

  async tenant(id: string): Promise<TenantRow | undefined> {
    return id ? this.db.read((tx) => findTenant(tx, id)) : undefined;
  }

  /**
   * Checks `login` (employee id or email) and `password` in the tenant; on success a new session. Over the throttle
   * (per account, per address) nothing is checked; every failure counts in both.
   */
  async signIn(tenantId: string | undefined, login: string, password: string, address: string): Promise<SignInResult> {
    const now = this.clock();
    const window = now - (now % THROTTLE_WINDOW_MS);
    const found = await this.db.read(async (tx) => {
      const tenant = tenantId ? await findTenant(tx, tenantId) : undefined;
      const user = tenant && login ? await findUserByLogin(tx, tenant.id, login.trim()) : undefined;
      const hash = user ? await findPasswordHash(tx, user.id) : undefined;
      return { tenant, user, hash };
    });
    // One count per person, whichever of their employee id or email is typed; per login text for unknown ones.
    const account = `acct:${tenantId ?? ''}:${found.user ? `u:${found.user.id}` : login.trim().toLowerCase()}`;
    const addr = `addr:${address}`;
    const [perAccount, perAddress] = await this.db.read(async (tx) => [
      await throttleCount(tx, account, window),
      await throttleCount(tx, addr, window),
    ]);
    if (perAccount >= MAX_FAILURES_PER_ACCOUNT || perAddress >= MAX_FAILURES_PER_ADDRESS) {
      return { ok: false, reason: 'throttled' };
    }
    // The hash is computed even for an unknown account, so time does not tell whether it exists.
    const matches = await passwordMatches(password, found.hash);
    const { tenant, user } = found;
    if (!matches || !tenant || !user || Number(user.active) !== 1 || Number(tenant.password_sign_in) !== 1) {
      await countFailures(this.db, [account, addr], window);
      return { ok: false, reason: 'failed' };
    }
    return { ok: true, ...(await this.startSession(tenant.id, user.id)) };
  }

  /** A new session of the person (password sign-in now; the organisation's provider later). */
  async startSession(tenantId: string, userRef: string): Promise<{ sessionId: string; expiresAt: number }> {
    const now = this.clock();
    const sessionId = newToken('s-');
    const expiresAt = now + SESSION_TTL_MS;
    await writeTenant(this.db, tenantId, (tx) =>
      insertSession(tx, {
        id_hash: hashToken(sessionId),
        tenant_id: tenantId,
        user_ref: userRef,
        created_at: now,
        expires_at: expiresAt,
      }),
    );
    return { sessionId, expiresAt };
  }

  /** The live session of a cookie value, of a person still active. */
  async session(sessionId: string | undefined): Promise<Session | undefined> {
    if (!sessionId) return undefined;
    return this.db.read(async (tx) => {
      const row = await findLiveSession(tx, hashToken(sessionId), this.clock());
      const user = row && (await findUser(tx, row.user_ref));
      return row && user ? { tenantId: row.tenant_id, userRef: row.user_ref, user } : undefined;
    });
  }

  async signOut(sessionId: string | undefined): Promise<void> {
    const session = await this.session(sessionId);
    if (session) await writeTenant(this.db, session.tenantId, (tx) => deleteSession(tx, hashToken(sessionId!)));
  }

  /**
   * A single-use link that lets the person set their password: an invitation (valid 7 days) or a reset (1 hour).
   * Resolves to the URL to hand them and when it expires; 1001003 when the employee id is unknown.
   */
  async createLink(
    tenantId: string,
    employeeId: string,
    purpose: 'invite' | 'reset',
  ): Promise<{ url: string; expiresAt: number }> {
    const now = this.clock();
    const token = newToken('');
    const expiresAt = now + LINK_TTL_MS[purpose];
    await writeTenant(this.db, tenantId, async (tx) => {
      const user = await findUserByEmployeeId(tx, tenantId, employeeId);
      if (!user) throw userNotFound(employeeId);
      await insertSignInLink(tx, {
        token_hash: hashToken(token),
        tenant_id: tenantId,
        user_ref: user.id,
        purpose,
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
      });
    });
    const origin = this.config.publicUrl || `http://${this.config.host}:${this.config.port}`;
    return { url: `${origin}/okrd/password?token=${encodeURIComponent(token)}`, expiresAt };
  }

  /** The person a live link is for, or undefined (unknown, used or expired). */
  async linkPerson(token: string): Promise<{ user: UserRow; purpose: 'invite' | 'reset' } | undefined> {
    if (!token) return undefined;
    return this.db.read(async (tx) => {
      const link = await findLiveLink(tx, hashToken(token), this.clock());
      const user = link && (await findUser(tx, link.user_ref));
      return link && user ? { user, purpose: link.purpose } : undefined;
    });
  }

  /** Sets the password through a live link, uses the link up and ends the person's sessions. */
  async setPassword(token: string, password: string): Promise<SetPasswordResult> {
    const now = this.clock();
    const link = token ? await this.db.read((tx) => findLiveLink(tx, hashToken(token), now)) : undefined;
    if (!link) return { ok: false, reason: 'invalid_link' };
    const problem = passwordProblem(password);
    if (problem) return { ok: false, reason: problem };
    const hash = await hashPassword(password);
    const used = await writeTenant(this.db, link.tenant_id, async (tx) => {
      if (!(await useLink(tx, link.token_hash, now))) return false;
      await upsertPassword(tx, { user_ref: link.user_ref, tenant_id: link.tenant_id, hash, updated_at: now });
      // A new password ends everything the old one let anyone hold: sessions, access and refresh tokens, codes.
      await revokeUserCredentials(tx, link.user_ref, now);
      return true;
    });
    return used ? { ok: true } : { ok: false, reason: 'invalid_link' };
  }
}
