/** Issued access tokens, found by the hash of the token. */
import type { Tx } from './db.js';
import type { AccessTokenRow } from './rows.js';

/** The unexpired token with this hash. */
export async function findLiveToken(tx: Tx, tokenHash: string, now: number): Promise<AccessTokenRow | undefined> {
  return tx.get('SELECT * FROM access_tokens WHERE token_hash = ? AND expires_at > ?', [tokenHash, now]);
}

/** Forgets tokens that expired before `now`; resolves to how many. */
export async function deleteExpiredTokens(tx: Tx, now: number): Promise<number> {
  return tx.run('DELETE FROM access_tokens WHERE expires_at <= ?', [now]);
}
