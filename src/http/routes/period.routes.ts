/** GET /open-apis/okr/v1/periods and /period_rules (spec §3.1, §3.4). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreatePeriodBody,
  CreatePeriodResponse,
  ListPeriodRulesResponse,
  ListPeriodsQuery,
  ListPeriodsResponse,
  PatchPeriodBody,
  PatchPeriodParams,
  PatchPeriodResponse,
} from '../../contract/period.js';
import { ACCESS } from '../../contract/scopes.js';
import type { PeriodService } from '../../services/period.service.js';

export const periodRoutes: FastifyPluginAsyncTypebox<{ periods: PeriodService }> = async (app, { periods }) => {
  app.get(
    '/open-apis/okr/v1/periods',
    {
      config: { access: ACCESS.periodList },
      schema: { querystring: ListPeriodsQuery, response: { 200: ListPeriodsResponse } },
    },
    async (request) => {
      const { page_size = 10, page_token } = request.query;
      return { code: 0, msg: 'success', data: await periods.list(request.caller, page_size, page_token || undefined) };
    },
  );
  // Feishu's tables give 1001002 as 403 on period create and patch (decisions.md OQ-5).
  app.post(
    '/open-apis/okr/v1/periods',
    {
      config: { access: ACCESS.periodWrite, noPermissionStatus: 403 },
      schema: { body: CreatePeriodBody, response: { 200: CreatePeriodResponse } },
    },
    async (request) => {
      const { period_rule_id, start_month } = request.body;
      return { code: 0, msg: 'success', data: await periods.create(request.caller, period_rule_id, start_month) };
    },
  );
  app.patch(
    '/open-apis/okr/v1/periods/:period_id',
    {
      config: { access: ACCESS.periodWrite, noPermissionStatus: 403 },
      schema: { params: PatchPeriodParams, body: PatchPeriodBody, response: { 200: PatchPeriodResponse } },
    },
    async (request) => ({
      code: 0,
      msg: 'success',
      data: await periods.setStatus(request.caller, request.params.period_id, request.body.status),
    }),
  );
  app.get(
    '/open-apis/okr/v1/period_rules',
    {
      config: { access: ACCESS.periodRuleList, noPermissionStatus: 403 },
      schema: { response: { 200: ListPeriodRulesResponse } },
    },
    async (request) => ({ code: 0, msg: 'success', data: await periods.rules(request.caller) }),
  );
};
