/** Numbered migrations (plain SQL files in ./migrations), applied once each, in order, under a lock. */
import { readdirSync, readFileSync } from 'node:fs';
import type { Db, Dialect } from './db.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
// Any constant: PostgreSQL processes starting together take this lock so only one migrates.
const PG_MIGRATION_LOCK = 74_051_901;

interface Migration {
  version: number;
  name: string;
  sql: string;
}

// `NNNN_name.sql` serves both engines; a change the two write differently comes as `NNNN_name.sqlite.sql` and
// `NNNN_name.postgres.sql`, one version applied once on either.
const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)(?:\.(sqlite|postgres))?\.sql$/;

function migrationFiles(dialect: Dialect): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .sort()
    .flatMap((f) => {
      const m = MIGRATION_FILE.exec(f);
      if (!m || (m[3] !== undefined && m[3] !== dialect)) return [];
      return [{ version: Number(m[1]), name: m[2]!, sql: readFileSync(new URL(f, MIGRATIONS_DIR), 'utf8') }];
    });
}

/** Applies every migration not yet applied; resolves to the names of those it applied. */
export async function migrate(db: Db, now: number = Date.now()): Promise<string[]> {
  return db.withForeignKeysOff(() => applyMigrations(db, now));
}

function applyMigrations(db: Db, now: number): Promise<string[]> {
  return db.write(async (tx) => {
    if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?)', [PG_MIGRATION_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const done = new Set(
      (await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of migrationFiles(db.dialect)) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        now,
      ]);
      applied.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
    }
    // Keys were not enforced while migrating (a rebuilt table): check them all before committing.
    if (tx.dialect === 'sqlite' && applied.length > 0) {
      const broken = await tx.all('PRAGMA foreign_key_check');
      if (broken.length > 0) throw new Error(`migrations left ${broken.length} broken foreign keys`);
    }
    return applied;
  });
}

const knownVersions = new Map<Dialect, number[]>();

/**
 * How many of this build's migrations the database lacks (readiness: a process must not serve a schema older than
 * its code). Throws when the database cannot be reached or was never migrated.
 */
export async function pendingMigrations(db: Db): Promise<number> {
  let versions = knownVersions.get(db.dialect);
  if (!versions) {
    versions = migrationFiles(db.dialect).map((m) => m.version);
    knownVersions.set(db.dialect, versions);
  }
  const applied = new Set(
    (await db.read((tx) => tx.all<{ version: number }>('SELECT version FROM schema_migrations'))).map((r) =>
      Number(r.version),
    ),
  );
  return versions.filter((v) => !applied.has(v)).length;
}
