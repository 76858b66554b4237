/** Sign-in and user tokens (spec §9.1, §9.2): token request bodies and answers, and the signed-in person. */
import { Type, type Static } from '@sinclair/typebox';

/** `POST /open-apis/authen/v2/oauth/token`: every field optional here; missing ones are `invalid_request`. */
// Far above any value okrd issues or accepts: a longer one is refused before it is looked up.
const Short = Type.String({ maxLength: 512 });

export const OAuthTokenRequest = Type.Object({
  grant_type: Type.Optional(Short),
  client_id: Type.Optional(Short),
  client_secret: Type.Optional(Short),
  code: Type.Optional(Short),
  redirect_uri: Type.Optional(Type.String({ maxLength: 2048 })),
  code_verifier: Type.Optional(Short),
  refresh_token: Type.Optional(Short),
  scope: Type.Optional(Type.String({ maxLength: 4096 })),
});
export type OAuthTokenRequest = Static<typeof OAuthTokenRequest>;

/** The flat answer: the tokens on success, `error` and `error_description` (HTTP 400) on failure. */
export const OAuthTokenResponse = Type.Object({
  code: Type.Integer(),
  access_token: Type.Optional(Type.String()),
  expires_in: Type.Optional(Type.Integer({ description: 'seconds' })),
  refresh_token: Type.Optional(Type.String()),
  refresh_token_expires_in: Type.Optional(Type.Integer({ description: 'seconds' })),
  token_type: Type.Optional(Type.Literal('Bearer')),
  scope: Type.Optional(Type.String({ description: 'the granted scopes, space-separated' })),
  error: Type.Optional(Type.String()),
  error_description: Type.Optional(Type.String()),
});

/** The older OIDC flavour's bodies (spec §9.2). */
export const OidcCodeRequest = Type.Object({
  grant_type: Type.Optional(Short),
  code: Type.Optional(Short),
});
export const OidcRefreshRequest = Type.Object({
  grant_type: Type.Optional(Short),
  refresh_token: Type.Optional(Short),
});

/** `data` of the OIDC flavour's answers. */
export const OidcTokenData = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'seconds' }),
  refresh_expires_in: Type.Integer({ description: 'seconds' }),
  scope: Type.String(),
});

/** `data` of `GET /open-apis/authen/v1/user_info`. */
export const UserInfoData = Type.Object({
  name: Type.String(),
  en_name: Type.String(),
  avatar_url: Type.String(),
  avatar_thumb: Type.String(),
  avatar_middle: Type.String(),
  avatar_big: Type.String(),
  open_id: Type.String(),
  union_id: Type.String(),
  email: Type.String(),
  enterprise_email: Type.String(),
  user_id: Type.Optional(Type.String({ description: 'employee id; only with contact:user.employee_id:readonly' })),
  mobile: Type.String(),
  tenant_key: Type.String(),
  employee_no: Type.String(),
});
