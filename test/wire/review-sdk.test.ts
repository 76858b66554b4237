// client.okr.review.query of the official Node SDK against a listening okrd.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoReviewPeriod, demoTables, demoUser } from '../helpers/demo.js';
import { listenForSdk, rejection, sdkClient } from '../helpers/sdk.js';

const [MARCH, APRIL] = demoTables.periods.map((p) => p.id) as [string, string];

for (const dialect of DIALECTS) {
  describe(`official Node SDK: okr.review.query [${dialect}]`, () => {
    let t: TestApp;
    let client: lark.Client;
    before(async () => {
      t = await testApp(dialect);
      client = sdkClient(await listenForSdk(t));
    });
    after(() => t.close());

    it('sends repeated user_ids and period_ids and gets the reviews back', async () => {
      const [owner, lina] = [demoUser('okrd_demo_owner'), demoUser('lina')];
      const res = await client.okr.review.query({
        params: { user_ids: [owner.open_id, lina.open_id], period_ids: [MARCH, APRIL] },
      });
      assert.deepEqual(res, {
        code: 0,
        msg: 'success',
        data: {
          review_list: [
            ...[owner, lina].map((u) => ({
              user_id: { open_id: u.open_id, user_id: u.open_id },
              review_period_list: [demoReviewPeriod(u.employee_id, 0), demoReviewPeriod(u.employee_id, 1)],
            })),
          ],
        },
      });
    });

    it('takes a single id of each and another user_id_type', async () => {
      const wangwei = demoUser('wangwei');
      const res = await client.okr.review.query({
        params: { user_ids: [wangwei.people_admin_id], period_ids: [MARCH], user_id_type: 'people_admin_id' },
      });
      assert.deepEqual(res.data?.review_list?.[0]?.user_id, {
        open_id: wangwei.open_id,
        user_id: wangwei.people_admin_id,
      });
      assert.equal(res.data?.review_list?.[0]?.review_period_list?.[0]?.cycle_review_list?.length, 1);
    });

    it('surfaces bad parameters, unknown users and unknown periods as Feishu errors', async () => {
      const lina = demoUser('lina').open_id;
      const tooMany = await rejection(
        client.okr.review.query({ params: { user_ids: Array(6).fill(lina), period_ids: [MARCH] } }),
      );
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.data.code, 1001001);
      assert.match(tooMany.data.msg, /user_ids: must NOT have more than 5 items/);
      const ghost = await rejection(
        client.okr.review.query({ params: { user_ids: ['ou_ghost'], period_ids: [MARCH] } }),
      );
      assert.deepEqual([ghost.status, ghost.data.code, ghost.data.msg], [400, 1001003, 'user not found: ou_ghost']);
      const period = await rejection(client.okr.review.query({ params: { user_ids: [lina], period_ids: ['42'] } }));
      assert.deepEqual(
        [period.status, period.data.code, period.data.msg],
        [400, 1001004, 'okr data not found: period_id 42'],
      );
    });
  });
}
