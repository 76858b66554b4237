// The official Node SDK against a listening okrd: what an integration developer's code really sees.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoUser } from '../helpers/demo.js';
import { listenForSdk, rejection, sdkClient } from '../helpers/sdk.js';

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/seed-batch-get-response.json', import.meta.url), 'utf8'));
const SEED_OKR = '7072252816005349396';

for (const dialect of DIALECTS) {
  describe(`official Node SDK [${dialect}]`, () => {
    let t: TestApp;
    let client: lark.Client;
    let domain: string;
    before(async () => {
      t = await testApp(dialect);
      domain = await listenForSdk(t);
      client = sdkClient(domain);
    });
    after(() => t.close());

    it('okr.batchGet returns the reference example', async () => {
      const res = await client.okr.okr.batchGet({
        params: { okr_ids: [SEED_OKR], user_id_type: 'open_id', lang: 'zh_cn' },
      });
      assert.deepEqual(res, FIXTURE);
    });

    it('works with a trailing slash on the domain', async () => {
      const slashed = sdkClient(`${domain}/`);
      assert.deepEqual(await slashed.okr.okr.batchGet({ params: { okr_ids: [SEED_OKR] } }), FIXTURE);
    });

    it('okr.period.list, okr.periodRule.list and okr.userOkr.list succeed', async () => {
      const periods = await client.okr.period.list({ params: { page_size: 2 } });
      assert.equal(periods.code, 0);
      assert.equal(periods.data?.items?.length, 2);
      assert.equal(periods.data?.has_more, true);
      const next = await client.okr.period.list({ params: { page_size: 2, page_token: periods.data!.page_token! } });
      assert.equal(next.data?.items?.length, 1);
      const rules = await client.okr.periodRule.list({});
      assert.equal(rules.data?.period_rules?.[0]?.type, 'month');
      const owner = demoUser('okrd_demo_owner');
      const list = await client.okr.userOkr.list({
        path: { user_id: owner.open_id },
        params: { offset: '0', limit: '10', lang: 'en_us' },
      });
      assert.equal(list.data?.total, 3);
      assert.equal(list.data?.okr_list?.[2]?.name, 'Mar 2022');
    });

    it('surfaces errors as Feishu envelopes with the right HTTP status', async () => {
      const tooMany = await rejection(
        client.okr.okr.batchGet({ params: { okr_ids: Array.from({ length: 11 }, (_, i) => String(1000 + i)) } }),
      );
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.data.code, 1001001);
      assert.match(tooMany.data.msg, /okr_ids/);
      const unknown = await rejection(client.okr.okr.batchGet({ params: { okr_ids: ['42'] } }));
      assert.deepEqual([unknown.status, unknown.data.code], [400, 1001004]);
      // withTenantToken only takes effect with the SDK's token cache off; withUserAccessToken always does.
      const uncached = new lark.Client({
        appId: 'x',
        appSecret: 'x',
        domain,
        disableTokenCache: true,
        logger: client.logger,
      });
      const forged = await rejection(
        uncached.okr.okr.batchGet({ params: { okr_ids: [SEED_OKR] } }, lark.withTenantToken('t-forged')),
      );
      assert.deepEqual([forged.status, forged.data.code], [400, 99991663]);
      const forgedUser = await rejection(
        client.okr.okr.batchGet({ params: { okr_ids: [SEED_OKR] } }, lark.withUserAccessToken('u-forged')),
      );
      assert.deepEqual([forgedUser.status, forgedUser.data.code], [400, 99991668]);
      const none = await rejection(uncached.okr.okr.batchGet({ params: { okr_ids: [SEED_OKR] } }));
      assert.deepEqual([none.status, none.data.code], [400, 99991661]);
    });

    it('refuses bad credentials: the SDK never sends the OKR call', async () => {
      const bad = sdkClient(domain, 'wrong');
      await assert.rejects(
        bad.okr.okr.batchGet({ params: { okr_ids: [SEED_OKR] } }),
        /failed to get tenant_access_token, code: 10003/,
      );
    });
  });
}
