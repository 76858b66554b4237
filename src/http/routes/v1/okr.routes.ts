/** v1 OKR reads: batch_get and a user's OKR list (spec §3.5, §3.6). */
import {
  BatchGetQuery,
  BatchGetResponse,
  UserOkrsParams,
  UserOkrsQuery,
  UserOkrsResponse,
} from '../../../contract/okr.js';
import { ACCESS } from '../../../contract/scopes.js';
import { resolveLang } from '../../../domain/lang.js';
import { JsonBytes, JsonText, endpoint } from '../../endpoint.js';

// The service hands back each OKR already as JSON (most often from its render cache), so `data` is joined around
// them instead of serialising objects again. The schemas document the result; the tests check every response
// against them.
export const okrEndpoints = [
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v1/okrs/batch_get',
    tag: 'v1',
    summary: 'Get OKRs by id',
    access: ACCESS.okrRead,
    schema: { querystring: BatchGetQuery, data: BatchGetResponse.properties.data },
    handler: async ({ caller, query, services }) => {
      const { okr_ids, user_id_type = 'open_id', lang } = query;
      return new JsonBytes(await services.okrs.batchGet(caller, okr_ids, { user_id_type, lang: resolveLang(lang) }));
    },
  }),
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v1/users/:user_id/okrs',
    tag: 'v1',
    summary: "List a user's OKRs, newest period first",
    access: ACCESS.okrRead,
    schema: { params: UserOkrsParams, querystring: UserOkrsQuery, data: UserOkrsResponse.properties.data },
    handler: async ({ caller, params, query, services }) => {
      const { offset, limit, period_ids, user_id_type = 'open_id', lang } = query;
      const { total, okrs } = await services.okrs.listUserOkrs(
        caller,
        params.user_id,
        { offset: Number(offset), limit: Number(limit), ...(period_ids ? { period_ids } : {}) },
        { user_id_type, lang: resolveLang(lang) },
      );
      return new JsonText(`{"total":${total},"okr_list":[${okrs.join(',')}]}`);
    },
  }),
];
