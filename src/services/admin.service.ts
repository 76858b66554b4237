/** Tenant administration behind the CLI: tenants, apps, users, departments and user tokens. */
import { ALL_SCOPES } from '../contract/scopes.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { OkrdError, invalidParam, noPermission, notFound, userNotFound } from '../errors.js';
import {
  EXPIRING_TABLES,
  allDepartmentMembers,
  allPeriods,
  allTenantIds,
  deleteAppCascade,
  deleteExpired,
  deleteRedirectUri,
  deleteReview,
  departmentIdsOfUsers,
  departmentRefsOfUser,
  findAdminUser,
  findAppOfTenant,
  findReview,
  findUserByEmail,
  findUserByRef,
  insertRedirectUri,
  listAdminUsers,
  listDepartments,
  listReviews,
  redirectUrisOf,
  revokeUserCredentials,
  selfAndLeaderRefs,
  setOwnerVisibility,
  updateAppRow,
  updateTenantRow,
  updateUserRow,
  type AdminReviewRow,
  type AdminUserRow,
  type TenantChanges,
  type UserChanges,
} from '../store/admin.repository.js';
import type { Db, Tx } from '../store/db.js';
import {
  deleteDepartmentMember,
  findDepartmentWithNames,
  insertDepartment,
  insertDepartmentMember,
  membersOf,
  selfAndAncestorRefs,
  updateDepartmentRow,
  type DepartmentChanges,
  type DepartmentWithNames,
} from '../store/department.repository.js';
import { findPeriod, listPeriodRules } from '../store/period.repository.js';
import type { AppRow, DepartmentRow, PeriodRow, PeriodRuleRow, TenantRow, UserRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { appsOfTenant, findApp, findTenant } from '../store/tenant.repository.js';
import { writeTenant, type TenantTx } from '../store/tenant-write.js';
import { addOpenIdsForEveryUser, findUserByEmployeeId } from '../store/user.repository.js';
import type { AuthService, Caller, IssuedToken } from './auth.service.js';
import { decodeCursor, toPage, type Page } from './paging.js';
import { PeriodService } from './period.service.js';
import { hashSecret, newToken, randomHex } from './secrets.js';
import { ROOT_DEPARTMENT } from './wire-names.js';

const tenantNotFound = (id: string) => new OkrdError(1001004, `tenant not found: ${id}`);
const departmentNotFound = (id: string) => new OkrdError(1001004, `department not found: ${id}`);

/** The tenant's own id of a department: 1–64 letters, digits or _ . - ("0" names the root, decisions.md OQ-34). */
const DEPARTMENT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_NAME = 100;

/** A new department: its own id (default: the open id's hex), names, parent ("0" or absent: the root) and leader. */
export interface NewDepartment {
  department_id?: string;
  name_zh: string;
  name_en?: string;
  parent_department_id?: string;
  leader_employee_id?: string;
}

/**
 * Changes to a department; absent fields stay. `parent_department_id` "0" moves it under the root; a null leader
 * takes the leader away.
 */
export interface DepartmentUpdate {
  name_zh?: string;
  name_en?: string;
  parent_department_id?: string;
  leader_employee_id?: string | null;
}

/** A department as the CLI prints it: the tenant's own ids of it, its parent ("0": the root), leader and members. */
export interface DepartmentView {
  department_id: string;
  open_department_id: string;
  name_zh: string;
  name_en: string;
  parent_department_id: string;
  leader_user_id: string | null;
  member_user_ids: string[];
  created_at: number;
  updated_at: number;
}

/** Options of a new app: its OAuth client type (default confidential) and redirect URIs. */
export interface NewAppOptions {
  client_type?: 'public' | 'confidential';
  redirect_uris?: readonly string[];
}

/** Changes to a tenant; absent fields stay; null or "" clears an OpenID Connect field. */
export interface TenantUpdate {
  name?: string;
  utc_offset_minutes?: number;
  password_sign_in?: boolean;
  oidc_issuer?: string | null;
  oidc_client_id?: string | null;
  oidc_client_secret?: string | null;
  oidc_create_users?: boolean;
}

/** A tenant's settings as administration shows them: never the provider's client secret itself. */
export interface TenantView {
  tenant_id: string;
  name: string;
  utc_offset_minutes: number;
  password_sign_in: boolean;
  oidc_issuer: string | null;
  oidc_client_id: string | null;
  oidc_client_secret_set: boolean;
  oidc_create_users: boolean;
  created_at: number;
}

/** A period rule as v1 lists it. */
export interface PeriodRuleView {
  period_rule_id: string;
  type: 'month' | 'year';
  length: number;
  first_month: number;
}

/** A period as administration shows it (times in epoch ms). */
export interface PeriodView {
  period_id: string;
  period_rule_id: string | null;
  zh_name: string;
  en_name: string;
  status: number;
  start_month: string;
  end_month: string;
  period_start_time: number;
  period_end_time: number;
}

/** Changes to a person; absent fields stay; null (or "") clears email, mobile and leader. */
export interface UserUpdate {
  name_zh?: string;
  name_en?: string;
  email?: string | null;
  mobile?: string | null;
  leader_employee_id?: string | null;
  /** Exactly these departments (the tenant's own ids). */
  department_ids?: readonly string[];
  active?: boolean;
  is_admin?: boolean;
  /** Who may read all of the person's OKRs. */
  visibility?: 'tenant' | 'leaders';
}

/** A person as administration shows them. */
export interface UserView {
  user_id: string;
  union_id: string;
  people_admin_id: string;
  name_zh: string;
  name_en: string;
  email: string | null;
  mobile: string | null;
  leader_user_id: string | null;
  department_ids: string[];
  active: boolean;
  is_admin: boolean;
  /** "leaders" once every OKR they own is visible to their leaders only, else "tenant". */
  okr_visibility: 'tenant' | 'leaders';
  created_at: number;
}

/** An app as administration shows it: never its secret. */
export interface AppView {
  app_id: string;
  name: string;
  client_type: 'confidential' | 'public';
  scopes: string[];
  redirect_uris: string[];
  created_at: number;
}

/** A review document or progress report link. */
export interface ReviewView {
  id: string;
  user_id: string;
  period_id: string;
  kind: 'cycle_review' | 'progress_report';
  url: string;
  create_time: number;
}

const MONTH_LENGTHS: readonly number[] = [1, 2, 3, 4, 6];
const VISIBILITIES: readonly string[] = ['tenant', 'leaders'];
const MAX_REDIRECT_URIS = 20;
const MAX_URI = 2048;

/** Creates and administers tenants, their settings, periods, people, departments, apps and reviews. */
export class AdminService {
  // Periods are made and changed exactly as the v1 endpoints do, for the tenant as a whole.
  private readonly periods: PeriodService;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly auth: AuthService,
  ) {
    this.periods = new PeriodService(db, clock, ids);
  }

  /** A new, empty tenant. */
  async createTenant(name: string, utcOffsetMinutes = 480): Promise<TenantRow> {
    if (!name.trim()) throw invalidParam('name: must not be empty');
    if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) {
      throw invalidParam('utc_offset_minutes: must be a whole number from -840 to 840');
    }
    const row: TenantRow = {
      id: this.ids(),
      name: name.trim(),
      utc_offset_minutes: utcOffsetMinutes,
      created_at: this.clock(),
      data_version: 0,
      password_sign_in: 1,
      oidc_issuer: null,
      oidc_client_id: null,
      oidc_client_secret: null,
      oidc_create_users: 0,
    };
    await writeTenant(this.db, row.id, (tx) => insertRow(tx, 'tenants', row));
    return row;
  }

  /**
   * A new app of the tenant; the secret is returned here once and only its hash is kept. A public app (PKCE only,
   * decisions OQ-38) has no usable secret: its `app_secret` is "" and what is stored matches no secret anyone knows.
   */
  async createApp(
    tenantId: string,
    name: string,
    scopes: readonly string[] = ALL_SCOPES,
    options: NewAppOptions = {},
  ): Promise<{ app_id: string; app_secret: string }> {
    const unknown = scopes.find((s) => !(ALL_SCOPES as readonly string[]).includes(s));
    const problems = unknown === undefined ? [] : [`scopes: unknown scope ${unknown}`];
    const clientType = options.client_type ?? 'confidential';
    if (clientType !== 'confidential' && clientType !== 'public') {
      problems.push('client_type: must be public or confidential');
    }
    const uris = [...new Set(options.redirect_uris ?? [])];
    problems.push(...uris.flatMap((u) => redirectUriProblems(u)));
    if (uris.length > MAX_REDIRECT_URIS) problems.push(`redirect_uris: at most ${MAX_REDIRECT_URIS}`);
    if (problems.length > 0) throw invalidParam(problems.join('; '));
    const appSecret = newToken('');
    const row: AppRow = {
      app_id: `cli_${randomHex(8)}`,
      tenant_id: tenantId,
      name: name.trim() || 'app',
      secret_hash: hashSecret(appSecret),
      scopes: [...new Set(scopes)].join(' '),
      created_at: this.clock(),
      client_type: clientType,
    };
    await writeTenant(this.db, tenantId, async (tx) => {
      if (!(await findTenant(tx, tenantId))) throw tenantNotFound(tenantId);
      await insertRow(tx, 'apps', row);
      await addOpenIdsForEveryUser(tx, row.app_id);
      for (const uri of uris) await insertRedirectUri(tx, row.app_id, uri, row.created_at);
    });
    return { app_id: row.app_id, app_secret: clientType === 'public' ? '' : appSecret };
  }

  /**
   * A new user of the tenant, optionally led by the user with employee id `leader_employee_id` and a member of the
   * departments `department_ids` (the tenant's own ids).
   */
  async createUser(
    tenantId: string,
    user: {
      employee_id: string;
      name_zh: string;
      name_en: string;
      leader_employee_id?: string;
      department_ids?: readonly string[];
      email?: string;
      mobile?: string;
      is_admin?: boolean;
    },
  ): Promise<UserRow> {
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(user.employee_id)) {
      throw invalidParam('user_id: 1–64 letters, digits or _ . @ -');
    }
    const contactProblems = [
      ...(user.email ? emailProblems(user.email) : []),
      ...(user.mobile ? mobileProblems(user.mobile) : []),
    ];
    if (contactProblems.length > 0) throw invalidParam(contactProblems.join('; '));
    const email = user.email ? user.email.trim().toLowerCase() : null;
    if (!user.name_zh.trim() && !user.name_en.trim()) throw invalidParam('name: give a Chinese or an English name');
    const departmentIds = [...new Set(user.department_ids ?? [])];
    const badDepartment = departmentIds.find((d) => !DEPARTMENT_ID.test(d) || d === ROOT_DEPARTMENT);
    if (badDepartment !== undefined) {
      throw invalidParam(`department_ids: ${JSON.stringify(badDepartment)} is not a department id`);
    }
    return writeTenant(this.db, tenantId, async (tx) => {
      if (!(await findTenant(tx, tenantId))) throw tenantNotFound(tenantId);
      if (await findUserByEmployeeId(tx, tenantId, user.employee_id)) {
        throw invalidParam(`user_id: ${user.employee_id} already exists in this tenant`);
      }
      if (email !== null && (await findUserByEmail(tx, tenantId, email))) {
        throw invalidParam(`email: ${email} is another person's email in this tenant`);
      }
      let leaderId: string | null = null;
      if (user.leader_employee_id) {
        const leader = await findUserByEmployeeId(tx, tenantId, user.leader_employee_id);
        if (!leader) throw userNotFound(user.leader_employee_id);
        leaderId = leader.id;
      }
      const row: UserRow = {
        id: this.ids(),
        tenant_id: tenantId,
        employee_id: user.employee_id,
        union_id: `on_${randomHex(16)}`,
        people_admin_id: this.ids(),
        name_zh: user.name_zh.trim(),
        name_en: user.name_en.trim(),
        leader_id: leaderId,
        created_at: this.clock(),
        email,
        mobile: user.mobile ? user.mobile.trim() : null,
        active: 1,
        is_admin: user.is_admin ? 1 : 0,
      };
      const departments: DepartmentRow[] = [];
      for (const id of departmentIds) {
        const department = await findDepartmentWithNames(tx, tenantId, id);
        if (!department) throw invalidParam(`department_ids: no department ${id} in this tenant`);
        departments.push(department);
      }
      await insertRow(tx, 'users', row);
      for (const app of await appsOfTenant(tx, tenantId)) await addOpenId(tx, app.app_id, row.id);
      for (const d of departments) await insertDepartmentMember(tx, d.id, row.id, row.created_at);
      return row;
    });
  }

  /** A new department of the tenant (1001001 naming the field for bad input, 1001003 for an unknown leader). */
  async createDepartment(tenantId: string, input: NewDepartment): Promise<DepartmentView> {
    const problems = [
      ...(input.department_id === undefined ? [] : departmentIdProblems('department_id', input.department_id)),
      ...nameProblems('name_zh', input.name_zh, true),
      ...nameProblems('name_en', input.name_en ?? '', false),
      ...parentProblems(input.parent_department_id),
    ];
    if (problems.length > 0) throw invalidParam(problems.join('; '));
    return writeTenant(this.db, tenantId, async (tx) => {
      if (!(await findTenant(tx, tenantId))) throw tenantNotFound(tenantId);
      const open = `od-${randomHex(16)}`;
      const departmentId = input.department_id ?? open.slice(3);
      if (await findDepartmentWithNames(tx, tenantId, departmentId)) {
        throw invalidParam(`department_id: ${departmentId} already exists in this tenant`);
      }
      const parent = await findParent(tx, tenantId, input.parent_department_id);
      const leader = input.leader_employee_id === undefined ? null : await findUserOf(tx, input.leader_employee_id);
      const now = this.clock();
      await insertDepartment(tx, {
        id: this.ids(),
        tenant_id: tenantId,
        department_id: departmentId,
        open_department_id: open,
        name_zh: input.name_zh.trim(),
        name_en: (input.name_en ?? '').trim(),
        parent_id: parent?.id ?? null,
        leader_id: leader?.id ?? null,
        created_at: now,
        updated_at: now,
      });
      return departmentView(tx, departmentId);
    });
  }

  /** Changes a department's names, parent (never to itself or below itself) or leader. */
  async updateDepartment(tenantId: string, departmentId: string, changes: DepartmentUpdate): Promise<DepartmentView> {
    validateDepartmentUpdate(changes);
    return writeTenant(this.db, tenantId, async (tx) => {
      await this.applyDepartmentUpdate(tx, tenantId, departmentId, changes);
      return departmentView(tx, departmentId);
    });
  }

  private async applyDepartmentUpdate(
    tx: TenantTx,
    tenantId: string,
    departmentId: string,
    changes: DepartmentUpdate,
  ): Promise<void> {
    const department = await findDepartmentOf(tx, tenantId, departmentId);
    const row: DepartmentChanges = {};
    if (changes.name_zh !== undefined) row.name_zh = changes.name_zh.trim();
    if (changes.name_en !== undefined) row.name_en = changes.name_en.trim();
    if (changes.parent_department_id !== undefined) {
      const parent = await findParent(tx, tenantId, changes.parent_department_id);
      if (parent && (await selfAndAncestorRefs(tx, tenantId, parent.id)).includes(department.id)) {
        throw invalidParam(
          `parent_department_id: ${changes.parent_department_id} is ${
            parent.id === department.id ? 'the department itself' : `under department ${departmentId}`
          }: that would make a loop`,
        );
      }
      row.parent_id = parent?.id ?? null;
    }
    if (changes.leader_employee_id !== undefined) {
      row.leader_id =
        changes.leader_employee_id === null ? null : (await findUserOf(tx, changes.leader_employee_id)).id;
    }
    await updateDepartmentRow(tx, department.id, row, this.clock());
  }

  /** Makes the user with employee id `employeeId` a member of the department (1001001 if they already are). */
  async addDepartmentMember(tenantId: string, departmentId: string, employeeId: string): Promise<DepartmentView> {
    return writeTenant(this.db, tenantId, async (tx) => {
      const department = await findDepartmentOf(tx, tenantId, departmentId);
      const user = await findUserOf(tx, employeeId);
      if ((await membersOf(tx, tenantId, department.id)).some((m) => m.user_ref === user.id)) {
        throw invalidParam(`user_id: ${employeeId} is already a member of department ${departmentId}`);
      }
      await insertDepartmentMember(tx, department.id, user.id, this.clock());
      return departmentView(tx, departmentId);
    });
  }

  /** Ends the membership of the user with employee id `employeeId` (1001001 if they are not a member). */
  async removeDepartmentMember(tenantId: string, departmentId: string, employeeId: string): Promise<DepartmentView> {
    return writeTenant(this.db, tenantId, async (tx) => {
      const department = await findDepartmentOf(tx, tenantId, departmentId);
      const user = await findUserOf(tx, employeeId);
      if ((await deleteDepartmentMember(tx, department.id, user.id)) === 0) {
        throw invalidParam(`user_id: ${employeeId} is not a member of department ${departmentId}`);
      }
      return departmentView(tx, departmentId);
    });
  }

  /** Makes the users with employee ids `employeeIds` the department's members, and no one else. */
  async setDepartmentMembers(
    tenantId: string,
    departmentId: string,
    employeeIds: readonly string[],
  ): Promise<DepartmentView> {
    return writeTenant(this.db, tenantId, async (tx) => {
      await this.applyMembers(tx, tenantId, departmentId, employeeIds);
      return departmentView(tx, departmentId);
    });
  }

  private async applyMembers(
    tx: TenantTx,
    tenantId: string,
    departmentId: string,
    employeeIds: readonly string[],
  ): Promise<void> {
    const department = await findDepartmentOf(tx, tenantId, departmentId);
    const wanted = new Map<string, UserRow>();
    for (const employeeId of employeeIds) {
      const user = await findUserOf(tx, employeeId);
      wanted.set(user.id, user);
    }
    const current = new Set((await membersOf(tx, tenantId, department.id)).map((m) => m.user_ref));
    for (const ref of current) if (!wanted.has(ref)) await deleteDepartmentMember(tx, department.id, ref);
    const now = this.clock();
    for (const ref of wanted.keys()) if (!current.has(ref)) await insertDepartmentMember(tx, department.id, ref, now);
  }

  /** A user access token for the user with employee id `employeeId`, through app `appId`. */
  async userToken(appId: string, employeeId: string, ttlSeconds: number): Promise<IssuedToken> {
    const found = await this.db.read(async (tx) => {
      const app = await findApp(tx, appId);
      const user = app && (await findUserByEmployeeId(tx, app.tenant_id, employeeId));
      return { app, user };
    });
    if (!found.app) throw invalidParam(`app_id: no app ${appId}`);
    if (!found.user) throw userNotFound(employeeId);
    return this.auth.issueUserToken(found.app.tenant_id, appId, found.user.id, ttlSeconds);
  }

  // ---- Administration (CLI and /okrd/admin/) --------------------------------------------------------------------

  /**
   * The tenant a caller administers: a user token of an active tenant administrator (users.is_admin = 1); anyone
   * else gets 1001002.
   */
  async requireAdmin(caller: Caller): Promise<string> {
    const ref = caller.kind === 'user' ? caller.userRef : undefined;
    const user = ref ? await this.db.read((tx) => findUserByRef(tx, caller.tenantId, ref)) : undefined;
    if (!user || user.is_admin !== 1 || user.active !== 1) {
      throw noPermission('no permission: only a tenant administrator may call this API');
    }
    return caller.tenantId;
  }

  /** The tenant's settings, its OpenID Connect client secret shown only as whether one is set. */
  async tenant(tenantId: string): Promise<TenantView> {
    const row = await this.db.read((tx) => findTenant(tx, tenantId));
    if (!row) throw tenantNotFound(tenantId);
    return tenantView(row);
  }

  /**
   * Changes the tenant's name, time zone (periods made later use it; existing ones keep their bounds) and sign-in
   * settings. The provider's issuer, client id and client secret are set together or cleared together (null or "");
   * password sign-in can be turned off only while a provider is set.
   */
  async updateTenant(tenantId: string, changes: TenantUpdate): Promise<TenantView> {
    const problems: string[] = [];
    const row: TenantChanges = {};
    if (changes.name !== undefined) {
      problems.push(...nameProblems('name', changes.name, true));
      row.name = changes.name.trim();
    }
    if (changes.utc_offset_minutes !== undefined) {
      const offset = changes.utc_offset_minutes;
      if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) {
        problems.push('utc_offset_minutes: must be a whole number from -840 to 840');
      }
      row.utc_offset_minutes = offset;
    }
    if (changes.password_sign_in !== undefined) row.password_sign_in = changes.password_sign_in ? 1 : 0;
    if (changes.oidc_create_users !== undefined) row.oidc_create_users = changes.oidc_create_users ? 1 : 0;
    const oidc = { issuer: changes.oidc_issuer, id: changes.oidc_client_id, secret: changes.oidc_client_secret };
    if (oidc.issuer !== undefined) {
      row.oidc_issuer = oidc.issuer?.trim() || null;
      if (row.oidc_issuer !== null) problems.push(...issuerProblems(row.oidc_issuer));
    }
    if (oidc.id !== undefined) {
      row.oidc_client_id = oidc.id?.trim() || null;
      if (row.oidc_client_id !== null && row.oidc_client_id.length > 512) {
        problems.push('oidc_client_id: at most 512 characters');
      }
    }
    if (oidc.secret !== undefined) {
      row.oidc_client_secret = oidc.secret || null;
      if (row.oidc_client_secret !== null && row.oidc_client_secret.length > 1024) {
        problems.push('oidc_client_secret: at most 1024 characters');
      }
    }
    if (Object.keys(row).length === 0) {
      problems.push(
        'changes: give at least one of name, utc_offset_minutes, password_sign_in, oidc_issuer, oidc_client_id, ' +
          'oidc_client_secret, oidc_create_users',
      );
    }
    if (problems.length > 0) throw invalidParam(problems.join('; '));
    return writeTenant(this.db, tenantId, async (tx) => {
      const current = await findTenant(tx, tenantId);
      if (!current) throw tenantNotFound(tenantId);
      const next = { ...current, ...row };
      const fields = ['oidc_issuer', 'oidc_client_id', 'oidc_client_secret'] as const;
      const set = fields.filter((f) => next[f] !== null);
      if (set.length > 0 && set.length < fields.length) {
        throw invalidParam(
          fields
            .filter((f) => next[f] === null)
            .map((f) => `${f}: the provider's issuer, client id and client secret are set together or cleared together`)
            .join('; '),
        );
      }
      if (next.password_sign_in === 0 && set.length === 0) {
        throw invalidParam('password_sign_in: can be turned off only while an OpenID Connect provider is set');
      }
      if (next.oidc_create_users === 1 && set.length === 0) {
        throw invalidParam('oidc_create_users: needs an OpenID Connect provider');
      }
      await updateTenantRow(tx, row);
      return tenantView(next);
    });
  }

  /** The tenant's period rules, oldest first. */
  async periodRules(tenantId: string): Promise<PeriodRuleView[]> {
    return (await this.db.read((tx) => listPeriodRules(tx, tenantId))).map(periodRuleView);
  }

  /**
   * A new period rule: `month` periods of 1, 2, 3, 4 or 6 months, or `year` periods (12 months), the first starting
   * in `first_month` (1–12). The same rule twice is refused.
   */
  async createPeriodRule(
    tenantId: string,
    rule: { type: string; length?: number; first_month?: number },
  ): Promise<PeriodRuleView> {
    const problems: string[] = [];
    const type = rule.type;
    if (type !== 'month' && type !== 'year') problems.push('type: must be month or year');
    const length = rule.length ?? (type === 'year' ? 12 : undefined);
    if (type === 'month' && !MONTH_LENGTHS.includes(length as number)) {
      problems.push(`length: a month rule's length is one of ${MONTH_LENGTHS.join(', ')}`);
    }
    if (type === 'year' && length !== 12) problems.push("length: a year rule's length is 12");
    const firstMonth = rule.first_month ?? 1;
    if (!Number.isInteger(firstMonth) || firstMonth < 1 || firstMonth > 12) {
      problems.push('first_month: must be a month from 1 to 12');
    }
    if (problems.length > 0) throw invalidParam(problems.join('; '));
    return writeTenant(this.db, tenantId, async (tx) => {
      if (!(await findTenant(tx, tenantId))) throw tenantNotFound(tenantId);
      const same = (await listPeriodRules(tx, tenantId)).find(
        (r) => r.type === type && r.length === length && r.first_month === firstMonth,
      );
      if (same) throw invalidParam(`type: the tenant already has this rule (${same.id})`);
      const row: PeriodRuleRow = {
        id: this.ids(),
        tenant_id: tenantId,
        type: type as PeriodRuleRow['type'],
        length: length!,
        first_month: firstMonth,
        created_at: this.clock(),
      };
      await insertRow(tx, 'period_rules', row);
      return periodRuleView(row);
    });
  }

  /** Every period of the tenant, hidden ones too, newest first. */
  async periodList(tenantId: string): Promise<PeriodView[]> {
    return (await this.db.read((tx) => allPeriods(tx, tenantId))).map(periodView);
  }

  /** A period of rule `ruleId` starting in `startMonth` (YYYY-MM): the v1 create (1001008 overlap, 1001009 rule). */
  async createPeriod(tenantId: string, ruleId: string, startMonth: string): Promise<PeriodView> {
    await this.requireTenant(tenantId);
    const created = await this.periods.create(tenantCaller(tenantId), ruleId, startMonth);
    return periodView((await this.db.read((tx) => findPeriod(tx, tenantId, created.period_id)))!);
  }

  /** Sets a period's status: 1 normal, 2 invalid, 3 hidden (the v1 patch). */
  async setPeriodStatus(tenantId: string, periodId: string, status: number): Promise<PeriodView> {
    if (status !== 1 && status !== 2 && status !== 3) throw invalidParam('status: must be 1, 2 or 3');
    await this.requireTenant(tenantId);
    await this.periods.setStatus(tenantCaller(tenantId), periodId, status);
    return periodView((await this.db.read((tx) => findPeriod(tx, tenantId, periodId)))!);
  }

  /** A page of the tenant's people, by employee id. */
  async listUsers(tenantId: string, pageSize = 50, pageToken?: string): Promise<Page<UserView>> {
    const size = Math.min(Math.max(1, pageSize), 100);
    const after = pageToken ? decodeCursor(pageToken, ['string'])[0] : undefined;
    return this.db.read(async (tx) => {
      const rows = await listAdminUsers(tx, tenantId, after, size + 1);
      const departments = await departmentIdsOfUsers(
        tx,
        tenantId,
        rows.slice(0, size).map((r) => r.id),
      );
      return toPage(
        rows,
        size,
        (r) => [r.employee_id],
        (r) => userView(r, departments.get(r.id) ?? []),
      );
    });
  }

  /** One person of the tenant as administration shows them (1001004 when the tenant has nobody of that id). */
  async user(tenantId: string, employeeId: string): Promise<UserView> {
    return this.db.read((tx) => adminUserView(tx, tenantId, employeeId));
  }

  /**
   * Changes a person: names, email (valid, unique in the tenant; null clears), mobile, leader (null: none; never
   * someone they lead), departments (exactly these), active, administrator, the visibility of all their OKRs.
   * Deactivating ends their tokens, sessions and refresh tokens in the same transaction (their OKRs stay).
   * `actorRef` is the administrator making the change, who may not deactivate themselves or drop their own rights.
   */
  async updateUser(tenantId: string, employeeId: string, changes: UserUpdate, actorRef?: string): Promise<UserView> {
    const problems = [
      ...(changes.name_zh === undefined ? [] : nameProblems('name_zh', changes.name_zh, false)),
      ...(changes.name_en === undefined ? [] : nameProblems('name_en', changes.name_en, false)),
      ...(changes.email ? emailProblems(changes.email) : []),
      ...(changes.mobile ? mobileProblems(changes.mobile) : []),
      ...(changes.visibility === undefined || VISIBILITIES.includes(changes.visibility)
        ? []
        : ['visibility: must be tenant or leaders']),
      ...(changes.department_ids ?? [])
        .filter((d) => !DEPARTMENT_ID.test(d) || d === ROOT_DEPARTMENT)
        .map((d) => `department_ids: ${JSON.stringify(d)} is not a department id`),
    ];
    if (Object.values(changes).every((v) => v === undefined)) {
      problems.push(
        'changes: give at least one of name_zh, name_en, email, mobile, leader, department_ids, active, is_admin, ' +
          'visibility',
      );
    }
    if (problems.length > 0) throw invalidParam(problems.join('; '));
    const now = this.clock();
    return writeTenant(this.db, tenantId, async (tx) => {
      await this.requireTenant(tenantId, tx);
      const user = await findUserByEmployeeId(tx, tenantId, employeeId);
      if (!user) throw notFound('user_id', employeeId);
      if (actorRef === user.id && (changes.active === false || changes.is_admin === false)) {
        throw invalidParam(
          `${changes.active === false ? 'active' : 'is_admin'}: administrators may not lock themselves out`,
        );
      }
      const row: UserChanges = {};
      if (changes.name_zh !== undefined) row.name_zh = changes.name_zh.trim();
      if (changes.name_en !== undefined) row.name_en = changes.name_en.trim();
      if ((row.name_zh ?? user.name_zh) === '' && (row.name_en ?? user.name_en) === '') {
        throw invalidParam('name_zh: give a Chinese or an English name');
      }
      if (changes.email !== undefined) {
        row.email = changes.email ? changes.email.trim().toLowerCase() : null;
        const other = row.email === null ? undefined : await findUserByEmail(tx, tenantId, row.email);
        if (other && other.id !== user.id) {
          throw invalidParam(`email: ${row.email} is another person's email in this tenant`);
        }
      }
      if (changes.mobile !== undefined) row.mobile = changes.mobile ? changes.mobile.trim() : null;
      if (changes.leader_employee_id !== undefined) {
        if (changes.leader_employee_id === null || changes.leader_employee_id === '') row.leader_id = null;
        else {
          const leader = await findUserOf(tx, changes.leader_employee_id);
          if ((await selfAndLeaderRefs(tx, tenantId, leader.id)).includes(user.id)) {
            throw invalidParam(
              `leader_user_id: ${changes.leader_employee_id} is ${
                leader.id === user.id ? 'the person themselves' : `led by ${employeeId}`
              }: that would make a loop`,
            );
          }
          row.leader_id = leader.id;
        }
      }
      if (changes.is_admin !== undefined) row.is_admin = changes.is_admin ? 1 : 0;
      if (changes.active !== undefined) row.active = changes.active ? 1 : 0;
      if (changes.department_ids !== undefined) {
        const wanted = new Set<string>();
        for (const id of new Set(changes.department_ids)) {
          const department = await findDepartmentWithNames(tx, tenantId, id);
          if (!department) throw invalidParam(`department_ids: no department ${id} in this tenant`);
          wanted.add(department.id);
        }
        const current = new Set(await departmentRefsOfUser(tx, tenantId, user.id));
        for (const ref of current) if (!wanted.has(ref)) await deleteDepartmentMember(tx, ref, user.id);
        for (const ref of wanted) if (!current.has(ref)) await insertDepartmentMember(tx, ref, user.id, now);
      }
      await updateUserRow(tx, user.id, row);
      if (changes.active === false) await revokeUserCredentials(tx, user.id, now);
      if (changes.visibility !== undefined) await setOwnerVisibility(tx, user.id, changes.visibility, now);
      return adminUserView(tx, tenantId, employeeId);
    });
  }

  /**
   * Activates or deactivates a person. Deactivation expires their access tokens and deletes their sessions, refresh
   * tokens and authorization codes in the same transaction, so they stop in every process at once; their OKRs stay.
   */
  async setUserActive(tenantId: string, employeeId: string, active: boolean): Promise<UserView> {
    return this.updateUser(tenantId, employeeId, { active });
  }

  /** Who may read all of the person's OKRs (every cycle they own): the whole tenant, or their leaders only. */
  async setVisibility(tenantId: string, employeeId: string, visibility: 'tenant' | 'leaders'): Promise<UserView> {
    return this.updateUser(tenantId, employeeId, { visibility });
  }

  /** Makes the person a tenant administrator (may call /okrd/admin/), or no longer one. */
  async setAdmin(tenantId: string, employeeId: string, isAdmin: boolean): Promise<UserView> {
    return this.updateUser(tenantId, employeeId, { is_admin: isAdmin });
  }

  /** Every department of the tenant, by department id (three queries, whatever their number). */
  async listDepartments(tenantId: string): Promise<DepartmentView[]> {
    return this.db.read(async (tx) => {
      const rows = await listDepartments(tx, tenantId);
      const members = new Map<string, string[]>(rows.map((d) => [d.id, []]));
      for (const m of await allDepartmentMembers(tx, tenantId)) members.get(m.department_ref)?.push(m.employee_id);
      return rows.map((d) => ({
        department_id: d.department_id,
        open_department_id: d.open_department_id,
        name_zh: d.name_zh,
        name_en: d.name_en,
        parent_department_id: d.parent_department_id ?? ROOT_DEPARTMENT,
        leader_user_id: d.leader_employee_id,
        member_user_ids: members.get(d.id) ?? [],
        created_at: Number(d.created_at),
        updated_at: Number(d.updated_at),
      }));
    });
  }

  /** updateDepartment and setDepartmentMembers in one transaction (either may be left out). */
  async changeDepartment(
    tenantId: string,
    departmentId: string,
    changes: DepartmentUpdate,
    memberEmployeeIds?: readonly string[],
  ): Promise<DepartmentView> {
    const hasChanges = Object.values(changes).some((v) => v !== undefined);
    if (!hasChanges && memberEmployeeIds === undefined) {
      throw invalidParam(
        'changes: give at least one of name_zh, name_en, parent_department_id, leader_user_id, member_user_ids',
      );
    }
    if (hasChanges) validateDepartmentUpdate(changes);
    return writeTenant(this.db, tenantId, async (tx) => {
      if (hasChanges) await this.applyDepartmentUpdate(tx, tenantId, departmentId, changes);
      if (memberEmployeeIds !== undefined) await this.applyMembers(tx, tenantId, departmentId, memberEmployeeIds);
      return departmentView(tx, departmentId);
    });
  }

  /** The tenant's apps, each with its scopes and redirect URIs; never a secret. */
  async listApps(tenantId: string): Promise<AppView[]> {
    return this.db.read(async (tx) => {
      const apps = await appsOfTenant(tx, tenantId);
      const uris = await redirectUrisOf(
        tx,
        tenantId,
        apps.map((a) => a.app_id),
      );
      return apps.map((a) => appView(a, uris.get(a.app_id) ?? []));
    });
  }

  /** One app of the tenant (1001004 when the tenant has no such app). */
  async app(tenantId: string, appId: string): Promise<AppView> {
    return this.db.read((tx) => appViewOf(tx, tenantId, appId));
  }

  /** The tenant an app belongs to (the CLI names apps alone); 1001001 for an unknown app, as `token user`. */
  async tenantOfApp(appId: string): Promise<string> {
    const app = await this.db.read((tx) => findApp(tx, appId));
    if (!app) throw invalidParam(`app_id: no app ${appId}`);
    return app.tenant_id;
  }

  /**
   * Changes an app's name, scopes (replacing them) or redirect URIs (replacing them). Tokens carry no scopes of their
   * own: the app's scopes are read when a token is verified (each process trusts a verification for up to a minute).
   */
  async updateApp(
    tenantId: string,
    appId: string,
    changes: { name?: string; scopes?: readonly string[]; redirect_uris?: readonly string[] },
  ): Promise<AppView> {
    const problems: string[] = [];
    if (changes.name !== undefined) problems.push(...nameProblems('name', changes.name, true));
    if (changes.scopes !== undefined) {
      problems.push(
        ...changes.scopes
          .filter((s) => !(ALL_SCOPES as readonly string[]).includes(s))
          .map((s) => `scopes: unknown scope ${s}`),
      );
    }
    const uris = changes.redirect_uris === undefined ? undefined : [...new Set(changes.redirect_uris)];
    if (uris) {
      problems.push(...uris.flatMap((u) => redirectUriProblems(u)));
      if (uris.length > MAX_REDIRECT_URIS) problems.push(`redirect_uris: at most ${MAX_REDIRECT_URIS}`);
    }
    if (Object.values(changes).every((v) => v === undefined)) {
      problems.push('changes: give at least one of name, scopes, redirect_uris');
    }
    if (problems.length > 0) throw invalidParam(problems.join('; '));
    return writeTenant(this.db, tenantId, async (tx) => {
      await appViewOf(tx, tenantId, appId);
      await updateAppRow(tx, appId, {
        ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
        ...(changes.scopes !== undefined ? { scopes: [...new Set(changes.scopes)].join(' ') } : {}),
      });
      if (uris) {
        const current = (await redirectUrisOf(tx, tenantId, [appId])).get(appId) ?? [];
        for (const uri of current) if (!uris.includes(uri)) await deleteRedirectUri(tx, appId, uri);
        const now = this.clock();
        for (const uri of uris) if (!current.includes(uri)) await insertRedirectUri(tx, appId, uri, now);
      }
      return appViewOf(tx, tenantId, appId);
    });
  }

  /** Replaces the app's scopes. */
  async updateAppScopes(tenantId: string, appId: string, scopes: readonly string[]): Promise<AppView> {
    return this.updateApp(tenantId, appId, { scopes });
  }

  /** Adds a redirect URI (absolute http(s), no fragment, at most 2048 characters); 1001001 if already there. */
  async addRedirectUri(tenantId: string, appId: string, uri: string): Promise<AppView> {
    const problems = redirectUriProblems(uri);
    if (problems.length > 0) throw invalidParam(problems.join('; '));
    return writeTenant(this.db, tenantId, async (tx) => {
      const app = await appViewOf(tx, tenantId, appId);
      if (app.redirect_uris.includes(uri)) throw invalidParam(`redirect_uri: ${uri} is already registered`);
      if (app.redirect_uris.length >= MAX_REDIRECT_URIS) {
        throw invalidParam(`redirect_uri: an app has at most ${MAX_REDIRECT_URIS}`);
      }
      await insertRedirectUri(tx, appId, uri, this.clock());
      return appViewOf(tx, tenantId, appId);
    });
  }

  /** Removes a redirect URI (1001001 if the app does not have it). */
  async removeRedirectUri(tenantId: string, appId: string, uri: string): Promise<AppView> {
    return writeTenant(this.db, tenantId, async (tx) => {
      await appViewOf(tx, tenantId, appId);
      if (!(await deleteRedirectUri(tx, appId, uri))) {
        throw invalidParam(`redirect_uri: ${uri} is not registered for app ${appId}`);
      }
      return appViewOf(tx, tenantId, appId);
    });
  }

  /**
   * A new secret for a confidential app, returned once; the old one stops at once. Tokens already issued with the
   * old secret keep working until they expire (delete the app to end them).
   */
  async rotateAppSecret(tenantId: string, appId: string): Promise<{ app_id: string; app_secret: string }> {
    const secret = newToken('');
    await writeTenant(this.db, tenantId, async (tx) => {
      const app = await appViewOf(tx, tenantId, appId);
      if (app.client_type === 'public') throw invalidParam('app_id: a public app has no secret');
      await updateAppRow(tx, appId, { secret_hash: hashSecret(secret) });
    });
    return { app_id: appId, app_secret: secret };
  }

  /**
   * Deletes an app with its tokens, authorization codes, refresh tokens, open_ids and redirect URIs, in one
   * transaction. `actorAppId` (the app an administrator calls through) cannot delete itself.
   */
  async deleteApp(
    tenantId: string,
    appId: string,
    actorAppId?: string,
  ): Promise<{ app_id: string; deleted: Record<string, number> }> {
    if (appId === actorAppId) throw invalidParam('app_id: this is the app you are calling through');
    return writeTenant(this.db, tenantId, async (tx) => {
      await appViewOf(tx, tenantId, appId);
      return { app_id: appId, deleted: await deleteAppCascade(tx, appId) };
    });
  }

  /** A page of the tenant's reviews, newest first, optionally of one person (employee id) or period. */
  async listReviews(
    tenantId: string,
    filter: { employee_id?: string; period_id?: string },
    pageSize = 50,
    pageToken?: string,
  ): Promise<Page<ReviewView>> {
    const size = Math.min(Math.max(1, pageSize), 100);
    const cursor = pageToken ? decodeCursor(pageToken, ['number', 'string']) : undefined;
    return this.db.read(async (tx) => {
      let userRef: string | undefined;
      if (filter.employee_id !== undefined) {
        const user = await findUserByEmployeeId(tx, tenantId, filter.employee_id);
        if (!user) throw userNotFound(filter.employee_id);
        userRef = user.id;
      }
      const rows = await listReviews(
        tx,
        tenantId,
        {
          ...(userRef !== undefined ? { user_ref: userRef } : {}),
          ...(filter.period_id !== undefined ? { period_id: filter.period_id } : {}),
        },
        cursor && { create_time: cursor[0], id: cursor[1] },
        size + 1,
      );
      return toPage(rows, size, (r) => [Number(r.create_time), r.id], reviewView);
    });
  }

  /** Removes the review `id` (1001004 when the tenant has none); returns what was removed. */
  async removeReview(tenantId: string, id: string): Promise<ReviewView> {
    return writeTenant(this.db, tenantId, async (tx) => {
      const review = await findReview(tx, tenantId, id);
      if (!review) throw notFound('review_id', id);
      await deleteReview(tx, id);
      return reviewView(review);
    });
  }

  /** The tenant's review `id` as administration shows it. */
  async review(tenantId: string, id: string): Promise<ReviewView> {
    const review = await this.db.read((tx) => findReview(tx, tenantId, id));
    if (!review) throw notFound('review_id', id);
    return reviewView(review);
  }

  /**
   * Deletes what expired at or before `now` in every tenant: access tokens, authorization codes, sessions,
   * sign-in links, refresh tokens (rotated ones too, once past their expiry) and OpenID Connect sign-ins in progress.
   * Resolves to how many rows of each.
   */
  async purgeExpired(now: number = this.clock()): Promise<Record<(typeof EXPIRING_TABLES)[number], number>> {
    const counts = Object.fromEntries(EXPIRING_TABLES.map((t) => [t, 0])) as Record<
      (typeof EXPIRING_TABLES)[number],
      number
    >;
    for (const tenantId of await this.db.read(allTenantIds)) {
      await writeTenant(this.db, tenantId, async (tx) => {
        for (const table of EXPIRING_TABLES) counts[table] += await deleteExpired(tx, table, now);
      });
    }
    return counts;
  }

  private async requireTenant(tenantId: string, tx?: TenantTx): Promise<void> {
    const found = tx ? await findTenant(tx, tenantId) : await this.db.read((r) => findTenant(r, tenantId));
    if (!found) throw tenantNotFound(tenantId);
  }
}

