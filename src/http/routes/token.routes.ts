/** POST /open-apis/auth/v3/{tenant,app}_access_token/internal (spec §2). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppCredentials, AppTokenResponse, TenantTokenResponse } from '../../contract/token.js';
import type { AuthService } from '../../services/auth.service.js';

export const tokenRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  app.post(
    '/open-apis/auth/v3/tenant_access_token/internal',
    { schema: { body: AppCredentials, response: { 200: TenantTokenResponse } } },
    async (request) => {
      const body = request.body ?? {};
      const { token, expire } = await auth.issueAppToken('tenant', body.app_id, body.app_secret);
      return { code: 0, msg: 'ok', tenant_access_token: token, expire };
    },
  );
  app.post(
    '/open-apis/auth/v3/app_access_token/internal',
    { schema: { body: AppCredentials, response: { 200: AppTokenResponse } } },
    async (request) => {
      const body = request.body ?? {};
      const { token, expire } = await auth.issueAppToken('app', body.app_id, body.app_secret);
      return { code: 0, msg: 'ok', app_access_token: token, expire };
    },
  );
};
