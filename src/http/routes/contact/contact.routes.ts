/** Contact and person-search look-ups that OKR clients make before OKR calls (spec §9.3). */
import {
  BasicBatchBody,
  BasicBatchData,
  BatchGetIdBody,
  BatchGetIdData,
  ChildrenQuery,
  ContactIdTypesQuery,
  DepartmentPageData,
  DepartmentParams,
  FindByDepartmentQuery,
  SearchUserData,
  SearchUserQuery,
  UserData,
  UserIdTypeQuery,
  UserPageData,
  UserParams,
} from '../../../contract/contact/contact.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';

const USERS = '/open-apis/contact/v3/users';

export const contactEndpoints = [
  endpoint({
    method: 'POST',
    url: `${USERS}/batch_get_id`,
    tag: 'contact',
    summary: "People's ids by email or mobile, one entry per asked value in order",
    access: ACCESS.contactIdRead,
    schema: { querystring: UserIdTypeQuery, body: BatchGetIdBody, data: BatchGetIdData },
    handler: ({ caller, query, body, services }) => services.contacts.batchGetId(caller, query, body),
  }),
  endpoint({
    method: 'POST',
    url: `${USERS}/basic_batch`,
    tag: 'contact',
    summary: "Up to 10 people's names, in the order asked (unknown ids left out)",
    access: ACCESS.contactRead,
    schema: { querystring: UserIdTypeQuery, body: BasicBatchBody, data: BasicBatchData },
    handler: ({ caller, query, body, services }) => services.contacts.basicBatch(caller, query, body),
  }),
  endpoint({
    method: 'GET',
    url: `${USERS}/find_by_department`,
    tag: 'contact',
    summary: 'The active direct members of a department (of the root "0": people in no department)',
    access: ACCESS.contactRead,
    schema: { querystring: FindByDepartmentQuery, data: UserPageData },
    handler: ({ caller, query, services }) => services.contacts.findByDepartment(caller, query),
  }),
  endpoint({
    method: 'GET',
    url: `${USERS}/:user_id`,
    tag: 'contact',
    summary: 'A person: ids, names, email, leader, departments and status',
    access: ACCESS.contactRead,
    schema: { params: UserParams, querystring: ContactIdTypesQuery, data: UserData },
    handler: ({ caller, params, query, services }) => services.contacts.getUser(caller, params.user_id, query),
  }),
  endpoint({
    method: 'GET',
    url: '/open-apis/contact/v3/departments/:department_id/children',
    tag: 'contact',
    summary: 'The child departments of a department ("0": the root); fetch_child=true: every department below it',
    access: ACCESS.contactRead,
    schema: { params: DepartmentParams, querystring: ChildrenQuery, data: DepartmentPageData },
    handler: ({ caller, params, query, services }) => services.contacts.children(caller, params.department_id, query),
  }),
  endpoint({
    method: 'GET',
    url: '/open-apis/search/v1/user',
    tag: 'contact',
    summary: 'Search active people by name, email or employee id (user tokens)',
    access: ACCESS.userSearch,
    schema: { querystring: SearchUserQuery, data: SearchUserData },
    handler: ({ caller, query, services }) => services.contacts.searchUsers(caller, query),
  }),
];
