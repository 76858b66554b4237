import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { paragraph } from '../../../src/domain/rich-text.js';
import { insertRow, tenantRows } from '../../../src/store/table.repository.js';
import { writeTenant } from '../../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/db.js';
import { newWorld, type Person, type World } from '../../helpers/factories.js';

const V2 = '/open-apis/okr/v2';
const DEADLINE = '1769904000000';

/** A one-paragraph v2 document: text, then an @-mention of `mention` (a wire user id) when given. */
function doc(text: string, mention?: string) {
  return {
    blocks: [
      {
        block_element_type: 'paragraph' as const,
        paragraph: {
          elements: [
            { paragraph_element_type: 'textRun' as const, text_run: { text } },
            ...(mention ? [{ paragraph_element_type: 'mention' as const, mention: { user_id: mention } }] : []),
          ],
        },
      },
    ],
  };
}

/** The same document as stored: the mention's user_id is the internal user id. */
const stored = (text: string, mentionRef?: string) => doc(text, mentionRef);

let seq = 0;
const freshId = () => String(9_100_000_000_000_000_000n + BigInt(++seq));

for (const dialect of DIALECTS) {
  describe(`v2 objectives [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect, { demo: false });
    });
    after(() => t.close());

    const send = async (method: string, url: string, token: string, payload?: unknown) => {
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload ?? {}),
      });
      return { status: res.statusCode, body: res.json() };
    };
    const objectiveRow = (id: string) =>
      t.db.read((tx) => tx.get<Record<string, unknown>>('SELECT * FROM objectives WHERE id = ?', [id]));
    const objectivesOf = (cycleId: string) =>
      t.db.read((tx) =>
        tx.all<{ id: string; position: number; weight_milli: number; updated_at: number }>(
          'SELECT id, position, weight_milli, updated_at FROM objectives WHERE okr_id = ? ORDER BY position, id',
          [cycleId],
        ),
      );
    /** Every row the endpoints could touch, of one tenant. */
    const snapshot = (w: World) =>
      t.db.read(async (tx) => {
        const out: Record<string, unknown> = {};
        for (const table of [
          'okrs',
          'objectives',
          'key_results',
          'indicators',
          'progress_records',
          'comments',
          'alignments',
        ] as const) {
          out[table] = await tenantRows(tx, table, w.tenantId);
        }
        return out;
      });
    const category = async (w: World) => {
      const id = freshId();
      await writeTenant(t.db, w.tenantId, (tx) =>
        insertRow(tx, 'categories', {
          id,
          tenant_id: w.tenantId,
          category_type: 'person',
          enabled: 1,
          color: 'blue',
          name_zh: '业务',
          name_en: 'Business',
          name_ja: '',
          created_at: t.clock.now,
          updated_at: t.clock.now,
        }),
      );
      return id;
    };
    const image = async (w: World) => {
      const token = `boxtest${++seq}`;
      await writeTenant(t.db, w.tenantId, (tx) =>
        insertRow(tx, 'images', {
          file_token: token,
          tenant_id: w.tenantId,
          target_type: 2,
          target_id: '0',
          content_type: 'image/png',
          size: 10,
          created_by: null,
          created_at: t.clock.now,
        }),
      );
      return token;
    };

    /** A world with a person whose cycle of 2026-01 is `cycle`, and the tokens to call with. */
    const setup = async () => {
      const w = await newWorld(t);
      const boss = await w.person({ name_zh: '老板', name_en: 'Boss' });
      const alice = await w.person({ name_zh: '爱丽丝', name_en: 'Alice', leader: boss });
      const bob = await w.person({ name_zh: '鲍勃', name_en: 'Bob' });
      const period = await w.period('2026-01');
      const cycle = await w.cycle(alice, period);
      return { w, boss, alice, bob, period, cycle, tenant: await w.tenantToken(), aliceToken: await alice.token() };
    };

    /** The objective as v2 answers it, for a person-owned cycle. */
    const expected = (
      owner: Person,
      o: {
        id: string;
        cycle: string;
        position: number;
        content: unknown;
        notes?: unknown;
        score?: number;
        weight: number;
        created: number;
        updated?: number;
        deadline?: string;
        category_id?: string;
      },
    ) => ({
      id: o.id,
      create_time: String(o.created),
      update_time: String(o.updated ?? o.created),
      owner: { owner_type: 'user', user_id: owner.open_id },
      cycle_id: o.cycle,
      position: o.position,
      content: o.content,
      score: o.score ?? 0,
      notes: o.notes ?? { blocks: [] },
      weight: o.weight,
      ...(o.deadline ? { deadline: o.deadline } : {}),
      ...(o.category_id ? { category_id: o.category_id } : {}),
    });

    it('creates an objective with every field, stores it and its indicator, and answers it on GET', async () => {
      const { w, alice, bob, cycle, aliceToken } = await setup();
      const cat = await category(w);
      const file = await image(w);
      t.clock.now += 1000;
      const notes = {
        blocks: [
          ...doc('备注 ', bob.open_id).blocks,
          {
            block_element_type: 'gallery' as const,
            gallery: { images: [{ file_token: file, src: 'https://img.test/1.png', width: 64, height: 48 }] },
          },
        ],
      };
      const content = doc('提升留存 ', bob.open_id);
      const { status, body } = await send('POST', `${V2}/cycles/${cycle}/objectives`, aliceToken, {
        content,
        notes,
        deadline: DEADLINE,
        weight: 0.4,
        category_id: cat,
        score: 0.5,
      });
      assert.equal(status, 200, JSON.stringify(body));
      const id = body.data.objective_id;
      assert.match(id, /^[1-9]\d{18}$/);
      assert.deepEqual(body, { code: 0, msg: 'success', data: { objective_id: id } });

      const row = await objectiveRow(id);
      const now = t.clock.now;
      assert.deepEqual(
        { ...row, content: JSON.parse(String(row!.content)), notes: JSON.parse(String(row!.notes)) },
        {
          id,
          tenant_id: w.tenantId,
          okr_id: cycle,
          position: 1,
          content: stored('提升留存 ', bob.ref),
          notes: { blocks: [stored('备注 ', bob.ref).blocks[0], notes.blocks[1]] },
          score: 50,
          // The only objective of its cycle weighs 1 whatever was asked (OQ-32).
          weight_milli: 1000,
          progress_percent: 0,
          progress_status: -1,
          deadline: Number(DEADLINE),
          category_id: cat,
          progress_rate_percent_last_updated_time: 0,
          progress_rate_status_last_updated_time: 0,
          progress_record_last_updated_time: 0,
          progress_report_last_updated_time: now,
          score_last_updated_time: now,
          created_at: now,
          updated_at: now,
        },
      );
      const indicators = await t.db.read((tx) =>
        tx.all<Record<string, unknown>>('SELECT * FROM indicators WHERE entity_id = ?', [id]),
      );
      assert.equal(indicators.length, 1);
      assert.match(String(indicators[0]!.id), /^[1-9]\d{18}$/);
      assert.notEqual(indicators[0]!.id, id);
      assert.deepEqual(indicators[0], {
        id: indicators[0]!.id,
        tenant_id: w.tenantId,
        entity_type: 2,
        entity_id: id,
        indicator_status: -1,
        status_calculate_type: 0,
        start_value: null,
        target_value: null,
        current_value: null,
        current_value_calculate_type: 0,
        unit_type: 0,
        unit_value: 'NONE',
        created_at: now,
        updated_at: now,
      });

      const got = await send('GET', `${V2}/objectives/${id}`, aliceToken);
      assert.equal(got.status, 200);
      const objective = expected(alice, {
        id,
        cycle,
        position: 1,
        content,
        notes,
        score: 0.5,
        weight: 1,
        created: now,
        deadline: DEADLINE,
        category_id: cat,
      });
      assert.deepEqual(got.body, { code: 0, msg: 'success', data: { objective } });

      // Other id types name the owner and the mentioned person in that type.
      const union = await send('GET', `${V2}/objectives/${id}?user_id_type=union_id`, aliceToken);
      assert.deepEqual(union.body.data.objective.owner, { owner_type: 'user', user_id: alice.union_id });
      assert.deepEqual(union.body.data.objective.content, doc('提升留存 ', bob.union_id));
      const employee = await send('GET', `${V2}/objectives/${id}?user_id_type=user_id`, aliceToken);
      assert.deepEqual(employee.body.data.objective.owner, { owner_type: 'user', user_id: alice.employee_id });
      assert.deepEqual(employee.body.data.objective.notes.blocks[0], doc('备注 ', bob.employee_id).blocks[0]);
    });

    it('accepts mentions named in the request id type', async () => {
      const { bob, cycle, aliceToken } = await setup();
      const { status, body } = await send(
        'POST',
        `${V2}/cycles/${cycle}/objectives?user_id_type=union_id`,
        aliceToken,
        { content: doc('x', bob.union_id) },
      );
      assert.equal(status, 200, JSON.stringify(body));
      const row = await objectiveRow(body.data.objective_id);
      assert.deepEqual(JSON.parse(String(row!.content)), stored('x', bob.ref));
    });

    it('appends at n + 1 and keeps the weights summing to 1 (even split, or a given weight kept)', async () => {
      const { cycle, aliceToken } = await setup();
      const create = async (payload: object) => {
        t.clock.now += 1000;
        const { status, body } = await send('POST', `${V2}/cycles/${cycle}/objectives`, aliceToken, payload);
        assert.equal(status, 200, JSON.stringify(body));
        return body.data.objective_id as string;
      };
      const a = await create({ content: doc('a') });
      const first = t.clock.now;
      const b = await create({ content: doc('b') });
      assert.deepEqual(
        (await objectivesOf(cycle)).map((r) => [r.id, r.position, r.weight_milli]),
        [
          [a, 1, 500],
          [b, 2, 500],
        ],
      );
      const c = await create({ content: doc('c'), weight: 0.2 });
      const rows = await objectivesOf(cycle);
      assert.deepEqual(
        rows.map((r) => [r.id, r.position, r.weight_milli]),
        [
          [a, 1, 400],
          [b, 2, 400],
          [c, 3, 200],
        ],
      );
      // A sibling whose weight changed is stamped changed.
      assert.deepEqual(
        rows.map((r) => r.updated_at),
        [t.clock.now, t.clock.now, t.clock.now],
      );
      assert.notEqual(first, t.clock.now);
      const d = await create({ content: doc('d') });
      assert.deepEqual(
        (await objectivesOf(cycle)).map((r) => [r.id, r.position, r.weight_milli]),
        [
          [a, 1, 250],
          [b, 2, 250],
          [c, 3, 250],
          [d, 4, 250],
        ],
      );
    });

    it('keeps positions 1..n and weights summing to 1 under simultaneous creates and deletes', async () => {
      const { w, cycle, aliceToken } = await setup();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          send('POST', `${V2}/cycles/${cycle}/objectives`, aliceToken, { content: doc(`o${i}`) }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        Array(12).fill(200),
      );
      const layout = async () => {
        const rows = await objectivesOf(cycle);
        assert.deepEqual(
          rows.map((r) => r.position),
          rows.map((_, i) => i + 1),
        );
        assert.equal(
          rows.reduce((sum, r) => sum + r.weight_milli, 0),
          rows.length ? 1000 : 0,
        );
        return rows;
      };
      const rows = await layout();
      assert.equal(rows.length, 12);
      // Every other one deleted at once, one of them twice: the second delete finds nothing.
      const doomed = rows.filter((_, i) => i % 2 === 0).map((r) => r.id);
      const deletes = await Promise.all(
        [...doomed, doomed[0]!].map((id) => send('DELETE', `${V2}/objectives/${id}`, aliceToken)),
      );
      assert.deepEqual(deletes.map((r) => r.body.code).sort(), [...Array(6).fill(0), 1001004]);
      assert.equal((await layout()).length, 6);
      const indicators = await t.db.read((tx) =>
        tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM indicators WHERE tenant_id = ?', [w.tenantId]),
      );
      assert.equal(Number(indicators!.n), 6);
    });

    it('lists objectives in position order, page by page, with a token exactly when there is more', async () => {
      const { w, alice, cycle, aliceToken } = await setup();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await w.objective(cycle, { weight_milli: 200, score: 10 * i }));
      // Positions decide the order, not ids.
      await send('PUT', `${V2}/cycles/${cycle}/objectives_position`, aliceToken, {
        objective_ids: [ids[4], ids[0], ids[3], ids[1], ids[2]],
      });
      const order = [ids[4]!, ids[0]!, ids[3]!, ids[1]!, ids[2]!];
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const { status, body } = await send(
          'GET',
          `${V2}/cycles/${cycle}/objectives?page_size=2${token ? `&page_token=${token}` : ''}`,
          aliceToken,
        );
        assert.equal(status, 200, JSON.stringify(body));
        pages++;
        const data = body.data;
        assert.deepEqual(Object.keys(body), ['code', 'msg', 'data']);
        assert.equal(data.has_more, pages < 3);
        assert.equal('page_token' in data, data.has_more);
        for (const item of data.items) {
          assert.deepEqual(item.owner, { owner_type: 'user', user_id: alice.open_id });
          assert.equal(item.position, seen.length + 1);
          seen.push(item.id);
        }
        token = data.page_token;
      } while (token);
      assert.equal(pages, 3);
      assert.deepEqual(seen, order);

      // The whole of one item, from rows the v1 model wrote (factory: score 30 → 0.3, 200‰ → 0.2).
      const one = await send('GET', `${V2}/cycles/${cycle}/objectives?page_size=1&page_token=`, aliceToken);
      const row = await objectiveRow(ids[4]!);
      assert.deepEqual(one.body, {
        code: 0,
        msg: 'success',
        data: {
          has_more: true,
          page_token: one.body.data.page_token,
          items: [
            expected(alice, {
              id: ids[4]!,
              cycle,
              position: 1,
              content: paragraph(`item ${ids[4]!.slice(-4)}`),
              score: 0.4,
              weight: 0.2,
              created: Number(row!.created_at),
              updated: Number(row!.updated_at),
            }),
          ],
        },
      });
      // Default page size 10; an empty cycle is an empty page.
      const all = await send('GET', `${V2}/cycles/${cycle}/objectives`, aliceToken);
      assert.deepEqual([all.body.data.items.length, all.body.data.has_more], [5, false]);
      const empty = await w.cycle(await w.person(), await w.period('2026-02'));
      const none = await send('GET', `${V2}/cycles/${empty}/objectives`, aliceToken);
      assert.deepEqual(none.body, { code: 0, msg: 'success', data: { has_more: false, items: [] } });
      const bad = await send('GET', `${V2}/cycles/${cycle}/objectives?page_token=nonsense`, aliceToken);
      assert.deepEqual([bad.status, bad.body.code], [400, 1001001]);
      assert.deepEqual(bad.body.error.field_violations, [
        { field: 'page_token', description: 'is not a token this server issued' },
      ]);
    });

    it('reads a page in the same number of statements whatever its size (no N+1)', async () => {
      const { w, cycle, tenant } = await setup();
      const people = [await w.person(), await w.person(), await w.person()];
      for (let i = 0; i < 30; i++) {
        const p = people[i % 3]!;
        await w.objective(cycle, { content: paragraph('see ', { mention: p.ref }) });
      }
      const department = await w.department({ leader: people[0]! });
      const team = await w.cycle(department, await w.period('2026-03'));
      for (let i = 0; i < 30; i++) await w.objective(team, { content: paragraph('x', { mention: people[1]!.ref }) });
      await send('GET', `${V2}/cycles/${cycle}/objectives?page_size=2`, tenant); // verifies the token once
      const count = async (url: string, size: number) => {
        t.statements.count = 0;
        const { body } = await send('GET', url, tenant);
        assert.equal(body.data.items.length, size);
        return t.statements.count;
      };
      const one = await count(`${V2}/cycles/${cycle}/objectives?page_size=1`, 1);
      assert.equal(await count(`${V2}/cycles/${cycle}/objectives?page_size=30`, 30), one);
      assert.equal(await count(`${V2}/cycles/${cycle}/objectives?page_size=100`, 30), one);
      // The data version (for the render cache), then the cycle, the page and the names in it.
      assert.ok(one <= 4, `a page of a person's cycle ran ${one} statements`);
      const teamOne = await count(`${V2}/cycles/${team}/objectives?page_size=1`, 1);
      assert.equal(await count(`${V2}/cycles/${team}/objectives?page_size=100`, 30), teamOne);
      assert.ok(teamOne <= 5, `a page of a team cycle ran ${teamOne} statements`);
    });

    it('patches content, score, notes, deadline and category, stamping what v1 shows', async () => {
      const { w, alice, bob, cycle, aliceToken } = await setup();
      const id = await w.objective(cycle, { weight_milli: 1000, score: 20 });
      const cat = await category(w);
      const created = t.clock.now;
      t.clock.now += 5000;
      const content = doc('新目标 ', bob.open_id);
      const notes = doc('新备注');
      const { status, body } = await send('PATCH', `${V2}/objectives/${id}`, aliceToken, {
        content,
        score: 0.7,
        notes,
        deadline: DEADLINE,
        category_id: cat,
      });
      assert.equal(status, 200, JSON.stringify(body));
      const objective = expected(alice, {
        id,
        cycle,
        position: 1,
        content,
        notes,
        score: 0.7,
        weight: 1,
        created,
        updated: t.clock.now,
        deadline: DEADLINE,
        category_id: cat,
      });
      assert.deepEqual(body, { code: 0, msg: 'success', data: { objective } });
      const row = await objectiveRow(id);
      assert.deepEqual(JSON.parse(String(row!.content)), stored('新目标 ', bob.ref));
      assert.deepEqual(JSON.parse(String(row!.notes)), notes);
      assert.deepEqual(
        [row!.score, row!.deadline, row!.category_id, row!.weight_milli],
        [70, Number(DEADLINE), cat, 1000],
      );
      assert.deepEqual(
        [row!.updated_at, row!.score_last_updated_time, row!.progress_report_last_updated_time, row!.created_at],
        [t.clock.now, t.clock.now, t.clock.now, created],
      );
      assert.deepEqual((await send('GET', `${V2}/objectives/${id}`, aliceToken)).body.data.objective, objective);

      // A partial patch changes only what it names; an unchanged score keeps its stamp; deadline "0" clears it.
      const stamped = t.clock.now;
      t.clock.now += 5000;
      const again = await send('PATCH', `${V2}/objectives/${id}`, aliceToken, { score: 0.7, deadline: '0' });
      assert.equal(again.status, 200);
      const withoutDeadline: Partial<typeof objective> = { ...objective, update_time: String(t.clock.now) };
      delete withoutDeadline.deadline;
      assert.deepEqual(again.body.data.objective, withoutDeadline);
      const after = await objectiveRow(id);
      assert.deepEqual(
        [after!.deadline, after!.score_last_updated_time, after!.progress_report_last_updated_time, after!.updated_at],
        [0, stamped, stamped, t.clock.now],
      );
    });

    it('reorders every objective of the cycle and answers them in the new order', async () => {
      const { w, alice, cycle, aliceToken } = await setup();
      const [a, b, c] = [
        await w.objective(cycle, { weight_milli: 500 }),
        await w.objective(cycle, { weight_milli: 300 }),
        await w.objective(cycle, { weight_milli: 200 }),
      ];
      const before = t.clock.now;
      t.clock.now += 1000;
      const { status, body } = await send('PUT', `${V2}/cycles/${cycle}/objectives_position`, aliceToken, {
        objective_ids: [c, a, b],
      });
      assert.equal(status, 200, JSON.stringify(body));
      const item = (id: string, position: number, weight: number, changed: boolean) =>
        expected(alice, {
          id,
          cycle,
          position,
          content: paragraph(`item ${id.slice(-4)}`),
          weight,
          created: before,
          updated: changed ? t.clock.now : before,
        });
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: { items: [item(c!, 1, 0.2, true), item(a!, 2, 0.5, true), item(b!, 3, 0.3, true)] },
      });
      assert.deepEqual(
        (await objectivesOf(cycle)).map((r) => [r.id, r.position, r.weight_milli]),
        [
          [c, 1, 200],
          [a, 2, 500],
          [b, 3, 300],
        ],
      );
      // Only the objectives that moved are stamped.
      t.clock.now += 1000;
      const swap = await send('PUT', `${V2}/cycles/${cycle}/objectives_position`, aliceToken, {
        objective_ids: [c, b, a],
      });
      assert.deepEqual(
        swap.body.data.items.map((o: { id: string; update_time: string }) => [o.id, o.update_time]),
        [
          [c, String(t.clock.now - 1000)],
          [b, String(t.clock.now)],
          [a, String(t.clock.now)],
        ],
      );
    });

    it('sets every weight of the cycle when they sum to 1', async () => {
      const { w, alice, cycle, aliceToken } = await setup();
      const [a, b, c] = [await w.objective(cycle), await w.objective(cycle), await w.objective(cycle)];
      const before = t.clock.now;
      t.clock.now += 1000;
      const { status, body } = await send('PUT', `${V2}/cycles/${cycle}/objectives_weight`, aliceToken, {
        objective_weights: [
          { objective_id: c, weight: 0.125 },
          { objective_id: a, weight: 0.5 },
          { objective_id: b, weight: 0.375 },
        ],
      });
      assert.equal(status, 200, JSON.stringify(body));
      const item = (id: string, position: number, weight: number) =>
        expected(alice, {
          id,
          cycle,
          position,
          content: paragraph(`item ${id.slice(-4)}`),
          weight,
          created: before,
          updated: t.clock.now,
        });
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: { items: [item(a!, 1, 0.5), item(b!, 2, 0.375), item(c!, 3, 0.125)] },
      });
      assert.deepEqual(
        (await objectivesOf(cycle)).map((r) => [r.id, r.position, r.weight_milli]),
        [
          [a, 1, 500],
          [b, 2, 375],
          [c, 3, 125],
        ],
      );
      // Float noise below the third decimal (0.1 + 0.2) is not a fourth decimal.
      const noisy = await send('PUT', `${V2}/cycles/${cycle}/objectives_weight`, aliceToken, {
        objective_weights: [
          { objective_id: a, weight: 0.1 + 0.2 },
          { objective_id: b, weight: 0.3 },
          { objective_id: c, weight: 0.4 },
        ],
      });
      assert.equal(noisy.status, 200, JSON.stringify(noisy.body));
      assert.deepEqual(
        (await objectivesOf(cycle)).map((r) => r.weight_milli),
        [300, 300, 400],
      );
    });

    it('deletes an objective with its key results, indicators, progress records, comments and alignments', async () => {
      const { w, alice, bob, cycle, aliceToken } = await setup();
      const [a, b, c] = [
        await w.objective(cycle, { weight_milli: 500 }),
        await w.objective(cycle, { weight_milli: 300 }),
        await w.objective(cycle, { weight_milli: 200 }),
      ];
      const [kr1, kr2] = [await w.keyResult(a!), await w.keyResult(a!)];
      const keptKr = await w.keyResult(b!);
      const other = await w.objective(cycle, { weight_milli: 0 });
      const now = t.clock.now;
      const ids = { record: [freshId(), freshId(), freshId()], comment: [freshId(), freshId(), freshId(), freshId()] };
      const alignments = [freshId(), freshId(), freshId()];
      await writeTenant(t.db, w.tenantId, async (tx) => {
        const record = (id: string, type: 2 | 3, target: string) =>
          insertRow(tx, 'progress_records', {
            id,
            tenant_id: w.tenantId,
            okr_id: cycle,
            target_type: type,
            target_id: target,
            source_title: 's',
            source_url: 'https://s.test/',
            source_url_pc: null,
            source_url_mobile: null,
            content: '{}',
            progress_percent: null,
            progress_status: null,
            created_by: alice.ref,
            created_at: now,
            modify_time: now,
          });
        await record(ids.record[0]!, 2, a!);
        await record(ids.record[1]!, 3, kr1!);
        await record(ids.record[2]!, 2, b!); // kept
        const comment = (id: string, type: string, target: string) =>
          insertRow(tx, 'comments', {
            id,
            tenant_id: w.tenantId,
            target_type: type,
            target_id: target,
            okr_id: cycle,
            thread_id: id,
            ref_comment_id: null,
            commentator_id: bob.ref,
            content: '{}',
            selection_id: null,
            selected_text: null,
            status: 'open',
            solver_id: null,
            solved_time: null,
            created_at: now,
            updated_at: now,
          });
        await comment(ids.comment[0]!, 'objective', a!);
        await comment(ids.comment[1]!, 'key_result', kr2!);
        await comment(ids.comment[2]!, 'progress', ids.record[1]!);
        await comment(ids.comment[3]!, 'objective', b!); // kept
        const align = (id: string, from: string, to: string) =>
          insertRow(tx, 'alignments', {
            id,
            tenant_id: w.tenantId,
            from_objective_id: from,
            to_objective_id: to,
            created_at: now,
            updated_at: now,
          });
        await align(alignments[0]!, a!, b!);
        await align(alignments[1]!, c!, a!);
        await align(alignments[2]!, b!, c!); // kept
      });
      t.clock.now += 1000;
      const { status, body } = await send('DELETE', `${V2}/objectives/${a}`, aliceToken);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, { code: 0, msg: 'success', data: { objective_id: a } });

      const left = await snapshot(w);
      const idsOf = (table: string) => (left[table] as { id: string }[]).map((r) => r.id);
      assert.ok(!idsOf('objectives').includes(a!));
      assert.deepEqual(idsOf('key_results'), [keptKr]);
      assert.deepEqual(
        (left.indicators as { entity_id: string }[]).map((r) => r.entity_id).sort(),
        [b!, c!, other, keptKr].sort(),
      );
      assert.deepEqual(idsOf('progress_records'), [ids.record[2]]);
      assert.deepEqual(idsOf('comments'), [ids.comment[3]]);
      assert.deepEqual(idsOf('alignments'), [alignments[2]]);
      // The rest close ranks at 1..n and share the deleted weight in proportion (300 : 200 : 0).
      assert.deepEqual(
        (await objectivesOf(cycle)).map((r) => [r.id, r.position, r.weight_milli, r.updated_at]),
        [
          [b, 1, 600, t.clock.now],
          [c, 2, 400, t.clock.now],
          [other, 3, 0, t.clock.now],
        ],
      );
      const gone = await send('GET', `${V2}/objectives/${a}`, aliceToken);
      assert.deepEqual(
        [gone.status, gone.body.code, gone.body.msg],
        [400, 1001004, `okr data not found: objective_id ${a}`],
      );
      // Deleting the last objective leaves an empty cycle.
      for (const id of [b, c, other])
        assert.equal((await send('DELETE', `${V2}/objectives/${id}`, aliceToken)).status, 200);
      assert.deepEqual(await objectivesOf(cycle), []);
    });

    describe('refuses a broken rule with 1001001 naming the field, writing nothing', () => {
      const cases: {
        name: string;
        method: string;
        path: (s: { cycle: string; ids: string[] }) => string;
        body: (s: { ids: string[]; outsider: string; bob: Person }) => unknown;
        violations: (s: { ids: string[]; outsider: string }) => { field: string; description: string }[];
      }[] = [
        {
          name: 'create without content',
          method: 'POST',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives`,
          body: () => ({ notes: doc('n') }),
          violations: () => [{ field: 'content', description: 'is required' }],
        },
        {
          name: 'create with blank content',
          method: 'POST',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives`,
          body: () => ({ content: doc('   ') }),
          violations: () => [{ field: 'content', description: 'is required' }],
        },
        {
          name: 'create mentioning someone of another tenant',
          method: 'POST',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives`,
          body: () => ({ content: doc('x', 'ou_nobody') }),
          violations: () => [
            { field: 'content', description: 'mention.user_id ou_nobody is not a user of this tenant' },
          ],
        },
        {
          name: 'create with notes naming an image not uploaded here',
          method: 'POST',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives`,
          body: () => ({
            content: doc('x'),
            notes: { blocks: [{ block_element_type: 'gallery', gallery: { images: [{ file_token: 'boxnope' }] } }] },
          }),
          violations: () => [
            { field: 'notes', description: 'gallery file_token boxnope is not an image uploaded here' },
          ],
        },
        {
          name: 'create in an unknown category',
          method: 'POST',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives`,
          body: () => ({ content: doc('x'), category_id: '123' }),
          violations: () => [{ field: 'category_id', description: '123 is not a category of this tenant' }],
        },
        {
          name: 'create with a negative deadline',
          method: 'POST',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives`,
          body: () => ({ content: doc('x'), deadline: '-1' }),
          violations: () => [{ field: 'deadline', description: 'must match pattern "^\\d{1,15}$"' }],
        },
        {
          name: 'create with a score of two decimals',
          method: 'POST',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives`,
          body: () => ({ content: doc('x'), score: 0.55 }),
          violations: () => [{ field: 'score', description: 'at most one decimal' }],
        },
        {
          name: 'create with a score above 1',
          method: 'POST',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives`,
          body: () => ({ content: doc('x'), score: 1.5 }),
          violations: () => [{ field: 'score', description: 'must be <= 1' }],
        },
        {
          name: 'create with a weight of four decimals, and several rules broken at once',
          method: 'POST',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives`,
          body: () => ({ weight: 0.1234, score: 0.25 }),
          violations: () => [
            { field: 'content', description: 'is required' },
            { field: 'score', description: 'at most one decimal' },
            { field: 'weight', description: 'at most three decimals' },
          ],
        },
        {
          name: 'patch with blank content',
          method: 'PATCH',
          path: (s) => `${V2}/objectives/${s.ids[0]}`,
          body: () => ({ content: { blocks: [] } }),
          violations: () => [{ field: 'content', description: 'must not be empty' }],
        },
        {
          name: 'patch the weight',
          method: 'PATCH',
          path: (s) => `${V2}/objectives/${s.ids[0]}`,
          body: () => ({ weight: 0.5 }),
          violations: () => [
            {
              field: 'weight',
              description:
                'is not patchable (set weights with PUT /open-apis/okr/v2/cycles/:cycle_id/objectives_weight)',
            },
          ],
        },
        {
          name: 'patch a score of two decimals',
          method: 'PATCH',
          path: (s) => `${V2}/objectives/${s.ids[0]}`,
          body: () => ({ score: 0.25 }),
          violations: () => [{ field: 'score', description: 'at most one decimal' }],
        },
        {
          name: 'patch into an unknown category',
          method: 'PATCH',
          path: (s) => `${V2}/objectives/${s.ids[0]}`,
          body: () => ({ category_id: '77' }),
          violations: () => [{ field: 'category_id', description: '77 is not a category of this tenant' }],
        },
        {
          name: 'patch notes mentioning an unknown person',
          method: 'PATCH',
          path: (s) => `${V2}/objectives/${s.ids[0]}`,
          body: () => ({ notes: doc('n', 'ou_ghost') }),
          violations: () => [{ field: 'notes', description: 'mention.user_id ou_ghost is not a user of this tenant' }],
        },
        {
          name: 'an order that leaves one out',
          method: 'PUT',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives_position`,
          body: (s) => ({ objective_ids: [s.ids[1], s.ids[0]] }),
          violations: (s) => [
            { field: 'objective_ids', description: `${s.ids[2]} is missing: the order must list every item` },
          ],
        },
        {
          name: 'an order that lists one twice',
          method: 'PUT',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives_position`,
          body: (s) => ({ objective_ids: [s.ids[0], s.ids[1], s.ids[0], s.ids[2]] }),
          violations: (s) => [{ field: 'objective_ids', description: `${s.ids[0]} is listed more than once` }],
        },
        {
          name: 'an order naming an objective of another cycle',
          method: 'PUT',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives_position`,
          body: (s) => ({ objective_ids: [s.ids[0], s.ids[1], s.ids[2], s.outsider] }),
          violations: (s) => [
            { field: 'objective_ids', description: `${s.outsider} is not one of the items being ordered` },
          ],
        },
        {
          name: 'weights that do not sum to 1',
          method: 'PUT',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives_weight`,
          body: (s) => ({
            objective_weights: [
              { objective_id: s.ids[0], weight: 0.5 },
              { objective_id: s.ids[1], weight: 0.25 },
              { objective_id: s.ids[2], weight: 0.2 },
            ],
          }),
          violations: () => [{ field: 'objective_weights', description: 'weights must sum to 1 (they sum to 0.95)' }],
        },
        {
          name: 'a weight of four decimals',
          method: 'PUT',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives_weight`,
          body: (s) => ({
            objective_weights: [
              { objective_id: s.ids[0], weight: 0.5 },
              { objective_id: s.ids[1], weight: 0.25 },
              { objective_id: s.ids[2], weight: 0.2499 },
            ],
          }),
          violations: () => [{ field: 'objective_weights[2].weight', description: 'at most three decimals' }],
        },
        {
          name: 'weights that leave an objective out and name another cycle’s',
          method: 'PUT',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives_weight`,
          body: (s) => ({
            objective_weights: [
              { objective_id: s.ids[0], weight: 0.5 },
              { objective_id: s.outsider, weight: 0.5 },
            ],
          }),
          violations: (s) => [
            {
              field: 'objective_weights[1].objective_id',
              description: `${s.outsider} is not an objective of this cycle`,
            },
            {
              field: 'objective_weights',
              description: `must weigh every objective of this cycle (missing ${s.ids[1]}, ${s.ids[2]})`,
            },
          ],
        },
        {
          name: 'weights listing an objective twice',
          method: 'PUT',
          path: (s) => `${V2}/cycles/${s.cycle}/objectives_weight`,
          body: (s) => ({
            objective_weights: [
              { objective_id: s.ids[0], weight: 0.5 },
              { objective_id: s.ids[1], weight: 0.25 },
              { objective_id: s.ids[2], weight: 0.25 },
              { objective_id: s.ids[1], weight: 0 },
            ],
          }),
          violations: (s) => [
            { field: 'objective_weights[3].objective_id', description: `${s.ids[1]} is listed more than once` },
          ],
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const { w, bob, cycle, aliceToken } = await setup();
          const ids = [
            await w.objective(cycle, { weight_milli: 500 }),
            await w.objective(cycle, { weight_milli: 300 }),
            await w.objective(cycle, { weight_milli: 200 }),
          ];
          const outsider = await w.objective(await w.cycle(bob, await w.period('2026-02')));
          const state = { cycle, ids, outsider, bob };
          const before = await snapshot(w);
          t.clock.now += 1000;
          const { status, body } = await send(c.method, c.path(state), aliceToken, c.body(state));
          const violations = c.violations(state);
          assert.equal(status, 400, JSON.stringify(body));
          assert.deepEqual(body, {
            code: 1001001,
            msg: `invalid parameters: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`,
            error: { log_id: body.error.log_id, field_violations: violations },
          });
          assert.deepEqual(await snapshot(w), before);
        });
      }

      it('a 101st objective in a cycle', async () => {
        const { w, cycle, aliceToken } = await setup();
        for (let i = 0; i < 100; i++) await w.objective(cycle, { weight_milli: 10 });
        const before = await snapshot(w);
        const { status, body } = await send('POST', `${V2}/cycles/${cycle}/objectives`, aliceToken, {
          content: doc('one too many'),
        });
        assert.deepEqual(
          [status, body.code, body.msg],
          [400, 1001001, 'invalid parameters: cycle_id: a cycle holds at most 100 objectives'],
        );
        assert.deepEqual(body.error.field_violations, [
          { field: 'cycle_id', description: 'a cycle holds at most 100 objectives' },
        ]);
        assert.deepEqual(await snapshot(w), before);
      });
    });

    describe('permissions and unknown ids', () => {
      it('refuses every write to another person’s cycle under a user token (1001002), writing nothing', async () => {
        const { w, bob, cycle } = await setup();
        const id = await w.objective(cycle, { weight_milli: 1000 });
        const bobToken = await bob.token();
        const before = await snapshot(w);
        const writes: [string, string, unknown][] = [
          ['POST', `${V2}/cycles/${cycle}/objectives`, { content: doc('x') }],
          ['PATCH', `${V2}/objectives/${id}`, { score: 0.5 }],
          ['DELETE', `${V2}/objectives/${id}`, {}],
          ['PUT', `${V2}/cycles/${cycle}/objectives_position`, { objective_ids: [id] }],
          ['PUT', `${V2}/cycles/${cycle}/objectives_weight`, { objective_weights: [{ objective_id: id, weight: 1 }] }],
        ];
        for (const [method, url, payload] of writes) {
          const { status, body } = await send(method, url, bobToken, payload);
          assert.deepEqual(
            { status, body },
            {
              status: 400,
              body: { code: 1001002, msg: 'no permission to change this OKR', error: { log_id: body.error.log_id } },
            },
            `${method} ${url}`,
          );
        }
        assert.deepEqual(await snapshot(w), before);
        // Reading a tenant-visible cycle is fine for anyone.
        assert.equal((await send('GET', `${V2}/objectives/${id}`, bobToken)).status, 200);
      });

      it('lets a tenant token change any cycle', async () => {
        const { cycle, tenant } = await setup();
        const { status, body } = await send('POST', `${V2}/cycles/${cycle}/objectives`, tenant, { content: doc('x') });
        assert.equal(status, 200, JSON.stringify(body));
      });

      it('hides a leaders-only OKR from others (1001002) but not from its owner’s leader', async () => {
        const { w, boss, bob, cycle, aliceToken } = await setup();
        const id = await w.objective(cycle);
        await writeTenant(t.db, w.tenantId, (tx) =>
          tx.run(`UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?`, [cycle, w.tenantId]),
        );
        const bobToken = await bob.token();
        for (const url of [`${V2}/objectives/${id}`, `${V2}/cycles/${cycle}/objectives`]) {
          const { status, body } = await send('GET', url, bobToken);
          assert.deepEqual([status, body.code, body.msg], [400, 1001002, 'no permission to read this OKR'], url);
          assert.equal((await send('GET', url, await boss.token())).status, 200, url);
          assert.equal((await send('GET', url, aliceToken)).status, 200, url);
        }
      });

      it('answers 1001004 naming unknown ids, and ids of hidden periods', async () => {
        const { w, alice, cycle, aliceToken } = await setup();
        const unknown = '7000000000000000009';
        const checks: [string, string, unknown, string][] = [
          ['GET', `${V2}/objectives/${unknown}`, undefined, `objective_id ${unknown}`],
          ['PATCH', `${V2}/objectives/${unknown}`, { score: 0.1 }, `objective_id ${unknown}`],
          ['DELETE', `${V2}/objectives/${unknown}`, undefined, `objective_id ${unknown}`],
          ['GET', `${V2}/cycles/${unknown}/objectives`, undefined, `cycle_id ${unknown}`],
          ['POST', `${V2}/cycles/${unknown}/objectives`, { content: doc('x') }, `cycle_id ${unknown}`],
          ['PUT', `${V2}/cycles/${unknown}/objectives_position`, { objective_ids: [unknown] }, `cycle_id ${unknown}`],
          [
            'PUT',
            `${V2}/cycles/${unknown}/objectives_weight`,
            { objective_weights: [{ objective_id: unknown, weight: 1 }] },
            `cycle_id ${unknown}`,
          ],
        ];
        for (const [method, url, payload, named] of checks) {
          const { status, body } = await send(method, url, aliceToken, payload);
          assert.deepEqual([status, body.code, body.msg], [400, 1001004, `okr data not found: ${named}`], url);
        }
        // Another tenant's objective is unknown here too.
        const elsewhere = await newWorld(t);
        const stranger = await elsewhere.person();
        const theirs = await elsewhere.objective(await elsewhere.cycle(stranger, await elsewhere.period('2026-01')));
        const foreign = await send('GET', `${V2}/objectives/${theirs}`, aliceToken);
        assert.deepEqual([foreign.status, foreign.body.code], [400, 1001004]);
        // A hidden period hides its cycles and objectives.
        const hidden = await w.cycle(alice, await w.period('2026-05', 3));
        const inHidden = await w.objective(hidden);
        for (const [url, named] of [
          [`${V2}/objectives/${inHidden}`, `objective_id ${inHidden}`],
          [`${V2}/cycles/${hidden}/objectives`, `cycle_id ${hidden}`],
        ] as const) {
          const { body } = await send('GET', url, aliceToken);
          assert.deepEqual([body.code, body.msg], [1001004, `okr data not found: ${named}`]);
        }
        assert.equal((await send('GET', `${V2}/cycles/${cycle}/objectives`, aliceToken)).status, 200);
      });

      it('lets a department’s leader write its team cycle and refuses its members', async () => {
        const w = await newWorld(t);
        const leader = await w.person();
        const member = await w.person();
        const department = await w.department({ leader, members: [member] });
        const team = await w.cycle(department, await w.period('2026-01'));
        t.clock.now += 1000;
        const created = await send('POST', `${V2}/cycles/${team}/objectives`, await leader.token(), {
          content: doc('团队目标'),
        });
        assert.equal(created.status, 200, JSON.stringify(created.body));
        const id = created.body.data.objective_id;
        const memberToken = await member.token();
        const refused = await send('PATCH', `${V2}/objectives/${id}`, memberToken, { score: 0.5 });
        assert.deepEqual([refused.status, refused.body.code], [400, 1001002]);
        const refusedCreate = await send('POST', `${V2}/cycles/${team}/objectives`, memberToken, {
          content: doc('x'),
        });
        assert.deepEqual([refusedCreate.status, refusedCreate.body.code], [400, 1001002]);
        const got = await send('GET', `${V2}/objectives/${id}?department_id_type=department_id`, memberToken);
        assert.deepEqual(got.body.data.objective, {
          id,
          create_time: String(t.clock.now),
          update_time: String(t.clock.now),
          owner: { owner_type: 'department', department_id: department.department_id },
          cycle_id: team,
          position: 1,
          content: doc('团队目标'),
          score: 0,
          notes: { blocks: [] },
          weight: 1,
        });
        const open = await send('GET', `${V2}/cycles/${team}/objectives`, memberToken);
        assert.deepEqual(open.body.data.items[0].owner, {
          owner_type: 'department',
          department_id: department.open_department_id,
        });
      });
    });

    describe('one model behind v1 and v2', () => {
      it('shows in v1 batch_get and the user OKR list what v2 created, patched, reordered and re-weighted', async () => {
        const { alice, cycle, aliceToken, tenant } = await setup();
        const create = async (text: string) =>
          (await send('POST', `${V2}/cycles/${cycle}/objectives`, aliceToken, { content: doc(text) })).body.data
            .objective_id as string;
        const a = await create('目标甲');
        const b = await create('目标乙');
        const c = await create('目标丙');
        t.clock.now += 1000;
        await send('PATCH', `${V2}/objectives/${b}`, aliceToken, {
          score: 0.8,
          notes: doc('进展顺利'),
          deadline: DEADLINE,
          content: doc('目标乙 改'),
        });
        await send('PUT', `${V2}/cycles/${cycle}/objectives_position`, aliceToken, { objective_ids: [c, a, b] });
        await send('PUT', `${V2}/cycles/${cycle}/objectives_weight`, aliceToken, {
          objective_weights: [
            { objective_id: a, weight: 0.25 },
            { objective_id: b, weight: 0.125 },
            { objective_id: c, weight: 0.625 },
          ],
        });
        const okr = (await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${cycle}`, tenant)).body.data.okr_list[0];
        assert.equal(okr.id, cycle);
        assert.deepEqual(
          okr.objective_list.map((o: Record<string, unknown>) => [o.id, o.content, o.weight, o.score]),
          [
            [c, '目标丙', 62.5, 0],
            [a, '目标甲', 25, 0],
            [b, '目标乙 改', 12.5, 80],
          ],
        );
        const patched = okr.objective_list[2];
        assert.equal(patched.progress_report, '进展顺利');
        assert.equal(patched.deadline, DEADLINE);
        assert.equal(patched.score_last_updated_time, String(t.clock.now));
        assert.equal(patched.progress_report_last_updated_time, String(t.clock.now));
        const listed = await t.get(
          `/open-apis/okr/v1/users/${alice.open_id}/okrs?offset=0&limit=10`,
          await alice.token(),
        );
        const inList = listed.body.data.okr_list.find((o: { id: string }) => o.id === cycle);
        assert.deepEqual(
          inList.objective_list.map((o: { id: string }) => o.id),
          [c, a, b],
        );
      });

      it('shows v1 data through v2, and a v1 progress record leaves the v2 objective as it was', async () => {
        const { w, alice, cycle, aliceToken } = await setup();
        const id = await w.objective(cycle, { weight_milli: 1000, score: 60, content: paragraph('v1 目标') });
        const created = t.clock.now;
        const before = (await send('GET', `${V2}/objectives/${id}`, aliceToken)).body.data.objective;
        assert.deepEqual(
          before,
          expected(alice, { id, cycle, position: 1, content: paragraph('v1 目标'), score: 0.6, weight: 1, created }),
        );
        t.clock.now += 1000;
        const record = await send('POST', '/open-apis/okr/v1/progress_records', aliceToken, {
          source_title: '周报',
          source_url: 'https://weekly.test/1',
          target_id: id,
          target_type: 2,
          content: { blocks: [] },
          progress_rate: { percent: 40, status: 1 },
        });
        assert.equal(record.status, 200, JSON.stringify(record.body));
        const afterRecord = (await send('GET', `${V2}/objectives/${id}`, aliceToken)).body.data.objective;
        // Only the time it last changed moves: progress is not part of the v2 objective (v2 reads it as progresses).
        assert.deepEqual(afterRecord, { ...before, update_time: String(t.clock.now) });
        const v1 = (await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${cycle}`, aliceToken)).body.data.okr_list[0]
          .objective_list[0];
        assert.deepEqual(v1.progress_rate, { percent: 40, status: '1' });
        assert.deepEqual(v1.progress_record_list, [{ id: record.body.data.progress_id }]);
        assert.equal(v1.score, 60);
        assert.equal(v1.weight, 100);
      });
    });
  });
}
