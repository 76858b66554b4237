// GET /okrd/api/my_reviews: the signed-in person's own review links of one period, newest first, nobody else's;
// tenant tokens, bad and unknown periods refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person, type World } from '../helpers/factories.js';

for (const dialect of DIALECTS) {
  describe(`okrd my_reviews [${dialect}]`, () => {
    let t: TestApp;
    let w: World;
    let ann: Person;
    let bob: Person;
    let march: string;
    let april: string;

    const get = async (query: string, token: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/okrd/api/my_reviews${query}`,
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.statusCode, body: res.json() };
    };
    const add = (who: Person, period: string, kind: string, url: string) =>
      t.services.reviews.add(w.tenantId, { employee_id: who.employee_id, period_id: period, kind, url });

    before(async () => {
      t = await testApp(dialect);
      w = await newWorld(t);
      ann = await w.person({ employee_id: 'ann' });
      bob = await w.person({ employee_id: 'bob' });
      march = (await w.period('2026-03')).id;
      april = (await w.period('2026-04')).id;
      await add(ann, march, 'cycle_review', 'https://docs.example/ann-review');
      t.clock.now += 1000;
      await add(ann, march, 'progress_report', 'https://docs.example/ann-report-1');
      t.clock.now += 1000;
      await add(ann, march, 'progress_report', 'https://docs.example/ann-report-2');
      await add(ann, april, 'cycle_review', 'https://docs.example/ann-april');
      await add(bob, march, 'cycle_review', 'https://docs.example/bob-review');
    });
    after(() => t.close());

    it("answers the caller's own links of the period, newest first", async () => {
      const { status, body } = await get(`?period_id=${march}`, await ann.token());
      assert.equal(status, 200, JSON.stringify(body));
      const at = (url: string) =>
        t.db.read((tx) => tx.get<{ create_time: number }>('SELECT create_time FROM reviews WHERE url = ?', [url]));
      const doc = async (url: string) => ({ url, create_time: String((await at(url))!.create_time) });
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: {
          period_id: march,
          cycle_review_list: [await doc('https://docs.example/ann-review')],
          progress_report_list: [
            await doc('https://docs.example/ann-report-2'),
            await doc('https://docs.example/ann-report-1'),
          ],
        },
      });
      const bobs = await get(`?period_id=${march}`, await bob.token());
      assert.deepEqual(
        bobs.body.data.cycle_review_list.map((d: { url: string }) => d.url),
        ['https://docs.example/bob-review'],
      );
      assert.deepEqual(bobs.body.data.progress_report_list, []);
    });

    it('refuses tenant tokens, a missing or malformed period_id and an unknown period', async () => {
      const token = await ann.token();
      const tenant = await get(`?period_id=${march}`, await w.tenantToken());
      assert.equal(tenant.status, 400);
      assert.equal(tenant.body.code, 99991663);
      for (const q of ['', '?period_id=abc']) {
        const bad = await get(q, token);
        assert.equal(bad.status, 400, JSON.stringify(bad.body));
        assert.equal(bad.body.code, 1001001);
        assert.match(bad.body.msg, /period_id/);
      }
      const unknown = await get('?period_id=7000000000000000001', token);
      assert.equal(unknown.body.code, 1001004, JSON.stringify(unknown.body));
    });
  });
}
