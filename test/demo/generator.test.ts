import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateTenant, type GeneratedTenant } from '../../src/demo/generator.js';
import { insertRows } from '../../src/store/bulk-load.repository.js';
import { secretNamed } from '../../src/store/image.repository.js';
import { TENANT_TABLES, tenantRows } from '../../src/store/table.repository.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS, freshDb } from '../helpers/db.js';

const OKRS = 300;
const SEED = 7;

for (const dialect of DIALECTS) {
  describe(`generateTenant [${dialect}]`, () => {
    let t: TestApp;
    let gen: GeneratedTenant;
    let token: string;
    const count = async (sql: string, params: string[] = [gen.tenantId]) =>
      Number((await t.db.read((tx) => tx.get<{ n: number }>(sql, params)))!.n);
    const openIdOf = async (userRef: string) =>
      (await t.db.read((tx) =>
        tx.get<{ open_id: string }>('SELECT open_id FROM app_users WHERE app_id = ? AND user_ref = ?', [
          gen.appId,
          userRef,
        ]),
      ))!.open_id;

    before(async () => {
      t = await testApp(dialect, { demo: false });
      // Small batches, so the tenant is written in several transactions as a large one is.
      gen = await generateTenant(t.db, { okrs: OKRS, seed: SEED, imageDir: t.imageDir, batchPeople: 20 });
      const res = await t.app.inject({
        method: 'POST',
        url: '/open-apis/auth/v3/tenant_access_token/internal',
        payload: { app_id: gen.appId, app_secret: gen.appSecret },
      });
      token = res.json().tenant_access_token;
    });
    after(() => t.close());

    it('writes the OKRs asked for, with every kind of content, and reports what it wrote', async () => {
      // 300 person OKRs, the team OKR and the big cycle.
      assert.equal(
        await count('SELECT COUNT(*) AS n FROM okrs WHERE tenant_id = ? AND owner_id IS NOT NULL'),
        OKRS + 1,
      );
      assert.equal(await count('SELECT COUNT(*) AS n FROM okrs WHERE tenant_id = ? AND department_id IS NOT NULL'), 1);
      assert.ok((await count("SELECT COUNT(*) AS n FROM okrs WHERE tenant_id = ? AND visibility = 'leaders'")) > 0);
      for (const table of TENANT_TABLES) {
        const rows = (await t.db.read((tx) => tenantRows(tx, table, gen.tenantId))).length;
        assert.equal(rows, gen.rows[table] ?? 0, table);
      }
      for (const table of [
        'users',
        'departments',
        'department_members',
        'periods',
        'objectives',
        'key_results',
        'alignments',
        'categories',
        'indicators',
        'progress_records',
        'comments',
        'images',
      ] as const)
        assert.ok((gen.rows[table] ?? 0) > 0, `${table} has rows`);
      // Every objective and key result has its indicator; every department has a leader; every person a department.
      assert.equal(gen.rows.indicators, gen.rows.objectives! + gen.rows.key_results!);
      assert.equal(await count('SELECT COUNT(*) AS n FROM departments WHERE tenant_id = ? AND leader_id IS NULL'), 0);
      assert.equal(gen.rows.department_members, gen.rows.users);
      // The tenant's data version moved with each batch after the first, as any write does.
      assert.ok((await count('SELECT data_version AS n FROM tenants WHERE id = ?')) > 0);
    });

    it('writes no reference to a missing row (PostgreSQL loads without foreign-key triggers)', async () => {
      if (dialect === 'sqlite') {
        assert.deepEqual(await t.db.read((tx) => tx.all('PRAGMA foreign_key_check')), []);
        return;
      }
      const keys = await t.db.read((tx) =>
        tx.all<{ child: string; parent: string; cols: string[]; refs: string[] }>(
          `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
             ARRAY(SELECT attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
               JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n ORDER BY k.i) AS cols,
             ARRAY(SELECT attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
               JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n ORDER BY k.i) AS refs
           FROM pg_constraint c WHERE c.contype = 'f'`,
        ),
      );
      assert.ok(keys.length > 20, 'the schema has its foreign keys');
      for (const { child, parent, cols, refs } of keys) {
        const match = cols.map((col, i) => `p.${refs[i]} = c.${col}`).join(' AND ');
        const orphans = await count(
          `SELECT COUNT(*) AS n FROM ${child} c WHERE ${cols.map((col) => `c.${col} IS NOT NULL`).join(' AND ')}
             AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${match})`,
          [],
        );
        assert.equal(orphans, 0, `${child}(${cols.join(', ')}) → ${parent}`);
      }
    });

    it('bulk loads only rows of its own tenant, writing nothing otherwise', async () => {
      const [category] = await t.db.read((tx) => tenantRows(tx, 'categories', gen.tenantId));
      const stranger = { ...category!, id: `${category!.id}9`, tenant_id: 'another_tenant' };
      await assert.rejects(
        writeTenant(t.db, gen.tenantId, (tx) =>
          insertRows(tx, 'categories', [{ ...category!, id: `${category!.id}8` }, stranger]),
        ),
        /unscoped write to categories/,
      );
      assert.equal(await count('SELECT COUNT(*) AS n FROM categories WHERE tenant_id = ?'), gen.rows.categories);
    });

    it('is deterministic for a seed (apart from the app secret)', async () => {
      const again = await freshDb('sqlite');
      try {
        const imageDir = await mkdtemp(join(tmpdir(), 'okrd-gen-'));
        const other = await generateTenant(again.db, { okrs: OKRS, seed: SEED, batchPeople: 50, imageDir }).finally(
          () => rm(imageDir, { recursive: true, force: true }),
        );
        assert.equal(other.tenantId, gen.tenantId);
        assert.deepEqual(other.sampleOkrIds, gen.sampleOkrIds);
        for (const table of ['users', 'okrs', 'objectives', 'key_results', 'alignments', 'progress_records'] as const) {
          const a = await t.db.read((tx) => tenantRows(tx, table, gen.tenantId));
          const b = await again.db.read((tx) => tenantRows(tx, table, gen.tenantId));
          assert.deepEqual(JSON.parse(JSON.stringify(b)), JSON.parse(JSON.stringify(a)), table);
        }
        const different = await freshDb('sqlite');
        try {
          const third = await generateTenant(different.db, { okrs: OKRS, seed: SEED + 1 });
          assert.notEqual(third.tenantId, gen.tenantId);
        } finally {
          await different.drop();
        }
      } finally {
        await again.drop();
      }
    });

    it('serves the sample OKRs through v1 batch_get, as stored', async () => {
      const ids = gen.sampleOkrIds;
      assert.equal(ids.length, 10);
      const { status, body } = await t.get(
        `/open-apis/okr/v1/okrs/batch_get?${ids.map((id) => `okr_ids=${id}`).join('&')}`,
        token,
      );
      assert.equal(status, 200);
      assert.equal(body.code, 0);
      assert.deepEqual(
        body.data.okr_list.map((o: any) => o.id),
        ids,
      );
      for (const okr of body.data.okr_list) {
        const stored = await t.db.read((tx) =>
          tx.all<{ id: string; weight_milli: number }>(
            'SELECT id, weight_milli FROM objectives WHERE okr_id = ? ORDER BY position',
            [okr.id],
          ),
        );
        assert.deepEqual(
          okr.objective_list.map((o: any) => [o.id, o.weight]),
          stored.map((o) => [o.id, o.weight_milli / 10]),
        );
        for (const objective of okr.objective_list) {
          assert.equal(objective.kr_list.length, 3);
          // Thousandths summing to 1000 (33.4 + 33.3 + 33.3).
          assert.equal(
            Math.round(objective.kr_list.reduce((sum: number, kr: any) => sum + kr.kr_weight * 10, 0)),
            1000,
          );
          assert.ok(objective.content.length > 0);
        }
      }
      // Mentions render as names and come back as users of the app.
      const mentioned = body.data.okr_list.flatMap((o: any) =>
        o.objective_list.flatMap((ob: any) => ob.mentioned_user_list),
      );
      assert.ok(mentioned.length > 0);
      for (const user of mentioned) assert.match(user.open_id, /^ou_[0-9a-f]{32}$/);
    });

    it('shows alignments on both ends', async () => {
      const a = (await t.db.read((tx) =>
        tx.get<{ from_okr: string; to_okr: string; from_id: string; to_id: string }>(
          `SELECT f.okr_id AS from_okr, t.okr_id AS to_okr, f.id AS from_id, t.id AS to_id FROM alignments a
             JOIN objectives f ON f.id = a.from_objective_id JOIN objectives t ON t.id = a.to_objective_id
            WHERE a.tenant_id = ? ORDER BY a.id`,
          [gen.tenantId],
        ),
      ))!;
      const { body } = await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${a.from_okr}&okr_ids=${a.to_okr}`, token);
      const [from, to] = body.data.okr_list;
      const fromObjective = from.objective_list.find((o: any) => o.id === a.from_id);
      const toObjective = to.objective_list.find((o: any) => o.id === a.to_id);
      assert.ok(fromObjective.aligning_objective_list.some((o: any) => o.id === a.to_id && o.okr_id === a.to_okr));
      assert.ok(toObjective.aligned_objective_list.some((o: any) => o.id === a.from_id && o.okr_id === a.from_okr));
    });

    it("lists a person's OKRs newest period first (v1) and their cycles (v2)", async () => {
      const owner = (await t.db.read((tx) =>
        tx.get<{ owner_id: string }>('SELECT owner_id FROM okrs WHERE id = ?', [gen.sampleOkrIds[0]!]),
      ))!.owner_id;
      const openId = await openIdOf(owner);
      const v1 = await t.get(`/open-apis/okr/v1/users/${openId}/okrs?offset=0&limit=10`, token);
      assert.equal(v1.status, 200);
      assert.equal(v1.body.data.total, 4);
      const periodOrder = [...gen.periodIds].reverse();
      assert.deepEqual(
        v1.body.data.okr_list.map((o: any) => o.period_id),
        periodOrder,
      );
      const v2 = await t.get(`/open-apis/okr/v2/cycles?user_id=${openId}&page_size=10`, token);
      assert.equal(v2.status, 200, JSON.stringify(v2.body));
      assert.deepEqual(
        v2.body.data.items.map((c: any) => c.tenant_cycle_id),
        periodOrder,
      );
      // The big cycle's objectives (v2), in position order with their weights.
      const objectives = await t.get(`/open-apis/okr/v2/cycles/${gen.bigCycle.id}/objectives?page_size=100`, token);
      assert.equal(objectives.status, 200, JSON.stringify(objectives.body));
      assert.deepEqual(
        objectives.body.data.items.map((o: any) => o.id),
        gen.bigCycle.objectiveIds,
      );
    });

    it('serves the team OKR, categories, indicators and comments', async () => {
      const team = (await t.db.read((tx) =>
        tx.get<{ open_department_id: string }>(
          'SELECT d.open_department_id FROM okrs o JOIN departments d ON d.id = o.department_id WHERE o.id = ?',
          [gen.teamOkrId],
        ),
      ))!;
      const cycles = await t.get(
        `/open-apis/okr/v2/cycles?department_id=${team.open_department_id}&department_id_type=open_department_id`,
        token,
      );
      assert.equal(cycles.status, 200, JSON.stringify(cycles.body));
      assert.ok(cycles.body.data.items.some((c: any) => c.id === gen.teamOkrId));
      const categories = await t.get('/open-apis/okr/v2/categories', token);
      assert.equal(categories.status, 200);
      assert.equal(categories.body.data.items.length, 3);

      const measured = (await t.db.read((tx) =>
        tx.get<{ entity_id: string }>(
          "SELECT entity_id FROM indicators WHERE tenant_id = ? AND entity_type = 3 AND unit_value = 'PERCENT'",
          [gen.tenantId],
        ),
      ))!;
      const indicator = await t.get(`/open-apis/okr/v2/key_results/${measured.entity_id}/indicators`, token);
      assert.equal(indicator.status, 200, JSON.stringify(indicator.body));
      assert.equal(indicator.body.code, 0);

      const thread = (await t.db.read((tx) =>
        tx.get<{ target_id: string }>('SELECT target_id FROM comments WHERE tenant_id = ? ORDER BY id', [gen.tenantId]),
      ))!;
      const comments = await t.get(
        `/open-apis/okr/v2/comments?target_type=objective&target_id=${thread.target_id}&page_size=20`,
        token,
      );
      assert.equal(comments.status, 200, JSON.stringify(comments.body));
      assert.ok(comments.body.data.items.length >= 1);
    });

    it('serves progress records with their images, and the image files', async () => {
      assert.equal(gen.images.length, 5);
      const [image] = gen.images;
      const record = await t.get(`/open-apis/okr/v1/progress_records/${image!.progressRecordId}`, token);
      assert.equal(record.status, 200, JSON.stringify(record.body));
      const blocks = record.body.data.content.blocks;
      assert.ok(blocks.some((b: any) => b.type === 'paragraph'));
      const gallery = blocks.find((b: any) => b.type === 'gallery');
      assert.equal(gallery.gallery.imageList[0].fileToken, image!.fileToken);

      // A URL signed the way okrd signs them (the key every process shares) downloads the PNG as written.
      const key = await t.db.write((tx) => secretNamed(tx, 'image_url_key', 'unused: the key exists', 0));
      const expires = String(t.clock.now + 60_000);
      const sig = createHmac('sha256', key).update(`${image!.fileToken}.${expires}`).digest('base64url');
      const res = await t.app.inject({ url: `/okrd/images/${image!.fileToken}?expires=${expires}&sig=${sig}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'image/png');
      const bytes = await readFile(join(t.imageDir, image!.fileToken));
      assert.deepEqual(res.rawPayload, bytes);
      assert.equal(bytes.length, image!.size);
    });

    it('answers a hidden OKR as the API says: whole to a tenant token and the leader chain, permission 0 to others', async () => {
      const url = `/open-apis/okr/v1/okrs/batch_get?okr_ids=${gen.hidden.okrId}`;
      const full = (await t.get(url, token)).body.data.okr_list[0];
      assert.equal(full.permission, 1);
      assert.equal(full.objective_list.length, 3);
      const userToken = async (ref: string) =>
        (await t.services.auth.issueUserToken(gen.tenantId, gen.appId, ref, 3600)).token;
      const asLeader = (await t.get(url, await userToken(gen.hidden.leaderRef))).body.data.okr_list[0];
      assert.deepEqual(asLeader, full);
      const asOutsider = await t.get(url, await userToken(gen.hidden.outsiderRef));
      assert.equal(asOutsider.status, 200);
      assert.deepEqual(asOutsider.body.data.okr_list, [{ id: gen.hidden.okrId, permission: 0 }]);
    });
  });
}
