/** The embedded SQLite driver: one better-sqlite3 connection in WAL mode, transactions queued one at a time. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Db, Param, Tx } from './db.js';

/** Most prepared statements kept per connection (okrd's distinct statements, IN lists of every length, fit well). */
export const STATEMENT_CACHE_MAX = 1000;

/** Opens (creating if needed) the SQLite file at `path`; `:memory:` gives a private in-memory database. */
export function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const conn = new Database(path);
  conn.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives the process being killed; only power loss can drop the last ones.
  conn.pragma('synchronous = NORMAL');
  conn.pragma('foreign_keys = ON');
  // Processes sharing the file (`serve --workers N`) take turns to write: one waits up to 5 s for another's lock
  // rather than failing (synchronously: the waiting process serves nothing meanwhile; writes take milliseconds).
  conn.pragma('busy_timeout = 5000');

  // Prepared statements by SQL text. Texts vary with the length of `IN (?, …)` lists, which clients choose, so the
  // cache is bounded: past STATEMENT_CACHE_MAX the oldest goes (preparing again costs microseconds).
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = conn.prepare(sql);
      if (statements.size >= STATEMENT_CACHE_MAX) statements.delete(statements.keys().next().value!);
      statements.set(sql, stmt);
    }
    return stmt;
  };

  const tx: Tx = {
    dialect: 'sqlite',
    all: async <R>(sql: string, params: readonly Param[] = []) => prepare(sql).all(...params) as R[],
    get: async <R>(sql: string, params: readonly Param[] = []) => prepare(sql).get(...params) as R | undefined,
    run: async (sql: string, params: readonly Param[] = []) => prepare(sql).run(...params).changes,
    exec: async (sql: string) => {
      conn.exec(sql);
    },
  };

  // The connection is shared by every request, and a transaction's callback awaits between statements, so
  // transactions must not interleave: each waits for the one before it (reads take well under a millisecond).
  let queue: Promise<unknown> = Promise.resolve();
  // Prepared once: parsing these on every request shows up at tens of thousands of reads a second.
  const beginRead = conn.prepare('BEGIN');
  const beginWrite = conn.prepare('BEGIN IMMEDIATE');
  const commit = conn.prepare('COMMIT');
  const inTransaction = <T>(begin: Database.Statement, fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const result = queue.then(async () => {
      begin.run();
      try {
        const value = await fn(tx);
        commit.run();
        return value;
      } catch (err) {
        if (conn.inTransaction) conn.exec('ROLLBACK');
        throw err;
      }
    });
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    dialect: 'sqlite',
    // One statement runs at once in autocommit mode, unless a transaction is open on the connection (it would run
    // inside it, seeing uncommitted rows): then it takes its turn like any read.
    read: (fn, options) => (options?.oneStatement && !conn.inTransaction ? fn(tx) : inTransaction(beginRead, fn)),
    write: (fn) => inTransaction(beginWrite, fn),
    withForeignKeysOff: async (fn) => {
      await queue;
      conn.pragma('foreign_keys = OFF');
      try {
        return await fn();
      } finally {
        conn.pragma('foreign_keys = ON');
      }
    },
    close: async () => {
      await queue;
      conn.close();
    },
  };
}
