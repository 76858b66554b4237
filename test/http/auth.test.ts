import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashToken } from '../../src/services/secrets.js';
import { DEMO_APP_ID, DEMO_APP_SECRET, DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';

const TENANT_TOKEN_URL = '/open-apis/auth/v3/tenant_access_token/internal';
const APP_TOKEN_URL = '/open-apis/auth/v3/app_access_token/internal';
const PERIODS = '/open-apis/okr/v1/periods';
const BATCH_GET = '/open-apis/okr/v1/okrs/batch_get?okr_ids=7072252816005349396';

for (const dialect of DIALECTS) {
  describe(`tokens and auth [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    const post = async (url: string, payload: unknown) => {
      const res = await t.app.inject({ method: 'POST', url, payload: payload as object });
      return { status: res.statusCode, body: res.json() };
    };

    it('issues a tenant token at the top level of the body, stored only as a hash', async () => {
      t.clock.now += 10 * 3_600_000; // a fresh issuing window for this test
      const { status, body } = await post(TENANT_TOKEN_URL, { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET });
      assert.equal(status, 200);
      assert.deepEqual(Object.keys(body).sort(), ['code', 'expire', 'msg', 'tenant_access_token']);
      assert.equal(body.code, 0);
      assert.equal(body.msg, 'ok');
      assert.equal(body.expire, 7200);
      assert.match(body.tenant_access_token, /^t-[A-Za-z0-9_-]{43}$/);
      const row = await t.db.read((tx) =>
        tx.get<{ kind: string; tenant_id: string; expires_at: number }>(
          'SELECT kind, tenant_id, expires_at FROM access_tokens WHERE token_hash = ?',
          [hashToken(body.tenant_access_token)],
        ),
      );
      assert.deepEqual(row, { kind: 'tenant', tenant_id: DEMO_TENANT_ID, expires_at: t.clock.now + 7_200_000 });
      const plain = await t.db.read((tx) =>
        tx.get('SELECT 1 AS found FROM access_tokens WHERE token_hash = ?', [body.tenant_access_token]),
      );
      assert.equal(plain, undefined);
    });

    it('hands out the same token until under 30 minutes remain, then a new one; both stay valid', async () => {
      t.clock.now += 10 * 3_600_000;
      const first = (await post(TENANT_TOKEN_URL, { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET })).body;
      t.clock.now += 5_000_000; // 7200 - 5000 = 2200 s left (> 30 min)
      const again = (await post(TENANT_TOKEN_URL, { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET })).body;
      assert.equal(again.tenant_access_token, first.tenant_access_token);
      assert.equal(again.expire, 2200);
      t.clock.now += 500_000; // 1700 s left (< 30 min)
      const fresh = (await post(TENANT_TOKEN_URL, { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET })).body;
      assert.notEqual(fresh.tenant_access_token, first.tenant_access_token);
      assert.equal(fresh.expire, 7200);
      for (const token of [first.tenant_access_token, fresh.tenant_access_token]) {
        assert.equal((await t.get(PERIODS, token)).body.code, 0);
      }
      t.clock.now += 1_700_000; // the first one has expired now
      const expired = await t.get(PERIODS, first.tenant_access_token);
      assert.equal(expired.status, 400);
      assert.equal(expired.body.code, 99991663);
      assert.equal((await t.get(PERIODS, fresh.tenant_access_token)).body.code, 0);
    });

    it('issues app tokens, which OKR endpoints refuse', async () => {
      const { body } = await post(APP_TOKEN_URL, { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET });
      assert.equal(body.code, 0);
      assert.match(body.app_access_token, /^a-/);
      const res = await t.get(PERIODS, body.app_access_token);
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 99991663);
    });

    for (const [label, payload] of [
      ['a wrong secret', { app_id: DEMO_APP_ID, app_secret: 'nope' }],
      ['an unknown app', { app_id: 'cli_nobody', app_secret: DEMO_APP_SECRET }],
      ['missing fields', {}],
      ['wrong types', { app_id: 1, app_secret: ['x'] }],
    ] as const) {
      it(`answers ${label} with HTTP 200 and code 10003`, async () => {
        const { status, body } = await post(TENANT_TOKEN_URL, payload);
        assert.equal(status, 200);
        assert.deepEqual(body, { code: 10003, msg: 'invalid param', data: {} });
      });
    }

    it('rejects a missing or non-Bearer Authorization with 99991661', async () => {
      for (const headers of [
        {},
        { authorization: 'Basic abc' },
        { authorization: 'Bearer ' },
        { authorization: 'bearer t-x' },
      ]) {
        const res = await t.app.inject({ method: 'GET', url: BATCH_GET, headers });
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().code, 99991661);
        assert.match(res.json().msg, /^Missing access token/);
      }
    });

    it('rejects forged tenant tokens with 99991663 and forged user tokens with 99991668', async () => {
      const forgedTenant = await t.get(BATCH_GET, 't-' + 'A'.repeat(43));
      assert.deepEqual([forgedTenant.status, forgedTenant.body.code], [400, 99991663]);
      const forgedUser = await t.get(BATCH_GET, 'u-' + 'A'.repeat(43));
      assert.deepEqual([forgedUser.status, forgedUser.body.code], [400, 99991668]);
    });

    it('rejects an app without an accepted scope with 99991672 and permission_violations', async () => {
      const admin = t.services.admin;
      const app = await admin.createApp(DEMO_TENANT_ID, 'reviews only', ['okr:okr.review:readonly']);
      const token = (await post(TENANT_TOKEN_URL, app)).body.tenant_access_token;
      const { status, body } = await t.get(BATCH_GET, token);
      assert.equal(status, 400);
      assert.equal(body.code, 99991672);
      assert.deepEqual(body.error.permission_violations, [
        { type: 'action_scope_required', subject: 'okr:okr:readonly' },
        { type: 'action_scope_required', subject: 'okr:okr' },
        { type: 'action_scope_required', subject: 'okr:okr.content:readonly' },
      ]);
    });

    it('requires the employee-id field scope for user_id_type=user_id', async () => {
      const admin = t.services.admin;
      const app = await admin.createApp(DEMO_TENANT_ID, 'no employee ids', ['okr:okr:readonly']);
      const token = (await post(TENANT_TOKEN_URL, app)).body.tenant_access_token;
      assert.equal((await t.get(BATCH_GET, token)).body.code, 0);
      const { status, body } = await t.get(`${BATCH_GET}&user_id_type=user_id`, token);
      assert.equal(status, 400);
      assert.equal(body.code, 99991672);
      assert.deepEqual(body.error.permission_violations, [
        { type: 'action_scope_required', subject: 'contact:user.employee_id:readonly' },
      ]);
    });

    it('keeps tenants apart: another tenant’s token cannot read the demo OKR', async () => {
      const admin = t.services.admin;
      const tenant = await admin.createTenant('other');
      const app = await admin.createApp(tenant.id, 'other app');
      const token = (await post(TENANT_TOKEN_URL, app)).body.tenant_access_token;
      const { status, body } = await t.get(BATCH_GET, token);
      assert.equal(status, 400);
      assert.equal(body.code, 1001004);
      const periods = await t.get(PERIODS, token);
      assert.deepEqual(periods.body.data, { has_more: false, items: [] });
    });

    it('refuses user tokens on tenant-only endpoints', async () => {
      const auth = t.services.auth;
      const rows = await t.db.read((tx) =>
        tx.all<{ id: string }>('SELECT id FROM users WHERE tenant_id = ? LIMIT 1', [DEMO_TENANT_ID]),
      );
      const { token } = await auth.issueUserToken(DEMO_TENANT_ID, DEMO_APP_ID, rows[0]!.id, 600);
      const res = await t.get(PERIODS, token);
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 99991668);
      assert.equal((await t.get(BATCH_GET, token)).body.code, 0);
    });
  });
}
