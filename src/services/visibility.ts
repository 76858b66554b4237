/** Who may read and who may write an OKR and what hangs under it. */
import { noPermission } from '../errors.js';
import type { Tx } from '../store/db.js';
import { membersLedBy } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';

/** The owner and visibility of an OKR. */
export interface OkrAccess {
  owner_id: string;
  visibility: 'tenant' | 'leaders';
}

/**
 * The OKRs among `okrs` that the caller may not read: under a user token, those restricted to the leader chain
 * whose owner is neither the caller nor led by the caller. A tenant token with a read scope reads everything.
 */
export async function unreadable<T extends OkrAccess & { id: string }>(
  tx: Tx,
  caller: Caller,
  okrs: readonly T[],
): Promise<Set<string>> {
  if (caller.kind !== 'user' || !caller.userRef) return new Set();
  const me = caller.userRef;
  const restricted = okrs.filter((o) => o.visibility === 'leaders' && o.owner_id !== me);
  if (restricted.length === 0) return new Set();
  const ledByMe = await membersLedBy(tx, me, [...new Set(restricted.map((o) => o.owner_id))]);
  return new Set(restricted.filter((o) => !ledByMe.has(o.owner_id)).map((o) => o.id));
}

/** Throws 1001002 unless the caller may read the OKR. */
export async function requireReadable(tx: Tx, caller: Caller, okr: OkrAccess): Promise<void> {
  if ((await unreadable(tx, caller, [{ ...okr, id: '' }])).size > 0) throw noPermission('no permission to this data');
}

/** Throws 1001002 unless the caller may change the OKR: a user only their own; a tenant token (its scope checked) any. */
export function requireWritable(caller: Caller, okr: OkrAccess): void {
  if (caller.kind === 'user' && caller.userRef !== okr.owner_id) throw noPermission('no permission to this data');
}
