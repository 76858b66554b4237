/**
 * The contact look-ups OKR clients make before OKR calls (spec §9.3): users by email or mobile, a user, users' names,
 * a department's children and direct members, and the person search of a signed-in user. Every answer takes a fixed
 * number of queries, however many people or departments it holds.
 */
import type {
  Avatar,
  BasicBatchBody,
  BasicBatchData,
  BatchGetIdBody,
  BatchGetIdData,
  ChildrenQuery,
  ContactDepartment,
  ContactIdTypesQuery,
  ContactUser,
  DepartmentPageData,
  FindByDepartmentQuery,
  SearchUserData,
  SearchUserQuery,
  UserData,
  UserIdTypeQuery,
  UserPageData,
  UserStatus,
} from '../contract/contact/contact.js';
import { EMPLOYEE_ID_SCOPE } from '../contract/scopes.js';
import { invalidParam } from '../errors.js';
import {
  activeMembersPage,
  departmentsBelow,
  findUsersByEmails,
  findUsersByMobiles,
  memberCounts,
  membershipsOf,
  searchActiveUsers,
  type DepartmentWithParent,
} from '../store/contact.repository.js';
import type { Db, Tx } from '../store/db.js';
import { findUsersByWireIds, type AppUserView } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';
import { decodeCursor, toPage } from './paging.js';
import { wireUserId } from './user-view.js';
import { ROOT_DEPARTMENT, WireNames, departmentFromWire, idTypesOf, userFromWire, type IdTypes } from './wire-names.js';

/** okrd keeps no pictures of people. */
const NO_AVATAR: Avatar = { avatar_72: '', avatar_240: '', avatar_640: '', avatar_origin: '' };

/** Mainland China's calling code, which Feishu lets a mobile number leave out. */
const MAINLAND = '+86';

/** Serves the contact and search look-ups. */
export class ContactService {
  constructor(private readonly db: Db) {}

  /**
   * POST /contact/v3/users/batch_get_id: one entry per asked email (compared in any case), then per asked mobile
   * (with or without +86), in order; `user_id` in the requested type, left out for nobody or, without
   * `include_resigned`, a deactivated person.
   */
  async batchGetId(caller: Caller, query: UserIdTypeQuery, body: BatchGetIdBody): Promise<BatchGetIdData> {
    const types = idTypesOf(caller, query);
    const emails = body.emails ?? [];
    const mobiles = body.mobiles ?? [];
    if (emails.length === 0 && mobiles.length === 0) {
      throw invalidParam('emails: give at least one email or mobile; mobiles: give at least one email or mobile');
    }
    const includeResigned = body.include_resigned ?? false;
    const usable = (u: AppUserView) => includeResigned || u.active === 1;
    const entry = (u: AppUserView | undefined) =>
      u ? { user_id: wireUserId(u, types.user_id_type), status: statusOf(u) } : {};

    return this.db.read(async (tx) => {
      const lowerEmails = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
      const byEmail = (await findUsersByEmails(tx, caller.tenantId, caller.appId, lowerEmails)).filter(usable);
      const candidates = [...new Set(mobiles.flatMap(mobileForms))];
      const byMobile = (await findUsersByMobiles(tx, caller.tenantId, caller.appId, candidates)).filter(usable);
      return {
        user_list: [
          ...emails.map((email) => ({ ...entry(bestByEmail(byEmail, email)), email })),
          ...mobiles.map((mobile) => {
            const forms = mobileForms(mobile);
            return { ...entry(byMobile.find((u) => u.mobile !== null && forms.includes(u.mobile))), mobile };
          }),
        ],
      };
    });
  }

  /** GET /contact/v3/users/:user_id: the person (deactivated ones too); 1001003 for nobody of the tenant. */
  async getUser(caller: Caller, userId: string, query: ContactIdTypesQuery): Promise<UserData> {
    const types = idTypesOf(caller, query);
    return this.db.read(async (tx) => {
      const user = await userFromWire(tx, caller, types.user_id_type, userId);
      const [view] = await userViews(tx, caller, types, [user]);
      return { user: view! };
    });
  }

