// Several okrd processes on one database: a write through one is seen by the others' next read at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { secondApp, testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoUser } from '../helpers/demo.js';

const SEED_OKR = '7072252816005349396';
const SEED_KR = '7073360471990140948';
const BATCH = `/open-apis/okr/v1/okrs/batch_get?okr_ids=${SEED_OKR}`;

for (const dialect of DIALECTS) {
  // A second process needs a database both can reach: PostgreSQL only (an in-memory SQLite is private).
  if (dialect !== 'postgres') continue;
  describe(`render cache across processes [${dialect}]`, () => {
    let a: TestApp;
    let b: FastifyInstance;
    before(async () => {
      a = await testApp(dialect);
      // The second "process": its own app, services and caches, on the same database.
      b = await secondApp(a);
    });
    after(async () => {
      await b.close();
      await a.close();
    });

    it('serves a record written through one process in the other’s next batch_get', async () => {
      const token = await a.tenantToken();
      const before = (await a.get(BATCH, token)).body.data.okr_list[0].objective_list[0].kr_list[0];
      const created = await b.inject({
        method: 'POST',
        url: '/open-apis/okr/v1/progress_records',
        headers: { authorization: `Bearer ${token}` },
        payload: {
          source_title: 's',
          source_url: 'https://a.test/',
          target_id: SEED_KR,
          target_type: 3,
          content: {},
          progress_rate: { percent: 99 },
        },
      });
      assert.equal(created.json().code, 0);
      const after = (await a.get(BATCH, token)).body.data.okr_list[0].objective_list[0].kr_list[0];
      assert.equal(after.progress_record_list.length, before.progress_record_list.length + 1);
      assert.equal(after.progress_record_list[0].id, created.json().data.progress_id);
      assert.equal(after.progress_rate.percent, 99);
    });

    it('stops listing an OKR whose period another process hid', async () => {
      const token = await a.tenantToken();
      const owner = demoUser('okrd_demo_owner').open_id;
      const LIST = `/open-apis/okr/v1/users/${owner}/okrs?offset=0&limit=10`;
      const listed = async () => (await a.get(LIST, token)).body.data.okr_list.map((o: { id: string }) => o.id);
      assert.ok((await listed()).includes(SEED_OKR));
      const hide = await b.inject({
        method: 'PATCH',
        url: '/open-apis/okr/v1/periods/7067724095781142548',
        headers: { authorization: `Bearer ${token}` },
        payload: { status: 3 },
      });
      assert.equal(hide.json().code, 0);
      // A user's list leaves hidden periods out; batch_get by id still answers it (decisions.md OQ-21).
      assert.ok(!(await listed()).includes(SEED_OKR));
      assert.equal((await a.get(BATCH, token)).body.code, 0);
    });
  });
}
