/** Feishu permission scopes okrd grants and checks (spec §2.4). */

/** okrd's own scope of the /okrd/admin/ API (not Feishu's): listed by name on the consent page like any other. */
export const ADMIN_SCOPE = 'okrd:admin';

/** Field scope needed to see and use employee ids (`user_id_type=user_id`). */
export const EMPLOYEE_ID_SCOPE = 'contact:user.employee_id:readonly';

/** Every scope an app can be granted; the demo app holds them all. */
export const ALL_SCOPES = [
  'okr:okr',
  'okr:okr:readonly',
  'okr:okr.period:readonly',
  'okr:okr.period:writeonly',
  'okr:okr.content:readonly',
  'okr:okr.content:writeonly',
  'okr:okr.progress:readonly',
  'okr:okr.progress:writeonly',
  'okr:okr.progress:delete',
  'okr:okr.progress.file:upload',
  'okr:okr.review:readonly',
  'okr:okr.setting:read',
  'okr:okr.comment.readonly',
  'okr:okr.comment.writeonly',
  'okr:okr.comment.delete',
  EMPLOYEE_ID_SCOPE,
  // Contacts and search (spec §9.3), which clients call before OKR calls (decisions.md OQ-35).
  'contact:user.base:readonly',
  'contact:contact:readonly_as_app',
  'contact:user.id:readonly',
  'search:user',
  ADMIN_SCOPE,
] as const;

/** Which tokens an endpoint takes and which scopes (any one) it accepts. */
export interface Access {
  tokens: readonly ('tenant' | 'user')[];
  scopes: readonly string[];
}

/** v1 endpoint access, from the Feishu docs and API explorer. */
export const ACCESS = {
  periodList: { tokens: ['tenant'], scopes: ['okr:okr:readonly', 'okr:okr', 'okr:okr.period:readonly'] },
  periodRuleList: { tokens: ['tenant'], scopes: ['okr:okr:readonly', 'okr:okr', 'okr:okr.period:readonly'] },
  okrRead: { tokens: ['tenant', 'user'], scopes: ['okr:okr:readonly', 'okr:okr', 'okr:okr.content:readonly'] },
  periodWrite: { tokens: ['tenant'], scopes: ['okr:okr', 'okr:okr.period:writeonly'] },
  progressRead: { tokens: ['tenant', 'user'], scopes: ['okr:okr:readonly', 'okr:okr.progress:readonly', 'okr:okr'] },
  progressWrite: { tokens: ['tenant', 'user'], scopes: ['okr:okr', 'okr:okr.progress:writeonly'] },
  progressDelete: { tokens: ['tenant', 'user'], scopes: ['okr:okr', 'okr:okr.progress:delete'] },
  imageUpload: { tokens: ['tenant', 'user'], scopes: ['okr:okr', 'okr:okr.progress.file:upload'] },
  reviewQuery: { tokens: ['tenant'], scopes: ['okr:okr:readonly', 'okr:okr', 'okr:okr.review:readonly'] },
  // v2 (spec §2.4): the platform's one scope per method; `okr:okr` also grants every v2 method and
  // `okr:okr:readonly` every v2 read (decisions.md OQ-35).
  v2CycleRead: { tokens: ['tenant', 'user'], scopes: ['okr:okr.period:readonly', 'okr:okr', 'okr:okr:readonly'] },
  v2CategoryRead: { tokens: ['tenant', 'user'], scopes: ['okr:okr.setting:read', 'okr:okr', 'okr:okr:readonly'] },
  v2ContentRead: { tokens: ['tenant', 'user'], scopes: ['okr:okr.content:readonly', 'okr:okr', 'okr:okr:readonly'] },
  v2ContentWrite: { tokens: ['tenant', 'user'], scopes: ['okr:okr.content:writeonly', 'okr:okr'] },
  v2ProgressRead: { tokens: ['tenant', 'user'], scopes: ['okr:okr.progress:readonly', 'okr:okr', 'okr:okr:readonly'] },
  // Comments (spec §4.8): read with a tenant or user token; written only by a person (decisions.md OQ-27).
  commentRead: { tokens: ['tenant', 'user'], scopes: ['okr:okr.comment.readonly', 'okr:okr', 'okr:okr:readonly'] },
  commentWrite: { tokens: ['user'], scopes: ['okr:okr.comment.writeonly', 'okr:okr'] },
  commentDelete: { tokens: ['user'], scopes: ['okr:okr.comment.delete', 'okr:okr'] },
  // okrd's administration API (/okrd/admin/): a person's token, through an app holding any OKR scope; the service
  // then requires that person to be an active tenant administrator (users.is_admin = 1).
  // Only a token granted okrd's own admin scope: an app a person consented to for OKR scopes never administers.
  admin: { tokens: ['user'], scopes: [ADMIN_SCOPE] },
  // Contacts and search (spec §9.3): any one of the contact read scopes, plus the id and search scopes where they apply.
  contactRead: {
    tokens: ['tenant', 'user'],
    scopes: ['contact:user.base:readonly', 'contact:contact:readonly_as_app'],
  },
  contactIdRead: {
    tokens: ['tenant', 'user'],
    scopes: ['contact:user.base:readonly', 'contact:contact:readonly_as_app', 'contact:user.id:readonly'],
  },
  userSearch: {
    tokens: ['user'],
    scopes: ['contact:user.base:readonly', 'contact:contact:readonly_as_app', 'search:user'],
  },
} as const satisfies Record<string, Access>;
