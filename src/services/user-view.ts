/** How users appear on the v1 wire, and who may ask for employee ids. */
import { EMPLOYEE_ID_SCOPE } from '../contract/scopes.js';
import type { UserIdType } from '../domain/users.js';
import { scopeRequired } from '../errors.js';
import type { AppUserView } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';

/** A v1 user object: the app's open_id, and `user_id` in the requested id type (decisions.md OQ-6). */
export function userRef(u: AppUserView, type: UserIdType): { open_id: string; user_id: string } {
  return { open_id: u.open_id, user_id: wireUserId(u, type) };
}

/** The user's id in the namespace `type`. */
export function wireUserId(u: AppUserView, type: UserIdType): string {
  switch (type) {
    case 'open_id':
      return u.open_id;
    case 'union_id':
      return u.union_id;
    case 'user_id':
      return u.employee_id;
    case 'people_admin_id':
      return u.people_admin_id;
  }
}

/** Employee ids are a field the app must be granted (spec §2.4); other id types are always allowed. */
export function requireIdTypeAllowed(caller: Caller, type: UserIdType): void {
  if (type === 'user_id' && !caller.scopes.has(EMPLOYEE_ID_SCOPE)) throw scopeRequired([EMPLOYEE_ID_SCOPE]);
}
