// Many writes at once: each acknowledged write is stored, the target's times and the data version move, none is lost.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';

const SEED_OKR = '7072252816005349396';
const SEED_KR = '7073360471990140948';

for (const dialect of DIALECTS) {
  describe(`concurrent writes [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await testApp(dialect);
      token = await t.tenantToken();
    });
    after(() => t.close());

    it('stores every one of 40 simultaneous progress records and reads them all back', async () => {
      const version = async () =>
        Number((await t.db.read((tx) => tx.get<{ v: number }>('SELECT data_version AS v FROM tenants')))!.v);
      const before = await version();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          t.app.inject({
            method: 'POST',
            url: '/open-apis/okr/v1/progress_records',
            headers: { authorization: `Bearer ${token}` },
            payload: {
              source_title: `run ${i}`,
              source_url: 'https://a.test/',
              target_id: SEED_KR,
              target_type: 3,
              content: { blocks: [] },
              progress_rate: { percent: i },
            },
          }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.json().code),
        Array(40).fill(0),
      );
      const ids = new Set(results.map((r) => r.json().data.progress_id));
      assert.equal(ids.size, 40);
      assert.equal(await version(), before + 40);
      const kr = (await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${SEED_OKR}`, token)).body.data.okr_list[0]
        .objective_list[0].kr_list[0];
      for (const id of ids) assert.ok(kr.progress_record_list.some((r: { id: string }) => r.id === id));
      const stored = await t.db.read((tx) =>
        tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM progress_records WHERE source_title LIKE 'run %'"),
      );
      assert.equal(Number(stored!.n), 40);
    });
  });
}
