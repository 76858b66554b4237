/** Real databases for tests: an in-memory SQLite, and a fresh PostgreSQL database per call when OKRD_TEST_PG_URL is set. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db, type Dialect } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

const PG_URL = process.env.OKRD_TEST_PG_URL;
const ONLY = process.env.OKRD_TEST_DIALECTS?.split(',');

/** The dialects to run database tests on: SQLite always, PostgreSQL when configured. */
export const DIALECTS: Dialect[] = (['sqlite', ...(PG_URL ? ['postgres'] : [])] as Dialect[]).filter(
  (d) => !ONLY || ONLY.includes(d),
);

/** A migrated, empty database of `dialect` and the function that throws it away. */
export async function freshDb(dialect: Dialect): Promise<{ db: Db; url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const db = await openDb('sqlite::memory:');
    await migrate(db);
    return { db, url: 'sqlite::memory:', drop: () => db.close() };
  }
  const name = `okrd_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  const db = await openDb(url.toString());
  await migrate(db);
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