function validateDepartmentUpdate(changes: DepartmentUpdate): void {
  const problems = [
    ...(changes.name_zh === undefined ? [] : nameProblems('name_zh', changes.name_zh, true)),
    ...(changes.name_en === undefined ? [] : nameProblems('name_en', changes.name_en, false)),
    ...parentProblems(changes.parent_department_id),
  ];
  if (problems.length > 0) throw invalidParam(problems.join('; '));
  if (Object.values(changes).every((v) => v === undefined)) {
    throw invalidParam('changes: give at least one of name_zh, name_en, parent_department_id, leader_employee_id');
  }
}

function emailProblems(email: string): string[] {
  const e = email.trim();
  return e.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? [] : ['email: must be an email address'];
}

function mobileProblems(mobile: string): string[] {
  return /^\+?[0-9][0-9 ()-]{2,31}$/.test(mobile.trim())
    ? []
    : ['mobile: digits, spaces, ( ) - and an optional leading +, at most 32'];
}

/** An issuer must be an https URL (http only on the loopback host), without query or fragment. */
function issuerProblems(issuer: string): string[] {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return ['oidc_issuer: must be an https URL'];
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    return ['oidc_issuer: must be an https URL (http only for 127.0.0.1 or localhost)'];
  }
  if (url.search || url.hash || issuer.length > MAX_URI) {
    return [`oidc_issuer: no query or fragment, at most ${MAX_URI} characters`];
  }
  return [];
}

