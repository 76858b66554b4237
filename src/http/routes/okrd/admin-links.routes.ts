/**
 * `POST /okrd/admin/users/:user_id/sign_in_link` (okrd's administration API): a single-use link that lets a person
 * set their password — the invitation the web UI shows once after creating a person, or a reset. Same checks as the
 * rest of /okrd/admin/ (an active administrator of the tenant; other tenants' people are not found).
 */
import { AdminUserParams, CreateSignInLinkBody, SignInLink } from '../../../contract/okrd/admin-links.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';

export const adminLinkEndpoints = [
  endpoint({
    tag: 'okrd',
    access: ACCESS.admin,
    noPermissionStatus: 403,
    method: 'POST',
    url: '/okrd/admin/users/:user_id/sign_in_link',
    summary: 'A single-use link to set a password: an invitation (7 days) or a reset (1 hour), shown once',
    schema: { params: AdminUserParams, body: CreateSignInLinkBody, data: SignInLink },
    handler: async ({ caller, params, body, services: { admin, signIn } }) => {
      const link = await signIn.createLink(await admin.requireAdmin(caller), params.user_id, body.purpose);
      return { user_id: params.user_id, purpose: body.purpose, url: link.url, expires_at: link.expiresAt };
    },
  }),
];
