/**
 * The size limits every request meets before any handler runs (docs/operations.md "Limits"). Each is chosen to be far
 * above what a Feishu client sends and low enough that no request can make okrd use unbounded memory or time; the
 * contracts (src/contract) then set the tighter limit of each field.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Largest JSON or form body, bytes (the image upload has its own limit, IMAGE_MAX_BYTES). */
export const BODY_MAX_BYTES = 1024 * 1024;
/** Largest request line plus headers, bytes (node's default): bounds the URL, query string and tokens too. */
export const HEADER_MAX_BYTES = 16 * 1024;
/**
 * Longest path parameter, characters (ids are at most 64; the rest is room for ids of other systems). Checked with
 * the other limits so the refusal names the parameter; the router's own bound (ROUTER_PARAM_MAX_LENGTH) only stops
 * what no header limit would.
 */
export const PARAM_MAX_LENGTH = 256;
export const ROUTER_PARAM_MAX_LENGTH = HEADER_MAX_BYTES;
/** Deepest nesting of objects and lists in a body (rich text, the deepest shape okrd takes, uses 10). */
export const JSON_MAX_DEPTH = 32;
/** Longest string anywhere in a request, characters (rich text runs are at most 10,000). */
export const STRING_MAX_LENGTH = 65_536;
/** Longest list anywhere in a request (rich-text documents are at most 1,000 blocks). */
export const LIST_MAX_ITEMS = 10_000;
/** Largest magnitude of any number in a request: beyond it a number is no longer exact (and JSON's 1e400 is Infinity). */
export const NUMBER_MAX_ABS = Number.MAX_SAFE_INTEGER;

/** A value met while checking, with how it was reached (its path is only spelled out for a violation). */
interface Visit {
  value: unknown;
  parent: Visit | undefined;
  key: string | number;
  depth: number;
}

/** Where `visit` is, as validation messages write it (`content.blocks[0].paragraph`), or `root` for the top. */
function pathOf(visit: Visit, root: string): string {
  let path = '';
  for (let v: Visit | undefined = visit; v?.parent; v = v.parent) {
    const separator = path && path[0] !== '[' ? '.' : '';
    path = `${typeof v.key === 'number' ? `[${v.key}]` : v.key}${separator}${path}`;
  }
  return path || root;
}

/** The rule `value` itself breaks (not its contents), or undefined. */
function ownViolation(value: unknown, depth: number, maxLength: number): string | undefined {
  if (typeof value === 'string') {
    if (value.length > maxLength) return `must NOT have more than ${maxLength} characters`;
    if (value.includes('\0')) return 'must not contain NUL (\\u0000) characters';
    // JSON's \uD800 escapes can make half a character, which UTF-8 cannot hold: SQLite would keep bytes that read back
    // as three U+FFFD, PostgreSQL one, so the text stored would not be the text sent (or answered).
    if (!value.isWellFormed()) return 'must not contain an unpaired surrogate (half of a \\uD800-\\uDFFF pair)';
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > NUMBER_MAX_ABS)
      return `must be a finite number of magnitude at most ${NUMBER_MAX_ABS}`;
  } else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    if (depth >= JSON_MAX_DEPTH) return `must not be nested more than ${JSON_MAX_DEPTH} levels deep`;
    if (Array.isArray(value) && value.length > LIST_MAX_ITEMS) return `must NOT have more than ${LIST_MAX_ITEMS} items`;
  }
  return undefined;
}

/**
 * The first limit `value` (a parsed body, query or path parameters) breaks, as "field: rule", or undefined. NUL
 * characters are refused everywhere: PostgreSQL cannot store them in text, and no client has a reason to send one;
 * so are unpaired surrogates, which no encoding on the wire or in the database can carry.
 * Iterative, so no nesting can exhaust the stack; it stops at the first violation. Runs twice on every request, so
 * field paths are only spelled out for the violation.
 */
export function limitViolation(value: unknown, root = 'body', maxLength = STRING_MAX_LENGTH): string | undefined {
  if (value === undefined || value === null) return undefined;
  const stack: Visit[] = [{ value, parent: undefined, key: '', depth: 0 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value: v, depth } = visit;
    const rule = ownViolation(v, depth, maxLength);
    if (rule !== undefined) return `${pathOf(visit, root)}: ${rule}`;
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: visit, key: i, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (key.includes('\0') || key.length > STRING_MAX_LENGTH)
        return `${pathOf(visit, root)}: must not have a key longer than ${STRING_MAX_LENGTH} characters or containing NUL`;
      stack.push({ value: (v as Record<string, unknown>)[key], parent: visit, key, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * A request over a limit: the error handler answers it as 1001001 naming the field (or in its endpoint's style); the
 * HTML pages, which read `statusCode` and a string `code` as Fastify's errors have them, with a 400 page.
 */
export class LimitError extends Error {
  readonly code = 'OKRD_ERR_LIMIT';
  readonly statusCode = 400;
  constructor(readonly detail: string) {
    super(`invalid parameters: ${detail}`);
    this.name = 'LimitError';
  }
}

/** Checks path parameters, query and body of every request against the limits before validation and handlers see them. */
export function installLimits(app: FastifyInstance): void {
  const check = (request: FastifyRequest, _reply: unknown, done: (err?: LimitError) => void) => {
    const violation =
      limitViolation(request.params, 'path', PARAM_MAX_LENGTH) ??
      limitViolation(request.query, 'query') ??
      limitViolation(request.body);
    done(violation === undefined ? undefined : new LimitError(violation));
  };
  app.addHook('preValidation', check);
  // Validation coerces strings into numbers, and Ajv takes "1e400" for a valid number or integer (Infinity): what it
  // made is checked once more before any handler sees it.
  app.addHook('preHandler', check);
}