/** A redirect URI must be an absolute http(s) URL without a fragment, at most 2048 characters. */
function redirectUriProblems(uri: string): string[] {
  const rule = `redirect_uris: ${JSON.stringify(uri.slice(0, 100))} is not an absolute http(s) URL without a fragment of at most ${MAX_URI} characters`;
  if (uri.length > MAX_URI || uri.includes('#')) return [rule];
  try {
    const url = new URL(uri);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? [] : [rule];
  } catch {
    return [rule];
  }
}

/** The caller the period service takes: the tenant as a whole. */
function tenantCaller(tenantId: string): Caller {
  return { kind: 'tenant', tenantId, appId: '', scopes: new Set() };
}

function tenantView(t: TenantRow): TenantView {
  return {
    tenant_id: t.id,
    name: t.name,
    utc_offset_minutes: Number(t.utc_offset_minutes),
    password_sign_in: Number(t.password_sign_in) === 1,
    oidc_issuer: t.oidc_issuer,
    oidc_client_id: t.oidc_client_id,
    oidc_client_secret_set: t.oidc_client_secret !== null,
    oidc_create_users: Number(t.oidc_create_users) === 1,
    created_at: Number(t.created_at),
  };
}

function periodRuleView(r: PeriodRuleRow): PeriodRuleView {
  return { period_rule_id: r.id, type: r.type, length: Number(r.length), first_month: Number(r.first_month) };
}

