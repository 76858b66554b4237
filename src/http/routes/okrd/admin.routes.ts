/**
 * okrd's administration API (`/okrd/admin/`): what the CLI administers, for a tenant administrator's user token.
 * Every handler first makes sure the caller is an active administrator of their tenant (1001002, HTTP 403) and then
 * acts on that tenant only: ids of another tenant are not found (1001004).
 */
import {
  AdminAppParams,
  AdminDepartment,
  AdminDepartmentParams,
  AdminPageQuery,
  AdminPeriod,
  AdminPeriodParams,
  AdminReview,
  AdminReviewParams,
  AdminTenant,
  AdminUser,
  AdminUserParams,
  AdminApp,
  CreateAdminAppBody,
  CreateAdminDepartmentBody,
  CreateAdminPeriodBody,
  CreateAdminReviewBody,
  CreateAdminUserBody,
  CreatePeriodRuleBody,
  CreatedAdminApp,
  AdminPeriodRule,
  DeletedApp,
  ListAdminAppsData,
  ListAdminDepartmentsData,
  ListAdminPeriodsData,
  ListAdminReviewsData,
  ListAdminReviewsQuery,
  ListAdminUsersData,
  ListPeriodRulesData,
  PatchAdminAppBody,
  PatchAdminDepartmentBody,
  PatchAdminPeriodBody,
  PatchAdminUserBody,
  PatchTenantBody,
  RotatedSecret,
} from '../../../contract/okrd/admin.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';

const ADMIN = '/okrd/admin';
const common = { tag: 'okrd', access: ACCESS.admin, noPermissionStatus: 403 } as const;

