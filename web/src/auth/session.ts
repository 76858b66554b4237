/**
 * The web UI's sign-in (decisions.md OQ-38): okrd's authorize page as the public client `okrd_web` with PKCE, its
 * redirect URI WEB_CALLBACK_PATH on this origin. Tokens live in sessionStorage (this tab; a reload keeps them), the
 * refresh token rotates through /open-apis/authen/v2/oauth/token, and one refresh runs at a time (a rotated token used
 * twice would end the whole sign-in). When nothing is left to refresh with, the person goes back to sign-in and then to
 * the page they were on.
 */
import type { Static } from '@sinclair/typebox';
import type { OAuthTokenRequest, OAuthTokenResponse } from '../../../src/contract/authen/oauth.js';
import { WEB_CALLBACK_PATH, WEB_CLIENT_ID } from '../../../src/contract/web-client.js';
import { initialLang } from '../i18n/i18n';
import { challengeOf, randomString } from './pkce';

const TOKENS_KEY = 'okrd.tokens';
const PENDING_KEY = 'okrd.signIn';
/** Refresh this long before the access token expires, so no call goes out with a token about to die. */
const EARLY_MS = 60_000;

interface Tokens {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
}

interface Pending {
  state: string;
  verifier: string;
  returnTo: string;
}

const redirectUri = () => `${location.origin}${WEB_CALLBACK_PATH}`;

function read<T>(key: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Raised when no token can be had: the caller has already been sent to sign in. */
export class SignedOut extends Error {
  constructor() {
    super('signed out');
    this.name = 'SignedOut';
  }
}

/** True when this tab holds a sign-in that is not yet over. */
export function hasSession(now = Date.now()): boolean {
  const t = read<Tokens>(TOKENS_KEY);
  return !!t && (t.expiresAt > now || t.refreshExpiresAt > now);
}

/** Off to okrd's authorize page; back at `returnTo` (a path of this UI) once signed in. */
export async function startSignIn(returnTo = location.pathname + location.search): Promise<never> {
  const pending: Pending = { state: randomString(16), verifier: randomString(32), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    client_id: WEB_CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri(),
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
    // okrd's sign-in page in the language the person chose here.
    lang: initialLang(),
  });
  location.assign(`/open-apis/authen/v1/authorize?${query.toString()}`);
  // The page is going away; nothing after this may run.
  return new Promise<never>(() => {});
}

async function tokenRequest(body: Static<typeof OAuthTokenRequest>): Promise<Tokens> {
  const res = await fetch('/open-apis/authen/v2/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as Static<typeof OAuthTokenResponse>;
  if (!answer.access_token || !answer.refresh_token) throw new Error(answer.error ?? `HTTP ${res.status}`);
  const now = Date.now();
  const tokens: Tokens = {
    accessToken: answer.access_token,
    expiresAt: now + (answer.expires_in ?? 0) * 1000,
    refreshToken: answer.refresh_token,
    refreshExpiresAt: now + (answer.refresh_token_expires_in ?? 0) * 1000,
  };
  sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  return tokens;
}

/**
 * The callback page's work: checks the state, trades the code (with the verifier) for tokens, and says where to go.
 * Throws with the OAuth error's name when the authorize page sent one back.
 */
export async function finishSignIn(query: URLSearchParams): Promise<string> {
  const pending = read<Pending>(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (query.get('error')) throw new Error(query.get('error')!);
  const code = query.get('code');
  if (!pending || !code || query.get('state') !== pending.state) throw new Error('state');
  await tokenRequest({
    grant_type: 'authorization_code',
    client_id: WEB_CLIENT_ID,
    code,
    redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
  });
  return pending.returnTo.startsWith('/') && !pending.returnTo.startsWith('//') ? pending.returnTo : '/';
}

let refreshing: Promise<Tokens | undefined> | undefined;

async function refresh(tokens: Tokens): Promise<Tokens | undefined> {
  refreshing ??= tokenRequest({
    grant_type: 'refresh_token',
    client_id: WEB_CLIENT_ID,
    refresh_token: tokens.refreshToken,
  })
    .catch(() => undefined)
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

/**
 * A live access token: the kept one, refreshed when (nearly) expired or when `stale` is the one the server just turned
 * down. Without one the person is sent to sign in (and back here), and this throws SignedOut.
 */
export async function accessToken(stale?: string): Promise<string> {
  if (refreshing) await refreshing;
  let tokens = read<Tokens>(TOKENS_KEY);
  const now = Date.now();
  if (tokens && (tokens.accessToken === stale || tokens.expiresAt - EARLY_MS <= now)) {
    tokens = tokens.refreshExpiresAt > now ? await refresh(tokens) : undefined;
  }
  if (!tokens) {
    sessionStorage.removeItem(TOKENS_KEY);
    await startSignIn();
  }
  return tokens!.accessToken;
}

/** Ends the sign-in at okrd (refresh family and access tokens, and the browser's sign-in session), then forgets it. */
export async function signOut(): Promise<void> {
  const tokens = read<Tokens>(TOKENS_KEY);
  sessionStorage.removeItem(TOKENS_KEY);
  try {
    await fetch('/okrd/web/sign-out', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tokens ? { refresh_token: tokens.refreshToken } : {}),
    });
  } catch {
    // Offline: the tokens are forgotten here all the same and expire on their own.
  }
}
