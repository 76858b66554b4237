/** GET /open-apis/okr/v1/okrs/batch_get and /users/:user_id/okrs (spec §3.5, §3.6). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BatchGetQuery,
  BatchGetResponse,
  UserOkrsParams,
  UserOkrsQuery,
  UserOkrsResponse,
} from '../../contract/okr.js';
import { ACCESS } from '../../contract/scopes.js';
import type { OkrService } from '../../services/okr.service.js';

export const okrRoutes: FastifyPluginAsyncTypebox<{ okrs: OkrService }> = async (app, { okrs }) => {
  app.get(
    '/open-apis/okr/v1/okrs/batch_get',
    { config: { access: ACCESS.okrRead }, schema: { querystring: BatchGetQuery, response: { 200: BatchGetResponse } } },
    async (request) => {
      const { okr_ids, user_id_type = 'open_id', lang = 'zh_cn' } = request.query;
      return { code: 0, msg: 'success', data: await okrs.batchGet(request.caller, okr_ids, { user_id_type, lang }) };
    },
  );
  app.get(
    '/open-apis/okr/v1/users/:user_id/okrs',
    {
      config: { access: ACCESS.okrRead },
      schema: { params: UserOkrsParams, querystring: UserOkrsQuery, response: { 200: UserOkrsResponse } },
    },
    async (request) => {
      const { offset, limit, period_ids, user_id_type = 'open_id', lang = 'zh_cn' } = request.query;
      const data = await okrs.listUserOkrs(
        request.caller,
        request.params.user_id,
        { offset: Number(offset), limit: Number(limit), ...(period_ids ? { period_ids } : {}) },
        { user_id_type, lang },
      );
      return { code: 0, msg: 'success', data };
    },
  );
};
