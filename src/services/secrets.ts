/** Random secrets and tokens, and the hashes they are stored as. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new unguessable token: `prefix` + 43 base64url characters (256 bits). */
export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** `n` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** The stored form of a bearer token (tokens carry 256 bits of entropy, so a plain SHA-256 suffices). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The stored form of an app secret: a random salt and SHA-256 of salt and secret. */
export function hashSecret(secret: string, salt: string = randomHex(16)): string {
  return `${salt}$${createHash('sha256').update(`${salt}:${secret}`).digest('hex')}`;
}

/** True when `secret` is the one `stored` was made from; constant-time. */
export function secretMatches(secret: string, stored: string): boolean {
  const salt = stored.slice(0, stored.indexOf('$'));
  const a = Buffer.from(hashSecret(secret, salt));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}