function periodView(p: PeriodRow): PeriodView {
  return {
    period_id: p.id,
    period_rule_id: p.rule_id,
    zh_name: p.zh_name,
    en_name: p.en_name,
    status: Number(p.status),
    start_month: p.start_month,
    end_month: p.end_month,
    period_start_time: Number(p.period_start_time),
    period_end_time: Number(p.period_end_time),
  };
}

function userView(u: AdminUserRow, departmentIds: string[]): UserView {
  return {
    user_id: u.employee_id,
    union_id: u.union_id,
    people_admin_id: u.people_admin_id,
    name_zh: u.name_zh,
    name_en: u.name_en,
    email: u.email,
    mobile: u.mobile,
    leader_user_id: u.leader_employee_id,
    department_ids: departmentIds,
    active: Number(u.active) === 1,
    is_admin: Number(u.is_admin) === 1,
    okr_visibility: u.cycles > 0 && u.leaders_cycles === u.cycles ? 'leaders' : 'tenant',
    created_at: Number(u.created_at),
  };
}

/** The tenant's person `employeeId` as administration shows them (1001004 if none). */
async function adminUserView(tx: Tx, tenantId: string, employeeId: string): Promise<UserView> {
  const user = await findAdminUser(tx, tenantId, employeeId);
  if (!user) throw notFound('user_id', employeeId);
  return userView(user, (await departmentIdsOfUsers(tx, tenantId, [user.id])).get(user.id) ?? []);
}

