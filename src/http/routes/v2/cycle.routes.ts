/** v2 cycles (spec §4.3): the list, created on first access (decisions.md OQ-30, OQ-34). */
import { ListCyclesData, ListCyclesQuery } from '../../../contract/v2/cycle.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';

export const cycleEndpoints = [
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v2/cycles',
    tag: 'v2',
    summary: "List a person's (user_id) or a department's (department_id) cycles, newest period first",
    access: ACCESS.v2CycleRead,
    schema: { querystring: ListCyclesQuery, data: ListCyclesData },
    handler: ({ caller, query, services }) => services.cycles.list(caller, query),
  }),
];
