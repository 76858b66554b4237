/**
 * How v2 answers name users and departments: each in the id type the request asked for (`user_id_type`,
 * `department_id_type`), looked up for a whole response in one query per kind, and read back from the wire likewise.
 */
import type { Owner } from '../contract/v2/common.js';
import { notFound, userNotFound } from '../errors.js';
import type { Tx } from '../store/db.js';
import {
  findDepartmentsByRefs,
  findDepartmentsByWireIds,
  type DepartmentIdType,
} from '../store/department.repository.js';
import type { DepartmentRow } from '../store/rows.js';
import { findUsersByRefs, findUsersByWireIds, type AppUserView } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';
import { requireIdTypeAllowed, wireUserId } from './user-view.js';

/** User id types of v2 requests. */
export type V2UserIdType = 'open_id' | 'union_id' | 'user_id';
export type { DepartmentIdType };

/** The id types a v2 request asked for. */
export interface IdTypes {
  user_id_type: V2UserIdType;
  department_id_type: DepartmentIdType;
}

/** The id types of a v2 query, with Feishu's defaults; `user_id` needs the employee-id scope. */
export function idTypesOf(
  caller: Caller,
  query: { user_id_type?: V2UserIdType; department_id_type?: DepartmentIdType },
): IdTypes {
  const types: IdTypes = {
    user_id_type: query.user_id_type ?? 'open_id',
    department_id_type: query.department_id_type ?? 'open_department_id',
  };
  requireIdTypeAllowed(caller, types.user_id_type);
  return types;
}

/** The root department's id in both id types (decisions.md OQ-34). */
export const ROOT_DEPARTMENT = '0';

/** An owner as stored: a user or a department (exactly one set). */
export interface OwnerRefs {
  owner_id: string | null;
  department_id: string | null;
}

/** Wire names of the users and departments of one answer. */
export class WireNames {
  private readonly users = new Map<string, AppUserView>();
  private readonly departments = new Map<string, DepartmentRow>();

  constructor(
    private readonly caller: Caller,
    readonly types: IdTypes,
  ) {}

  /** Looks up every user and department the answer will name (one query each). */
  async load(tx: Tx, userRefs: Iterable<string | null>, departmentRefs: Iterable<string | null> = []): Promise<this> {
    const wantedUsers = [...new Set([...userRefs].filter((r): r is string => !!r && !this.users.has(r)))];
    for (const u of await findUsersByRefs(tx, this.caller.appId, wantedUsers)) this.users.set(u.id, u);
    const wantedDepartments = [
      ...new Set([...departmentRefs].filter((r): r is string => !!r && !this.departments.has(r))),
    ];
    for (const d of await findDepartmentsByRefs(tx, this.caller.tenantId, wantedDepartments)) {
      this.departments.set(d.id, d);
    }
    return this;
  }

  /** Loads the users and departments owning `owners`. */
  loadOwners(tx: Tx, owners: readonly OwnerRefs[], moreUsers: Iterable<string | null> = []): Promise<this> {
    return this.load(
      tx,
      [...owners.map((o) => o.owner_id), ...moreUsers],
      owners.map((o) => o.department_id),
    );
  }

  /** A loaded user's id in the requested type ('' for a user the app cannot see). */
  user(ref: string): string {
    const u = this.users.get(ref);
    return u ? wireUserId(u, this.types.user_id_type) : '';
  }

  /** A loaded department's id in the requested type. */
  department(ref: string): string {
    const d = this.departments.get(ref);
    return d ? d[this.types.department_id_type] : '';
  }

  /** The wire owner of a cycle, objective or key result. */
  owner(o: OwnerRefs): Owner {
    return o.department_id
      ? { owner_type: 'department', department_id: this.department(o.department_id) }
      : { owner_type: 'user', user_id: this.user(o.owner_id ?? '') };
  }
}

/** The tenant's user a request names in `type`; 1001003 when there is none. */
export async function userFromWire(tx: Tx, caller: Caller, type: V2UserIdType, id: string): Promise<AppUserView> {
  const [user] = await findUsersByWireIds(tx, caller.tenantId, caller.appId, type, [id]);
  if (!user) throw userNotFound(id);
  return user;
}

/** The tenant's department a request names in `type`; 1001004 naming `field` when there is none. */
export async function departmentFromWire(
  tx: Tx,
  caller: Caller,
  type: DepartmentIdType,
  id: string,
  field = 'department_id',
): Promise<DepartmentRow> {
  const [department] = await findDepartmentsByWireIds(tx, caller.tenantId, type, [id]);
  if (!department) throw notFound(field, id);
  return department;
}
