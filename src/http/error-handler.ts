/** The only place that knows HTTP statuses and the Feishu `{code, msg, error}` envelope. */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OkrdError, internalError, invalidParam } from '../errors.js';
import { HEADER_MAX_BYTES, LimitError, ROUTER_PARAM_MAX_LENGTH } from './limits.js';
import { clientWentAway } from './request-log.js';

const JSON_TYPE = 'application/json; charset=utf-8';

// Per decisions.md OQ-5, 1001002 is 400 except on the endpoints whose Feishu table says 403 (route config).
function httpStatus(code: number, request: FastifyRequest): number {
  if (code === 1001002) return request.routeOptions.config.noPermissionStatus ?? 400;
  if (code === 1009999 || code === 1009998) return 500;
  if (code === 99991400) return 429;
  if (code === 10003) return 200; // token endpoints answer bad credentials with HTTP 200
  return 400;
}

/** Sends `err` as the Feishu error envelope. */
export function sendError(
  err: OkrdError,
  request: FastifyRequest,
  reply: FastifyReply,
  status = httpStatus(err.code, request),
): FastifyReply {
  const error = {
    log_id: request.id,
    ...(err.permissionViolations ? { permission_violations: err.permissionViolations } : {}),
    ...(err.fieldViolations ? { field_violations: err.fieldViolations } : {}),
  };
  const body =
    err.code === 10003 ? { code: err.code, msg: err.message, data: {} } : { code: err.code, msg: err.message, error };
  return reply.code(status).type(JSON_TYPE).send(body);
}

/** How an endpoint answers a request it refuses before its handler runs (docs/operations.md "Limits"). */
type RefusalStyle = 'envelope' | 'token' | 'oauth' | 'html';

// The token endpoints answer bad input with HTTP 200 and 10003 (spec §2); the OAuth 2 token endpoint in the OAuth
// error shape (spec §9.1); the sign-in pages with a page. Known by path: framework refusals happen before routing.
const TOKEN_PATHS = new Set([
  '/open-apis/auth/v3/tenant_access_token/internal',
  '/open-apis/auth/v3/app_access_token/internal',
]);
const OAUTH_TOKEN_PATH = '/open-apis/authen/v2/oauth/token';
const PAGE_PATH =
  /^\/(?:okrd\/(?:sign-in|sign-out|password|consent)|open-apis\/authen\/v1\/(?:authorize|index))(?:\/|$)/;