function appView(a: AppRow, redirectUris: string[]): AppView {
  return {
    app_id: a.app_id,
    name: a.name,
    client_type: a.client_type,
    scopes: a.scopes.split(' ').filter(Boolean),
    redirect_uris: redirectUris,
    created_at: Number(a.created_at),
  };
}

/** The tenant's app `appId` as administration shows it (1001004 if none). */
async function appViewOf(tx: Tx, tenantId: string, appId: string): Promise<AppView> {
  const app = await findAppOfTenant(tx, tenantId, appId);
  if (!app) throw notFound('app_id', appId);
  return appView(app, (await redirectUrisOf(tx, tenantId, [appId])).get(appId) ?? []);
}

function reviewView(r: AdminReviewRow): ReviewView {
  return {
    id: r.id,
    user_id: r.employee_id,
    period_id: r.period_id,
    kind: r.kind,
    url: r.url,
    create_time: Number(r.create_time),
  };
}

/** What is wrong with a department id given in `field` (none: an empty list). */
function departmentIdProblems(field: string, id: string): string[] {
  if (!DEPARTMENT_ID.test(id)) return [`${field}: 1–64 letters, digits or _ . -`];
  if (id === ROOT_DEPARTMENT) return [`${field}: "0" names the root department`];
  return [];
}

