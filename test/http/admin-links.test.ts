// POST /okrd/admin/users/:user_id/sign_in_link: an administrator gets a single-use link (shown once, only its hash
// stored) with which the person sets a password; anyone else, bad input and other tenants' people write nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person, type World } from '../helpers/factories.js';

const DAY = 24 * 3600_000;

for (const dialect of DIALECTS) {
  describe(`okrd admin sign-in links [${dialect}]`, () => {
    let t: TestApp;
    let w: World;
    let other: World;
    let boss: Person;
    let plain: Person;

    const call = async (user: string, token: string, body: unknown) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/okrd/admin/users/${user}/sign_in_link`,
        headers: { authorization: `Bearer ${token}` },
        payload: body as object,
      });
      return { status: res.statusCode, body: res.json() };
    };
    const links = () => t.db.read((tx) => tx.all<Record<string, unknown>>('SELECT * FROM sign_in_links ORDER BY 1'));

    before(async () => {
      t = await testApp(dialect);
      w = await newWorld(t);
      other = await newWorld(t);
      boss = await w.person({ employee_id: 'boss' });
      plain = await w.person({ employee_id: 'plain' });
      await other.person({ employee_id: 'stranger' });
      await t.services.admin.setAdmin(w.tenantId, 'boss', true);
    });
    after(() => t.close());

    it('answers an invitation link once; it sets the password a single time', async () => {
      const token = await boss.token();
      const { status, body } = await call('plain', token, { purpose: 'invite' });
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(Object.keys(body).sort(), ['code', 'data', 'msg']);
      assert.equal(body.code, 0);
      const { url, expires_at, ...rest } = body.data;
      assert.deepEqual(rest, { user_id: 'plain', purpose: 'invite' });
      assert.equal(expires_at, t.clock.now + 7 * DAY);
      const secret = new URL(url).searchParams.get('token')!;
      assert.equal(new URL(url).pathname, '/okrd/password');
      // Only the hash is kept, for this tenant's person, as an invitation.
      const rows = await links();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.tenant_id, w.tenantId);
      assert.equal(rows[0]!.user_ref, plain.ref);
      assert.equal(rows[0]!.purpose, 'invite');
      assert.equal(rows[0]!.used_at, null);
      assert.ok(!JSON.stringify(rows).includes(secret), 'the link itself is not stored');
      assert.match(String(rows[0]!.token_hash), /^[0-9a-f]{64}$/);

      const page = await t.app.inject({ method: 'GET', url: `/okrd/password?token=${encodeURIComponent(secret)}` });
      assert.equal(page.statusCode, 200);
      assert.deepEqual(await t.services.signIn.setPassword(secret, 'a-good-new-password'), { ok: true });
      assert.deepEqual(await t.services.signIn.setPassword(secret, 'another-password!'), {
        ok: false,
        reason: 'invalid_link',
      });
    });

    it('a reset link lives an hour', async () => {
      const { status, body } = await call('boss', await boss.token(), { purpose: 'reset' });
      assert.equal(status, 200, JSON.stringify(body));
      assert.equal(body.data.purpose, 'reset');
      assert.equal(body.data.expires_at, t.clock.now + 3600_000);
    });

    it('refuses non-administrators, bad input and unknown or foreign people, writing nothing', async () => {
      const before = await links();
      const cases: [string, string, unknown, number, number, string?][] = [
        ['plain', await plain.token(), { purpose: 'invite' }, 403, 1001002],
        ['plain', await boss.token(), { purpose: 'welcome' }, 400, 1001001, 'purpose'],
        ['plain', await boss.token(), {}, 400, 1001001, 'purpose'],
        ['nobody', await boss.token(), { purpose: 'invite' }, 400, 1001003],
        ['stranger', await boss.token(), { purpose: 'invite' }, 400, 1001003],
      ];
      for (const [user, token, body, status, code, field] of cases) {
        const got = await call(user, token, body);
        assert.equal(got.body.code, code, JSON.stringify(got.body));
        assert.equal(got.status, status, JSON.stringify(got.body));
        if (field) assert.match(got.body.msg, new RegExp(field));
      }
      assert.deepEqual(await links(), before);
    });
  });
}
