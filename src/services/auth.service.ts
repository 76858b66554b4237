/** Access tokens: issuing them for app credentials, and turning a bearer token into who is calling. */
import type { Access } from '../contract/scopes.js';
import type { Clock } from '../domain/clock.js';
import {
  invalidCredentials,
  invalidTenantToken,
  invalidUserToken,
  missingToken,
  privilegeRequired,
  scopeRequired,
  OkrdError,
} from '../errors.js';
import type { Db } from '../store/db.js';
import type { AccessTokenRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { findApp } from '../store/tenant.repository.js';
import { findLiveToken } from '../store/token.repository.js';
import { findLiveUserToken } from '../store/identity.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import { hashToken, newToken, secretMatches } from './secrets.js';

/** Who is calling: resolved from a bearer token. */
export interface Caller {
  kind: 'tenant' | 'user' | 'app';
  tenantId: string;
  appId: string;
  scopes: ReadonlySet<string>;
  /** The signed-in user, for user tokens. */
  userRef?: string;
}

/** A token as handed out: the token and its remaining lifetime in seconds. */
export interface IssuedToken {
  token: string;
  expire: number;
}

// Feishu hands out the same token again until less than 30 minutes of it remain.
const REUSE_MIN_REMAINING_MS = 30 * 60_000;
// A verified token is trusted from memory this long before the database is asked again.
const VERIFIED_CACHE_MS = 60_000;
const VERIFIED_CACHE_MAX = 10_000;

/** Issues and verifies tokens. */
export class AuthService {
  // Tokens are stored hashed, so reuse needs the plain token: each process remembers the ones it issued.
  private readonly issued = new Map<string, { token: string; expiresAt: number }>();
  private readonly verified = new Map<string, { caller: Caller; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  /** A tenant or app token for the app's credentials; 10003 when they are wrong. */
  async issueAppToken(kind: 'tenant' | 'app', appId: unknown, appSecret: unknown): Promise<IssuedToken> {
    const app = await this.checkCredentials(appId, appSecret);
    return this.tokenOf(kind, app.tenant_id, app.app_id);
  }

  /**
   * `app_access_token/internal`: an app token and a tenant token of the same app (decisions.md OQ-23), each handed
   * out again as issueAppToken does; `expire` is the shorter of their remaining lifetimes, so a client that caches
   * both for `expire` seconds never holds an expired one. 10003 when the credentials are wrong.
   */
  async issueAppAndTenantTokens(
    appId: unknown,
    appSecret: unknown,
  ): Promise<{ appToken: string; tenantToken: string; expire: number }> {
    const app = await this.checkCredentials(appId, appSecret);
    const appToken = await this.tokenOf('app', app.tenant_id, app.app_id);
    const tenantToken = await this.tokenOf('tenant', app.tenant_id, app.app_id);
    return {
      appToken: appToken.token,
      tenantToken: tenantToken.token,
      expire: Math.min(appToken.expire, tenantToken.expire),
    };
  }

  private async checkCredentials(appId: unknown, appSecret: unknown): Promise<{ app_id: string; tenant_id: string }> {
    if (typeof appId !== 'string' || typeof appSecret !== 'string' || !appId || !appSecret) throw invalidCredentials();
    const app = await this.db.read((tx) => findApp(tx, appId));
    if (!app || !secretMatches(appSecret, app.secret_hash)) throw invalidCredentials();
    return app;
  }

  /** The app's live token of `kind` while more than 30 minutes of it remain, else a new one. */
  private async tokenOf(kind: 'tenant' | 'app', tenantId: string, appId: string): Promise<IssuedToken> {
    const now = this.clock();
    const key = `${kind}:${appId}`;
    const reusable = this.issued.get(key);
    if (reusable && reusable.expiresAt - now >= REUSE_MIN_REMAINING_MS) {
      return { token: reusable.token, expire: Math.floor((reusable.expiresAt - now) / 1000) };
    }
    const token = newToken(kind === 'tenant' ? 't-' : 'a-');
    const expiresAt = now + this.ttlSeconds * 1000;
    await this.store(token, kind, tenantId, appId, null, now, expiresAt);
    this.issued.set(key, { token, expiresAt });
    return { token, expire: this.ttlSeconds };
  }

  /** A new user access token for `userRef` through app `appId` (CLI, tests, and later sign-in). */
  async issueUserToken(tenantId: string, appId: string, userRef: string, ttlSeconds: number): Promise<IssuedToken> {
    const token = newToken('u-');
    const now = this.clock();
    await this.store(token, 'user', tenantId, appId, userRef, now, now + ttlSeconds * 1000);
    return { token, expire: ttlSeconds };
  }

  private async store(
    token: string,
    kind: AccessTokenRow['kind'],
    tenantId: string,
    appId: string,
    userRef: string | null,
    now: number,
    expiresAt: number,
  ): Promise<void> {
    const row: AccessTokenRow = {
      token_hash: hashToken(token),
      kind,
      tenant_id: tenantId,
      app_id: appId,
      user_ref: userRef,
      created_at: now,
      expires_at: expiresAt,
      scope: null,
      family_id: null,
    };
    await writeTenant(this.db, tenantId, (tx) => insertRow(tx, 'access_tokens', row));
  }

  /** The caller behind an `Authorization` header value, allowed to use an endpoint with `access`. */
  async authorize(header: string | undefined, access: Access): Promise<Caller> {
    if (!header || !header.startsWith('Bearer ')) throw missingToken();
    const token = header.slice('Bearer '.length).trim();
    if (!token) throw missingToken();
    const caller = await this.verify(token);
    if (caller.kind === 'app' || !access.tokens.includes(caller.kind)) {
      throw caller.kind === 'user'
        ? new OkrdError(99991668, 'Invalid access token for authorization. This API does not take a user_access_token.')
        : new OkrdError(
            99991663,
            `Invalid access token for authorization. This API does not take a ${caller.kind}_access_token.`,
          );
    }
    // A person's token is refused as a grant that lacks the privilege (they sign in again), an app's as a missing
    // scope (decisions.md OQ-22). An endpoint that lists no scope (user_info) takes any token of its kinds.
    if (access.scopes.length > 0 && !access.scopes.some((s) => caller.scopes.has(s))) {
      throw caller.kind === 'user' ? privilegeRequired(access.scopes) : scopeRequired(access.scopes);
    }
    return caller;
  }

  /**
   * The app behind an app or tenant token (the older OIDC token endpoints take the app token; the Node SDK sends its
   * tenant token there): 99991661 without a token, 99991664 for anything else.
   */
  async appCaller(header: string | undefined): Promise<Caller> {
    if (!header || !header.startsWith('Bearer ')) throw missingToken();
    const token = header.slice('Bearer '.length).trim();
    if (!token) throw missingToken();
    const caller = token.startsWith('u-') ? undefined : await this.verify(token).catch(() => undefined);
    if (!caller || caller.kind === 'user') {
      throw new OkrdError(
        99991664,
        'Invalid app access token for authorization. Please make a request with token attached.',
      );
    }
    return caller;
  }

  private async verify(token: string): Promise<Caller> {
    // User tokens are never served from memory: a deactivated person's tokens, and a revoked sign-in's, stop at
    // once in every process. One indexed query reads the token, its person's `active` and its app's scopes.
    if (token.startsWith('u-')) return this.verifyUser(token);
    const now = this.clock();
    // Keyed by the token itself: hashing it (SHA-256) on every request cost more than the rest of the lookup. Only
    // tokens found in the database get in, so the keys are okrd's own tokens, never what a client made up.
    const cached = this.verified.get(token);
    if (cached && cached.until > now) return cached.caller;

    const found = await this.db.read(async (tx) => {
      const row = await findLiveToken(tx, hashToken(token), now);
      const app = row && (await findApp(tx, row.app_id));
      return row && app && { row, app };
    });
    if (!found || found.row.kind === 'user') throw invalidTenantToken();
    const { row, app } = found;
    const caller: Caller = {
      kind: row.kind,
      tenantId: row.tenant_id,
      appId: row.app_id,
      scopes: new Set(app.scopes.split(' ').filter(Boolean)),
    };
    if (this.verified.size >= VERIFIED_CACHE_MAX) this.verified.clear();
    this.verified.set(token, { caller, until: Math.min(row.expires_at, now + VERIFIED_CACHE_MS) });
    return caller;
  }

  private async verifyUser(token: string): Promise<Caller> {
    const row = await this.db.read((tx) => findLiveUserToken(tx, hashToken(token), this.clock()));
    if (!row || row.kind !== 'user' || !row.user_ref || Number(row.active) !== 1) throw invalidUserToken();
    const appScopes = row.app_scopes.split(' ').filter(Boolean);
    // A signed-in token holds what the person granted, as long as the app still holds it; a CLI token the app's scopes.
    const granted = row.scope === null ? undefined : new Set(row.scope.split(' ').filter(Boolean));
    return {
      kind: 'user',
      tenantId: row.tenant_id,
      appId: row.app_id,
      scopes: new Set(granted ? appScopes.filter((s) => granted.has(s)) : appScopes),
      userRef: row.user_ref,
    };
  }
}
