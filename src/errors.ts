/**
 * The one error type services throw, with a factory per Feishu code okrd emits.
 * Only http/error-handler.ts turns these into HTTP statuses and envelopes.
 */

/** A permission the caller lacks, as Feishu lists it in `error.permission_violations`. */
export interface PermissionViolation {
  type: 'action_scope_required' | 'action_privilege_required';
  subject: string;
}

/** A field that breaks a rule, as the platform lists it in `error.field_violations` (decisions.md OQ-36). */
export interface FieldViolation {
  field: string;
  description: string;
}

/** A failure with a Feishu error code and the message a client sees. */
export class OkrdError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly permissionViolations?: PermissionViolation[],
    readonly fieldViolations?: FieldViolation[],
  ) {
    super(message);
    this.name = 'OkrdError';
  }
}

/**
 * 1001001: parameters break rules. `detail` is "field: rule", several joined by "; " (the form validation messages
 * and services both use); each becomes an entry of `error.field_violations`, so clients can place and translate it.
 */
export const invalidParam = (detail: string) =>
  new OkrdError(
    1001001,
    `invalid parameters: ${detail}`,
    undefined,
    detail.split('; ').map((part) => {
      const colon = part.indexOf(': ');
      return colon > 0
        ? { field: part.slice(0, colon), description: part.slice(colon + 2) }
        : { field: '', description: part };
    }),
  );

/** 1001002: the caller may not read or change this data. */
export const noPermission = (detail = 'no permission') => new OkrdError(1001002, detail);

/** 1001003: a user id that no user of the tenant has. */
export const userNotFound = (id: string) => new OkrdError(1001003, `user not found: ${id}`);

/** 1001004: an entity id that does not exist in the caller's tenant. */
export const notFound = (what: string, id: string) => new OkrdError(1001004, `okr data not found: ${what} ${id}`);

/** 1001008: a period already covers the requested time. */
export const periodExists = () => new OkrdError(1001008, 'Conflict period existed.');

/** 1001009: the start month does not line up with the period rule. */
export const periodRuleMismatch = () => new OkrdError(1001009, 'Start date does not fit for given period rule.');

/** 1009999: anything unexpected; the real cause goes to the log only. */
export const internalError = () => new OkrdError(1009999, 'internal server error');

/** 99991661: no Authorization header, or not a Bearer one. */
export const missingToken = () =>
  new OkrdError(99991661, 'Missing access token for authorization. Please make a request with token attached.');

/** 99991663: unknown, expired or forged tenant token (or a token of a kind this API does not take). */
export const invalidTenantToken = () =>
  new OkrdError(99991663, 'Invalid access token for authorization. Please make a request with token attached.');

/** 99991668: unknown, expired or forged user token. */
export const invalidUserToken = () =>
  new OkrdError(99991668, 'Invalid access token for authorization. Please make a request with token attached.');

/** 99991672: the app holds none of the scopes the API accepts (a tenant token; user tokens get 99991679). */
export const scopeRequired = (scopes: readonly string[]) =>
  new OkrdError(
    99991672,
    `Access denied. One of the following scopes is required: [${scopes.join(', ')}].`,
    scopes.map((subject) => ({ type: 'action_scope_required', subject })),
  );

/**
 * 99991679: a user token whose grant holds none of the scopes the API accepts (spec §2.5, decisions.md OQ-22);
 * official clients ask the person to sign in again on it.
 */
export const privilegeRequired = (scopes: readonly string[]) =>
  new OkrdError(
    99991679,
    'Unauthorized. You do not have permission to perform the requested operation on the resource. ' +
      `Please request user re-authorization and try again. required one of these privileges: [${scopes.join(', ')}]`,
    scopes.map((subject) => ({ type: 'action_privilege_required', subject })),
  );

/** 99991400: the app called this API too often. */
export const rateLimited = () => new OkrdError(99991400, 'request trigger frequency limit');

/** 10003: bad app_id / app_secret on the token endpoints (answered with HTTP 200). */
export const invalidCredentials = () => new OkrdError(10003, 'invalid param');
