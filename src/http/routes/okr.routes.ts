/** GET /open-apis/okr/v1/okrs/batch_get and /users/:user_id/okrs (spec §3.5, §3.6). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BatchGetQuery,
  BatchGetResponseText,
  UserOkrsParams,
  UserOkrsQuery,
  UserOkrsResponseText,
} from '../../contract/okr.js';
import { ACCESS } from '../../contract/scopes.js';
import type { OkrService } from '../../services/okr.service.js';

// The service hands back each OKR already as JSON (most often from its render cache), so the envelope is joined
// around them here instead of serialising objects again. The response schemas document the result (and the tests
// check every response against them); Fastify sends a string as it is.
const JSON_TYPE = 'application/json; charset=utf-8';

export const okrRoutes: FastifyPluginAsyncTypebox<{ okrs: OkrService }> = async (app, { okrs }) => {
  app.get(
    '/open-apis/okr/v1/okrs/batch_get',
    {
      config: { access: ACCESS.okrRead },
      schema: { querystring: BatchGetQuery, response: { 200: BatchGetResponseText } },
    },
    async (request, reply) => {
      const { okr_ids, user_id_type = 'open_id', lang = 'zh_cn' } = request.query;
      const list = await okrs.batchGet(request.caller, okr_ids, { user_id_type, lang });
      return reply.type(JSON_TYPE).send(`{"code":0,"msg":"success","data":{"okr_list":[${list.join(',')}]}}`);
    },
  );
  app.get(
    '/open-apis/okr/v1/users/:user_id/okrs',
    {
      config: { access: ACCESS.okrRead },
      schema: { params: UserOkrsParams, querystring: UserOkrsQuery, response: { 200: UserOkrsResponseText } },
    },
    async (request, reply) => {
      const { offset, limit, period_ids, user_id_type = 'open_id', lang = 'zh_cn' } = request.query;
      const { total, okrs: list } = await okrs.listUserOkrs(
        request.caller,
        request.params.user_id,
        { offset: Number(offset), limit: Number(limit), ...(period_ids ? { period_ids } : {}) },
        { user_id_type, lang },
      );
      return reply
        .type(JSON_TYPE)
        .send(`{"code":0,"msg":"success","data":{"total":${total},"okr_list":[${list.join(',')}]}}`);
    },
  );
};
