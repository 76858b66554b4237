/** okrd's settings, read from the environment (the only reader of process.env) and validated at start. */

/** Every setting okrd takes, typed. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Lifetime of issued tenant and app tokens, seconds. */
  tokenTtlSeconds: number;
}

/** A setting with a bad value; the CLI prints its message and exits non-zero. */
export class ConfigError extends Error {}

/** Names, defaults and meanings of the environment variables, for `okrd --help`. */
export const ENV_HELP: readonly [name: string, fallback: string, meaning: string][] = [
  ['PORT', '8080', 'TCP port to listen on (0–65535)'],
  ['HOST', '127.0.0.1', 'address to listen on'],
  ['DATABASE_URL', 'sqlite:./data/okrd.sqlite', 'sqlite:<file> (embedded, default) or postgres://user@host:port/db'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['TOKEN_TTL_SECONDS', '7200', 'lifetime of issued tenant/app access tokens (60–86400)'],
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
  };
}
