/** okrd's settings, read from the environment (the only reader of process.env) and validated at start. */

/** Every setting okrd takes, typed. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Lifetime of issued tenant and app tokens, seconds. */
  tokenTtlSeconds: number;
  /** Requests one app may make to one endpoint per minute; 0 turns rate limiting off. */
  rateLimitPerMinute: number;
  /** Where rate-limit counts live: this process, the database (shared by processes) or Redis. */
  rateLimitStore: RateLimitStore;
  /** The Redis server of the `redis` rate-limit store. */
  redisUrl: string;
  /** Prefix of every key okrd writes to Redis, so several deployments can share one server. */
  redisKeyPrefix: string;
  /** Folder holding uploaded images. */
  imageDir: string;
  /** Largest accepted image upload, bytes. */
  imageMaxBytes: number;
  /** How long a signed image URL stays valid, seconds. */
  imageUrlTtlSeconds: number;
  /** The origin clients reach okrd at (for image URLs); empty: taken from each request's Host. */
  publicUrl: string;
  /** How many rendered OKRs each process keeps for reads (0: none). */
  okrCacheEntries: number;
  /** Bearer token /metrics requires; empty: /metrics is open (it holds no tenant data). */
  metricsToken: string;
  /** Time a client has to send a whole request (headers and body), ms; then 408 and the connection is closed. */
  requestTimeoutMs: number;
  /** Time a client has to send a request's headers, ms (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open between requests, ms. */
  keepAliveTimeoutMs: number;
  /** A connection with a request in flight and no bytes moving either way this long is closed, ms. */
  idleTimeoutMs: number;
  /** On SIGTERM/SIGINT, how long in-flight requests may take to finish before every connection is closed, ms. */
  shutdownTimeoutMs: number;
  /** Connections each process keeps to PostgreSQL at most. */
  databasePoolSize: number;
  /** The worker number (0–1023) inside the ids this process makes; undefined: a random one. */
  idWorker: number | undefined;
}

/** Where rate-limit counts live. */
export type RateLimitStore = 'memory' | 'database' | 'redis';

/** A setting with a bad value; the CLI prints its message and exits non-zero. */
export class ConfigError extends Error {}

