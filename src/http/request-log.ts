/**
 * What okrd's log says and what it never says. JSON lines (pino), each line of a request carrying its `reqId` (the id
 * answered in X-Request-Id, X-Tt-Logid and `error.log_id`). Secrets are kept out three ways, so that one slip does not
 * leak: URLs are logged with the value of every sensitive query key redacted (in any spelling a parser would accept),
 * objects go through pino's `redact` paths, and every finished line is scrubbed of anything shaped like a token,
 * secret or signature before it is written. A client that goes away before its answer is not an error of okrd's.
 */
import {
  LogController,
  type FastifyBaseLogger,
  type FastifyLogFn as LogFn,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';

const REDACTED = '[redacted]';

/** The longest URL the log keeps (a hostile client may send kilobytes of it). */
const MAX_LOGGED_URL = 2048;

/** Query keys whose values are secrets, after normalising (see `normalisedKey`). */
const SECRET_KEYS = new Set([
  'sig',
  'signature',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'app_secret',
  'client_secret',
  'password',
  'password2',
]);

/** `key` decoded as a server might (percent-encoding, repeatedly, and `+`), lower-cased, without `[…]` or symbols. */
function normalisedKey(key: string): string {
  // Almost every key is plain already: skip the decoding.
  if (/^[a-z0-9_]*$/.test(key)) return key;
  return fullyDecoded(key)
    .toLowerCase()
    .replace(/\[[^\]]*\]/g, '')
    .replace(/[^a-z0-9_]/g, '');
}

function isSecretKey(key: string): boolean {
  const k = normalisedKey(key);
  if (SECRET_KEYS.has(k)) return true;
  // Any other *secret*, *password* or *token* (page_token is a paging cursor, not a credential).
  return k !== 'page_token' && (k.includes('secret') || k.includes('passw') || k.includes('token'));
}

/** `text` with percent-escapes decoded until nothing changes (`%2573` is `%73` is `s`); malformed escapes stay. */
function fullyDecoded(text: string): string {
  let out = text.replace(/\+/g, ' ');
  for (let i = 0; i < 4 && out.includes('%'); i++) {
    const next = out.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === out) break;
    out = next;
  }
  return out;
}

/**
 * True when a query pair (`key=value`, raw) carries a secret: its key is a secret one, or, decoded, it hides one
 * (`x=1%26sig%3D…`, `x=1;sig=…`, `x=1?sig=…`), so a signature smuggled into another value is not logged either.
 */
function pairCarriesSecret(pair: string): boolean {
  const eq = pair.indexOf('=');
  if (isSecretKey(eq === -1 ? pair : pair.slice(0, eq))) return true;
  if (!/[%;?&+]/.test(pair)) return false;
  const inner = fullyDecoded(pair).split(/[&;?]/);
  return (
    inner.length > 1 && inner.some((p) => isSecretKey(p.slice(0, p.indexOf('=') === -1 ? p.length : p.indexOf('='))))
  );
}

/** `url` (path and query) as the log may show it: every secret value replaced by `[redacted]`, long URLs cut. */
export function redactedUrl(url: string): string {
  const q = url.indexOf('?');
  let out = url;
  if (q !== -1) {
    const pairs = url.slice(q + 1).split('&');
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i]!;
      if (!pairCarriesSecret(pair)) continue;
      const eq = pair.indexOf('=');
      pairs[i] = eq === -1 ? REDACTED : `${pair.slice(0, eq)}=${REDACTED}`;
    }
    out = `${url.slice(0, q)}?${pairs.join('&')}`;
  }
  return out.length > MAX_LOGGED_URL ? `${out.slice(0, MAX_LOGGED_URL)}…` : out;
}

/** Shortest run of base64url characters taken for a credential: app secrets and tokens have 43, signatures 64. */
const OPAQUE_RUN = 32;
/** Shortest rest after a token prefix (`t-…`) taken for a token, even when the run is shorter than OPAQUE_RUN. */
const TOKEN_REST = 16;

const isRunChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;

/** Length of okrd's token prefix (`t-`, `a-`, `u-`, `c-`, `s-`, `ur-`) at `at`, or 0. */
function tokenPrefix(line: string, at: number): number {
  const c = line[at];
  if (line[at + 1] === '-' && (c === 't' || c === 'a' || c === 'u' || c === 'c' || c === 's')) return 2;
  return c === 'u' && line[at + 1] === 'r' && line[at + 2] === '-' ? 3 : 0;
}

/** Words that announce a secret in free text; a line without any skips the text pass below. */
const SECRET_WORDS = /Bearer|sig|token|secret|passw|code_verifier/;
/** A bearer credential, or `secret=value` / `"secret":"value"` text (not already redacted). */
const SECRET_TEXT =
  /(Bearer\s+)[^\s"\\]+|(?<![A-Za-z0-9_])((?:sig|token|access_token|refresh_token|code_verifier|app_secret|client_secret|password2?)\\?"?\s*[=:]\s*\\?"?)(?!\[redacted\])[^\s"\\&,}]+/g;

