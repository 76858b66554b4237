/** The write seam (store/tenant-write.ts) and the test checker that catches code bypassing it. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../src/store/db.js';
import { insertRow } from '../../src/store/table.repository.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import { DIALECTS, freshDb } from '../helpers/db.js';
import { checkedDb, type WriteCheck } from '../helpers/write-check.js';

const A = '7100000000000000001';
const B = '7100000000000000002';
const tenant = (id: string) => ({ id, name: id, utc_offset_minutes: 480, created_at: 1, data_version: 0 });
const version = async (db: Db, id: string) =>
  (await db.read((tx) => tx.get<{ data_version: number }>('SELECT data_version FROM tenants WHERE id = ?', [id])))!
    .data_version;
const user = (id: string, tenantId: string) => ({
  id,
  tenant_id: tenantId,
  employee_id: `e${id}`,
  union_id: `on_${id}`,
  people_admin_id: id,
  name_zh: '甲',
  name_en: 'A',
  leader_id: null,
  created_at: 1,
});

for (const dialect of DIALECTS) {
  describe(`tenant write seam [${dialect}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    before(async () => {
      ({ db, drop } = await freshDb(dialect));
      await writeTenant(db, A, (tx) => insertRow(tx, 'tenants', tenant(A)));
      await writeTenant(db, B, (tx) => insertRow(tx, 'tenants', tenant(B)));
    });
    after(() => drop());

    it('bumps the data version when an OKR-visible table changed, and only then', async () => {
      const v0 = await version(db, A);
      await writeTenant(db, A, (tx) => insertRow(tx, 'users', user('7100000000000000011', A)));
      assert.equal(await version(db, A), v0 + 1);
      assert.equal(await version(db, B), 0, 'the other tenant is untouched');
      await writeTenant(db, A, (tx) =>
        tx.run('UPDATE users SET name_en = ? WHERE id = ? AND tenant_id = ?', ['x', 'no-such-user', A]),
      );
      assert.equal(await version(db, A), v0 + 1, 'a statement that changed nothing does not bump');
    });

    it('refuses a mutating statement that does not bind the tenant, and writes nothing', async () => {
      await assert.rejects(
        writeTenant(db, A, (tx) => tx.run('UPDATE users SET name_en = ? WHERE id = ?', ['x', '7100000000000000011'])),
        /unscoped write to users/,
      );
      await assert.rejects(
        writeTenant(db, A, (tx) => insertRow(tx, 'users', user('7100000000000000012', B))),
        /unscoped write to users/,
      );
      const rows = await db.read((tx) => tx.all<{ id: string }>('SELECT id FROM users WHERE tenant_id = ?', [B]));
      assert.deepEqual(rows, []);
    });

    it('the test checker fails a raw write that skips the bump or does not name its tenant', async () => {
      const check: WriteCheck = { count: 0, violations: [] };
      const checked = checkedDb(db, check);
      await assert.rejects(
        checked.write((tx) => insertRow(tx, 'users', user('7100000000000000013', A))),
        /without bumping the tenant's data_version/,
      );
      await assert.rejects(
        checked.write((tx) => tx.run('DELETE FROM users WHERE id = ?', ['7100000000000000011'])),
        /does not name its tenant/,
      );
      assert.equal(check.violations.length, 2);
      await checked.write((tx) => tx.run('DELETE FROM rate_limit_counters WHERE bucket = ?', ['x']));
      await writeTenant(checked, A, (tx) => insertRow(tx, 'users', user('7100000000000000014', A)));
      assert.equal(check.violations.length, 2, 'global tables and the seam pass');
    });
  });
}
