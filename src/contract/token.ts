/** Token endpoints (spec §2): credentials in, a token and its remaining lifetime (seconds) at the top level out. */
import { Type, type Static } from '@sinclair/typebox';

/** Body of the `.../internal` token requests. */
export const AppCredentials = Type.Object({
  app_id: Type.Optional(Type.String({ maxLength: 256 })),
  app_secret: Type.Optional(Type.String({ maxLength: 256 })),
});
export type AppCredentials = Static<typeof AppCredentials>;

export const TenantTokenResponse = Type.Object({
  code: Type.Integer(),
  msg: Type.String(),
  tenant_access_token: Type.Optional(Type.String()),
  expire: Type.Optional(Type.Integer()),
  data: Type.Optional(Type.Object({})),
});

/** `app_access_token/internal` also answers a tenant token of the same app (spec §10, decisions.md OQ-23). */
export const AppTokenResponse = Type.Object({
  code: Type.Integer(),
  msg: Type.String(),
  app_access_token: Type.Optional(Type.String()),
  tenant_access_token: Type.Optional(Type.String()),
  expire: Type.Optional(Type.Integer({ description: 'seconds; the shorter remaining lifetime of the two tokens' })),
  data: Type.Optional(Type.Object({})),
});
