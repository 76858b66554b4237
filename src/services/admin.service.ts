/** Tenant administration behind the CLI: tenants, apps, users and user tokens. */
import { ALL_SCOPES } from '../contract/scopes.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { OkrdError, invalidParam, userNotFound } from '../errors.js';
import type { Db } from '../store/db.js';
import type { AppRow, TenantRow, UserRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { appsOfTenant, findApp, findTenant } from '../store/tenant.repository.js';
import { writeTenant, type TenantTx } from '../store/tenant-write.js';
import { findUserByEmployeeId, userRefsOfTenant } from '../store/user.repository.js';
import type { AuthService, IssuedToken } from './auth.service.js';
import { hashSecret, newToken, randomHex } from './secrets.js';

const tenantNotFound = (id: string) => new OkrdError(1001004, `tenant not found: ${id}`);

/** Creates tenants, apps and users. */
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
    };
    await writeTenant(this.db, tenantId, async (tx) => {
      if (!(await findTenant(tx, tenantId))) throw tenantNotFound(tenantId);
      await insertRow(tx, 'apps', row);
      for (const userRef of await userRefsOfTenant(tx, tenantId)) await addOpenId(tx, row.app_id, userRef);
    });
    return { app_id: row.app_id, app_secret: appSecret };
  }

  /** A new user of the tenant, optionally led by the user with employee id `leaderEmployeeId`. */
  async createUser(
    tenantId: string,
    user: { employee_id: string; name_zh: string; name_en: string; leader_employee_id?: string },
  ): Promise<UserRow> {
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(user.employee_id)) {
      throw invalidParam('user_id: 1–64 letters, digits or _ . @ -');
    }
    if (!user.name_zh.trim() && !user.name_en.trim()) throw invalidParam('name: give a Chinese or an English name');
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
      };
      await insertRow(tx, 'users', row);
      for (const app of await appsOfTenant(tx, tenantId)) await addOpenId(tx, app.app_id, row.id);
      return row;
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

/** Gives the user a fresh open_id in the app (`ou_` + 32 hex, as Feishu's). */
async function addOpenId(tx: TenantTx, appId: string, userRef: string): Promise<void> {
  await insertRow(tx, 'app_users', {
    app_id: appId,
    user_ref: userRef,
    open_id: `ou_${randomHex(16)}`,
    tenant_id: tx.tenantId,
  });
}