function refusalStyle(url: string): RefusalStyle {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(/^\/+/, '/').replace(/(.)\/$/, '$1');
  if (TOKEN_PATHS.has(path)) return 'token';
  if (path === OAUTH_TOKEN_PATH) return 'oauth';
  return PAGE_PATH.test(path) ? 'html' : 'envelope';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Refuses a request whose shape breaks a rule (`detail` is "field: rule") with `status`, in its endpoint's style:
 * the Feishu envelope with 1001001, or the token endpoints' 10003, the OAuth error, or an HTML page.
 */
export function sendRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  detail: string,
): FastifyReply {
  switch (refusalStyle(request.url)) {
    case 'token':
      return reply
        .code(200)
        .type(JSON_TYPE)
        .send({ code: 10003, msg: `invalid param: ${detail}`, data: {} });
    case 'oauth':
      return reply.code(400).type(JSON_TYPE).send({ code: 20001, error: 'invalid_request', error_description: detail });
    case 'html':
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html><head><meta charset="utf-8"><title>${status}</title></head>` +
            `<body><p role="alert">${escapeHtml(detail)}</p></body></html>`,
        );
    default:
      return sendError(invalidParam(detail), request, reply, status);
  }
}

// Fastify's own refusals, rewritten to name the field and rule as okrd's messages do.
const FRAMEWORK_DETAIL: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body: is larger than this endpoint accepts',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'content-type: must be application/json (multipart/form-data for uploads)',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body: must not be empty when content-type is application/json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'body: is not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'content-length: does not match the body',
  FST_ERR_BAD_URL: 'path: is not valid percent-encoded UTF-8',
  FST_ERR_MAX_PARAM_LENGTH: `path: a parameter must NOT have more than ${ROUTER_PARAM_MAX_LENGTH} characters`,
  FST_ERR_ASYNC_CONSTRAINT: 'path: matches no route',
};

/** Fastify's refusals before routing (bad percent-encoding, over-long path parameters), as okrd's answers. */
export function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const detail = FRAMEWORK_DETAIL[err.code] ?? `request: ${err.message}`;
  // No hook ran for this request: its id goes back as on every other answer.
  reply.header('X-Tt-Logid', request.id).header('X-Request-Id', request.id);
  void sendRefusal(request, reply, err.statusCode ?? 400, detail);
}

// Refusals of node's HTTP parser, which come before any request exists: the socket gets a bare HTTP answer.
const CLIENT_ERRORS: Record<string, [status: number, detail: string]> = {
  HPE_HEADER_OVERFLOW: [431, `headers: must NOT have more than ${HEADER_MAX_BYTES} bytes (request line included)`],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request: was not received in time'],
};

/**
 * Answers what node's HTTP parser refuses (oversized headers, malformed request lines, timeouts) with the Feishu
 * envelope where the socket can still take an answer, then closes it.
 */
export function clientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'request: is not well-formed HTTP/1.1'];
  const id = randomUUID().replace(/-/g, '').slice(0, 24);
  const refusal = invalidParam(detail);
  const body = JSON.stringify({
    code: refusal.code,
    msg: refusal.message,
    error: { log_id: id, field_violations: refusal.fieldViolations },
  });
  // end() sends the answer before closing; destroy() right after a write may drop it.
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${JSON_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Tt-Logid: ${id}\r\nX-Request-Id: ${id}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  } else socket.destroy();
}

/** Installs the error and not-found handlers. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | LimitError, request, reply) => {
    if (err instanceof OkrdError) return sendError(err, request, reply);
    if (err instanceof LimitError) return sendRefusal(request, reply, err.statusCode, err.detail);
    if (err.validation) return sendRefusal(request, reply, 400, err.message);
    // Fastify's own 4xx (malformed JSON, unsupported media type, body too large…) are the client's bad input.
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 && err.code?.startsWith('FST_')) {
      return sendRefusal(request, reply, err.statusCode, FRAMEWORK_DETAIL[err.code] ?? `request: ${err.message}`);
    }
    // A body cut off by the client closing the connection: nobody is left to answer, and okrd did nothing wrong.
    if (clientWentAway(err)) {
      request.log.info({ err }, 'client went away');
      return sendRefusal(request, reply, 400, 'body: the connection closed before it was complete');
    }
    request.log.error({ err }, 'unexpected error');
    return sendError(internalError(), request, reply);
  });
  // The real platform answers unknown paths and wrong methods with a bare text 404.
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain').send('404 page not found'));
}

/** Turns Ajv's errors into "field: rule" text naming the parameter, e.g. "okr_ids: must NOT have more than 10 items". */
export function formatValidation(
  errors: { instancePath: string; message?: string; params: Record<string, unknown> }[],
  dataVar: string,
): Error {
  const parts = errors.map((e) => {
    const path = e.instancePath
      .split('/')
      .filter(Boolean)
      .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
      .join('');
    const missing = typeof e.params.missingProperty === 'string' ? e.params.missingProperty : undefined;
    if (missing) return `${path ? `${path}.` : ''}${missing}: is required`;
    const allowed = Array.isArray(e.params.allowedValues) ? ` (${e.params.allowedValues.join(', ')})` : '';
    return `${path || dataVar}: ${e.message ?? 'is invalid'}${allowed}`;
  });
  return new Error(parts.join('; '));
}
