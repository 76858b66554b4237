/** v2 objective categories (spec §4.2). */
import { ListCategoriesData, ListCategoriesQuery } from '../../../contract/v2/category.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';

export const categoryEndpoints = [
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v2/categories',
    tag: 'v2',
    summary: "List the tenant's objective categories, oldest first",
    access: ACCESS.v2CategoryRead,
    schema: { querystring: ListCategoriesQuery, data: ListCategoriesData },
    handler: ({ caller, query, services }) => services.categories.list(caller, query),
  }),
];