  /** POST /contact/v3/users/basic_batch: the names of the users found, in the order asked (unknown ids left out). */
  async basicBatch(caller: Caller, query: UserIdTypeQuery, body: BasicBatchBody): Promise<BasicBatchData> {
    const types = idTypesOf(caller, query);
    const ids = [...new Set(body.user_ids)];
    return this.db.read(async (tx) => {
      const found = await findUsersByWireIds(tx, caller.tenantId, caller.appId, types.user_id_type, ids);
      const byId = new Map(found.map((u) => [wireUserId(u, types.user_id_type), u]));
      return {
        users: ids.flatMap((id) => {
          const u = byId.get(id);
          return u ? [{ user_id: id, name: nameOf(u), i18n_name: i18nName(u.name_zh, u.name_en) }] : [];
        }),
      };
    });
  }

  /**
   * GET /contact/v3/users/find_by_department: the active direct members of a department, or for the root "0" the
   * active people in no department; 1001004 for a department the tenant does not have.
   */
  async findByDepartment(caller: Caller, query: FindByDepartmentQuery): Promise<UserPageData> {
    const types = idTypesOf(caller, query);
    const pageSize = query.page_size ?? 10;
    const after = query.page_token ? decodeCursor(query.page_token, ['string'])[0] : undefined;
    return this.db.read(async (tx) => {
      const department =
        query.department_id === ROOT_DEPARTMENT
          ? null
          : await departmentFromWire(tx, caller, types.department_id_type, query.department_id);
      const rows = await activeMembersPage(
        tx,
        caller.tenantId,
        caller.appId,
        department?.id ?? null,
        after,
        pageSize + 1,
      );
      const shown = rows.slice(0, pageSize);
      const views = await userViews(tx, caller, types, shown);
      const viewOf = new Map(shown.map((u, i) => [u.id, views[i]!]));
      return toPage(
        rows,
        pageSize,
        (u) => [u.id],
        (u) => viewOf.get(u.id)!,
      );
    });
  }

  /**
   * GET /contact/v3/departments/:department_id/children: the direct children of a department (of the root "0":
   * the departments without a parent), or with `fetch_child` every department below it; 1001004 for a department
   * the tenant does not have.
   */
  async children(caller: Caller, departmentId: string, query: ChildrenQuery): Promise<DepartmentPageData> {
    const types = idTypesOf(caller, query);
    const pageSize = query.page_size ?? 10;
    const after = query.page_token ? decodeCursor(query.page_token, ['string'])[0] : undefined;
    return this.db.read(async (tx) => {
      const parent =
        departmentId === ROOT_DEPARTMENT
          ? null
          : await departmentFromWire(tx, caller, types.department_id_type, departmentId);
      const rows = await departmentsBelow(
        tx,
        caller.tenantId,
        parent?.id ?? null,
        query.fetch_child ?? false,
        after,
        pageSize + 1,
      );
      const shown = rows.slice(0, pageSize);
      const counts = await memberCounts(
        tx,
        caller.tenantId,
        shown.map((d) => d.id),
      );
      const names = await new WireNames(caller, types).load(
        tx,
        shown.map((d) => d.leader_id),
      );
      return toPage(
        rows,
        pageSize,
        (d) => [d.id],
        (d) => departmentView(d, types, names, counts.get(d.id) ?? 0),
      );
    });
  }

  /**
   * GET /search/v1/user (user tokens): active people whose Chinese or English name, email or — for an app granted
   * employee ids — employee id contains the query, in any case.
   */
  async searchUsers(caller: Caller, query: SearchUserQuery): Promise<SearchUserData> {
    const text = query.query.trim().toLowerCase();
    if (!text) throw invalidParam('query: must not be blank');
    const pageSize = query.page_size ?? 20;
    const after = query.page_token ? decodeCursor(query.page_token, ['string'])[0] : undefined;
    const employeeIds = caller.scopes.has(EMPLOYEE_ID_SCOPE);
    return this.db.read(async (tx) => {
      const rows = await searchActiveUsers(tx, caller.tenantId, caller.appId, text, employeeIds, after, pageSize + 1);
      const shown = rows.slice(0, pageSize);
      const departments = await departmentIdsOf(
        tx,
        caller.tenantId,
        'open_department_id',
        shown.map((u) => u.id),
      );
      const page = toPage(
        rows,
        pageSize,
        (u) => [u.id],
        (u) => ({
          name: nameOf(u),
          open_id: u.open_id,
          ...(employeeIds ? { user_id: u.employee_id } : {}),
          department_ids: departments.get(u.id) ?? [ROOT_DEPARTMENT],
          avatar: { ...NO_AVATAR },
        }),
      );
      return {
        users: page.items,
        has_more: page.has_more,
        ...(page.page_token ? { page_token: page.page_token } : {}),
      };
    });
  }
}

