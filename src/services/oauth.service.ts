/**
 * okrd as a Feishu-compatible OAuth provider (spec §9.1, §9.2; decisions.md OQ-28, OQ-38): authorization requests
 * are checked against the app's exact registered redirect URIs, consent issues a single-use code (5 minutes), the
 * code becomes a user access token and a rotating refresh token. A code used twice, and a rotated refresh token used
 * again, revoke every token issued from that sign-in (RFC 6749 §4.1.2, RFC 9700 §4.14).
 */
import { createHash } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { UserInfoData } from '../contract/authen/oauth.js';
import type { MeData } from '../contract/okrd/me.js';
import { EMPLOYEE_ID_SCOPE } from '../contract/scopes.js';
import { WEB_CALLBACK_PATH, WEB_CLIENT_ID } from '../contract/web-client.js';
import type { Clock } from '../domain/clock.js';
import { OkrdError } from '../errors.js';
import type { Db } from '../store/db.js';
import {
  findCode,
  findRefreshToken,
  findUser,
  insertCode,
  insertRefreshToken,
  insertUserAccessToken,
  redirectUriRegistered,
  revokeFamily,
  rotateRefreshToken,
  useCode,
  type OAuthCodeRow,
} from '../store/identity.repository.js';
import type { AppRow } from '../store/rows.js';
import { findApp, findTenant } from '../store/tenant.repository.js';
import { writeTenant, type TenantTx } from '../store/tenant-write.js';
import { findUsersByRefs } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';
import { hashToken, newToken, secretMatches } from './secrets.js';
import type { Session } from './sign-in.service.js';
import { ensureWebApp, webAppId, webAppRow } from './web-client.js';

/** How long an authorization code lives. */
export const CODE_TTL_MS = 5 * 60_000;
/** How long a refresh token lives (seconds). */
export const REFRESH_TTL_SECONDS = 7 * 24 * 3600;

