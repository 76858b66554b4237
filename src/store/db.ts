/**
 * The thin storage adapter: hand-written SQL with `?` placeholders, run on SQLite (embedded default) or
 * PostgreSQL. Every statement runs inside `read` or `write`, so a request sees one consistent snapshot and a
 * failed write leaves nothing behind.
 */

/** Which SQL engine is behind a Db. */
export type Dialect = 'sqlite' | 'postgres';

/** A value bound to a `?` placeholder. */
export type Param = string | number | null;

/** A transaction handed to repositories. */
export interface Tx {
  readonly dialect: Dialect;
  /** All rows of a query. */
  all<R>(sql: string, params?: readonly Param[]): Promise<R[]>;
  /** The first row of a query, or undefined. */
  get<R>(sql: string, params?: readonly Param[]): Promise<R | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * PostgreSQL only (undefined on SQLite): loads `rows`, values in `columns` order, into `table` with one COPY;
   * resolves to the number of rows loaded. For bulk loads (store/bulk-load.repository.ts).
   */
  copyRows?(table: string, columns: readonly string[], rows: readonly (readonly Param[])[]): Promise<number>;
}

/** A database: the only way to reach it is through a transaction. */
export interface Db {
  readonly dialect: Dialect;
  /** Runs `fn` in a read-only snapshot. */
  read<T>(fn: (tx: Tx) => Promise<T>, options?: DbReadOptions): Promise<T>;
  /** Runs `fn` in a write transaction, committed when `fn` resolves and rolled back when it throws. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` (migrations, which check every key before they commit) with foreign-key enforcement off: SQLite's
   * documented way to rebuild a table that others reference. PostgreSQL alters constraints in place: it just runs `fn`.
   */
  withForeignKeysOff<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The connection pool's state, for /metrics; only PostgreSQL has a pool (SQLite: one connection, no waiting). */
  poolStats?(): PoolStats;
}

/** How a read may run. */
export interface DbReadOptions {
  /**
   * `fn` runs exactly one statement, before it awaits anything: one statement is a consistent snapshot by itself,
   * so the driver may run it without BEGIN and COMMIT (on PostgreSQL one round trip instead of three). Hot reads
   * that are a single lookup (the data version before a cached answer) use it.
   */
  oneStatement?: boolean;
}

/** Connections of a pool: open, idle among them, and checkouts waiting for one. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** `?, ?, ?` for an IN list of `n` values (n ≥ 1). */
export function inList(n: number): string {
  return n === 1 ? '?' : '?' + ', ?'.repeat(n - 1);
}

/** How a database is opened. */
export interface OpenOptions {
  /** PostgreSQL connections kept at most (DATABASE_POOL_SIZE); SQLite has one connection per process. */
  poolSize?: number;
}

/** Opens the database a DATABASE_URL names (`sqlite:<file>`, `sqlite::memory:` or `postgres://...`). */
export async function openDb(url: string, options: OpenOptions = {}): Promise<Db> {
  if (url.startsWith('sqlite:')) {
    const { openSqlite } = await import('./sqlite.driver.js');
    return openSqlite(url.slice('sqlite:'.length));
  }
  const { openPostgres } = await import('./postgres.driver.js');
  return openPostgres(url, options.poolSize);
}