function nameProblems(field: string, name: string, required: boolean): string[] {
  const trimmed = name.trim();
  if (required && !trimmed) return [`${field}: must not be empty`];
  if ([...trimmed].length > MAX_NAME) return [`${field}: at most ${MAX_NAME} characters`];
  return [];
}

function parentProblems(parent: string | undefined): string[] {
  return parent === undefined || parent === ROOT_DEPARTMENT ? [] : departmentIdProblems('parent_department_id', parent);
}

/** The parent a request names: none for the root ("0" or absent), else the tenant's department (1001001 if none). */
async function findParent(tx: TenantTx, tenantId: string, parentId: string | undefined): Promise<DepartmentRow | null> {
  if (parentId === undefined || parentId === ROOT_DEPARTMENT) return null;
  const parent = await findDepartmentWithNames(tx, tenantId, parentId);
  if (!parent) throw invalidParam(`parent_department_id: no department ${parentId} in this tenant`);
  return parent;
}

/** The department being changed (1001004 if the tenant has none with this id). */
async function findDepartmentOf(tx: TenantTx, tenantId: string, departmentId: string): Promise<DepartmentRow> {
  if (!(await findTenant(tx, tenantId))) throw tenantNotFound(tenantId);
  const department = await findDepartmentWithNames(tx, tenantId, departmentId);
  if (!department) throw departmentNotFound(departmentId);
  return department;
}