/** The query of an authorization request (both flavours mapped to these names). */
export interface AuthorizeParams {
  client_id?: string;
  redirect_uri?: string;
  response_type?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

/** A checked authorization request. */
export interface AuthorizeRequest {
  app: AppRow;
  redirectUri: string;
  scopes: string[];
  state: string;
  codeChallenge: string | null;
  /** okrd's own web UI (OQ-38): nothing to consent to, the person signed in to okrd itself. */
  firstParty: boolean;
}

/** Where an authorization request arrives: the origin the browser sees, and the tenant of its session if any. */
export interface AuthorizeContext {
  origin: string;
  sessionTenantId: string | undefined;
}

/**
 * What checking an authorization request came to: fine; an error page (the client or redirect URI is not known:
 * never redirect); or an error sent back to the verified redirect URI.
 */
export type AuthorizeCheck =
  | { ok: true; request: AuthorizeRequest }
  | { ok: false; page: 'unknown_client' | 'bad_redirect_uri' }
  | { ok: false; redirect: string }
  /** The first-party client's tenant is the person's: sign in first (the page asks for the organisation, OQ-39). */
  | { ok: false; signIn: true };

/** An OAuth error of the token endpoints: `{code, error, error_description}` with HTTP 400. */
export class OAuthError extends Error {
  constructor(
    readonly code: number,
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope',
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}
// okrd's numbers for them (the platform's own are not documented in the sources).
const invalidRequest = (d: string) => new OAuthError(20001, 'invalid_request', d);
const invalidClient = () => new OAuthError(20002, 'invalid_client', 'client authentication failed');
const invalidGrant = (d = 'the code or refresh token is invalid, expired or already used') =>
  new OAuthError(20003, 'invalid_grant', d);
const unsupportedGrant = () =>
  new OAuthError(20004, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
const invalidScope = () => new OAuthError(20005, 'invalid_scope', 'scope is not part of the grant');

/** The tokens a grant ends in. */
export interface GrantedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  scope: string;
}

/** The token request body of spec §9.1 (every field optional here: missing ones are invalid_request). */
export interface TokenRequest {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  code?: string;
  redirect_uri?: string;
  code_verifier?: string;
  refresh_token?: string;
  scope?: string;
}

/** `redirect_uri` with `params` added to its query. */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  return url.toString();
}

const invalidUserToken = () =>
  new OkrdError(99991668, 'Invalid access token for authorization. Please make a request with token attached.');

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export class OAuthService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly accessTtlSeconds: number,
    /** okrd's public origin (PUBLIC_URL); empty: each request's own. */
    private readonly publicUrl: string,
  ) {}

  /**
   * Checks an authorization request: the app, its exact redirect URI, response type, PKCE and scopes. The web UI's
   * client (`okrd_web`) redirects only to WEB_CALLBACK_PATH on okrd's origin and acts for the session's tenant.
   */
  async checkAuthorize(p: AuthorizeParams, ctx: AuthorizeContext): Promise<AuthorizeCheck> {
    const firstParty = p.client_id === WEB_CLIENT_ID;
    const uri = p.redirect_uri ?? '';
    let app: AppRow | undefined;
    if (firstParty) {
      if (uri !== `${this.publicUrl || ctx.origin}${WEB_CALLBACK_PATH}`) return { ok: false, page: 'bad_redirect_uri' };
      if (!ctx.sessionTenantId) return { ok: false, signIn: true };
      // As stored once made (an administrator may have narrowed its scopes), else as it will be made.
      const tenantId = ctx.sessionTenantId;
      app = (await this.db.read((tx) => findApp(tx, webAppId(tenantId)))) ?? webAppRow(tenantId, this.clock());
    } else {
      app = p.client_id ? await this.db.read((tx) => findApp(tx, p.client_id!)) : undefined;
      if (!app) return { ok: false, page: 'unknown_client' };
      if (!uri || !(await this.db.read((tx) => redirectUriRegistered(tx, app!.app_id, uri)))) {
        return { ok: false, page: 'bad_redirect_uri' };
      }
    }
    const back = (error: string, description: string) => ({
      ok: false as const,
      redirect: withQuery(uri, { error, error_description: description, state: p.state }),
    });
    if (p.response_type !== 'code') return back('unsupported_response_type', 'response_type must be code');
    if (p.code_challenge || p.code_challenge_method || app.client_type === 'public') {
      if (!p.code_challenge || !PKCE_VALUE.test(p.code_challenge)) {
        return back('invalid_request', 'code_challenge is required (PKCE, S256)');
      }
      if (p.code_challenge_method !== 'S256') return back('invalid_request', 'code_challenge_method must be S256');
    }
    const held = app.scopes.split(' ').filter(Boolean);
    const asked = (p.scope ?? '').split(' ').filter(Boolean);
    if (asked.some((s) => !held.includes(s))) return back('invalid_scope', 'the app does not hold every scope asked');
    return {
      ok: true,
      request: {
        app,
        redirectUri: uri,
        scopes: asked.length > 0 ? [...new Set(asked)] : held,
        state: p.state ?? '',
        codeChallenge: p.code_challenge ?? null,
        firstParty,
      },
    };
  }

  /** The person allowed the request: a new code, and where to send the browser with it. */
  async approve(session: Session, r: AuthorizeRequest): Promise<string> {
    const now = this.clock();
    const code = newToken('c-');
    const row: OAuthCodeRow = {
      code_hash: hashToken(code),
      tenant_id: r.app.tenant_id,
      app_id: r.app.app_id,
      user_ref: session.userRef,
      redirect_uri: r.redirectUri,
      scope: r.scopes.join(' '),
      code_challenge: r.codeChallenge,
      code_challenge_method: r.codeChallenge ? 'S256' : null,
      created_at: now,
      expires_at: now + CODE_TTL_MS,
      used_at: null,
    };
    if (session.tenantId !== r.app.tenant_id) throw new Error('the session belongs to another tenant');
    await writeTenant(this.db, r.app.tenant_id, async (tx) => {
      if (r.firstParty) await ensureWebApp(tx, now);
      await insertCode(tx, row);
    });
    return withQuery(r.redirectUri, { code, state: r.state });
  }

  /** Where a refusal sends the browser. */
  denied(r: AuthorizeRequest): string {
    return withQuery(r.redirectUri, { error: 'access_denied', state: r.state });
  }

  /** `POST /open-apis/authen/v2/oauth/token`; throws OAuthError. */
  async token(body: TokenRequest): Promise<GrantedTokens> {
    if (!body.grant_type) throw invalidRequest('grant_type is required');
    if (body.grant_type === 'authorization_code') {
      if (!body.client_id || !body.code || !body.redirect_uri) {
        throw invalidRequest('client_id, code and redirect_uri are required');
      }
      const code = body.code;
      const app = await this.client(
        body.client_id,
        body.client_secret,
        async () => (await this.db.read((tx) => findCode(tx, hashToken(code))))?.tenant_id,
      );
      return this.exchangeCode(app, body.code, (code) => {
        if (code.redirect_uri !== body.redirect_uri) throw invalidGrant('redirect_uri differs from the authorization');
        if (app.client_type === 'public' || code.code_challenge) {
          if (!body.code_verifier || !PKCE_VALUE.test(body.code_verifier)) {
            throw invalidGrant('code_verifier is missing or malformed');
          }
          if (!code.code_challenge || s256(body.code_verifier) !== code.code_challenge) {
            throw invalidGrant('code_verifier does not match the code_challenge');
          }
        }
      });
    }
    if (body.grant_type === 'refresh_token') {
      if (!body.client_id || !body.refresh_token) throw invalidRequest('client_id and refresh_token are required');
      const token = body.refresh_token;
      const app = await this.client(
        body.client_id,
        body.client_secret,
        async () => (await this.db.read((tx) => findRefreshToken(tx, hashToken(token))))?.tenant_id,
      );
      return this.refresh(app, body.refresh_token, body.scope);
    }
    throw unsupportedGrant();
  }

  /** The older flavour (spec §9.2): the app is the one behind the app token; throws OAuthError. */
  async oidcToken(
    caller: Caller,
    body: { grant_type?: string; code?: string; refresh_token?: string },
    kind: 'code' | 'refresh',
  ): Promise<GrantedTokens> {
    const app = await this.db.read((tx) => findApp(tx, caller.appId));
    if (!app) throw invalidClient();
    if (kind === 'code') {
      if (body.grant_type !== 'authorization_code') throw unsupportedGrant();
      if (!body.code) throw invalidRequest('code is required');
      // No code_verifier travels here: a code bound to a PKCE challenge cannot be redeemed this way.
      return this.exchangeCode(app, body.code, (code) => {
        if (code.code_challenge) throw invalidGrant('this code needs the code_verifier (use /authen/v2/oauth/token)');
      });
    }
    if (body.grant_type !== 'refresh_token') throw unsupportedGrant();
    if (!body.refresh_token) throw invalidRequest('refresh_token is required');
    return this.refresh(app, body.refresh_token, undefined);
  }

  /**
   * The client, authenticated: a confidential one by its secret (constant-time), a public one by its id alone. The
   * web UI's client stands for the web app of the tenant the code or refresh token belongs to (`grantTenant`).
   */
  private async client(
    clientId: string,
    secret: string | undefined,
    grantTenant: () => Promise<string | undefined>,
  ): Promise<AppRow> {
    if (clientId === WEB_CLIENT_ID) {
      const tenantId = await grantTenant();
      const app = tenantId ? await this.db.read((tx) => findApp(tx, webAppId(tenantId))) : undefined;
      // No such grant: the grant is what is wrong, as for any other public client.
      if (!app) throw invalidGrant();
      return app;
    }
    const app = await this.db.read((tx) => findApp(tx, clientId));
    // An unknown client costs the same hash as a known one.
    const ok = secretMatches(secret ?? '', app?.secret_hash ?? 'x$');
    if (!app) throw invalidClient();
    if (app.client_type === 'public') return app;
    if (!secret || !ok) throw invalidClient();
    return app;
  }

  private async exchangeCode(app: AppRow, code: string, check: (row: OAuthCodeRow) => void): Promise<GrantedTokens> {
    const now = this.clock();
    const codeHash = hashToken(code);
    const row = await this.db.read((tx) => findCode(tx, codeHash));
    if (!row || row.app_id !== app.app_id) throw invalidGrant();
    // The tokens of a code belong to a family named after it, so a second use can revoke them.
    const familyId = row.code_hash;
    if (row.used_at !== null) {
      await writeTenant(this.db, row.tenant_id, (tx) => revokeFamily(tx, familyId, now));
      throw invalidGrant();
    }
    if (row.expires_at <= now) throw invalidGrant();
    check(row);
    const result = await writeTenant(this.db, row.tenant_id, async (tx) => {
      if (!(await useCode(tx, codeHash, now))) return undefined;
      const user = await findUser(tx, row.user_ref);
      if (!user || Number(user.active) !== 1) return null;
      return this.issue(tx, app.app_id, row.user_ref, familyId, row.scope, now);
    });
    if (result === undefined) {
      // Another request redeemed it between our read and our write: that is a second use.
      await writeTenant(this.db, row.tenant_id, (tx) => revokeFamily(tx, familyId, now));
      throw invalidGrant();
    }
    if (result === null) throw invalidGrant('the person may no longer sign in');
    return result;
  }

  private async refresh(app: AppRow, token: string, scope: string | undefined): Promise<GrantedTokens> {
    const now = this.clock();
    const hash = hashToken(token);
    const row = await this.db.read((tx) => findRefreshToken(tx, hash));
    if (!row || row.app_id !== app.app_id || row.revoked_at !== null) throw invalidGrant();
    if (row.rotated_at !== null) {
      // A rotated token used again: someone holds a copy. End the whole sign-in.
      await writeTenant(this.db, row.tenant_id, (tx) => revokeFamily(tx, row.family_id, now));
      throw invalidGrant();
    }
    if (row.expires_at <= now) throw invalidGrant();
    const granted = row.scope.split(' ').filter(Boolean);
    const asked = (scope ?? '').split(' ').filter(Boolean);
    if (asked.some((s) => !granted.includes(s))) throw invalidScope();
    const result = await writeTenant(this.db, row.tenant_id, async (tx) => {
      if (!(await rotateRefreshToken(tx, hash, now))) return undefined;
      const user = await findUser(tx, row.user_ref);
      if (!user || Number(user.active) !== 1) return null;
      const next = asked.length > 0 ? asked.join(' ') : row.scope;
      return this.issue(tx, app.app_id, row.user_ref, row.family_id, next, now);
    });
    if (result === undefined) {
      await writeTenant(this.db, row.tenant_id, (tx) => revokeFamily(tx, row.family_id, now));
      throw invalidGrant();
    }
    if (result === null) throw invalidGrant('the person may no longer sign in');
    return result;
  }

  private async issue(
    tx: TenantTx,
    appId: string,
    userRef: string,
    familyId: string,
    scope: string,
    now: number,
  ): Promise<GrantedTokens> {
    const accessToken = newToken('u-');
    const refreshToken = newToken('ur-');
    await insertUserAccessToken(tx, {
      token_hash: hashToken(accessToken),
      kind: 'user',
      tenant_id: tx.tenantId,
      app_id: appId,
      user_ref: userRef,
      created_at: now,
      expires_at: now + this.accessTtlSeconds * 1000,
      scope,
      family_id: familyId,
    });
    await insertRefreshToken(tx, {
      token_hash: hashToken(refreshToken),
      tenant_id: tx.tenantId,
      app_id: appId,
      user_ref: userRef,
      family_id: familyId,
      scope,
      created_at: now,
      expires_at: now + REFRESH_TTL_SECONDS * 1000,
      rotated_at: null,
      revoked_at: null,
    });
    return {
      accessToken,
      expiresIn: this.accessTtlSeconds,
      refreshToken,
      refreshExpiresIn: REFRESH_TTL_SECONDS,
      scope,
    };
  }

  /**
   * Signing out of a client (RFC 7009 in spirit): the sign-in that `refreshToken` belongs to ends, its refresh tokens
   * revoked and its access tokens deleted in every process. Whoever holds the token may end it; an unknown token is
   * not an error (nothing is left to revoke).
   */
  async revoke(refreshToken: string): Promise<void> {
    const row = await this.db.read((tx) => findRefreshToken(tx, hashToken(refreshToken)));
    if (row) await writeTenant(this.db, row.tenant_id, (tx) => revokeFamily(tx, row.family_id, this.clock()));
  }

  /** `GET /okrd/api/me`: the token's person as its app sees them, whether they administer, the tenant's time zone. */
  async me(caller: Caller): Promise<MeData> {
    const ref = caller.userRef;
    const found = ref
      ? await this.db.read(async (tx) => ({
          user: (await findUsersByRefs(tx, caller.appId, [ref]))[0],
          tenant: await findTenant(tx, caller.tenantId),
        }))
      : undefined;
    if (!found?.user || !found.tenant) throw invalidUserToken();
    const { user, tenant } = found;
    return {
      open_id: user.open_id,
      ...(caller.scopes.has(EMPLOYEE_ID_SCOPE) ? { user_id: user.employee_id } : {}),
      name_zh: user.name_zh,
      name_en: user.name_en,
      is_admin: Number(user.is_admin) === 1,
      tenant: { id: tenant.id, name: tenant.name, utc_offset_minutes: tenant.utc_offset_minutes },
    };
  }

  /** `GET /open-apis/authen/v1/user_info` (spec §9.1): the signed-in person as the token's app sees them. */
  async userInfo(caller: Caller): Promise<Static<typeof UserInfoData>> {
    const ref = caller.userRef;
    const user = ref ? (await this.db.read((tx) => findUsersByRefs(tx, caller.appId, [ref])))[0] : undefined;
    if (!user) throw invalidUserToken();
    return {
      name: user.name_zh,
      en_name: user.name_en,
      avatar_url: '',
      avatar_thumb: '',
      avatar_middle: '',
      avatar_big: '',
      open_id: user.open_id,
      union_id: user.union_id,
      email: user.email ?? '',
      enterprise_email: user.email ?? '',
      // The employee id only with the field scope (spec §2.4).
      ...(caller.scopes.has(EMPLOYEE_ID_SCOPE) ? { user_id: user.employee_id } : {}),
      mobile: user.mobile ?? '',
      tenant_key: user.tenant_id,
      employee_no: '',
    };
  }
}