/** The wire forms of `users` (in order): their departments and leaders looked up in one query each. */
async function userViews(
  tx: Tx,
  caller: Caller,
  types: IdTypes,
  users: readonly AppUserView[],
): Promise<ContactUser[]> {
  const departments = await departmentIdsOf(
    tx,
    caller.tenantId,
    types.department_id_type,
    users.map((u) => u.id),
  );
  const names = await new WireNames(caller, types).load(
    tx,
    users.map((u) => u.leader_id),
  );
  const employeeIds = caller.scopes.has(EMPLOYEE_ID_SCOPE);
  return users.map((u) => {
    const leader = u.leader_id ? names.user(u.leader_id) : '';
    return {
      open_id: u.open_id,
      union_id: u.union_id,
      ...(employeeIds ? { user_id: u.employee_id } : {}),
      name: nameOf(u),
      en_name: u.name_en,
      ...(u.email ? { email: u.email } : {}),
      ...(u.mobile ? { mobile: u.mobile } : {}),
      ...(leader ? { leader_user_id: leader } : {}),
      department_ids: departments.get(u.id) ?? [ROOT_DEPARTMENT],
      status: statusOf(u),
      avatar: { ...NO_AVATAR },
    };
  });
}

/** The ids (in `type`) of the departments each user is a direct member of; people in none are absent. */
async function departmentIdsOf(
  tx: Tx,
  tenantId: string,
  type: IdTypes['department_id_type'],
  userRefs: readonly string[],
): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>();
  for (const m of await membershipsOf(tx, tenantId, userRefs)) {
    const list = byUser.get(m.user_ref) ?? [];
    list.push(m[type]);
    byUser.set(m.user_ref, list);
  }
  return byUser;
}

/** The wire form of a department. */
function departmentView(d: DepartmentWithParent, types: IdTypes, names: WireNames, members: number): ContactDepartment {
  const parent = types.department_id_type === 'department_id' ? d.parent_department_id : d.parent_open_department_id;
  const leader = d.leader_id ? names.user(d.leader_id) : '';
  return {
    name: d.name_zh || d.name_en,
    i18n_name: i18nName(d.name_zh, d.name_en),
    parent_department_id: parent ?? ROOT_DEPARTMENT,
    department_id: d.department_id,
    open_department_id: d.open_department_id,
    ...(leader ? { leader_user_id: leader } : {}),
    member_count: members,
    status: { is_deleted: false },
  };
}

/** A person's display name: Chinese, else English. */
function nameOf(u: AppUserView): string {
  return u.name_zh || u.name_en;
}

/** The names a tenant holds, by Feishu language key (empty ones left out). */
function i18nName(zh: string, en: string): { zh_cn?: string; en_us?: string } {
  return { ...(zh ? { zh_cn: zh } : {}), ...(en ? { en_us: en } : {}) };
}

/** A person's account state: active, or deactivated (shown as resigned). */
function statusOf(u: AppUserView): UserStatus {
  return {
    is_frozen: false,
    is_resigned: u.active !== 1,
    is_activated: u.active === 1,
    is_exited: false,
    is_unjoin: false,
  };
}

/** The stored forms a mobile number may have: as given, and with or without mainland China's +86. */
function mobileForms(raw: string): string[] {
  const m = raw.trim().replace(/[\s-]/g, '');
  if (!m) return [];
  if (m.startsWith(MAINLAND)) return [m, m.slice(MAINLAND.length)];
  return m.startsWith('+') ? [m] : [m, `${MAINLAND}${m}`];
}

/** The person an email names: the one whose stored email has the same case if several differ only in case. */
function bestByEmail(users: readonly AppUserView[], email: string): AppUserView | undefined {
  const lower = email.trim().toLowerCase();
  const matching = users.filter((u) => u.email !== null && u.email.toLowerCase() === lower);
  return matching.find((u) => u.email === email.trim()) ?? matching[0];
}