/** The tenant's user with this employee id (1001003 if there is none). */
async function findUserOf(tx: TenantTx, employeeId: string): Promise<UserRow> {
  const user = await findUserByEmployeeId(tx, tx.tenantId, employeeId);
  if (!user) throw userNotFound(employeeId);
  return user;
}

/** The department as the CLI prints it. */
async function departmentView(tx: TenantTx, departmentId: string): Promise<DepartmentView> {
  const d: DepartmentWithNames = (await findDepartmentWithNames(tx, tx.tenantId, departmentId))!;
  return {
    department_id: d.department_id,
    open_department_id: d.open_department_id,
    name_zh: d.name_zh,
    name_en: d.name_en,
    parent_department_id: d.parent_department_id ?? ROOT_DEPARTMENT,
    leader_user_id: d.leader_employee_id,
    member_user_ids: (await membersOf(tx, tx.tenantId, d.id)).map((m) => m.employee_id),
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

/** Gives the user a fresh open_id in the app (`ou_` + 32 hex, as Feishu's). */
export async function addOpenId(tx: TenantTx, appId: string, userRef: string): Promise<void> {
  await insertRow(tx, 'app_users', {
    app_id: appId,
    user_ref: userRef,
    open_id: `ou_${randomHex(16)}`,
    tenant_id: tx.tenantId,
  });
}
