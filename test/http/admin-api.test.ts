// okrd's administration API (/okrd/admin/): only an active tenant administrator's user token gets in, every change
// is checked and written in one transaction (nothing on refusal), and ids of another tenant are not found.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENDPOINTS } from '../../src/http/routes/index.js';
import { secretMatches } from '../../src/services/secrets.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person, type World } from '../helpers/factories.js';

const ADMIN_ENDPOINTS = ENDPOINTS.filter((e) => e.url.startsWith('/okrd/admin/'));
const concrete = (url: string) => url.replace(/:[a-z_]+/g, '7000000000000000001');

/** Every row of the tenant an administration call may change. */
const TABLES = [
  'tenants',
  'users',
  'apps',
  'app_users',
  'app_redirect_uris',
  'period_rules',
  'periods',
  'departments',
  'department_members',
  'okrs',
  'reviews',
  'access_tokens',
  'sessions',
  'refresh_tokens',
];

for (const dialect of DIALECTS) {
  describe(`okrd admin API [${dialect}]`, () => {
    let t: TestApp;
    let w: World;
    let other: World;
    let boss: Person;
    let ann: Person;
    let plain: Person;
    let adminToken: string;

    const call = async (method: string, url: string, token?: string, body?: unknown) => {
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: res.statusCode, body: res.json() };
    };
    const snapshot = (tenantId = w.tenantId) =>
      t.db.read(async (tx) => {
        const out: Record<string, unknown[]> = {};
        for (const table of TABLES) {
          const key = table === 'tenants' ? 'id' : 'tenant_id';
          out[table] = await tx.all(`SELECT * FROM ${table} WHERE ${key} = ? ORDER BY 1, 2`, [tenantId]);
        }
        return out;
      });
    /** Asserts a refused call: status, code, the named fields, and nothing written in either tenant. */
    const refused = async (
      req: () => Promise<{ status: number; body: any }>,
      status: number,
      code: number,
      fields?: string[],
    ) => {
      const before = [await snapshot(), await snapshot(other.tenantId)];
      const { status: got, body } = await req();
      assert.equal(got, status, JSON.stringify(body));
      assert.equal(body.code, code, JSON.stringify(body));
      if (fields) {
        assert.deepEqual(
          body.error.field_violations.map((v: { field: string }) => v.field),
          fields,
          JSON.stringify(body),
        );
      }
      assert.deepEqual([await snapshot(), await snapshot(other.tenantId)], before, 'nothing written');
      return body;
    };

    before(async () => {
      t = await testApp(dialect);
      w = await newWorld(t);
      other = await newWorld(t);
      boss = await w.person({ employee_id: 'boss', name_en: 'Boss' });
      ann = await w.person({ employee_id: 'ann', name_en: 'Ann', leader: boss });
      plain = await w.person({ employee_id: 'plain' });
      await t.services.admin.setAdmin(w.tenantId, 'boss', true);
      adminToken = await boss.token();
    });
    after(() => t.close());

    it('refuses a person who is not an administrator (403 1001002) and tenant tokens (99991663) everywhere', async () => {
      const plainToken = await plain.token();
      const tenantToken = await w.tenantToken();
      assert.equal(ADMIN_ENDPOINTS.length, 22);
      for (const e of ADMIN_ENDPOINTS) {
        const body = e.method === 'GET' || e.method === 'DELETE' ? undefined : {};
        const no = await call(e.method, concrete(e.url), plainToken, body);
        // Bodies are checked before the handler runs; with a valid body the answer is 403.
        if (no.body.code !== 1001001) {
          assert.equal(no.status, 403, `${e.method} ${e.url}`);
          assert.equal(no.body.code, 1001002, `${e.method} ${e.url}`);
        }
        const tenant = await call(e.method, concrete(e.url), tenantToken, body);
        assert.equal(tenant.status, 400, `${e.method} ${e.url}`);
        assert.equal(tenant.body.code, 99991663, `${e.method} ${e.url}`);
      }
      await refused(() => call('PATCH', '/okrd/admin/tenant', plainToken, { name: 'Mine now' }), 403, 1001002);
      await refused(() => call('POST', '/okrd/admin/period_rules', plainToken, { type: 'year' }), 403, 1001002);
      await refused(() => call('PATCH', '/okrd/admin/users/plain', plainToken, { is_admin: true }), 403, 1001002);
    });

    it('GET and PATCH /okrd/admin/tenant: settings checked together, the client secret never answered', async () => {
      const got = await call('GET', '/okrd/admin/tenant', adminToken);
      assert.equal(got.status, 200);
      const tenant = await t.db.read((tx) =>
        tx.get<{ created_at: number; name: string }>('SELECT * FROM tenants WHERE id = ?', [w.tenantId]),
      );
      assert.deepEqual(got.body, {
        code: 0,
        msg: 'success',
        data: {
          tenant_id: w.tenantId,
          name: tenant!.name,
          utc_offset_minutes: 480,
          password_sign_in: true,
          oidc_issuer: null,
          oidc_client_id: null,
          oidc_client_secret_set: false,
          oidc_create_users: false,
          created_at: Number(tenant!.created_at),
        },
      });
      await refused(
        () => call('PATCH', '/okrd/admin/tenant', adminToken, { oidc_issuer: 'https://idp.example' }),
        400,
        1001001,
        ['oidc_client_id', 'oidc_client_secret'],
      );
      await refused(
        () =>
          call('PATCH', '/okrd/admin/tenant', adminToken, {
            oidc_issuer: 'ftp://idp.example',
            oidc_client_id: 'a',
            oidc_client_secret: 'b',
            name: ' ',
          }),
        400,
        1001001,
        ['name', 'oidc_issuer'],
      );
      await refused(() => call('PATCH', '/okrd/admin/tenant', adminToken, { utc_offset_minutes: 900 }), 400, 1001001, [
        'utc_offset_minutes',
      ]);
      await refused(() => call('PATCH', '/okrd/admin/tenant', adminToken, { password_sign_in: false }), 400, 1001001, [
        'password_sign_in',
      ]);
      await refused(() => call('PATCH', '/okrd/admin/tenant', adminToken, {}), 400, 1001001, ['changes']);

      const patched = await call('PATCH', '/okrd/admin/tenant', adminToken, {
        name: 'Acme',
        utc_offset_minutes: 0,
        oidc_issuer: 'https://idp.example/realms/acme',
        oidc_client_id: 'okrd',
        oidc_client_secret: 'very-secret',
        oidc_create_users: true,
        password_sign_in: false,
      });
      assert.equal(patched.status, 200);
      assert.deepEqual(patched.body.data, {
        ...got.body.data,
        name: 'Acme',
        utc_offset_minutes: 0,
        password_sign_in: false,
        oidc_issuer: 'https://idp.example/realms/acme',
        oidc_client_id: 'okrd',
        oidc_client_secret_set: true,
        oidc_create_users: true,
      });
      assert.ok(!JSON.stringify(patched.body).includes('very-secret'));
      const row = await t.db.read((tx) =>
        tx.get<Record<string, unknown>>('SELECT * FROM tenants WHERE id = ?', [w.tenantId]),
      );
      assert.equal(row!.oidc_client_secret, 'very-secret');
      // Clearing the provider while password sign-in is off would lock everyone out.
      await refused(
        () =>
          call('PATCH', '/okrd/admin/tenant', adminToken, {
            oidc_issuer: null,
            oidc_client_id: null,
            oidc_client_secret: null,
          }),
        400,
        1001001,
        ['password_sign_in'],
      );
      const cleared = await call('PATCH', '/okrd/admin/tenant', adminToken, {
        oidc_issuer: null,
        oidc_client_id: null,
        oidc_client_secret: null,
        password_sign_in: true,
        oidc_create_users: false,
        utc_offset_minutes: 480,
      });
      assert.equal(cleared.status, 200);
      assert.equal(cleared.body.data.oidc_client_secret_set, false);
      assert.equal(cleared.body.data.oidc_issuer, null);
    });

    it('period rules and periods: created, listed (hidden too), status changed; rules enforced', async () => {
      await refused(
        () => call('POST', '/okrd/admin/period_rules', adminToken, { type: 'month', length: 5, first_month: 0 }),
        400,
        1001001,
        ['length', 'first_month'],
      );
      await refused(() => call('POST', '/okrd/admin/period_rules', adminToken, { type: 'week' }), 400, 1001001, [
        'type',
      ]);
      const rule = await call('POST', '/okrd/admin/period_rules', adminToken, { type: 'month', length: 3 });
      assert.equal(rule.status, 200);
      const ruleId = rule.body.data.period_rule_id;
      assert.deepEqual(rule.body.data, { period_rule_id: ruleId, type: 'month', length: 3, first_month: 1 });
      await refused(
        () => call('POST', '/okrd/admin/period_rules', adminToken, { type: 'month', length: 3 }),
        400,
        1001001,
        ['type'],
      );
      assert.deepEqual((await call('GET', '/okrd/admin/period_rules', adminToken)).body.data, {
        period_rules: [rule.body.data],
      });

      const created = await call('POST', '/okrd/admin/periods', adminToken, {
        period_rule_id: ruleId,
        start_month: '2026-04',
      });
      assert.equal(created.status, 200);
      const periodId = created.body.data.period_id;
      assert.deepEqual(created.body.data, {
        period_id: periodId,
        period_rule_id: ruleId,
        zh_name: '2026 年 4 月 - 6 月',
        en_name: 'Apr - Jun 2026',
        status: 0,
        start_month: '2026-04',
        end_month: '2026-06',
        period_start_time: Date.UTC(2026, 3, 1) - 8 * 3_600_000,
        period_end_time: Date.UTC(2026, 6, 1) - 8 * 3_600_000 - 1,
      });
      await refused(
        () => call('POST', '/okrd/admin/periods', adminToken, { period_rule_id: ruleId, start_month: '2026-05' }),
        400,
        1001009,
      );
      await refused(
        () => call('POST', '/okrd/admin/periods', adminToken, { period_rule_id: ruleId, start_month: '2026-04' }),
        400,
        1001008,
      );
      await refused(
        () => call('POST', '/okrd/admin/periods', adminToken, { period_rule_id: ruleId, start_month: '2026-4' }),
        400,
        1001001,
        ['start_month'],
      );
      const otherPeriod = await other.period('2026-01');
      await refused(
        () =>
          call('POST', '/okrd/admin/periods', adminToken, {
            period_rule_id: otherPeriod.rule_id,
            start_month: '2027-01',
          }),
        400,
        1001004,
      );
      await refused(
        () => call('PATCH', `/okrd/admin/periods/${otherPeriod.id}`, adminToken, { status: 3 }),
        400,
        1001004,
      );
      await refused(() => call('PATCH', `/okrd/admin/periods/${periodId}`, adminToken, { status: 0 }), 400, 1001001, [
        'status',
      ]);
      const hidden = await call('PATCH', `/okrd/admin/periods/${periodId}`, adminToken, { status: 3 });
      assert.deepEqual(hidden.body.data, { ...created.body.data, status: 3 });
      const listed = await call('GET', '/okrd/admin/periods', adminToken);
      assert.deepEqual(listed.body.data, { items: [hidden.body.data] });
    });

    it('people: created, paged, changed in one call; loops, taken emails and self lock-out refused', async () => {
      const dept = await call('POST', '/okrd/admin/departments', adminToken, {
        department_id: 'eng',
        name_zh: '工程',
        leader_user_id: 'boss',
      });
      assert.equal(dept.status, 200);
      const created = await call('POST', '/okrd/admin/users', adminToken, {
        user_id: 'zoe',
        name_en: 'Zoe',
        email: 'Zoe@Example.com',
        leader_user_id: 'ann',
        department_ids: ['eng'],
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.deepEqual(created.body.data, {
        user_id: 'zoe',
        union_id: created.body.data.union_id,
        people_admin_id: created.body.data.people_admin_id,
        name_zh: '',
        name_en: 'Zoe',
        email: 'zoe@example.com',
        mobile: null,
        leader_user_id: 'ann',
        department_ids: ['eng'],
        active: true,
        is_admin: false,
        okr_visibility: 'tenant',
        created_at: t.clock.now,
      });
      await refused(
        () => call('POST', '/okrd/admin/users', adminToken, { user_id: 'zed', name_en: 'Z', email: 'zoe@example.com' }),
        400,
        1001001,
        ['email'],
      );
      await refused(
        () => call('POST', '/okrd/admin/users', adminToken, { user_id: 'zed', name_en: 'Z', email: 'nope' }),
        400,
        1001001,
        ['email'],
      );

      const page1 = await call('GET', '/okrd/admin/users?page_size=2', adminToken);
      assert.deepEqual(
        page1.body.data.items.map((u: { user_id: string }) => u.user_id),
        ['ann', 'boss'],
      );
      assert.equal(page1.body.data.has_more, true);
      const page2 = await call(
        'GET',
        `/okrd/admin/users?page_size=2&page_token=${page1.body.data.page_token}`,
        adminToken,
      );
      assert.deepEqual(
        page2.body.data.items.map((u: { user_id: string }) => u.user_id),
        ['plain', 'zoe'],
      );
      assert.equal(page2.body.data.has_more, false);
      assert.equal(page1.body.data.items[1].is_admin, true);

      await refused(
        () => call('PATCH', '/okrd/admin/users/boss', adminToken, { leader_user_id: 'zoe' }),
        400,
        1001001,
        ['leader_user_id'],
      );
      await refused(
        () => call('PATCH', '/okrd/admin/users/ann', adminToken, { email: 'ZOE@example.com' }),
        400,
        1001001,
        ['email'],
      );
      await refused(
        () => call('PATCH', '/okrd/admin/users/ann', adminToken, { department_ids: ['nope'], visibility: 'all' }),
        400,
        1001001,
        ['visibility'],
      );
      await refused(
        () => call('PATCH', '/okrd/admin/users/ann', adminToken, { department_ids: ['nope'] }),
        400,
        1001001,
        ['department_ids'],
      );
      await refused(() => call('PATCH', '/okrd/admin/users/boss', adminToken, { active: false }), 400, 1001001, [
        'active',
      ]);
      await refused(() => call('PATCH', '/okrd/admin/users/boss', adminToken, { is_admin: false }), 400, 1001001, [
        'is_admin',
      ]);
      await refused(() => call('PATCH', '/okrd/admin/users/ann', adminToken, {}), 400, 1001001, ['changes']);
      const stranger = await other.person({ employee_id: 'stranger' });
      await refused(
        () => call('PATCH', `/okrd/admin/users/${stranger.employee_id}`, adminToken, { name_en: 'X' }),
        400,
        1001004,
      );

      const period = await w.period('2026-01');
      const cycle = await w.cycle(ann, period);
      const changed = await call('PATCH', '/okrd/admin/users/ann', adminToken, {
        name_zh: '安',
        email: 'ann@example.com',
        mobile: '+86 138 0000 0000',
        leader_user_id: null,
        department_ids: ['eng'],
        visibility: 'leaders',
        is_admin: true,
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual(changed.body.data, {
        user_id: 'ann',
        union_id: ann.union_id,
        people_admin_id: changed.body.data.people_admin_id,
        name_zh: '安',
        name_en: 'Ann',
        email: 'ann@example.com',
        mobile: '+86 138 0000 0000',
        leader_user_id: null,
        department_ids: ['eng'],
        active: true,
        is_admin: true,
        okr_visibility: 'leaders',
        created_at: changed.body.data.created_at,
      });
      const okr = await t.db.read((tx) =>
        tx.get<{ visibility: string }>('SELECT visibility FROM okrs WHERE id = ?', [cycle]),
      );
      assert.equal(okr!.visibility, 'leaders');
    });

    it('deactivating a person ends their tokens, sessions and refresh tokens at once; their OKRs stay', async () => {
      const token = await plain.token();
      const now = t.clock.now;
      await t.db.write(async (tx) => {
        await tx.run(
          'INSERT INTO sessions (id_hash, tenant_id, user_ref, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
          ['sess-plain', w.tenantId, plain.ref, now, now + 3_600_000],
        );
        await tx.run(
          `INSERT INTO refresh_tokens (token_hash, tenant_id, app_id, user_ref, family_id, scope, created_at, expires_at)
           VALUES (?, ?, ?, ?, 'fam', 'okr:okr', ?, ?)`,
          ['refresh-plain', w.tenantId, w.appId, plain.ref, now, now + 86_400_000],
        );
      });
      const period = await w.period('2026-02');
      const cycle = await w.cycle(plain, period);
      const res = await call('PATCH', '/okrd/admin/users/plain', adminToken, { active: false });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.active, false);
      const refusedRead = await t.get('/open-apis/okr/v1/periods', token);
      assert.equal(refusedRead.body.code, 99991668);
      await t.db.read(async (tx) => {
        assert.deepEqual(await tx.all('SELECT * FROM sessions WHERE user_ref = ?', [plain.ref]), []);
        assert.deepEqual(await tx.all('SELECT * FROM refresh_tokens WHERE user_ref = ?', [plain.ref]), []);
        assert.equal((await tx.all('SELECT * FROM okrs WHERE id = ?', [cycle])).length, 1);
      });
      // A deactivated administrator is no administrator.
      await t.services.admin.setAdmin(w.tenantId, 'plain', true);
      await refused(() => call('GET', '/okrd/admin/tenant', undefined), 400, 99991661);
      // The auth service refuses a deactivated person's token first; requireAdmin would refuse it as well.
      const again = await t.services.auth.issueUserToken(w.tenantId, w.appId, plain.ref, 600);
      const denied = await call('GET', '/okrd/admin/tenant', again.token);
      assert.ok(
        (denied.status === 400 && denied.body.code === 99991668) ||
          (denied.status === 403 && denied.body.code === 1001002),
        JSON.stringify(denied),
      );
      await assert.rejects(
        t.services.admin.requireAdmin({
          kind: 'user',
          tenantId: w.tenantId,
          appId: w.appId,
          scopes: new Set(['okr:okr']),
          userRef: plain.ref,
        }),
        (err: { code?: number }) => err.code === 1001002,
      );
      assert.equal(
        (await call('PATCH', '/okrd/admin/users/plain', adminToken, { active: true })).body.data.active,
        true,
      );
    });

    it('departments: created, listed with members, changed with members in one call; loops refused', async () => {
      const sub = await call('POST', '/okrd/admin/departments', adminToken, {
        department_id: 'web',
        name_zh: '前端',
        name_en: 'Web',
        parent_department_id: 'eng',
      });
      assert.equal(sub.status, 200);
      await refused(
        () => call('PATCH', '/okrd/admin/departments/eng', adminToken, { parent_department_id: 'web' }),
        400,
        1001001,
        ['parent_department_id'],
      );
      await refused(
        () => call('POST', '/okrd/admin/departments', adminToken, { name_zh: ' ', department_id: 'a b' }),
        400,
        1001001,
        ['department_id', 'name_zh'],
      );
      await refused(
        () => call('PATCH', '/okrd/admin/departments/web', adminToken, { member_user_ids: ['ann', 'stranger'] }),
        400,
        1001003,
      );
      const otherDept = await other.department({ department_id: 'theirs' });
      await refused(
        () => call('PATCH', `/okrd/admin/departments/${otherDept.department_id}`, adminToken, { name_zh: 'x' }),
        400,
        1001004,
      );
      const changed = await call('PATCH', '/okrd/admin/departments/web', adminToken, {
        leader_user_id: 'ann',
        member_user_ids: ['zoe', 'ann'],
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual(changed.body.data, {
        ...sub.body.data,
        leader_user_id: 'ann',
        member_user_ids: ['ann', 'zoe'],
      });
      const listed = await call('GET', '/okrd/admin/departments', adminToken);
      assert.deepEqual(
        listed.body.data.items.map((d: { department_id: string; member_user_ids: string[] }) => [
          d.department_id,
          d.member_user_ids,
        ]),
        [
          ['eng', ['ann', 'zoe']],
          ['web', ['ann', 'zoe']],
        ],
      );
    });

    it('apps: created (secret once), listed without secrets, changed, rotated, deleted with what it issued', async () => {
      await refused(
        () =>
          call('POST', '/okrd/admin/apps', adminToken, {
            name: 'bad',
            scopes: ['okr:nope'],
            redirect_uris: ['https://x.example/cb#f', 'relative/cb'],
          }),
        400,
        1001001,
        ['scopes', 'redirect_uris', 'redirect_uris'],
      );
      const created = await call('POST', '/okrd/admin/apps', adminToken, {
        name: 'portal',
        scopes: ['okr:okr:readonly'],
        redirect_uris: ['https://portal.example/cb'],
      });
      assert.equal(created.status, 200);
      const appId = created.body.data.app_id;
      const secret = created.body.data.app_secret;
      assert.deepEqual(created.body.data, {
        app_id: appId,
        name: 'portal',
        client_type: 'confidential',
        scopes: ['okr:okr:readonly'],
        redirect_uris: ['https://portal.example/cb'],
        created_at: t.clock.now,
        app_secret: secret,
      });
      const pub = await call('POST', '/okrd/admin/apps', adminToken, { name: 'spa', client_type: 'public' });
      assert.equal(pub.body.data.client_type, 'public');
      assert.equal('app_secret' in pub.body.data, false);
      await refused(
        () => call('POST', `/okrd/admin/apps/${pub.body.data.app_id}/rotate_secret`, adminToken),
        400,
        1001001,
        ['app_id'],
      );

      const listed = await call('GET', '/okrd/admin/apps', adminToken);
      assert.deepEqual(
        listed.body.data.items.map((a: { app_id: string }) => a.app_id).sort(),
        [w.appId, appId, pub.body.data.app_id].sort(),
      );
      assert.ok(!JSON.stringify(listed.body).includes('secret'));

      await refused(
        () => call('PATCH', `/okrd/admin/apps/${appId}`, adminToken, { scopes: ['okr:okr', 'nope'] }),
        400,
        1001001,
        ['scopes'],
      );
      await refused(() => call('PATCH', `/okrd/admin/apps/${other.appId}`, adminToken, { name: 'mine' }), 400, 1001004);
      // Redirect URIs are listed in the order they were added.
      t.clock.now += 1000;
      const patched = await call('PATCH', `/okrd/admin/apps/${appId}`, adminToken, {
        name: 'Portal',
        scopes: ['okr:okr'],
        redirect_uris: ['http://localhost:3000/cb', 'https://portal.example/cb'],
      });
      assert.deepEqual(patched.body.data, {
        app_id: appId,
        name: 'Portal',
        client_type: 'confidential',
        scopes: ['okr:okr'],
        redirect_uris: ['https://portal.example/cb', 'http://localhost:3000/cb'],
        created_at: created.body.data.created_at,
      });

      const tokenFor = (app_secret: string) =>
        t.app.inject({
          method: 'POST',
          url: '/open-apis/auth/v3/tenant_access_token/internal',
          payload: { app_id: appId, app_secret },
        });
      const oldToken = (await tokenFor(secret)).json().tenant_access_token as string;
      const rotated = await call('POST', `/okrd/admin/apps/${appId}/rotate_secret`, adminToken);
      assert.deepEqual(Object.keys(rotated.body.data), ['app_id', 'app_secret']);
      assert.equal((await tokenFor(secret)).json().code, 10003, 'the old secret stops at once');
      assert.equal((await tokenFor(rotated.body.data.app_secret)).json().code, 0);
      const hash = await t.db.read((tx) =>
        tx.get<{ secret_hash: string }>('SELECT secret_hash FROM apps WHERE app_id = ?', [appId]),
      );
      assert.ok(secretMatches(rotated.body.data.app_secret, hash!.secret_hash));
      // Tokens issued before keep working until they expire.
      assert.equal((await t.get('/open-apis/okr/v1/periods', oldToken)).body.code, 0);

      await refused(() => call('DELETE', `/okrd/admin/apps/${w.appId}`, adminToken), 400, 1001001, ['app_id']);
      await refused(() => call('DELETE', `/okrd/admin/apps/${other.appId}`, adminToken), 400, 1001004);
      const deleted = await call('DELETE', `/okrd/admin/apps/${appId}`, adminToken);
      assert.equal(deleted.status, 200);
      assert.equal(deleted.body.data.app_id, appId);
      assert.equal(deleted.body.data.deleted.apps, 1);
      assert.equal(deleted.body.data.deleted.app_redirect_uris, 2);
      await t.db.read(async (tx) => {
        for (const table of ['apps', 'app_users', 'app_redirect_uris', 'access_tokens']) {
          assert.deepEqual(await tx.all(`SELECT * FROM ${table} WHERE app_id = ?`, [appId]), [], table);
        }
      });
      assert.equal((await tokenFor(rotated.body.data.app_secret)).json().code, 10003);
    });

    it('reviews: added, listed newest first, removed; another tenant’s are not found', async () => {
      const period = await w.period('2026-03');
      const add = (url: string) =>
        call('POST', '/okrd/admin/reviews', adminToken, {
          user_id: 'ann',
          period_id: period.id,
          kind: 'cycle_review',
          url,
        });
      const first = await add('https://docs.example/1');
      assert.equal(first.status, 200, JSON.stringify(first.body));
      t.clock.now += 1000;
      const second = await add('https://docs.example/2');
      assert.deepEqual(second.body.data, {
        id: second.body.data.id,
        user_id: 'ann',
        period_id: period.id,
        kind: 'cycle_review',
        url: 'https://docs.example/2',
        create_time: t.clock.now,
      });
      await refused(() => add('javascript:alert(1)'), 400, 1001001, ['url']);
      const page = await call('GET', `/okrd/admin/reviews?user_id=ann&page_size=1`, adminToken);
      assert.deepEqual(page.body.data.items, [second.body.data]);
      assert.equal(page.body.data.has_more, true);
      const rest = await call(
        'GET',
        `/okrd/admin/reviews?user_id=ann&page_size=1&page_token=${page.body.data.page_token}`,
        adminToken,
      );
      assert.deepEqual(rest.body.data, { has_more: false, items: [first.body.data] });

      const theirs = await other.period('2026-03');
      const stranger = await other.person();
      const otherReview = await t.services.reviews.add(other.tenantId, {
        employee_id: stranger.employee_id,
        period_id: theirs.id,
        kind: 'progress_report',
        url: 'https://docs.example/theirs',
      });
      await refused(() => call('DELETE', `/okrd/admin/reviews/${otherReview.id}`, adminToken), 400, 1001004);
      const removed = await call('DELETE', `/okrd/admin/reviews/${first.body.data.id}`, adminToken);
      assert.deepEqual(removed.body.data, first.body.data);
      const left = await call('GET', '/okrd/admin/reviews', adminToken);
      assert.deepEqual(left.body.data, { has_more: false, items: [second.body.data] });
    });
  });
}
