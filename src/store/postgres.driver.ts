/** The PostgreSQL driver: a `pg` pool, named (server-side prepared) statements, one client per transaction. */
import pg from 'pg';
import type { Db, Param, Tx } from './db.js';

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

  const inTransaction = async <T>(begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    const query = async (sql: string, params: readonly Param[]) => {
      const s = statement(sql);
      return client.query({ ...s, values: params as Param[] });
    };
    const tx: Tx = {
      dialect: 'postgres',
      all: async <R>(sql: string, params: readonly Param[] = []) => (await query(sql, params)).rows as R[],
      get: async <R>(sql: string, params: readonly Param[] = []) => (await query(sql, params)).rows[0] as R | undefined,
      run: async (sql: string, params: readonly Param[] = []) => (await query(sql, params)).rowCount ?? 0,
      exec: async (sql: string) => {
        await client.query(sql);
      },
    };
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
    read: (fn) => inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    write: (fn) => inTransaction('BEGIN', fn),
    withForeignKeysOff: (fn) => fn(),
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