export const adminEndpoints = [
  endpoint({
    ...common,
    method: 'GET',
    url: `${ADMIN}/tenant`,
    summary: "The tenant's name, time zone and sign-in settings",
    schema: { data: AdminTenant },
    handler: async ({ caller, services: { admin } }) => admin.tenant(await admin.requireAdmin(caller)),
  }),
  endpoint({
    ...common,
    method: 'PATCH',
    url: `${ADMIN}/tenant`,
    summary: "Change the tenant's name, time zone or sign-in settings",
    schema: { body: PatchTenantBody, data: AdminTenant },
    handler: async ({ caller, body, services: { admin } }) =>
      admin.updateTenant(await admin.requireAdmin(caller), body),
  }),
  endpoint({
    ...common,
    method: 'GET',
    url: `${ADMIN}/period_rules`,
    summary: "The tenant's period rules",
    schema: { data: ListPeriodRulesData },
    handler: async ({ caller, services: { admin } }) => ({
      period_rules: await admin.periodRules(await admin.requireAdmin(caller)),
    }),
  }),
  endpoint({
    ...common,
    method: 'POST',
    url: `${ADMIN}/period_rules`,
    summary: 'Create a period rule',
    schema: { body: CreatePeriodRuleBody, data: AdminPeriodRule },
    handler: async ({ caller, body, services: { admin } }) =>
      admin.createPeriodRule(await admin.requireAdmin(caller), body),
  }),
  endpoint({
    ...common,
    method: 'GET',
    url: `${ADMIN}/periods`,
    summary: 'Every period, hidden ones too, newest first',
    schema: { data: ListAdminPeriodsData },
    handler: async ({ caller, services: { admin } }) => ({
      items: await admin.periodList(await admin.requireAdmin(caller)),
    }),
  }),
  endpoint({
    ...common,
    method: 'POST',
    url: `${ADMIN}/periods`,
    summary: 'Create a period of a period rule',
    schema: { body: CreateAdminPeriodBody, data: AdminPeriod },
    handler: async ({ caller, body, services: { admin } }) =>
      admin.createPeriod(await admin.requireAdmin(caller), body.period_rule_id, body.start_month),
  }),
  endpoint({
    ...common,
    method: 'PATCH',
    url: `${ADMIN}/periods/:period_id`,
    summary: "Change a period's status",
    schema: { params: AdminPeriodParams, body: PatchAdminPeriodBody, data: AdminPeriod },
    handler: async ({ caller, params, body, services: { admin } }) =>
      admin.setPeriodStatus(await admin.requireAdmin(caller), params.period_id, body.status),
  }),
  endpoint({
    ...common,
    method: 'GET',
    url: `${ADMIN}/users`,
    summary: "A page of the tenant's people, by employee id",
    schema: { querystring: AdminPageQuery, data: ListAdminUsersData },
    handler: async ({ caller, query, services: { admin } }) =>
      admin.listUsers(await admin.requireAdmin(caller), query.page_size ?? 50, query.page_token || undefined),
  }),
  endpoint({
    ...common,
    method: 'POST',
    url: `${ADMIN}/users`,
    summary: 'Create a person',
    schema: { body: CreateAdminUserBody, data: AdminUser },
    handler: async ({ caller, body, services: { admin } }) => {
      const tenantId = await admin.requireAdmin(caller);
      const user = await admin.createUser(tenantId, {
        employee_id: body.user_id,
        name_zh: body.name_zh ?? '',
        name_en: body.name_en ?? '',
        ...(body.leader_user_id !== undefined ? { leader_employee_id: body.leader_user_id } : {}),
        ...(body.department_ids !== undefined ? { department_ids: body.department_ids } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.mobile !== undefined ? { mobile: body.mobile } : {}),
        ...(body.is_admin !== undefined ? { is_admin: body.is_admin } : {}),
      });
      return admin.user(tenantId, user.employee_id);
    },
  }),
  endpoint({
    ...common,
    method: 'PATCH',
    url: `${ADMIN}/users/:user_id`,
    summary: 'Change a person: names, email, mobile, leader, departments, active, administrator, OKR visibility',
    schema: { params: AdminUserParams, body: PatchAdminUserBody, data: AdminUser },
    handler: async ({ caller, params, body, services: { admin } }) => {
      const { leader_user_id, ...rest } = body;
      return admin.updateUser(
        await admin.requireAdmin(caller),
        params.user_id,
        { ...rest, ...(leader_user_id !== undefined ? { leader_employee_id: leader_user_id } : {}) },
        caller.userRef,
      );
    },
  }),
  endpoint({
    ...common,
    method: 'GET',
    url: `${ADMIN}/departments`,
    summary: 'Every department of the tenant with its members',
    schema: { data: ListAdminDepartmentsData },
    handler: async ({ caller, services: { admin } }) => ({
      items: await admin.listDepartments(await admin.requireAdmin(caller)),
    }),
  }),
  endpoint({
    ...common,
    method: 'POST',
    url: `${ADMIN}/departments`,
    summary: 'Create a department',
    schema: { body: CreateAdminDepartmentBody, data: AdminDepartment },
    handler: async ({ caller, body, services: { admin } }) => {
      const { leader_user_id, ...rest } = body;
      return admin.createDepartment(await admin.requireAdmin(caller), {
        ...rest,
        ...(leader_user_id !== undefined ? { leader_employee_id: leader_user_id } : {}),
      });
    },
  }),
  endpoint({
    ...common,
    method: 'PATCH',
    url: `${ADMIN}/departments/:department_id`,
    summary: "Change a department's names, parent, leader or members",
    schema: { params: AdminDepartmentParams, body: PatchAdminDepartmentBody, data: AdminDepartment },
    handler: async ({ caller, params, body, services: { admin } }) => {
      const { leader_user_id, member_user_ids, ...rest } = body;
      return admin.changeDepartment(
        await admin.requireAdmin(caller),
        params.department_id,
        { ...rest, ...(leader_user_id !== undefined ? { leader_employee_id: leader_user_id || null } : {}) },
        member_user_ids,
      );
    },
  }),
  endpoint({
    ...common,
    method: 'GET',
    url: `${ADMIN}/apps`,
    summary: "The tenant's apps with their scopes and redirect URIs (never a secret)",
    schema: { data: ListAdminAppsData },
    handler: async ({ caller, services: { admin } }) => ({
      items: await admin.listApps(await admin.requireAdmin(caller)),
    }),
  }),
  endpoint({
    ...common,
    method: 'POST',
    url: `${ADMIN}/apps`,
    summary: 'Create an app; a confidential app answers its secret this once',
    schema: { body: CreateAdminAppBody, data: CreatedAdminApp },
    handler: async ({ caller, body, services: { admin } }) => {
      const tenantId = await admin.requireAdmin(caller);
      const created = await admin.createApp(tenantId, body.name, body.scopes, {
        client_type: body.client_type ?? 'confidential',
        redirect_uris: body.redirect_uris ?? [],
      });
      const view = await admin.app(tenantId, created.app_id);
      return view.client_type === 'public' ? view : { ...view, app_secret: created.app_secret };
    },
  }),
  endpoint({
    ...common,
    method: 'PATCH',
    url: `${ADMIN}/apps/:app_id`,
    summary: "Change an app's name, scopes or redirect URIs",
    schema: { params: AdminAppParams, body: PatchAdminAppBody, data: AdminApp },
    handler: async ({ caller, params, body, services: { admin } }) =>
      admin.updateApp(await admin.requireAdmin(caller), params.app_id, body),
  }),
  endpoint({
    ...common,
    method: 'POST',
    url: `${ADMIN}/apps/:app_id/rotate_secret`,
    summary: "Replace a confidential app's secret (shown once; the old one stops at once)",
    schema: { params: AdminAppParams, data: RotatedSecret },
    handler: async ({ caller, params, services: { admin } }) =>
      admin.rotateAppSecret(await admin.requireAdmin(caller), params.app_id),
  }),
  endpoint({
    ...common,
    method: 'DELETE',
    url: `${ADMIN}/apps/:app_id`,
    summary: 'Delete an app with its tokens, codes, refresh tokens, open_ids and redirect URIs',
    schema: { params: AdminAppParams, data: DeletedApp },
    handler: async ({ caller, params, services: { admin } }) =>
      admin.deleteApp(await admin.requireAdmin(caller), params.app_id, caller.appId),
  }),
  endpoint({
    ...common,
    method: 'GET',
    url: `${ADMIN}/reviews`,
    summary: 'A page of review links, newest first, optionally of one person or period',
    schema: { querystring: ListAdminReviewsQuery, data: ListAdminReviewsData },
    handler: async ({ caller, query, services: { admin } }) =>
      admin.listReviews(
        await admin.requireAdmin(caller),
        {
          ...(query.user_id !== undefined ? { employee_id: query.user_id } : {}),
          ...(query.period_id !== undefined ? { period_id: query.period_id } : {}),
        },
        query.page_size ?? 50,
        query.page_token || undefined,
      ),
  }),
  endpoint({
    ...common,
    method: 'POST',
    url: `${ADMIN}/reviews`,
    summary: 'Add a review document or progress report link',
    schema: { body: CreateAdminReviewBody, data: AdminReview },
    handler: async ({ caller, body, services: { admin, reviews } }) => {
      const tenantId = await admin.requireAdmin(caller);
      const row = await reviews.add(tenantId, { employee_id: body.user_id, ...body });
      return admin.review(tenantId, row.id);
    },
  }),
  endpoint({
    ...common,
    method: 'DELETE',
    url: `${ADMIN}/reviews/:review_id`,
    summary: 'Remove a review link',
    schema: { params: AdminReviewParams, data: AdminReview },
    handler: async ({ caller, params, services: { admin } }) =>
      admin.removeReview(await admin.requireAdmin(caller), params.review_id),
  }),
];
