/**
 * The contact and search look-ups OKR clients make before OKR calls (spec §9.3): users by email or mobile, a user,
 * users' names, a department's children and direct members, and the person search of a signed-in user.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DepartmentIdTypeParam, Described, V2UserIdTypeParam } from '../v2/common.js';

/** `page_size` of the contact lists: Feishu's 1–50, default 10. */
const ContactPageSize = Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 }));

/** `page_token`: opaque, absent or empty for the first page. */
const PageToken = Type.Optional(Type.String({ maxLength: 512 }));

/** A name in each language the tenant holds (no Japanese names are kept: `ja_jp` is left out). */
const I18nName = Type.Object({
  zh_cn: Type.Optional(Type.String()),
  en_us: Type.Optional(Type.String()),
  ja_jp: Type.Optional(Type.String()),
});

/** A person's account state; okrd knows active and deactivated (resigned) people only. */
export const UserStatus = Type.Object({
  is_frozen: Type.Boolean(),
  is_resigned: Type.Boolean(),
  is_activated: Type.Boolean(),
  is_exited: Type.Boolean(),
  is_unjoin: Type.Boolean(),
});
export type UserStatus = Static<typeof UserStatus>;

/** okrd keeps no avatars: every size is an empty string. */
export const Avatar = Type.Object({
  avatar_72: Type.String(),
  avatar_240: Type.String(),
  avatar_640: Type.String(),
  avatar_origin: Type.String(),
});
export type Avatar = Static<typeof Avatar>;

/** A person as `users/:user_id` and `find_by_department` return them. */
export const ContactUser = Type.Object({
  open_id: Type.String(),
  union_id: Type.String(),
  user_id: Type.Optional(
    Type.String({ description: 'the employee id; only with the scope contact:user.employee_id:readonly' }),
  ),
  name: Type.String(),
  en_name: Type.String(),
  email: Type.Optional(Type.String()),
  mobile: Type.Optional(Type.String({ description: 'only when set' })),
  leader_user_id: Type.Optional(Type.String({ description: 'id type per user_id_type; left out without a leader' })),
  department_ids: Type.Array(
    Type.String({ description: 'id type per department_id_type; "0" (the root) for people in no department' }),
  ),
  status: UserStatus,
  avatar: Avatar,
});
export type ContactUser = Static<typeof ContactUser>;

/** A department as `departments/:department_id/children` returns it. */
export const ContactDepartment = Type.Object({
  name: Type.String(),
  i18n_name: I18nName,
  parent_department_id: Type.String({ description: 'id type per department_id_type; "0" under the root' }),
  department_id: Type.String(),
  open_department_id: Type.String(),
  leader_user_id: Type.Optional(Type.String({ description: 'id type per user_id_type; left out without a leader' })),
  member_count: Type.Optional(
    Type.Integer({ description: 'active people in the department and below it, its leaders included' }),
  ),
  status: Type.Object({ is_deleted: Type.Boolean() }),
});
export type ContactDepartment = Static<typeof ContactDepartment>;

/** Query of the user look-ups that name users only. */
export const UserIdTypeQuery = Type.Object({ user_id_type: V2UserIdTypeParam });
export type UserIdTypeQuery = Static<typeof UserIdTypeQuery>;

/** Query of the look-ups that name users and departments. */
export const ContactIdTypesQuery = Type.Object({
  user_id_type: V2UserIdTypeParam,
  department_id_type: DepartmentIdTypeParam,
});
export type ContactIdTypesQuery = Static<typeof ContactIdTypesQuery>;

/** Body of POST /contact/v3/users/batch_get_id. */
export const BatchGetIdBody = Type.Object({
  emails: Type.Optional(Type.Array(Type.String({ maxLength: 320 }), { maxItems: 50 })),
  mobiles: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 50 })),
  include_resigned: Type.Optional(
    Described(Type.Boolean({ default: false }), 'also answer deactivated (resigned) people'),
  ),
});
export type BatchGetIdBody = Static<typeof BatchGetIdBody>;

