/** GET /open-apis/okr/v1/periods and /period_rules (spec §3.1, §3.4). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ListPeriodRulesResponse, ListPeriodsQuery, ListPeriodsResponse } from '../../contract/period.js';
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
  app.get(
    '/open-apis/okr/v1/period_rules',
    {
      config: { access: ACCESS.periodRuleList, noPermissionStatus: 403 },
      schema: { response: { 200: ListPeriodRulesResponse } },
    },
    async (request) => ({ code: 0, msg: 'success', data: await periods.rules(request.caller) }),
  );
};
