import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoTables, demoUser } from '../helpers/demo.js';
import { writeTenant } from '../../src/store/tenant-write.js';

const PERIODS = '/open-apis/okr/v1/periods';
const MONTHLY = () => (demoTables as unknown as { periods: { rule_id: string }[] }).periods[0]!.rule_id;
const QUARTERLY = '7200000000000000001';

for (const dialect of DIALECTS) {
  describe(`POST and PATCH periods [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    const send = async (method: 'POST' | 'PATCH', url: string, payload: unknown, bearer = token) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}` },
        payload: payload as object,
      });
      return { status: res.statusCode, body: res.json() };
    };
    const periodCount = async () =>
      Number((await t.db.read((tx) => tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM periods')))!.n);

    before(async () => {
      t = await testApp(dialect);
      token = await t.tenantToken();
      await writeTenant(t.db, DEMO_TENANT_ID, (tx) =>
        tx.run(
          'INSERT INTO period_rules (id, tenant_id, type, length, first_month, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [QUARTERLY, DEMO_TENANT_ID, 'month', 3, 1, 0],
        ),
      );
    });
    after(() => t.close());

    it('creates a monthly period with its names and bounds', async () => {
      const { status, body } = await send('POST', PERIODS, { period_rule_id: MONTHLY(), start_month: '2022-06' });
      assert.equal(status, 200);
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: { period_id: body.data.period_id, start_month: '2022-06', end_month: '2022-06' },
      });
      const row = await t.db.read((tx) =>
        tx.get<Record<string, unknown>>('SELECT * FROM periods WHERE id = ?', [body.data.period_id]),
      );
      assert.equal(row!.zh_name, '2022 年 6 月');
      assert.equal(row!.en_name, 'Jun 2022');
      assert.equal(row!.status, 0);
      assert.equal(row!.period_start_time, Date.UTC(2022, 5, 1) - 8 * 3_600_000);
      assert.equal(row!.period_end_time, Date.UTC(2022, 6, 1) - 8 * 3_600_000 - 1);
      const list = await t.get(PERIODS, token);
      assert.equal(list.body.data.items[0].id, body.data.period_id);
    });

    it('creates a quarter from a three-month rule', async () => {
      const { body } = await send('POST', PERIODS, { period_rule_id: QUARTERLY, start_month: '2022-07' });
      assert.deepEqual(body.data, { period_id: body.data.period_id, start_month: '2022-07', end_month: '2022-09' });
      const row = await t.db.read((tx) =>
        tx.get<{ zh_name: string; en_name: string }>('SELECT zh_name, en_name FROM periods WHERE id = ?', [
          body.data.period_id,
        ]),
      );
      assert.deepEqual(row, { zh_name: '2022 年 7 月 - 9 月', en_name: 'Jul - Sep 2022' });
    });

    for (const [label, payload, code, message] of [
      [
        'a period that already exists',
        { period_rule_id: 'MONTHLY', start_month: '2022-03' },
        1001008,
        /^Conflict period existed\.$/,
      ],
      [
        'a quarter overlapping monthly periods',
        { period_rule_id: QUARTERLY, start_month: '2022-04' },
        1001008,
        /Conflict/,
      ],
      [
        'a start month off the rule',
        { period_rule_id: QUARTERLY, start_month: '2022-08' },
        1001009,
        /^Start date does not fit for given period rule\.$/,
      ],
      ['an unknown rule', { period_rule_id: '999', start_month: '2023-01' }, 1001004, /period_rule_id 999/],
      [
        'a malformed month',
        { period_rule_id: QUARTERLY, start_month: '2023-13' },
        1001001,
        /start_month: must match pattern/,
      ],
      ['a missing rule', { start_month: '2023-01' }, 1001001, /period_rule_id: is required/],
    ] as const) {
      it(`refuses ${label} with ${code}, writing nothing`, async () => {
        const before = await periodCount();
        const body = {
          ...payload,
          ...('period_rule_id' in payload && payload.period_rule_id === 'MONTHLY' ? { period_rule_id: MONTHLY() } : {}),
        };
        const res = await send('POST', PERIODS, body);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.code, code);
        assert.match(res.body.msg, message);
        assert.equal(await periodCount(), before);
      });
    }

    it('hides, invalidates and restores a period with PATCH', async () => {
      const april = demoTables.periods[1]!;
      const hide = await send('PATCH', `${PERIODS}/${april.id}`, { status: 3 });
      assert.deepEqual(hide, {
        status: 200,
        body: { code: 0, msg: 'success', data: { period_id: april.id, status: 3 } },
      });
      // Hidden periods stay in the list, with status 3 (decisions.md OQ-21).
      const hidden = (await t.get(PERIODS, token)).body.data.items.find((p: { id: string }) => p.id === april.id);
      assert.equal(hidden.status, 3);
      const invalid = await send('PATCH', `${PERIODS}/${april.id}`, { status: 2 });
      assert.equal(invalid.body.data.status, 2);
      const listed = (await t.get(PERIODS, token)).body.data.items.find((p: { id: string }) => p.id === april.id);
      assert.equal(listed.status, 2);
      await send('PATCH', `${PERIODS}/${april.id}`, { status: 1 });
      const row = await t.db.read((tx) =>
        tx.get<{ status: number; updated_at: number }>('SELECT status, updated_at FROM periods WHERE id = ?', [
          april.id,
        ]),
      );
      assert.deepEqual(row, { status: 1, updated_at: t.clock.now });
    });

    for (const [label, status, code] of [
      ['status 0', 0, 1001001],
      ['status 4', 4, 1001001],
      ['a string status', 'hidden', 1001001],
    ] as const) {
      it(`refuses PATCH with ${label}`, async () => {
        const res = await send('PATCH', `${PERIODS}/${demoTables.periods[0]!.id}`, { status });
        assert.deepEqual([res.status, res.body.code], [400, code]);
        assert.match(res.body.msg, /status/);
      });
    }

    it('answers PATCH of an unknown period with 1001004', async () => {
      const res = await send('PATCH', `${PERIODS}/123`, { status: 1 });
      assert.deepEqual([res.status, res.body.code], [400, 1001004]);
    });

    it('takes tenant tokens only', async () => {
      const auth = t.services.auth;
      const user = (await auth.issueUserToken(DEMO_TENANT_ID, 'cli_okrd_demo', demoUser('wangwei').id, 600)).token;
      const res = await send('POST', PERIODS, { period_rule_id: MONTHLY(), start_month: '2023-01' }, user);
      assert.deepEqual([res.status, res.body.code], [400, 99991668]);
    });
  });
}
