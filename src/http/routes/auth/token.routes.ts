/**
 * POST /open-apis/auth/v3/{tenant,app}_access_token/internal (spec §2): flat bodies, the tokens at the top level; the
 * app token answer carries a tenant token too (spec §10).
 */
import { AppCredentials, AppTokenResponse, TenantTokenResponse } from '../../../contract/token.js';
import { endpoint } from '../../endpoint.js';

export const tokenEndpoints = [
  endpoint({
    method: 'POST',
    url: '/open-apis/auth/v3/tenant_access_token/internal',
    tag: 'auth',
    summary: 'A tenant access token for app credentials',
    schema: { body: AppCredentials, data: TenantTokenResponse },
    bare: true,
    handler: async ({ body, services }) => {
      const { token, expire } = await services.auth.issueAppToken('tenant', body?.app_id, body?.app_secret);
      return { code: 0, msg: 'ok', tenant_access_token: token, expire };
    },
  }),
  endpoint({
    method: 'POST',
    url: '/open-apis/auth/v3/app_access_token/internal',
    tag: 'auth',
    summary: 'An app access token, and a tenant access token of the same app, for app credentials',
    schema: { body: AppCredentials, data: AppTokenResponse },
    bare: true,
    handler: async ({ body, services }) => {
      const { appToken, tenantToken, expire } = await services.auth.issueAppAndTenantTokens(
        body?.app_id,
        body?.app_secret,
      );
      return { code: 0, msg: 'ok', app_access_token: appToken, tenant_access_token: tenantToken, expire };
    },
  }),
];
