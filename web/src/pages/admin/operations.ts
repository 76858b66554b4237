/** The administration API (`/okrd/admin/`) as the administration page calls it, typed by the server's contract. */
import type {
  AdminApp,
  AdminAppParams,
  AdminDepartment,
  AdminDepartmentParams,
  AdminPeriod,
  AdminPeriodParams,
  AdminPeriodRule,
  AdminReview,
  AdminReviewParams,
  AdminTenant,
  AdminUser,
  AdminUserParams,
  AdminPageQuery,
  CreateAdminAppBody,
  CreateAdminDepartmentBody,
  CreateAdminPeriodBody,
  CreateAdminReviewBody,
  CreateAdminUserBody,
  CreatedAdminApp,
  CreatePeriodRuleBody,
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
} from '../../../../src/contract/okrd/admin.js';
import type { CreateSignInLinkBody, SignInLink } from '../../../../src/contract/okrd/admin-links.js';
import type { Static } from '@sinclair/typebox';
import { op } from '../../api/client';

const A = '/okrd/admin';

export const admin = {
  tenant: op<{ data: typeof AdminTenant }>('GET', `${A}/tenant`),
  patchTenant: op<{ body: typeof PatchTenantBody; data: typeof AdminTenant }>('PATCH', `${A}/tenant`),
  periodRules: op<{ data: typeof ListPeriodRulesData }>('GET', `${A}/period_rules`),
  createPeriodRule: op<{ body: typeof CreatePeriodRuleBody; data: typeof AdminPeriodRule }>(
    'POST',
    `${A}/period_rules`,
  ),
  periods: op<{ data: typeof ListAdminPeriodsData }>('GET', `${A}/periods`),
  createPeriod: op<{ body: typeof CreateAdminPeriodBody; data: typeof AdminPeriod }>('POST', `${A}/periods`),
  patchPeriod: op<{ params: typeof AdminPeriodParams; body: typeof PatchAdminPeriodBody; data: typeof AdminPeriod }>(
    'PATCH',
    `${A}/periods/:period_id`,
  ),
  users: op<{ query: typeof AdminPageQuery; data: typeof ListAdminUsersData }>('GET', `${A}/users`),
  createUser: op<{ body: typeof CreateAdminUserBody; data: typeof AdminUser }>('POST', `${A}/users`),
  patchUser: op<{ params: typeof AdminUserParams; body: typeof PatchAdminUserBody; data: typeof AdminUser }>(
    'PATCH',
    `${A}/users/:user_id`,
  ),
  signInLink: op<{ params: typeof AdminUserParams; body: typeof CreateSignInLinkBody; data: typeof SignInLink }>(
    'POST',
    `${A}/users/:user_id/sign_in_link`,
  ),
  departments: op<{ data: typeof ListAdminDepartmentsData }>('GET', `${A}/departments`),
  createDepartment: op<{ body: typeof CreateAdminDepartmentBody; data: typeof AdminDepartment }>(
    'POST',
    `${A}/departments`,
  ),
  patchDepartment: op<{
    params: typeof AdminDepartmentParams;
    body: typeof PatchAdminDepartmentBody;
    data: typeof AdminDepartment;
  }>('PATCH', `${A}/departments/:department_id`),
  apps: op<{ data: typeof ListAdminAppsData }>('GET', `${A}/apps`),
  createApp: op<{ body: typeof CreateAdminAppBody; data: typeof CreatedAdminApp }>('POST', `${A}/apps`),
  patchApp: op<{ params: typeof AdminAppParams; body: typeof PatchAdminAppBody; data: typeof AdminApp }>(
    'PATCH',
    `${A}/apps/:app_id`,
  ),
  rotateSecret: op<{ params: typeof AdminAppParams; data: typeof RotatedSecret }>(
    'POST',
    `${A}/apps/:app_id/rotate_secret`,
  ),
  deleteApp: op<{ params: typeof AdminAppParams; data: typeof DeletedApp }>('DELETE', `${A}/apps/:app_id`),
  reviews: op<{ query: typeof ListAdminReviewsQuery; data: typeof ListAdminReviewsData }>('GET', `${A}/reviews`),
  createReview: op<{ body: typeof CreateAdminReviewBody; data: typeof AdminReview }>('POST', `${A}/reviews`),
  removeReview: op<{ params: typeof AdminReviewParams; data: typeof AdminReview }>('DELETE', `${A}/reviews/:review_id`),
};

export type Period = Static<typeof AdminPeriod>;
export type User = Static<typeof AdminUser>;
export type Department = Static<typeof AdminDepartment>;
export type UserPatch = Static<typeof PatchAdminUserBody>;
export type DepartmentPatch = Static<typeof PatchAdminDepartmentBody>;
export type App = Static<typeof AdminApp>;
export type Review = Static<typeof AdminReview>;
