/** The PostgreSQL driver: a `pg` pool, named (server-side prepared) statements, one client per transaction. */
import pg from 'pg';
import type { Db, Param, Tx } from './db.js';
import { copyRows } from './postgres-copy.driver.js';

const INT8_OID = 20;

/** Most named (server-side prepared) statements per connection: okrd's distinct statements fit well within it. */
export const STATEMENT_CACHE_MAX = 1000;

/** Connects a pool of at most `poolSize` connections to the database at `url`. */
export function openPostgres(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Our BIGINT columns hold epoch milliseconds, well inside the exact range of a JS number.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);

  // `?` placeholders become `$n` once per distinct statement; the name makes each connection prepare it once.
  // Texts vary with the length of `IN (?, …)` lists, which clients choose, and a named statement stays prepared on
  // every connection that ran it: past STATEMENT_CACHE_MAX names, further texts run unnamed (parsed each time).
  const translated = new Map<string, { name: string; text: string }>();
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const statement = (sql: string): { name?: string; text: string } => {
    let s = translated.get(sql);
    if (!s) {
      if (translated.size >= STATEMENT_CACHE_MAX) return { text: numbered(sql) };
      s = { name: `okrd_${translated.size}`, text: numbered(sql) };
      translated.set(sql, s);
    }
    return s;
  };

  /** A Tx whose statements run on `on`: a client holding a transaction, or the pool (one autocommit statement). */
  const txOn = (on: pg.PoolClient | pg.Pool): Tx => {
    const query = (sql: string, params: readonly Param[]) => on.query({ ...statement(sql), values: params as Param[] });
    return {
      dialect: 'postgres',
      all: async <R>(sql: string, params: readonly Param[] = []) => (await query(sql, params)).rows as R[],
      get: async <R>(sql: string, params: readonly Param[] = []) => (await query(sql, params)).rows[0] as R | undefined,
      run: async (sql: string, params: readonly Param[] = []) => (await query(sql, params)).rowCount ?? 0,
      exec: async (sql: string) => {
        await on.query(sql);
      },
    };
  };
  // A single statement needs no BEGIN and COMMIT around it: the pool runs it on any idle connection, one round trip.
  const poolTx = txOn(pool);

  const inTransaction = async <T>(begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    const tx: Tx = { ...txOn(client), copyRows: (table, columns, rows) => copyRows(client, table, columns, rows) };
    let broken = false;
    try {
      await client.query(begin);
      const value = await fn(tx);
      await client.query('COMMIT');
      return value;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  };

  return {
    dialect: 'postgres',
    read: (fn, options) =>
      options?.oneStatement ? fn(poolTx) : inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    write: (fn) => inTransaction('BEGIN', fn),
    withForeignKeysOff: (fn) => fn(),
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
