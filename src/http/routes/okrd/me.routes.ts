/** `GET /okrd/api/me` (okrd's own): the signed-in person and their tenant's time zone, for the web UI's first call. */
import { MeData } from '../../../contract/okrd/me.js';
import { endpoint } from '../../endpoint.js';

export const meEndpoints = [
  endpoint({
    method: 'GET',
    url: '/okrd/api/me',
    tag: 'okrd',
    summary: 'The signed-in person, whether they administer the tenant, and the tenant time zone',
    // Any OKR read scope: every client that shows a person their OKRs needs this much.
    access: { tokens: ['user'], scopes: ['okr:okr', 'okr:okr:readonly', 'okr:okr.content:readonly'] },
    schema: { data: MeData },
    handler: async ({ caller, services }) => services.oauth.me(caller),
  }),
];
