// The web UI's PKCE challenge (web/src/auth/pkce.ts) with and without the browser's crypto.subtle: a page served on
// plain http from a host that is not localhost has no crypto.subtle, and sign-in must work there all the same.
import assert from 'node:assert/strict';
import { createHash, webcrypto } from 'node:crypto';
import { describe, it } from 'node:test';
import { challengeOf, randomString } from '../../web/src/auth/pkce.js';

describe('PKCE S256 challenge of the web UI', () => {
  it('is SHA-256 in base64url with crypto.subtle and without it (insecure contexts)', async () => {
    for (let i = 0; i < 50; i++) {
      const verifier = randomString();
      assert.match(verifier, /^[A-Za-z0-9_-]{43}$/);
      const expected = createHash('sha256').update(verifier).digest('base64url');
      assert.equal(await challengeOf(verifier, undefined), expected, verifier);
      assert.equal(await challengeOf(verifier, webcrypto.subtle as SubtleCrypto), expected, verifier);
    }
  });
});
