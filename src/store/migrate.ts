/** Numbered migrations (plain SQL files in ./migrations), applied once each, in order, under a lock. */
import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './db.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
// Any constant: PostgreSQL processes starting together take this lock so only one migrates.
const PG_MIGRATION_LOCK = 74_051_901;

interface Migration {
  version: number;
  name: string;
  sql: string;
}

function migrationFiles(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(new URL(f, MIGRATIONS_DIR), 'utf8'),
    }));
}

/** Applies every migration not yet applied; resolves to the names of those it applied. */
export async function migrate(db: Db, now: number = Date.now()): Promise<string[]> {
  return db.write(async (tx) => {
    if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?)', [PG_MIGRATION_LOCK]);
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const done = new Set(
      (await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of migrationFiles()) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        now,
      ]);
      applied.push(`${String(m.version).padStart(4, '0')}_${m.name}`);
    }
    return applied;
  });
}