/**
 * `line` with anything shaped like a credential replaced by `[redacted]`: okrd's tokens (`t-`, `a-`, `u-`, `ur-`
 * refresh, `c-` codes, `s-` sessions; the prefix is kept), any other run of OPAQUE_RUN or more base64url characters
 * (app secrets, password-link tokens, image signatures), a bearer credential, and `secret=value` text. Ids (at most
 * 19 digits) and request ids (24 hex) are shorter. One pass over the characters; the text pass only when a word
 * announcing a secret is present, so an ordinary line costs about a microsecond.
 */
export function scrubbed(line: string): string {
  let out = '';
  let copied = 0;
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    if (i < line.length && isRunChar(line.charCodeAt(i))) {
      if (start === -1) start = i;
      continue;
    }
    if (start === -1) continue;
    const prefix = tokenPrefix(line, start);
    const length = i - start;
    if (length >= OPAQUE_RUN || (prefix > 0 && length - prefix >= TOKEN_REST)) {
      out += line.slice(copied, start + prefix) + REDACTED;
      copied = i;
    }
    start = -1;
  }
  const scanned = copied === 0 ? line : out + line.slice(copied);
  if (!SECRET_WORDS.test(scanned)) return scanned;
  return scanned.replace(SECRET_TEXT, (_m, bearer?: string, key?: string) => `${bearer ?? key ?? ''}${REDACTED}`);
}

/** What the log says of a request: never its headers (tokens) and never a secret of its URL. */
function loggedRequest(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, url: redactedUrl(req.url), host: req.host, remoteAddress: req.ip };
}

/** Fields that hold secrets, wherever a logged object has them at the top or one level down. */
const SECRET_FIELDS = ['app_secret', 'client_secret', 'oidc_client_secret', 'password', 'password2', 'code_verifier']
  .concat(['refresh_token', 'access_token', 'tenant_access_token', 'app_access_token', 'token'])
  .flatMap((key) => [key, `*.${key}`]);

/** Paths of logged objects that hold secrets, should anyone log headers, bodies or settings. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  // An authorization code is a secret in a body or query; elsewhere `code` is an error's code, worth keeping.
  'body.code',
  'query.code',
  ...SECRET_FIELDS,
];

/** pino options for okrd's logger at `level`; `overrides` (tests: a stream) are laid over them. */
export function loggerOptions(level: string, overrides: object = {}): object {
  return {
    level,
    serializers: { req: loggedRequest },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    hooks: { streamWrite: scrubbed },
    ...overrides,
  };
}

/** Errors of a response whose client has gone: the socket closed or reset before the answer was written. */
const CLIENT_GONE = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
]);

/** True when `error` says the client went away (closed or reset the connection) rather than that okrd failed. */
export function clientWentAway(error: Error | null | undefined): boolean {
  const code = (error as NodeJS.ErrnoException | null | undefined)?.code;
  return code !== undefined && CLIENT_GONE.has(code);
}

/** Fastify's request lines, except that a client going away is logged at info, not as an error. */
export class RequestLogController extends LogController {
  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (clientWentAway(error)) {
      if (this.isLogDisabled(request)) return;
      reply.log.info({ res: reply, responseTime: reply.elapsedTime, cause: error?.message }, 'client went away');
      return;
    }
    super.requestCompleted(error, request, reply, metadata);
  }
}

type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
const LEVEL_VALUES: Record<LogLevel, number> = { fatal: 60, error: 50, warn: 40, info: 30, debug: 20, trace: 10 };

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;
/** What a request logger reads of okrd's pino logger besides Fastify's logger interface. */
type Logger = FastifyBaseLogger & { levels: { values: Record<string, number> }; levelVal: number };

/**
 * A request's logger: pino's child logger with the request id bound, made the first time the request writes a line
 * at an enabled level. Making a child costs more than everything else okrd does for a cached read (its bindings go
 * through the redaction paths), and at `warn` most requests write nothing.
 */
export class RequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;
  /** The lowest level value written. */
  private min: number;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {
    this.min = options.level ? (parent.levels.values[options.level] ?? parent.levelVal) : parent.levelVal;
  }

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
    this.min = this.parent.levels.values[level] ?? this.min;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  private real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  declare fatal: LogFn;
  declare error: LogFn;
  declare warn: LogFn;
  declare info: LogFn;
  declare debug: LogFn;
  declare trace: LogFn;
  declare silent: LogFn;
}
RequestLogger.prototype.silent = () => undefined;
for (const [name, value] of Object.entries(LEVEL_VALUES) as [LogLevel, number][]) {
  RequestLogger.prototype[name] = function (this: RequestLogger, ...args: unknown[]) {
    if (value < this['min']) return;
    const logger = this['real']();
    (logger[name] as (...a: unknown[]) => void).apply(logger, args);
  } as LogFn;
}

/** Fastify's `childLoggerFactory`: each request gets a RequestLogger. */
export function requestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
  return new RequestLogger(logger as Logger, bindings, options);
}
