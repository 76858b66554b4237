/**
 * okrd's administration API (`/okrd/admin/`, not part of Feishu's): the wire shapes. snake_case JSON in the usual
 * envelope; people are named by their employee id (`user_id`), departments by the tenant's own id; times are epoch
 * milliseconds as numbers. No answer carries a secret except the one-time `app_secret` of app create and rotate.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EntityId, IntEnum, StringEnum } from '../common.js';

/** A string or null (null clears the field); one JSON-schema type list, so nothing coerces null into "". */
const NullableString = (options: { maxLength: number; description?: string }) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], ...options });

const Ms = Type.Integer({ description: 'epoch milliseconds' });
const EmployeeId = Type.String({ minLength: 1, maxLength: 64, description: "the tenant's own id of a person" });
const DepartmentId = Type.String({ minLength: 1, maxLength: 64, description: "the tenant's own id of a department" });
const Name = Type.String({ maxLength: 100 });

/** Paging of the longer lists. */
export const AdminPageQuery = Type.Object({
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  page_token: Type.Optional(Type.String({ maxLength: 200 })),
});

// ---- tenant -------------------------------------------------------------------------------------------------------

export const AdminTenant = Type.Object({
  tenant_id: Type.String(),
  name: Type.String(),
  utc_offset_minutes: Type.Integer(),
  password_sign_in: Type.Boolean(),
  oidc_issuer: NullableString({ maxLength: 2048 }),
  oidc_client_id: NullableString({ maxLength: 512 }),
  oidc_client_secret_set: Type.Boolean({ description: 'whether a client secret is stored (it is never shown)' }),
  oidc_create_users: Type.Boolean(),
  created_at: Ms,
});
export type AdminTenant = Static<typeof AdminTenant>;

export const PatchTenantBody = Type.Object({
  name: Type.Optional(Name),
  utc_offset_minutes: Type.Optional(Type.Integer({ minimum: -840, maximum: 840 })),
  password_sign_in: Type.Optional(Type.Boolean()),
  oidc_issuer: Type.Optional(NullableString({ maxLength: 2048, description: 'https URL; null clears' })),
  oidc_client_id: Type.Optional(NullableString({ maxLength: 512 })),
  oidc_client_secret: Type.Optional(NullableString({ maxLength: 1024, description: 'write only' })),
  oidc_create_users: Type.Optional(Type.Boolean()),
});
export type PatchTenantBody = Static<typeof PatchTenantBody>;

// ---- period rules and periods -------------------------------------------------------------------------------------

export const AdminPeriodRule = Type.Object({
  period_rule_id: Type.String(),
  type: StringEnum(['month', 'year']),
  length: Type.Integer(),
  first_month: Type.Integer(),
});
export const ListPeriodRulesData = Type.Object({ period_rules: Type.Array(AdminPeriodRule) });
export const CreatePeriodRuleBody = Type.Object({
  type: StringEnum(['month', 'year']),
  length: Type.Optional(Type.Integer({ description: 'month: 1, 2, 3, 4 or 6; year: 12 (the default)' })),
  first_month: Type.Optional(Type.Integer({ description: '1–12, default 1' })),
});
export type CreatePeriodRuleBody = Static<typeof CreatePeriodRuleBody>;

export const AdminPeriod = Type.Object({
  period_id: Type.String(),
  period_rule_id: NullableString({ maxLength: 32 }),
  zh_name: Type.String(),
  en_name: Type.String(),
  status: Type.Integer({ description: '0 default, 1 normal, 2 invalid, 3 hidden' }),
  start_month: Type.String(),
  end_month: Type.String(),
  period_start_time: Ms,
  period_end_time: Ms,
});
export const ListAdminPeriodsData = Type.Object({ items: Type.Array(AdminPeriod) });
export const CreateAdminPeriodBody = Type.Object({
  period_rule_id: EntityId,
  start_month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }),
});
export type CreateAdminPeriodBody = Static<typeof CreateAdminPeriodBody>;
export const AdminPeriodParams = Type.Object({ period_id: EntityId });
export const PatchAdminPeriodBody = Type.Object({ status: IntEnum([1, 2, 3], '1 normal, 2 invalid, 3 hidden') });

// ---- people -------------------------------------------------------------------------------------------------------

export const AdminUser = Type.Object({
  user_id: Type.String(),
  union_id: Type.String(),
  people_admin_id: Type.String(),
  name_zh: Type.String(),
  name_en: Type.String(),
  email: NullableString({ maxLength: 254 }),
  mobile: NullableString({ maxLength: 32 }),
  leader_user_id: NullableString({ maxLength: 64 }),
  department_ids: Type.Array(Type.String()),
  active: Type.Boolean(),
  is_admin: Type.Boolean(),
  okr_visibility: StringEnum(['tenant', 'leaders']),
  created_at: Ms,
});
export const ListAdminUsersData = Type.Object({
  has_more: Type.Boolean(),
  page_token: Type.Optional(Type.String()),
  items: Type.Array(AdminUser),
});
export const CreateAdminUserBody = Type.Object({
  user_id: EmployeeId,
  name_zh: Type.Optional(Name),
  name_en: Type.Optional(Name),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  mobile: Type.Optional(Type.String({ maxLength: 32 })),
  leader_user_id: Type.Optional(EmployeeId),
  department_ids: Type.Optional(Type.Array(DepartmentId, { maxItems: 100 })),
  is_admin: Type.Optional(Type.Boolean()),
});
export type CreateAdminUserBody = Static<typeof CreateAdminUserBody>;
export const AdminUserParams = Type.Object({ user_id: EmployeeId });
export const PatchAdminUserBody = Type.Object({
  name_zh: Type.Optional(Name),
  name_en: Type.Optional(Name),
  email: Type.Optional(NullableString({ maxLength: 254 })),
  mobile: Type.Optional(NullableString({ maxLength: 32 })),
  leader_user_id: Type.Optional(NullableString({ maxLength: 64 })),
  department_ids: Type.Optional(Type.Array(DepartmentId, { maxItems: 100 })),
  active: Type.Optional(Type.Boolean({ description: 'false ends their tokens and sessions at once' })),
  is_admin: Type.Optional(Type.Boolean()),
  visibility: Type.Optional(StringEnum(['tenant', 'leaders'])),
});
export type PatchAdminUserBody = Static<typeof PatchAdminUserBody>;

