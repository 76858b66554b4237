/**
 * The web UI's first-party OAuth client (decisions.md OQ-38): one client id that every tenant knows, public (PKCE, no
 * secret), redirecting only to a path on okrd's own origin. Plain constants, so the web bundle that imports them
 * carries nothing else.
 */

/** The client id the web UI sends to the authorize page and the token endpoint. */
export const WEB_CLIENT_ID = 'okrd_web';

/** Where the authorize page sends the browser back to, on okrd's own origin (`PUBLIC_URL`, else the request's). */
export const WEB_CALLBACK_PATH = '/auth/callback';