/** `data` of batch_get_id: one entry per asked email, then per asked mobile, in order. */
export const BatchGetIdData = Type.Object({
  user_list: Type.Array(
    Type.Object({
      user_id: Type.Optional(Type.String({ description: 'id type per user_id_type; left out when not found' })),
      email: Type.Optional(Type.String()),
      mobile: Type.Optional(Type.String()),
      status: Type.Optional(UserStatus),
    }),
  ),
});
export type BatchGetIdData = Static<typeof BatchGetIdData>;

/** The `:user_id` path parameter (id type per user_id_type). */
export const UserParams = Type.Object({ user_id: Type.String({ minLength: 1, maxLength: 100 }) });
export type UserParams = Static<typeof UserParams>;

/** `data` of GET /contact/v3/users/:user_id. */
export const UserData = Type.Object({ user: ContactUser });
export type UserData = Static<typeof UserData>;

/** Body of POST /contact/v3/users/basic_batch. */
export const BasicBatchBody = Type.Object({
  user_ids: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 10 }),
});
export type BasicBatchBody = Static<typeof BasicBatchBody>;

/** `data` of basic_batch: the users found, in the order asked (unknown ids are left out). */
export const BasicBatchData = Type.Object({
  users: Type.Array(Type.Object({ user_id: Type.String(), name: Type.String(), i18n_name: Type.Optional(I18nName) })),
});
export type BasicBatchData = Static<typeof BasicBatchData>;

/** Query of GET /contact/v3/users/find_by_department. */
export const FindByDepartmentQuery = Type.Object({
  ...ContactIdTypesQuery.properties,
  department_id: Type.String({ minLength: 1, maxLength: 100, description: 'id type per department_id_type; "0" root' }),
  page_size: ContactPageSize,
  page_token: PageToken,
});
export type FindByDepartmentQuery = Static<typeof FindByDepartmentQuery>;

/** A page of people. */
export const UserPageData = Type.Object({
  has_more: Type.Boolean(),
  page_token: Type.Optional(Type.String()),
  items: Type.Array(ContactUser),
});
export type UserPageData = Static<typeof UserPageData>;

/** The `:department_id` path parameter (id type per department_id_type; "0" is the root). */
export const DepartmentParams = Type.Object({ department_id: Type.String({ minLength: 1, maxLength: 100 }) });
export type DepartmentParams = Static<typeof DepartmentParams>;

/** Query of GET /contact/v3/departments/:department_id/children. */
export const ChildrenQuery = Type.Object({
  ...ContactIdTypesQuery.properties,
  fetch_child: Type.Optional(
    Described(Type.Boolean({ default: false }), 'true: every department below, not only the direct children'),
  ),
  page_size: ContactPageSize,
  page_token: PageToken,
});
export type ChildrenQuery = Static<typeof ChildrenQuery>;

/** A page of departments. */
export const DepartmentPageData = Type.Object({
  has_more: Type.Boolean(),
  page_token: Type.Optional(Type.String()),
  items: Type.Array(ContactDepartment),
});
export type DepartmentPageData = Static<typeof DepartmentPageData>;

/** Query of GET /search/v1/user. */
export const SearchUserQuery = Type.Object({
  query: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'part of a name (Chinese or English), an employee id or an email; any case',
  }),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  page_token: PageToken,
});
export type SearchUserQuery = Static<typeof SearchUserQuery>;

/** A person the search found. */
export const SearchedUser = Type.Object({
  name: Type.String(),
  open_id: Type.String(),
  user_id: Type.Optional(
    Type.String({ description: 'the employee id; only with the scope contact:user.employee_id:readonly' }),
  ),
  department_ids: Type.Array(Type.String({ description: 'open_department_id; "0" for people in no department' })),
  avatar: Avatar,
});
export type SearchedUser = Static<typeof SearchedUser>;

/** `data` of the person search. */
export const SearchUserData = Type.Object({
  users: Type.Array(SearchedUser),
  has_more: Type.Boolean(),
  page_token: Type.Optional(Type.String()),
});
export type SearchUserData = Static<typeof SearchUserData>;
