import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_APP_ID, DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { insertRow } from '../../src/store/table.repository.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoReviewPeriod, demoTables, demoUser } from '../helpers/demo.js';
import { writeTenant } from '../../src/store/tenant-write.js';

const URL_BASE = '/open-apis/okr/v1/reviews/query';
const OWNER = 'okrd_demo_owner';
const [MARCH, APRIL, MAY] = demoTables.periods.map((p) => p.id) as [string, string, string];

/** The query string for these users and periods (repeated keys, as the SDK sends them). */
const query = (userIds: readonly string[], periodIds: readonly string[], extra = '') =>
  `${URL_BASE}?${[...userIds.map((id) => `user_ids=${encodeURIComponent(id)}`), ...periodIds.map((id) => `period_ids=${id}`)].join('&')}${extra}`;

const empty = (periodId: string) => ({ period_id: periodId, cycle_review_list: [], progress_report_list: [] });

for (const dialect of DIALECTS) {
  describe(`GET reviews/query [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    /** A tenant token of a new app of `tenantId` holding exactly `scopes`. */
    const appToken = async (scopes: string[], tenantId = DEMO_TENANT_ID) => {
      const admin = t.services.admin;
      const app = await admin.createApp(tenantId, 'review test app', scopes);
      const res = await t.app.inject({
        method: 'POST',
        url: '/open-apis/auth/v3/tenant_access_token/internal',
        payload: app,
      });
      return res.json().tenant_access_token as string;
    };
    before(async () => {
      t = await testApp(dialect);
      token = await t.tenantToken();
    });
    after(() => t.close());

    it('returns each user’s review documents and progress reports per period, newest first', async () => {
      const [owner, wangwei, lina, zhaolei] = [OWNER, 'wangwei', 'lina', 'zhaolei'].map(demoUser) as [
        ReturnType<typeof demoUser>,
        ReturnType<typeof demoUser>,
        ReturnType<typeof demoUser>,
        ReturnType<typeof demoUser>,
      ];
      const { status, body, res } = await t.get(
        query([owner.open_id, wangwei.open_id, lina.open_id, zhaolei.open_id], [MARCH, APRIL, MAY]),
        token,
      );
      assert.equal(status, 200);
      assert.match(res.headers['content-type'] as string, /^application\/json/);
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: {
          review_list: [
            ...[owner, wangwei, lina, zhaolei].map((u) => ({
              user_id: { open_id: u.open_id, user_id: u.open_id },
              review_period_list: [0, 1, 2].map((i) => demoReviewPeriod(u.employee_id, i)),
            })),
          ],
        },
      });
      // A read: the rows are the demo document's, untouched.
      const rows = await t.db.read((tx) => tx.all('SELECT * FROM reviews ORDER BY id'));
      assert.deepEqual(rows, demoTables.reviews);
    });

    it('keeps the request order of users and periods and drops duplicates', async () => {
      const [owner, lina] = [demoUser(OWNER), demoUser('lina')];
      const { status, body } = await t.get(
        query([lina.open_id, owner.open_id, lina.open_id], [APRIL, MARCH, APRIL]),
        token,
      );
      assert.equal(status, 200);
      assert.deepEqual(
        body.data.review_list.map((r: any) => [
          r.user_id.open_id,
          r.review_period_list.map((p: any) => [
            p.period_id,
            p.cycle_review_list.length,
            p.progress_report_list.length,
          ]),
        ]),
        [
          [
            lina.open_id,
            [
              [APRIL, 0, 0],
              [MARCH, 1, 1],
            ],
          ],
          [
            owner.open_id,
            [
              [APRIL, 0, 1],
              [MARCH, 1, 2],
            ],
          ],
        ],
      );
    });

    for (const [type, field] of [
      ['open_id', 'open_id'],
      ['union_id', 'union_id'],
      ['user_id', 'employee_id'],
      ['people_admin_id', 'people_admin_id'],
    ] as const) {
      it(`finds users by ${type} and answers with user_id of that type beside the open_id`, async () => {
        const wangwei = demoUser('wangwei');
        const { status, body } = await t.get(query([wangwei[field]], [MARCH], `&user_id_type=${type}`), token);
        assert.equal(status, 200);
        assert.deepEqual(body.data.review_list, [
          {
            user_id: { open_id: wangwei.open_id, user_id: wangwei[field] },
            review_period_list: [demoReviewPeriod('wangwei', 0)],
          },
        ]);
      });
    }

    it('does not find a user by an id of another type', async () => {
      const { status, body } = await t.get(query([demoUser('wangwei').employee_id], [MARCH]), token);
      assert.equal(status, 400);
      assert.equal(body.code, 1001003);
    });

    it('accepts 5 user ids and 5 period ids', async () => {
      const five = [OWNER, 'wangwei', 'lina', 'zhaolei', 'huangmei'].map((e) => demoUser(e).open_id);
      const { status, body } = await t.get(query(five, [MARCH, APRIL, MAY, MARCH, APRIL]), token);
      assert.equal(status, 200);
      assert.equal(body.data.review_list.length, 5);
      for (const r of body.data.review_list) assert.equal(r.review_period_list.length, 3);
    });

    it('runs the same number of statements for 1 user × 1 period and for 5 × 3 (no N+1)', async () => {
      const five = [OWNER, 'wangwei', 'lina', 'zhaolei', 'huangmei'].map((e) => demoUser(e).open_id);
      await t.get(query([five[0]!], [MARCH]), token); // the token is verified (and cached) here
      t.statements.count = 0;
      await t.get(query([five[0]!], [MARCH]), token);
      const one = t.statements.count;
      t.statements.count = 0;
      const { body } = await t.get(query(five, [MARCH, APRIL, MAY]), token);
      assert.equal(body.code, 0);
      assert.equal(t.statements.count, one);
      assert.ok(one <= 3, `reviews/query ran ${one} statements`);
    });

    const owner = () => demoUser(OWNER).open_id;
    for (const [label, url, field] of [
      ['6 user ids', () => query(Array(6).fill(owner()), [MARCH]), /user_ids: must NOT have more than 5 items/],
      ['6 period ids', () => query([owner()], Array(6).fill(MARCH)), /period_ids: must NOT have more than 5 items/],
      ['missing user_ids', () => `${URL_BASE}?period_ids=${MARCH}`, /user_ids: is required/],
      ['missing period_ids', () => `${URL_BASE}?user_ids=${owner()}`, /period_ids: is required/],
      ['no parameters at all', () => URL_BASE, /is required/],
      ['an empty user id', () => `${URL_BASE}?user_ids=&period_ids=${MARCH}`, /user_ids\[0\]/],
      ['a period id that is not an id', () => query([owner()], ['march']), /period_ids\[0\]: must match pattern/],
      [
        'an unknown user_id_type',
        () => query([owner()], [MARCH], '&user_id_type=email'),
        /user_id_type: must be equal to one of the allowed values \(open_id, union_id, user_id, people_admin_id\)/,
      ],
    ] as const) {
      it(`rejects ${label} with 400 1001001 naming the field`, async () => {
        const { status, body } = await t.get(url(), token);
        assert.equal(status, 400);
        assert.equal(body.code, 1001001);
        assert.match(body.msg, /^invalid parameters: /);
        assert.match(body.msg, field);
      });
    }

    it('answers an unknown user with 400 1001003 naming it, even beside known ones', async () => {
      const ghost = 'ou_00000000000000000000000000000000';
      const { status, body } = await t.get(query([demoUser('lina').open_id, ghost], [MARCH]), token);
      assert.equal(status, 400);
      assert.equal(body.code, 1001003);
      assert.equal(body.msg, `user not found: ${ghost}`);
      assert.match(body.error.log_id, /^[0-9a-f]{24}$/);
    });

    it('answers an unknown period with 400 1001004 naming it, even beside known ones', async () => {
      const { status, body } = await t.get(query([demoUser('lina').open_id], [MARCH, '42']), token);
      assert.equal(status, 400);
      assert.equal(body.code, 1001004);
      assert.equal(body.msg, 'okr data not found: period_id 42');
    });

    it('treats a hidden period (status 3) as unknown', async () => {
      await writeTenant(t.db, DEMO_TENANT_ID, (tx) =>
        tx.run('UPDATE periods SET status = 3 WHERE id = ? AND tenant_id = ?', [MAY, DEMO_TENANT_ID]),
      );
      try {
        const { status, body } = await t.get(query([demoUser('lina').open_id], [MAY]), token);
        assert.equal(status, 400);
        assert.equal(body.code, 1001004);
        assert.match(body.msg, new RegExp(`period_id ${MAY}$`));
      } finally {
        await writeTenant(t.db, DEMO_TENANT_ID, (tx) =>
          tx.run('UPDATE periods SET status = 0 WHERE id = ? AND tenant_id = ?', [MAY, DEMO_TENANT_ID]),
        );
      }
      assert.equal((await t.get(query([demoUser('lina').open_id], [MAY]), token)).status, 200);
    });

    it('keeps tenants apart: neither users nor periods of another tenant are found', async () => {
      const admin = t.services.admin;
      const other = await admin.createTenant('other');
      const stranger = await admin.createUser(other.id, { employee_id: 'stranger', name_zh: '', name_en: 'S' });
      const period = { ...demoTables.periods[0]!, id: '8600000000000009999', tenant_id: other.id, rule_id: null };
      await writeTenant(t.db, other.id, (tx) => insertRow(tx, 'periods', period));
      // The demo app asks about another tenant's period and user.
      const theirPeriod = await t.get(query([demoUser('lina').open_id], [period.id]), token);
      assert.deepEqual([theirPeriod.status, theirPeriod.body.code], [400, 1001004]);
      const theirUser = await t.get(query(['stranger'], [MARCH], '&user_id_type=user_id'), token);
      assert.deepEqual([theirUser.status, theirUser.body.code], [400, 1001003]);
      // The other tenant's app asks about the demo tenant's user.
      const otherToken = await appToken(['okr:okr:readonly', 'contact:user.employee_id:readonly'], other.id);
      const demoFromOutside = await t.get(query(['wangwei'], [period.id], '&user_id_type=user_id'), otherToken);
      assert.deepEqual([demoFromOutside.status, demoFromOutside.body.code], [400, 1001003]);
      const own = await t.get(query([stranger.employee_id], [period.id], '&user_id_type=user_id'), otherToken);
      assert.deepEqual(own.body.data.review_list[0].review_period_list, [empty(period.id)]);
    });

    it('refuses user access tokens (tenant only) with 99991668', async () => {
      const auth = t.services.auth;
      const { token: userToken } = await auth.issueUserToken(DEMO_TENANT_ID, DEMO_APP_ID, demoUser('lina').id, 600);
      const { status, body } = await t.get(query([demoUser('lina').open_id], [MARCH]), userToken);
      assert.equal(status, 400);
      assert.equal(body.code, 99991668);
    });

    it('refuses a request without a token with 99991661', async () => {
      const { status, body } = await t.get(query([demoUser('lina').open_id], [MARCH]));
      assert.deepEqual([status, body.code], [400, 99991661]);
    });

    for (const scope of ['okr:okr:readonly', 'okr:okr', 'okr:okr.review:readonly']) {
      it(`accepts an app holding only ${scope}`, async () => {
        // Every app sees its own open_ids; union_ids are the same in all of them.
        const lina = demoUser('lina');
        const { status, body } = await t.get(
          query([lina.union_id], [MARCH], '&user_id_type=union_id'),
          await appToken([scope]),
        );
        assert.equal(status, 200);
        assert.equal(body.code, 0);
        assert.equal(body.data.review_list[0].review_period_list[0].cycle_review_list.length, 1);
      });
    }

    it('refuses an app without a review scope with 99991672 naming the accepted scopes', async () => {
      const other = await appToken(['okr:okr.content:readonly', 'okr:okr.period:readonly']);
      const { status, body } = await t.get(query([demoUser('lina').employee_id], [MARCH]), other);
      assert.equal(status, 400);
      assert.equal(body.code, 99991672);
      assert.deepEqual(body.error.permission_violations, [
        { type: 'action_scope_required', subject: 'okr:okr:readonly' },
        { type: 'action_scope_required', subject: 'okr:okr' },
        { type: 'action_scope_required', subject: 'okr:okr.review:readonly' },
      ]);
    });

    it('requires the employee-id field scope for user_id_type=user_id', async () => {
      const other = await appToken(['okr:okr.review:readonly']);
      const lina = demoUser('lina');
      assert.equal((await t.get(query([lina.union_id], [MARCH], '&user_id_type=union_id'), other)).body.code, 0);
      const { status, body } = await t.get(query([lina.employee_id], [MARCH], '&user_id_type=user_id'), other);
      assert.equal(status, 400);
      assert.equal(body.code, 99991672);
      assert.deepEqual(body.error.permission_violations, [
        { type: 'action_scope_required', subject: 'contact:user.employee_id:readonly' },
      ]);
    });
  });
}
