import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';
import { Value } from '@sinclair/typebox/value';
import { UserOkrsResponse } from '../../src/contract/okr.js';
import { DIALECTS } from '../helpers/db.js';
import { demoOkrsOf, demoTables, demoUser } from '../helpers/demo.js';

const list = (userId: string, query: string) => `/open-apis/okr/v1/users/${encodeURIComponent(userId)}/okrs?${query}`;

for (const dialect of DIALECTS) {
  describe(`GET users/:user_id/okrs [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await testApp(dialect);
      token = await t.tenantToken();
    });
    after(() => t.close());

    it('lists a user’s OKRs newest period first, with the total', async () => {
      const owner = demoUser('okrd_demo_owner');
      const { status, body } = await t.get(list(owner.open_id, 'offset=0&limit=10'), token);
      assert.equal(status, 200);
      assert.equal(body.code, 0);
      assert.equal(body.data.total, 3);
      const expected = demoOkrsOf('okrd_demo_owner').reverse();
      assert.deepEqual(
        body.data.okr_list.map((o: { id: string; name: string }) => [o.id, o.name]),
        expected.map((o, i) => [o.id, ['2022 年 5 月', '2022 年 4 月', '2022 年 3 月'][i]]),
      );
      assert.ok(Value.Check(UserOkrsResponse, body), 'conforms to the UserOkrsResponse contract');
      // The same OKR as batch_get shows it.
      const seed = body.data.okr_list[2]!;
      const batch = await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${seed.id}`, token);
      assert.deepEqual(seed, batch.body.data.okr_list[0]);
    });

    it('pages with offset and limit; limit 0 gives only the total', async () => {
      const owner = demoUser('okrd_demo_owner');
      const all = demoOkrsOf('okrd_demo_owner')
        .reverse()
        .map((o) => o.id);
      const page = await t.get(list(owner.open_id, 'offset=1&limit=1'), token);
      assert.deepEqual(
        page.body.data.okr_list.map((o: { id: string }) => o.id),
        [all[1]],
      );
      assert.equal(page.body.data.total, 3);
      const none = await t.get(list(owner.open_id, 'offset=0&limit=0'), token);
      assert.deepEqual(none.body.data, { total: 3, okr_list: [] });
      const beyond = await t.get(list(owner.open_id, 'offset=7&limit=10'), token);
      assert.deepEqual(beyond.body.data, { total: 3, okr_list: [] });
    });

    it('filters by period_ids (repeated keys), counting only those periods', async () => {
      const owner = demoUser('okrd_demo_owner');
      const [p1, p2] = demoTables.periods;
      const { body } = await t.get(
        list(owner.open_id, `offset=0&limit=10&period_ids=${p1!.id}&period_ids=${p2!.id}`),
        token,
      );
      assert.equal(body.data.total, 2);
      assert.deepEqual(
        body.data.okr_list.map((o: { period_id: string }) => o.period_id),
        [p2!.id, p1!.id],
      );
    });

    for (const [type, field] of [
      ['union_id', 'union_id'],
      ['user_id', 'employee_id'],
      ['people_admin_id', 'people_admin_id'],
    ] as const) {
      it(`finds the user by ${type}`, async () => {
        const owner = demoUser('okrd_demo_owner');
        const { body } = await t.get(list(owner[field], `offset=0&limit=1&user_id_type=${type}`), token);
        assert.equal(body.code, 0);
        assert.equal(body.data.total, 3);
      });
    }

    it('answers an unknown user with 1001003 naming the id', async () => {
      const { status, body } = await t.get(list('ou_00000000000000000000000000000000', 'offset=0&limit=10'), token);
      assert.equal(status, 400);
      assert.equal(body.code, 1001003);
      assert.match(body.msg, /ou_00000000000000000000000000000000/);
    });

    it('does not find a user by an id of another type', async () => {
      const owner = demoUser('okrd_demo_owner');
      const { body } = await t.get(list(owner.employee_id, 'offset=0&limit=10&user_id_type=open_id'), token);
      assert.equal(body.code, 1001003);
    });

    it('answers an unknown period with 1001004 naming it', async () => {
      const owner = demoUser('okrd_demo_owner');
      const { status, body } = await t.get(list(owner.open_id, 'offset=0&limit=10&period_ids=42'), token);
      assert.equal(status, 400);
      assert.equal(body.code, 1001004);
      assert.match(body.msg, /period_id 42/);
    });

    for (const [label, query, field] of [
      ['limit over 10', 'offset=0&limit=11', /limit: must match pattern/],
      ['a negative offset', 'offset=-1&limit=5', /offset: must match pattern/],
      ['a missing offset', 'limit=5', /offset: is required/],
      ['a missing limit', 'offset=0', /limit: is required/],
      ['a non-numeric limit', 'offset=0&limit=ten', /limit/],
      [
        '11 period ids',
        `offset=0&limit=1&${Array.from({ length: 11 }, (_, i) => `period_ids=${i + 1}`).join('&')}`,
        /period_ids: must NOT have more than 10 items/,
      ],
      ['a bad period id', 'offset=0&limit=1&period_ids=x', /period_ids\[0\]/],
    ] as const) {
      it(`rejects ${label} with 1001001 naming the field`, async () => {
        const owner = demoUser('okrd_demo_owner');
        const { status, body } = await t.get(list(owner.open_id, query), token);
        assert.equal(status, 400);
        assert.equal(body.code, 1001001);
        assert.match(body.msg, field);
      });
    }
  });
}
