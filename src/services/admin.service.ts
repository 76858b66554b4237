/** Tenant administration behind the CLI: tenants, apps, users, departments and user tokens. */
import { ALL_SCOPES } from '../contract/scopes.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { OkrdError, invalidParam, userNotFound } from '../errors.js';
import type { Db } from '../store/db.js';
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
import type { AppRow, DepartmentRow, TenantRow, UserRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { appsOfTenant, findApp, findTenant } from '../store/tenant.repository.js';
import { writeTenant, type TenantTx } from '../store/tenant-write.js';
import { findUserByEmployeeId, userRefsOfTenant } from '../store/user.repository.js';
import type { AuthService, IssuedToken } from './auth.service.js';
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

/** Creates tenants, apps, users and departments. */
export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly auth: AuthService,
  ) {}

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

  /** A new app of the tenant; the secret is returned here once and only its hash is kept. */
  async createApp(
    tenantId: string,
    name: string,
    scopes: readonly string[] = ALL_SCOPES,
  ): Promise<{ app_id: string; app_secret: string }> {
    const unknown = scopes.find((s) => !(ALL_SCOPES as readonly string[]).includes(s));
    if (unknown !== undefined) throw invalidParam(`scopes: unknown scope ${unknown}`);
    const appSecret = newToken('');
    const row: AppRow = {
      app_id: `cli_${randomHex(8)}`,
      tenant_id: tenantId,
      name: name.trim() || 'app',
      secret_hash: hashSecret(appSecret),
      scopes: [...new Set(scopes)].join(' '),
      created_at: this.clock(),
      client_type: 'confidential',
    };
    await writeTenant(this.db, tenantId, async (tx) => {
      if (!(await findTenant(tx, tenantId))) throw tenantNotFound(tenantId);
      await insertRow(tx, 'apps', row);
      for (const userRef of await userRefsOfTenant(tx, tenantId)) await addOpenId(tx, row.app_id, userRef);
    });
    return { app_id: row.app_id, app_secret: appSecret };
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
    },
  ): Promise<UserRow> {
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(user.employee_id)) {
      throw invalidParam('user_id: 1–64 letters, digits or _ . @ -');
    }
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
        email: null,
        mobile: null,
        active: 1,
        is_admin: 0,
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
    const problems = [
      ...(changes.name_zh === undefined ? [] : nameProblems('name_zh', changes.name_zh, true)),
      ...(changes.name_en === undefined ? [] : nameProblems('name_en', changes.name_en, false)),
      ...parentProblems(changes.parent_department_id),
    ];
    if (problems.length > 0) throw invalidParam(problems.join('; '));
    if (Object.values(changes).every((v) => v === undefined)) {
      throw invalidParam('changes: give at least one of name_zh, name_en, parent_department_id, leader_employee_id');
    }
    return writeTenant(this.db, tenantId, async (tx) => {
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
      return departmentView(tx, departmentId);
    });
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
      return departmentView(tx, departmentId);
    });
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
async function addOpenId(tx: TenantTx, appId: string, userRef: string): Promise<void> {
  await insertRow(tx, 'app_users', {
    app_id: appId,
    user_ref: userRef,
    open_id: `ou_${randomHex(16)}`,
    tenant_id: tx.tenantId,
  });
}
