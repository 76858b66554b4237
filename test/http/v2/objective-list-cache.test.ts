// The v2 objective list answered from the render cache: the bytes a fresh rendering makes, after one statement;
// every write seen at once; and no caller served a page of a cycle they may not read, nor another tenant's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { paragraph } from '../../../src/domain/rich-text.js';
import { renderCacheStats } from '../../../src/services/render-cache.js';
import { writeTenant } from '../../../src/store/tenant-write.js';
import { secondApp, testApp, type TestApp } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/db.js';
import { newWorld, type World } from '../../helpers/factories.js';

const V2 = '/open-apis/okr/v2';

for (const dialect of DIALECTS) {
  describe(`v2 objective list from the render cache [${dialect}]`, () => {
    let t: TestApp;
    // A second app on the same database that keeps nothing: every answer of it is rendered afresh.
    let cold: FastifyInstance;
    before(async () => {
      t = await testApp(dialect, { demo: false });
      cold = await secondApp(t, { okrCacheEntries: 0 });
    });
    after(async () => {
      await cold.close();
      await t.close();
    });

    /** A GET through `app`, with the statements it ran on the database (both apps share it). */
    const get = async (url: string, token: string, app = t.app) => {
      t.statements.count = 0;
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      return {
        status: res.statusCode,
        bytes: res.rawPayload,
        type: res.headers['content-type'],
        length: res.headers['content-length'],
        body: res.json(),
        statements: t.statements.count,
      };
    };
    const setVisibility = (w: World, cycle: string, visibility: 'tenant' | 'leaders') =>
      writeTenant(t.db, w.tenantId, (tx) =>
        tx.run('UPDATE okrs SET visibility = ? WHERE id = ? AND tenant_id = ?', [visibility, cycle, w.tenantId]),
      );

    /** A person's cycle of three objectives (Chinese text, mentions), and who may read it. */
    const setup = async () => {
      const w = await newWorld(t);
      const boss = await w.person({ name_zh: '老板' });
      const alice = await w.person({ name_zh: '爱丽丝', leader: boss });
      const bob = await w.person({ name_zh: '鲍勃' });
      const cycle = await w.cycle(alice, await w.period('2026-01'));
      const first = await w.objective(cycle, { content: paragraph('提高客户满意度 ', { mention: bob.ref }) });
      await w.objective(cycle, { content: paragraph('Ship “v2” — on time', { mention: boss.ref }) });
      await w.objective(cycle);
      const url = `${V2}/cycles/${cycle}/objectives`;
      return { w, boss, alice, bob, cycle, first, url, tenant: await w.tenantToken() };
    };

    it('answers a repeat with the very bytes a fresh rendering makes, after one statement', async () => {
      const { url, tenant } = await setup();
      const firstPage = `${url}?page_size=2`;
      const token = (await get(firstPage, tenant)).body.data.page_token as string;
      assert.ok(token, 'the first page of two has more after it');
      for (const page of [firstPage, `${url}?page_size=2&page_token=${token}`, `${url}?user_id_type=user_id`]) {
        const rendered = await get(page, tenant);
        const repeated = await get(page, tenant);
        const fresh = await get(page, tenant, cold);
        assert.equal(rendered.status, 200, page);
        assert.equal(repeated.statements, 1, `${page}: a hit only looks up the data version`);
        assert.ok(fresh.statements > 1, `${page}: the cold app renders`);
        assert.ok(repeated.bytes.equals(rendered.bytes), `${page}: the repeat is the answer rendered`);
        assert.ok(repeated.bytes.equals(fresh.bytes), `${page}: the cached answer is a fresh rendering's`);
        assert.deepEqual([repeated.type, repeated.length], [fresh.type, fresh.length], page);
        // The envelope in Feishu's field order, compact, as serialising the object makes it.
        assert.equal(repeated.bytes.toString('utf8'), JSON.stringify(fresh.body), page);
      }
      // Each id type is its own page: the cache did not hand open_ids to a user_id request.
      const openIds = (await get(url, tenant)).body.data.items[0].owner.user_id;
      const userIds = (await get(`${url}?user_id_type=user_id`, tenant)).body.data.items[0].owner.user_id;
      assert.notEqual(openIds, userIds, 'open_id and user_id differ');
    });

    it('shows every write at once, whichever writer bumped the data version', async () => {
      const { w, cycle, first, url, tenant } = await setup();
      const listed = async () => (await get(url, tenant)).body.data.items as { id: string; content: unknown }[];
      assert.equal((await listed()).length, 3);
      const patched = await t.app.inject({
        method: 'PATCH',
        url: `${V2}/objectives/${first}`,
        headers: { authorization: `Bearer ${tenant}` },
        payload: { content: { blocks: [{ paragraph: { elements: [{ text_run: { text: 'after' } }] } }] } },
      });
      assert.equal(patched.json().code, 0, patched.body);
      const items = await listed();
      const text = (items[0]!.content as { blocks: { paragraph: { elements: { text_run: { text: string } }[] } }[] })
        .blocks[0]!.paragraph.elements[0]!.text_run.text;
      assert.equal(text, 'after', 'the patched content, not the cached one');
      // A write straight to the database through the tenant's write transaction (no objective service involved).
      const added = await w.objective(cycle);
      assert.deepEqual(
        (await listed()).map((o) => o.id),
        [...items.map((o) => o.id), added],
        'the objective added is listed',
      );
      assert.equal((await get(url, tenant)).statements, 1, 'and the new page is cached again');
    });

    it('never serves a page of a leaders-only cycle to a caller who may not read it', async () => {
      const { w, boss, alice, bob, cycle, url, tenant } = await setup();
      await setVisibility(w, cycle, 'leaders');
      const [bossToken, aliceToken, bobToken] = [await boss.token(), await alice.token(), await bob.token()];
      const asTenant = await get(url, tenant);
      assert.equal(asTenant.status, 200);
      assert.equal((await get(url, bossToken)).status, 200, 'the owner’s leader reads it');
      for (let round = 0; round < 2; round++) {
        const refused = await get(url, bobToken);
        assert.deepEqual([refused.status, refused.body.code], [400, 1001002], `bob, round ${round}`);
      }
      const hits = renderCacheStats.hits;
      const again = await get(url, bossToken);
      assert.equal(renderCacheStats.hits - hits, 1, 'the leader’s repeat is a hit');
      assert.ok(again.bytes.equals(asTenant.bytes), 'the same page as the tenant token’s');
      assert.equal((await get(url, aliceToken)).status, 200, 'the owner reads it');

      // Open to the tenant again: one page for everyone, cached once.
      await setVisibility(w, cycle, 'tenant');
      const bobs = await get(url, bobToken);
      assert.equal(bobs.status, 200);
      const hitsBefore = renderCacheStats.hits;
      const alices = await get(url, aliceToken);
      assert.equal(renderCacheStats.hits - hitsBefore, 1, 'another user is served the page bob’s read cached');
      assert.ok(alices.bytes.equals(bobs.bytes), 'the same page');
      await setVisibility(w, cycle, 'leaders');
      assert.equal((await get(url, bobToken)).body.code, 1001002, 'restricted again: refused at once');
    });

    it('keeps tenants apart even at the same data version', async () => {
      const { w, url, tenant } = await setup();
      assert.equal((await get(url, tenant)).status, 200);
      const other = await newWorld(t);
      const version = async (id: string) =>
        Number(
          (await t.db.read((tx) => tx.get<{ v: number }>('SELECT data_version AS v FROM tenants WHERE id = ?', [id])))!
            .v,
        );
      const owners = await version(w.tenantId);
      // Changing only the tenant row does not bump its data version (store/tenant-write.ts).
      await writeTenant(t.db, other.tenantId, (tx) =>
        tx.run('UPDATE tenants SET data_version = ? WHERE id = ?', [owners, other.tenantId]),
      );
      assert.equal(await version(other.tenantId), owners, 'both tenants at one data version');
      const stranger = await get(url, await other.tenantToken());
      assert.deepEqual([stranger.status, stranger.body.code], [400, 1001004], 'another tenant’s cycle is not found');
    });
  });
}
