import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoOkrsOf, demoTables } from '../helpers/demo.js';
import { DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { writeTenant } from '../../src/store/tenant-write.js';

const PERIODS = '/open-apis/okr/v1/periods';

for (const dialect of DIALECTS) {
  describe(`GET periods and period_rules [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await testApp(dialect);
      token = await t.tenantToken();
    });
    after(() => t.close());

    it('lists periods newest first with every field', async () => {
      const { status, body } = await t.get(PERIODS, token);
      assert.equal(status, 200);
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: {
          has_more: false,
          items: [...demoTables.periods].reverse().map((p) => ({
            id: p.id,
            zh_name: p.zh_name,
            en_name: p.en_name,
            status: p.status,
            period_start_time: String(p.period_start_time),
            period_end_time: String(p.period_end_time),
          })),
        },
      });
      assert.equal(body.data.items[2]!.zh_name, '2022 年 3 月');
      assert.equal(body.data.items[2]!.period_start_time, '1646064000000');
    });

    it('pages with page_size and page_token until has_more is false', async () => {
      const seen: string[] = [];
      let pageToken = '';
      for (let i = 0; i < 5; i++) {
        const { body } = await t.get(`${PERIODS}?page_size=1${pageToken ? `&page_token=${pageToken}` : ''}`, token);
        seen.push(...body.data.items.map((p: { id: string }) => p.id));
        if (!body.data.has_more) {
          assert.equal(body.data.page_token, undefined);
          break;
        }
        assert.ok(body.data.page_token);
        pageToken = body.data.page_token;
      }
      assert.deepEqual(
        seen,
        [...demoTables.periods].reverse().map((p) => p.id),
      );
    });

    for (const [query, field] of [
      ['page_size=0', /page_size: must be >= 1/],
      ['page_size=abc', /page_size: must be integer/],
      ['page_token=not-a-token', /page_token/],
    ] as const) {
      it(`rejects ${query} with 1001001`, async () => {
        const { status, body } = await t.get(`${PERIODS}?${query}`, token);
        assert.equal(status, 400);
        assert.equal(body.code, 1001001);
        assert.match(body.msg, field);
      });
    }

    it('lists hidden periods with status 3 and answers their OKRs by id (OQ-21); invalid ones stay', async () => {
      const [march, april] = demoTables.periods;
      await writeTenant(t.db, DEMO_TENANT_ID, (tx) =>
        tx.run('UPDATE periods SET status = 3 WHERE id = ? AND tenant_id = ?', [april!.id, DEMO_TENANT_ID]),
      );
      await writeTenant(t.db, DEMO_TENANT_ID, (tx) =>
        tx.run('UPDATE periods SET status = 2 WHERE id = ? AND tenant_id = ?', [march!.id, DEMO_TENANT_ID]),
      );
      try {
        const { body } = await t.get(PERIODS, token);
        assert.deepEqual(
          body.data.items.map((p: { id: string; status: number }) => [p.id, p.status]),
          [
            [demoTables.periods[2]!.id, 0],
            [april!.id, 3],
            [march!.id, 2],
          ],
        );
        const aprilOkr = demoOkrsOf('lina')[1]!;
        assert.equal(aprilOkr.period_id, april!.id);
        const hidden = await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${aprilOkr.id}`, token);
        assert.equal(hidden.body.code, 0);
        assert.equal(hidden.body.data.okr_list[0].period_id, april!.id);
        const marchOkr = await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=7072252816005349396`, token);
        assert.equal(marchOkr.body.code, 0);
      } finally {
        await writeTenant(t.db, DEMO_TENANT_ID, (tx) =>
          tx.run('UPDATE periods SET status = 1 WHERE id IN (?, ?) AND tenant_id = ?', [
            april!.id,
            march!.id,
            DEMO_TENANT_ID,
          ]),
        );
      }
    });

    it('lists period rules', async () => {
      const { status, body } = await t.get('/open-apis/okr/v1/period_rules', token);
      assert.equal(status, 200);
      const rule = (demoTables as unknown as { periods: { rule_id: string }[] }).periods[0]!.rule_id;
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: { period_rules: [{ period_rule_id: rule, type: 'month', length: 1, first_month: 1 }] },
      });
    });
  });
}
