/** The PostgreSQL driver: a `pg` pool, named (server-side prepared) statements, one client per transaction. */
import pg from 'pg';
import type { Db, Param, Tx } from './db.js';

const INT8_OID = 20;

/** Connects a pool to the database at `url`. */
export function openPostgres(url: string): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
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
  const translated = new Map<string, { name: string; text: string }>();
  const statement = (sql: string) => {
    let s = translated.get(sql);
    if (!s) {
      let n = 0;
      s = { name: `okrd_${translated.size}`, text: sql.replace(/\?/g, () => `$${++n}`) };
      translated.set(sql, s);
    }
    return s;
  };

  const inTransaction = async <T>(begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    const query = async (sql: string, params: readonly Param[]) => {
      const s = statement(sql);
      return client.query({ name: s.name, text: s.text, values: params as Param[] });
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
  };
}
