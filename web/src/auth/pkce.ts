/** PKCE (RFC 7636, S256) and the state value of an authorization request, from the browser's crypto. */
import { sha256 } from '@noble/hashes/sha2.js';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A random URL-safe string of `n` random bytes (43 characters for 32). */
export const randomString = (n = 32) => base64url(crypto.getRandomValues(new Uint8Array(n)));

/**
 * The S256 challenge of a verifier. Browsers give `crypto.subtle` to secure contexts only (https, localhost): an
 * organisation serving okrd on plain http inside its network has none, so SHA-256 then comes from @noble/hashes.
 * (`getRandomValues` exists in every context.)
 */
export async function challengeOf(verifier: string, subtle: SubtleCrypto | undefined = crypto.subtle): Promise<string> {
  const bytes = new TextEncoder().encode(verifier);
  return base64url(subtle ? new Uint8Array(await subtle.digest('SHA-256', bytes)) : sha256(bytes));
}
