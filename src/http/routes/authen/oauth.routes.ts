/**
 * User tokens for apps (spec §9.1, §9.2): the OAuth 2 token endpoint (flat answers, errors with HTTP 400), the older
 * OIDC token endpoints (app token, enveloped answers) and the signed-in person's info. The authorize pages are in
 * http/pages/sign-in.pages.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  OAuthTokenRequest,
  OAuthTokenResponse,
  OidcCodeRequest,
  OidcRefreshRequest,
  OidcTokenData,
  UserInfoData,
} from '../../../contract/authen/oauth.js';
import { OkrdError } from '../../../errors.js';
import { OAuthError, type GrantedTokens } from '../../../services/oauth.service.js';
import { endpoint } from '../../endpoint.js';

// Requests whose flat OAuth answer is an error: sent with HTTP 400 (installOAuthErrorStatus).
const failed = new WeakSet<FastifyRequest>();

/** Sends the flat OAuth error answers with HTTP 400; app.ts installs it. */
export function installOAuthErrorStatus(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (failed.has(request)) reply.code(400);
    return payload;
  });
}

const oidcData = (t: GrantedTokens) => ({
  access_token: t.accessToken,
  refresh_token: t.refreshToken,
  token_type: 'Bearer' as const,
  expires_in: t.expiresIn,
  refresh_expires_in: t.refreshExpiresIn,
  scope: t.scope,
});

// The OIDC flavour answers in the Feishu envelope: its OAuth errors become `{code, msg}` with HTTP 400.
async function enveloped(grant: Promise<GrantedTokens>) {
  try {
    return oidcData(await grant);
  } catch (err) {
    throw err instanceof OAuthError ? new OkrdError(err.code, `${err.error}: ${err.description}`) : err;
  }
}

export const oauthEndpoints = [
  endpoint({
    method: 'POST',
    url: '/open-apis/authen/v2/oauth/token',
    tag: 'auth',
    summary: 'A user access token and refresh token for an authorization code or a refresh token (OAuth 2)',
    schema: { body: OAuthTokenRequest, data: OAuthTokenResponse },
    bare: true,
    handler: async ({ body, services, request }) => {
      try {
        const t = await services.oauth.token(body ?? {});
        return {
          code: 0,
          access_token: t.accessToken,
          expires_in: t.expiresIn,
          refresh_token: t.refreshToken,
          refresh_token_expires_in: t.refreshExpiresIn,
          token_type: 'Bearer' as const,
          scope: t.scope,
        };
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        failed.add(request);
        return { code: err.code, error: err.error, error_description: err.description };
      }
    },
  }),
  endpoint({
    method: 'POST',
    url: '/open-apis/authen/v1/oidc/access_token',
    tag: 'auth',
    summary: 'A user access token for an authorization code (older OIDC flavour; app access token)',
    schema: { body: OidcCodeRequest, data: OidcTokenData },
    handler: async ({ body, services, request }) => {
      const app = await services.auth.appCaller(request.headers.authorization);
      return enveloped(services.oauth.oidcToken(app, body ?? {}, 'code'));
    },
  }),
  endpoint({
    method: 'POST',
    url: '/open-apis/authen/v1/oidc/refresh_access_token',
    tag: 'auth',
    summary: 'A new user access token for a refresh token (older OIDC flavour; app access token)',
    schema: { body: OidcRefreshRequest, data: OidcTokenData },
    handler: async ({ body, services, request }) => {
      const app = await services.auth.appCaller(request.headers.authorization);
      return enveloped(services.oauth.oidcToken(app, body ?? {}, 'refresh'));
    },
  }),
  endpoint({
    method: 'GET',
    url: '/open-apis/authen/v1/user_info',
    tag: 'auth',
    summary: 'The signed-in person behind a user access token',
    access: { tokens: ['user'], scopes: [] },
    schema: { data: UserInfoData },
    handler: async ({ caller, services }) => services.oauth.userInfo(caller),
  }),
];
