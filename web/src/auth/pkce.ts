/** PKCE (RFC 7636, S256) and the state value of an authorization request, from the browser's crypto. */

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A random URL-safe string of `n` random bytes (43 characters for 32). */
export const randomString = (n = 32) => base64url(crypto.getRandomValues(new Uint8Array(n)));

/** The S256 challenge of a verifier. */
export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}
