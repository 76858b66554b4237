/**
 * Signing in through the organisation's own OpenID Connect provider (decisions.md OQ-39): the authorization code
 * flow with PKCE (S256), state and nonce kept in `oidc_logins` (the state as its hash, 10 minutes, single use); the
 * ID token's verified email finds the tenant's active person, or creates one when the tenant allows it.
 */
import * as oidc from 'openid-client';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import type { Db } from '../store/db.js';
import {
  deleteOidcLogin,
  employeeIdTaken,
  findActiveUserByEmail,
  findOidcLogin,
  insertOidcLogin,
} from '../store/identity.repository.js';
import type { TenantRow } from '../store/rows.js';
import { findTenant } from '../store/tenant.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import { AdminService } from './admin.service.js';
import type { AuthService } from './auth.service.js';
import { hashToken } from './secrets.js';
import { SignInService } from './sign-in.service.js';

/** How long a sign-in at the provider may take. */
export const OIDC_LOGIN_TTL_MS = 10 * 60_000;
export const OIDC_CALLBACK_PATH = '/okrd/sign-in/oidc/callback';

/** What a callback came to; `failed` never says why. */
export type OidcCallbackResult =
  { ok: true; sessionId: string; expiresAt: number; returnTo: string } | { ok: false; reason: 'failed' };

/** The tenant's provider, when all of issuer, client id and secret are set. */
function providerOf(tenant: TenantRow | undefined) {
  if (!tenant?.oidc_issuer || !tenant.oidc_client_id || !tenant.oidc_client_secret) return undefined;
  return { issuer: tenant.oidc_issuer, clientId: tenant.oidc_client_id, secret: tenant.oidc_client_secret };
}

/** An employee id made of the email's local part (letters, digits, _ . -), at most 60 characters. */
function employeeIdBase(email: string): string {
  const local = email.slice(0, email.lastIndexOf('@')).replace(/[^A-Za-z0-9_.-]/g, '');
  return local.slice(0, 60) || 'user';
}

export class OidcSignInService {
  private readonly signIn: SignInService;
  private readonly admin: AdminService;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    ids: IdSource,
    auth: AuthService,
    private readonly config: Pick<Config, 'publicUrl' | 'host' | 'port'>,
  ) {
    this.signIn = new SignInService(db, clock, config);
    this.admin = new AdminService(db, clock, ids, auth);
  }

  /** True when the tenant has a provider configured (the sign-in page then offers it). */
  async enabled(tenantId: string | undefined): Promise<boolean> {
    if (!tenantId) return false;
    return !!providerOf(await this.db.read((tx) => findTenant(tx, tenantId)));
  }

  private async discover(p: { issuer: string; clientId: string; secret: string }): Promise<oidc.Configuration> {
    const insecure = new URL(p.issuer).protocol === 'http:';
    return oidc.discovery(
      new URL(p.issuer),
      p.clientId,
      undefined,
      oidc.ClientSecretBasic(p.secret),
      insecure ? { execute: [oidc.allowInsecureRequests] } : {},
    );
  }

  /**
   * Starts a sign-in at the tenant's provider: resolves to the provider's authorization URL and the state (the page
   * binds it to the browser in a cookie), or undefined when the tenant has none. Throws when the provider cannot be
   * reached (discovery).
   */
  async start(tenantId: string, returnTo: string, origin: string): Promise<{ url: string; state: string } | undefined> {
    const provider = providerOf(await this.db.read((tx) => findTenant(tx, tenantId)));
    if (!provider) return undefined;
    const config = await this.discover(provider);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const now = this.clock();
    await writeTenant(this.db, tenantId, (tx) =>
      insertOidcLogin(tx, {
        state_hash: hashToken(state),
        tenant_id: tenantId,
        nonce,
        code_verifier: verifier,
        return_to: returnTo,
        created_at: now,
        expires_at: now + OIDC_LOGIN_TTL_MS,
      }),
    );
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri(origin),
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.toString(), state };
  }

  redirectUri(origin: string): string {
    return `${this.config.publicUrl || origin}${OIDC_CALLBACK_PATH}`;
  }

  /**
   * The provider sent the browser back (`query`: the callback's query string; `browserState`: the state the browser
   * that started the sign-in holds, so a callback URL handed to another browser signs nobody in). Uses up the login
   * in progress, exchanges the code, and signs the person of the verified email in. Every failure is `failed`.
   */
  async callback(query: string, origin: string, browserState: string | undefined): Promise<OidcCallbackResult> {
    const failed = { ok: false, reason: 'failed' } as const;
    const state = new URLSearchParams(query).get('state');
    if (!state || state !== browserState) return failed;
    const now = this.clock();
    const stateHash = hashToken(state);
    const login = await this.db.read((tx) => findOidcLogin(tx, stateHash));
    if (!login) return failed;
    // Single use: whoever deletes the row goes on; an expired one is deleted too and goes nowhere.
    const taken = await writeTenant(this.db, login.tenant_id, (tx) => deleteOidcLogin(tx, stateHash));
    if (!taken || login.expires_at <= now) return failed;
    const tenant = await this.db.read((tx) => findTenant(tx, login.tenant_id));
    const provider = providerOf(tenant);
    if (!tenant || !provider) return failed;
    let claims: Record<string, unknown> | undefined;
    try {
      const config = await this.discover(provider);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(`${this.redirectUri(origin)}?${query}`), {
        pkceCodeVerifier: login.code_verifier,
        expectedState: state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken) return failed;
      claims = idToken;
      // Providers that keep the ID token small (OpenID Connect Core §5.4) give the email through userinfo only.
      if (idToken.email === undefined) {
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
      }
    } catch {
      return failed;
    }
    const email = typeof claims?.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!claims || claims.email_verified !== true || !email.includes('@')) return failed;
    let user = await this.db.read((tx) => findActiveUserByEmail(tx, tenant.id, email));
    if (!user && Number(tenant.oidc_create_users) === 1) {
      try {
        user = await this.createPerson(tenant.id, email, typeof claims.name === 'string' ? claims.name : '');
      } catch {
        return failed;
      }
    }
    if (!user || Number(user.active) !== 1) return failed;
    return { ok: true, ...(await this.signIn.startSession(tenant.id, user.id)), returnTo: login.return_to };
  }

  private async createPerson(tenantId: string, email: string, name: string) {
    const base = employeeIdBase(email);
    let employeeId = base;
    for (let n = 2; await this.db.read((tx) => employeeIdTaken(tx, tenantId, employeeId)); n++) {
      employeeId = `${base}-${n}`;
    }
    const display = name.trim().slice(0, 64) || base;
    const cjk = /[\u3400-\u9fff]/.test(display);
    return this.admin.createUser(tenantId, {
      employee_id: employeeId,
      name_zh: cjk ? display : '',
      name_en: cjk ? '' : display,
      email,
    });
  }
}