/** Names, defaults and meanings of the environment variables, for `okrd --help`. */
export const ENV_HELP: readonly [name: string, fallback: string, meaning: string][] = [
  ['PORT', '8080', 'TCP port to listen on (0–65535)'],
  ['HOST', '127.0.0.1', 'address to listen on'],
  ['DATABASE_URL', 'sqlite:./data/okrd.sqlite', 'sqlite:<file> (embedded, default) or postgres://user@host:port/db'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['TOKEN_TTL_SECONDS', '7200', 'lifetime of issued tenant/app access tokens (60–86400)'],
  ['RATE_LIMIT_PER_MINUTE', '100', 'requests per app, endpoint and minute (0 turns rate limiting off)'],
  [
    'RATE_LIMIT_STORE',
    'memory on SQLite, database on PostgreSQL',
    'where counts live: memory (this process, or the --workers primary), database (shared by processes) or redis',
  ],
  ['REDIS_URL', 'redis://127.0.0.1:6379', 'redis:// or rediss:// server of the redis rate-limit store'],
  ['REDIS_KEY_PREFIX', 'okrd:', 'prefix of the keys okrd writes to Redis'],
  ['IMAGE_DIR', 'images/ beside the SQLite file (./data/images on PostgreSQL)', 'where uploaded images are kept'],
  ['IMAGE_MAX_BYTES', '10485760', 'largest accepted image upload (1024–104857600)'],
  ['IMAGE_URL_TTL_SECONDS', '86400', 'how long a signed image URL stays valid (60–2592000)'],
  [
    'PUBLIC_URL',
    "the request's Host",
    'origin clients use to reach okrd, e.g. https://okr.example.com (for image URLs)',
  ],
  ['OKR_CACHE_ENTRIES', '10000', 'rendered OKRs kept in memory per process for reads (0 turns the cache off)'],
  ['METRICS_TOKEN', '(none: /metrics is open)', 'bearer token that /metrics requires (Prometheus metrics)'],
  ['REQUEST_TIMEOUT_SECONDS', '60', 'time to send a whole request, body included, before 408 (1–3600)'],
  ['HEADERS_TIMEOUT_SECONDS', '10', "time to send a request's headers before 408 (1–3600, at most the above)"],
  ['KEEP_ALIVE_TIMEOUT_SECONDS', '72', 'idle keep-alive connections are closed after this (1–3600)'],
  ['IDLE_TIMEOUT_SECONDS', '120', 'a connection with no bytes moving either way this long is closed (1–3600)'],
  ['SHUTDOWN_TIMEOUT_SECONDS', '10', 'on SIGTERM/SIGINT, time for in-flight requests before connections close (0–600)'],
  ['DATABASE_POOL_SIZE', '10', 'PostgreSQL connections per process (1–1000)'],
  [
    'ID_WORKER',
    'random',
    'number in the ids this process makes (0–1023; --workers N uses it and the next N-1); distinct per process',
  ],
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

const RATE_LIMIT_STORES: readonly RateLimitStore[] = ['memory', 'database', 'redis'];

function rateLimitSettings(
  env: NodeJS.ProcessEnv,
  databaseUrl: string,
): Pick<Config, 'rateLimitPerMinute' | 'rateLimitStore' | 'redisUrl' | 'redisKeyPrefix'> {
  const rateLimitPerMinute = intSetting(env, 'RATE_LIMIT_PER_MINUTE', 100, 0, 1_000_000);
  // Counts in memory are per process; on PostgreSQL several processes may serve one tenant, so share them there.
  const rateLimitStore = env.RATE_LIMIT_STORE || (databaseUrl.startsWith('sqlite:') ? 'memory' : 'database');
  if (!(RATE_LIMIT_STORES as readonly string[]).includes(rateLimitStore)) {
    throw new ConfigError(`RATE_LIMIT_STORE must be one of ${RATE_LIMIT_STORES.join(', ')}, got "${rateLimitStore}"`);
  }
  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (rateLimitStore === 'redis' && !/^rediss?:\/\/[^/]/.test(redisUrl)) {
    throw new ConfigError(
      `RATE_LIMIT_STORE=redis needs REDIS_URL to be a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379), got "${redisUrl}"`,
    );
  }
  return {
    rateLimitPerMinute,
    rateLimitStore: rateLimitStore as RateLimitStore,
    redisUrl,
    redisKeyPrefix: env.REDIS_KEY_PREFIX || 'okrd:',
  };
}

// Images sit beside the database file they belong to, so copying the data folder copies both.
function defaultImageDir(databaseUrl: string): string {
  const file = databaseUrl.slice('sqlite:'.length);
  if (!databaseUrl.startsWith('sqlite:') || file === ':memory:') return './data/images';
  const slash = file.lastIndexOf('/');
  return `${slash >= 0 ? file.slice(0, slash) : '.'}/images`;
}

function timeoutSettings(
  env: NodeJS.ProcessEnv,
): Pick<
  Config,
  'requestTimeoutMs' | 'headersTimeoutMs' | 'keepAliveTimeoutMs' | 'idleTimeoutMs' | 'shutdownTimeoutMs'
> {
  const seconds = (name: string, fallback: number, min = 1, max = 3600) =>
    intSetting(env, name, fallback, min, max) * 1000;
  const requestTimeoutMs = seconds('REQUEST_TIMEOUT_SECONDS', 60);
  const headersTimeoutMs = seconds('HEADERS_TIMEOUT_SECONDS', 10);
  // Node refuses a headers timeout longer than the whole request's.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HEADERS_TIMEOUT_SECONDS must not be larger than REQUEST_TIMEOUT_SECONDS');
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: seconds('KEEP_ALIVE_TIMEOUT_SECONDS', 72),
    idleTimeoutMs: seconds('IDLE_TIMEOUT_SECONDS', 120),
    shutdownTimeoutMs: seconds('SHUTDOWN_TIMEOUT_SECONDS', 10, 0, 600),
  };
}

function publicUrl(raw: string | undefined): string {
  if (!raw) return '';
  if (!/^https?:\/\/[^/]+/.test(raw)) throw new ConfigError(`PUBLIC_URL must be an http(s) origin, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** Reads and validates the configuration; throws ConfigError naming the variable on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || 'sqlite:./data/okrd.sqlite';
  if (!/^sqlite:.+/.test(databaseUrl) && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with sqlite: or postgres://, got "${databaseUrl}"`);
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const host = env.HOST || '127.0.0.1';
  return {
    port: intSetting(env, 'PORT', 8080, 0, 65535),
    host,
    databaseUrl,
    logLevel: logLevel as Config['logLevel'],
    tokenTtlSeconds: intSetting(env, 'TOKEN_TTL_SECONDS', 7200, 60, 86400),
    ...rateLimitSettings(env, databaseUrl),
    imageDir: env.IMAGE_DIR || defaultImageDir(databaseUrl),
    imageMaxBytes: intSetting(env, 'IMAGE_MAX_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    imageUrlTtlSeconds: intSetting(env, 'IMAGE_URL_TTL_SECONDS', 86_400, 60, 30 * 86_400),
    publicUrl: publicUrl(env.PUBLIC_URL),
    okrCacheEntries: intSetting(env, 'OKR_CACHE_ENTRIES', 10_000, 0, 1_000_000),
    metricsToken: env.METRICS_TOKEN ?? '',
    ...timeoutSettings(env),
    databasePoolSize: intSetting(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    idWorker: env.ID_WORKER ? intSetting(env, 'ID_WORKER', 0, 0, 1023) : undefined,
  };
}
