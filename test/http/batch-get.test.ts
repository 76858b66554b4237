import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../helpers/db.js';
import { testApp, type TestApp } from '../helpers/app.js';

const FIXTURE = JSON.parse(
  readFileSync(new URL('../../../shared/spec/fixtures/seed-batch-get-response.json', import.meta.url), 'utf8'),
);
const SEED_OKR = '7072252816005349396';

for (const dialect of DIALECTS) {
  describe(`batch_get [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await testApp(dialect);
      token = await t.tenantToken();
    });
    after(() => t.close());

    it('reproduces the reference example exactly', async () => {
      const { status, body } = await t.get(
        `/open-apis/okr/v1/okrs/batch_get?okr_ids=${SEED_OKR}&user_id_type=open_id&lang=zh_cn`,
        token,
      );
      assert.equal(status, 200);
      assert.deepEqual(body, FIXTURE);
    });
  });
}
