/** /open-apis/okr/v1/progress_records (spec §3.7–3.10). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateProgressRecordBody,
  DeleteProgressRecordResponse,
  ProgressRecordParams,
  ProgressRecordQuery,
  ProgressRecordResponse,
  UpdateProgressRecordBody,
} from '../../contract/progress-record.js';
import { ACCESS } from '../../contract/scopes.js';
import type { ProgressRecordService } from '../../services/progress-record.service.js';

const PATH = '/open-apis/okr/v1/progress_records';

export const progressRecordRoutes: FastifyPluginAsyncTypebox<{ records: ProgressRecordService }> = async (
  app,
  { records },
) => {
  app.post(
    PATH,
    {
      config: { access: ACCESS.progressWrite },
      schema: {
        querystring: ProgressRecordQuery,
        body: CreateProgressRecordBody,
        response: { 200: ProgressRecordResponse },
      },
    },
    async (request) => {
      const data = await records.create(request.caller, request.body, request.query.user_id_type ?? 'open_id');
      return { code: 0, msg: 'success', data };
    },
  );
  app.get(
    `${PATH}/:progress_id`,
    {
      config: { access: ACCESS.progressRead },
      schema: {
        params: ProgressRecordParams,
        querystring: ProgressRecordQuery,
        response: { 200: ProgressRecordResponse },
      },
    },
    async (request) => {
      const data = await records.get(
        request.caller,
        request.params.progress_id,
        request.query.user_id_type ?? 'open_id',
      );
      return { code: 0, msg: 'success', data };
    },
  );
  app.put(
    `${PATH}/:progress_id`,
    {
      config: { access: ACCESS.progressWrite },
      schema: {
        params: ProgressRecordParams,
        querystring: ProgressRecordQuery,
        body: UpdateProgressRecordBody,
        response: { 200: ProgressRecordResponse },
      },
    },
    async (request) => {
      const { caller, params, body, query } = request;
      const data = await records.update(caller, params.progress_id, body, query.user_id_type ?? 'open_id');
      return { code: 0, msg: 'success', data };
    },
  );
  app.delete(
    `${PATH}/:progress_id`,
    {
      config: { access: ACCESS.progressDelete },
      schema: { params: ProgressRecordParams, response: { 200: DeleteProgressRecordResponse } },
    },
    async (request) => {
      await records.delete(request.caller, request.params.progress_id);
      return { code: 0, msg: 'success' };
    },
  );
};
