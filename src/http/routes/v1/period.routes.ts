/** v1 periods and period rules (spec §3.1–3.4). */
import {
  CreatePeriodBody,
  CreatePeriodResponse,
  ListPeriodRulesResponse,
  ListPeriodsQuery,
  ListPeriodsResponse,
  PatchPeriodBody,
  PatchPeriodParams,
  PatchPeriodResponse,
} from '../../../contract/period.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';

export const periodEndpoints = [
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v1/periods',
    tag: 'v1',
    summary: 'List periods, newest first',
    access: ACCESS.periodList,
    schema: { querystring: ListPeriodsQuery, data: ListPeriodsResponse.properties.data },
    handler: ({ caller, query, services }) =>
      services.periods.list(caller, query.page_size ?? 10, query.page_token || undefined),
  }),
  // Feishu's tables give 1001002 as 403 on period create, patch and rules (decisions.md OQ-5).
  endpoint({
    method: 'POST',
    url: '/open-apis/okr/v1/periods',
    tag: 'v1',
    summary: 'Create a period of a period rule',
    access: ACCESS.periodWrite,
    noPermissionStatus: 403,
    schema: { body: CreatePeriodBody, data: CreatePeriodResponse.properties.data },
    handler: ({ caller, body, services }) => services.periods.create(caller, body.period_rule_id, body.start_month),
  }),
  endpoint({
    method: 'PATCH',
    url: '/open-apis/okr/v1/periods/:period_id',
    tag: 'v1',
    summary: "Change a period's status",
    access: ACCESS.periodWrite,
    noPermissionStatus: 403,
    schema: { params: PatchPeriodParams, body: PatchPeriodBody, data: PatchPeriodResponse.properties.data },
    handler: ({ caller, params, body, services }) => services.periods.setStatus(caller, params.period_id, body.status),
  }),
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v1/period_rules',
    tag: 'v1',
    summary: 'List period rules',
    access: ACCESS.periodRuleList,
    noPermissionStatus: 403,
    schema: { data: ListPeriodRulesResponse.properties.data },
    handler: ({ caller, services }) => services.periods.rules(caller),
  }),
];