// ---- departments --------------------------------------------------------------------------------------------------

export const AdminDepartment = Type.Object({
  department_id: Type.String(),
  open_department_id: Type.String(),
  name_zh: Type.String(),
  name_en: Type.String(),
  parent_department_id: Type.String({ description: '"0": the root' }),
  leader_user_id: NullableString({ maxLength: 64 }),
  member_user_ids: Type.Array(Type.String()),
  created_at: Ms,
  updated_at: Ms,
});
export const ListAdminDepartmentsData = Type.Object({ items: Type.Array(AdminDepartment) });
export const CreateAdminDepartmentBody = Type.Object({
  department_id: Type.Optional(DepartmentId),
  name_zh: Name,
  name_en: Type.Optional(Name),
  parent_department_id: Type.Optional(DepartmentId),
  leader_user_id: Type.Optional(EmployeeId),
});
export type CreateAdminDepartmentBody = Static<typeof CreateAdminDepartmentBody>;
export const AdminDepartmentParams = Type.Object({ department_id: DepartmentId });
export const PatchAdminDepartmentBody = Type.Object({
  name_zh: Type.Optional(Name),
  name_en: Type.Optional(Name),
  parent_department_id: Type.Optional(DepartmentId),
  leader_user_id: Type.Optional(NullableString({ maxLength: 64 })),
  member_user_ids: Type.Optional(Type.Array(EmployeeId, { maxItems: 1000 })),
});
export type PatchAdminDepartmentBody = Static<typeof PatchAdminDepartmentBody>;

// ---- apps ---------------------------------------------------------------------------------------------------------

const RedirectUris = Type.Array(Type.String({ maxLength: 2048 }), { maxItems: 20 });
const Scopes = Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 });

export const AdminApp = Type.Object({
  app_id: Type.String(),
  name: Type.String(),
  client_type: StringEnum(['confidential', 'public']),
  scopes: Type.Array(Type.String()),
  redirect_uris: Type.Array(Type.String()),
  created_at: Ms,
});
export const ListAdminAppsData = Type.Object({ items: Type.Array(AdminApp) });
export const CreateAdminAppBody = Type.Object({
  name: Name,
  scopes: Type.Optional(Scopes),
  client_type: Type.Optional(StringEnum(['confidential', 'public'], { default: 'confidential' })),
  redirect_uris: Type.Optional(RedirectUris),
});
export type CreateAdminAppBody = Static<typeof CreateAdminAppBody>;
/** A new app, with its secret shown this once (confidential apps only). */
export const CreatedAdminApp = Type.Object({
  ...AdminApp.properties,
  app_secret: Type.Optional(Type.String({ description: 'shown only here; confidential apps only' })),
});
export const AdminAppParams = Type.Object({ app_id: Type.String({ minLength: 1, maxLength: 64 }) });
export const PatchAdminAppBody = Type.Object({
  name: Type.Optional(Name),
  scopes: Type.Optional(Scopes),
  redirect_uris: Type.Optional(RedirectUris),
});
export type PatchAdminAppBody = Static<typeof PatchAdminAppBody>;
export const RotatedSecret = Type.Object({ app_id: Type.String(), app_secret: Type.String() });
export const DeletedApp = Type.Object({
  app_id: Type.String(),
  deleted: Type.Record(Type.String(), Type.Integer(), { description: 'rows deleted, by table' }),
});

// ---- reviews ------------------------------------------------------------------------------------------------------

export const AdminReview = Type.Object({
  id: Type.String(),
  user_id: Type.String(),
  period_id: Type.String(),
  kind: StringEnum(['cycle_review', 'progress_report']),
  url: Type.String(),
  create_time: Ms,
});
export const ListAdminReviewsQuery = Type.Object({
  ...AdminPageQuery.properties,
  user_id: Type.Optional(EmployeeId),
  period_id: Type.Optional(EntityId),
});
export const ListAdminReviewsData = Type.Object({
  has_more: Type.Boolean(),
  page_token: Type.Optional(Type.String()),
  items: Type.Array(AdminReview),
});
export const CreateAdminReviewBody = Type.Object({
  user_id: EmployeeId,
  period_id: EntityId,
  kind: StringEnum(['cycle_review', 'progress_report']),
  url: Type.String({ maxLength: 2048 }),
});
export type CreateAdminReviewBody = Static<typeof CreateAdminReviewBody>;
export const AdminReviewParams = Type.Object({ review_id: EntityId });
