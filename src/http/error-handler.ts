/** The only place that knows HTTP statuses and the Feishu `{code, msg, error}` envelope. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OkrdError, internalError, invalidParam } from '../errors.js';

// Per decisions.md OQ-5, 1001002 is 400 except on the endpoints whose Feishu table says 403 (route config).
function httpStatus(code: number, request: FastifyRequest): number {
  if (code === 1001002) return request.routeOptions.config.noPermissionStatus ?? 400;
  if (code === 1009999 || code === 1009998) return 500;
  if (code === 99991400) return 429;
  if (code === 10003) return 200; // token endpoints answer bad credentials with HTTP 200
  return 400;
}

/** Sends `err` as the Feishu error envelope. */
export function sendError(err: OkrdError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error = {
    log_id: request.id,
    ...(err.permissionViolations ? { permission_violations: err.permissionViolations } : {}),
    ...(err.fieldViolations ? { field_violations: err.fieldViolations } : {}),
  };
  const body =
    err.code === 10003 ? { code: err.code, msg: err.message, data: {} } : { code: err.code, msg: err.message, error };
  return reply.code(httpStatus(err.code, request)).type('application/json; charset=utf-8').send(body);
}

/** Installs the error and not-found handlers. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof OkrdError) return sendError(err, request, reply);
    if (err.validation) return sendError(invalidParam(err.message), request, reply);
    // Fastify's own 4xx (malformed JSON, unsupported media type, body too large…) are the client's bad input.
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 && err.code?.startsWith('FST_')) {
      return sendError(invalidParam(err.message), request, reply);
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
