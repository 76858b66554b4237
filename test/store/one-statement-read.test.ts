/**
 * `db.read(fn, { oneStatement: true })`, the data-version lookup before a cached answer: run without BEGIN and
 * COMMIT, it must still see committed rows only, never those of a write transaction still open (on SQLite the same
 * connection holds that transaction), and it must see a write at once after its commit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../src/store/db.js';
import { tenantDataVersion } from '../../src/store/okr.repository.js';
import { insertRow } from '../../src/store/table.repository.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import { DIALECTS, freshDb } from '../helpers/db.js';

const TENANT = '7100000000000000001';

const versionNow = (db: Db) => db.read((tx) => tenantDataVersion(tx, TENANT), { oneStatement: true });

/** A write transaction that bumps the version, then waits for `release` before it commits (or throws: rolls back). */
function openWrite(db: Db, outcome: 'commit' | 'rollback') {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let bumped!: () => void;
  const started = new Promise<void>((resolve) => (bumped = resolve));
  const done = db
    .write(async (tx) => {
      await tx.run('UPDATE tenants SET data_version = data_version + 1 WHERE id = ?', [TENANT]);
      bumped();
      await gate;
      if (outcome === 'rollback') throw new Error('rolled back on purpose');
    })
    .catch((err: Error) => (outcome === 'rollback' ? undefined : Promise.reject(err)));
  return { started, release, done };
}

/** What `promise` resolved to within `ms`, or 'pending'. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);

for (const dialect of DIALECTS) {
  describe(`one-statement reads [${dialect}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    before(async () => {
      ({ db, drop } = await freshDb(dialect));
      await writeTenant(db, TENANT, (tx) =>
        insertRow(tx, 'tenants', { id: TENANT, name: 't', utc_offset_minutes: 480, created_at: 1, data_version: 5 }),
      );
    });
    after(() => drop());

    it('reads the committed value, and a committed write at once', async () => {
      const v0 = await versionNow(db);
      assert.equal(v0, 5);
      const write = openWrite(db, 'commit');
      await write.started;
      write.release();
      await write.done;
      assert.equal(await versionNow(db), v0 + 1);
    });

    it('never sees a write that is still open, even when that write then rolls back', async () => {
      const v0 = await versionNow(db);
      const write = openWrite(db, 'rollback');
      await write.started;
      // PostgreSQL answers from another connection at once; SQLite waits its turn behind the open transaction.
      const during = versionNow(db);
      const early = await within(during, 50);
      assert.ok(early === 'pending' || early === v0, `read ${String(early)} while the write was open`);
      write.release();
      await write.done;
      assert.equal(await during, v0);
      assert.equal(await versionNow(db), v0);
    });
  });
}
