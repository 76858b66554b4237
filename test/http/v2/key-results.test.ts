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

/** A one-paragraph v2 document: text, then an @-mention of `mention` (a user id) when given. */
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

let seq = 0;
const freshId = () => String(9_200_000_000_000_000_000n + BigInt(++seq));

for (const dialect of DIALECTS) {
  describe(`v2 key results [${dialect}]`, () => {
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
    const krRow = (id: string) =>
      t.db.read((tx) => tx.get<Record<string, unknown>>('SELECT * FROM key_results WHERE id = ?', [id]));
    const krsOf = (objectiveId: string) =>
      t.db.read((tx) =>
        tx.all<{ id: string; position: number; weight_milli: number; updated_at: number }>(
          'SELECT id, position, weight_milli, updated_at FROM key_results WHERE objective_id = ? ORDER BY position, id',
          [objectiveId],
        ),
      );
    const snapshot = (w: World) =>
      t.db.read(async (tx) => {
        const out: Record<string, unknown> = {};
        for (const table of [
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

    /** A person's cycle with one objective `objective`, and the tokens to call with. */
    const setup = async () => {
      const w = await newWorld(t);
      const boss = await w.person({ name_zh: '老板', name_en: 'Boss' });
      const alice = await w.person({ name_zh: '爱丽丝', name_en: 'Alice', leader: boss });
      const bob = await w.person({ name_zh: '鲍勃', name_en: 'Bob' });
      const period = await w.period('2026-01');
      const cycle = await w.cycle(alice, period);
      const objective = await w.objective(cycle, { weight_milli: 1000 });
      return { w, boss, alice, bob, cycle, objective, tenant: await w.tenantToken(), aliceToken: await alice.token() };
    };

    /** The key result as v2 answers it, for a person-owned cycle. */
    const expected = (
      owner: Person,
      k: {
        id: string;
        objective: string;
        position: number;
        content: unknown;
        score?: number;
        weight: number;
        created: number;
        updated?: number;
        deadline?: string;
      },
    ) => ({
      id: k.id,
      create_time: String(k.created),
      update_time: String(k.updated ?? k.created),
      owner: { owner_type: 'user', user_id: owner.open_id },
      objective_id: k.objective,
      position: k.position,
      content: k.content,
      score: k.score ?? 0,
      weight: k.weight,
      ...(k.deadline ? { deadline: k.deadline } : {}),
    });

    it('creates a key result with every field, stores it and its indicator, and answers it on GET', async () => {
      const { w, alice, bob, cycle, objective, aliceToken } = await setup();
      t.clock.now += 1000;
      const content = doc('日活 10 万 ', bob.open_id);
      const { status, body } = await send('POST', `${V2}/objectives/${objective}/key_results`, aliceToken, {
        content,
        deadline: DEADLINE,
        score: 0.3,
        weight: 0.6,
      });
      assert.equal(status, 200, JSON.stringify(body));
      const id = body.data.key_result_id;
      assert.match(id, /^[1-9]\d{18}$/);
      assert.deepEqual(body, { code: 0, msg: 'success', data: { key_result_id: id } });
      const now = t.clock.now;
      const row = await krRow(id);
      assert.deepEqual(
        { ...row, content: JSON.parse(String(row!.content)) },
        {
          id,
          tenant_id: w.tenantId,
          objective_id: objective,
          okr_id: cycle,
          position: 1,
          content: doc('日活 10 万 ', bob.ref),
          score: 30,
          weight_milli: 1000, // the only key result weighs 1 (OQ-32)
          progress_percent: 0,
          progress_status: -1,
          deadline: Number(DEADLINE),
          progress_rate_percent_last_updated_time: 0,
          progress_rate_status_last_updated_time: 0,
          progress_record_last_updated_time: 0,
          progress_report_last_updated_time: 0,
          score_last_updated_time: now,
          created_at: now,
          updated_at: now,
        },
      );
      const indicators = await t.db.read((tx) =>
        tx.all<Record<string, unknown>>('SELECT * FROM indicators WHERE entity_id = ?', [id]),
      );
      assert.equal(indicators.length, 1);
      assert.notEqual(indicators[0]!.id, id);
      assert.deepEqual(indicators[0], {
        id: indicators[0]!.id,
        tenant_id: w.tenantId,
        entity_type: 3,
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
      const got = await send('GET', `${V2}/key_results/${id}`, aliceToken);
      const keyResult = expected(alice, {
        id,
        objective,
        position: 1,
        content,
        score: 0.3,
        weight: 1,
        created: now,
        deadline: DEADLINE,
      });
      assert.deepEqual(got.body, { code: 0, msg: 'success', data: { key_result: keyResult } });
      const employee = await send('GET', `${V2}/key_results/${id}?user_id_type=user_id`, aliceToken);
      assert.deepEqual(employee.body.data.key_result, {
        ...keyResult,
        owner: { owner_type: 'user', user_id: alice.employee_id },
        content: doc('日活 10 万 ', bob.employee_id),
      });
    });

    it('appends at n + 1 and keeps the weights summing to 1', async () => {
      const { objective, aliceToken } = await setup();
      const create = async (payload: object) => {
        t.clock.now += 1000;
        const { status, body } = await send('POST', `${V2}/objectives/${objective}/key_results`, aliceToken, payload);
        assert.equal(status, 200, JSON.stringify(body));
        return body.data.key_result_id as string;
      };
      const a = await create({ content: doc('a') });
      const b = await create({ content: doc('b') });
      const c = await create({ content: doc('c') });
      assert.deepEqual(
        (await krsOf(objective)).map((r) => [r.id, r.position, r.weight_milli]),
        [
          [a, 1, 334],
          [b, 2, 333],
          [c, 3, 333],
        ],
      );
      const d = await create({ content: doc('d'), weight: 0.5 });
      const rows = await krsOf(objective);
      assert.deepEqual(
        rows.map((r) => [r.id, r.position, r.weight_milli]),
        [
          [a, 1, 167],
          [b, 2, 167],
          [c, 3, 166],
          [d, 4, 500],
        ],
      );
      assert.equal(
        rows.reduce((s, r) => s + r.weight_milli, 0),
        1000,
      );
    });

    it('keeps positions 1..n and weights summing to 1 under simultaneous creates and deletes', async () => {
      const { objective, aliceToken } = await setup();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          send('POST', `${V2}/objectives/${objective}/key_results`, aliceToken, { content: doc(`k${i}`) }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.status),
        Array(12).fill(200),
      );
      const layout = async () => {
        const rows = await krsOf(objective);
        assert.deepEqual(
          rows.map((r) => r.position),
          rows.map((_, i) => i + 1),
        );
        assert.equal(
          rows.reduce((sum, r) => sum + r.weight_milli, 0),
          1000,
        );
        return rows;
      };
      const doomed = (await layout()).filter((_, i) => i % 3 === 0).map((r) => r.id);
      const deletes = await Promise.all(
        [...doomed, doomed[1]!].map((id) => send('DELETE', `${V2}/key_results/${id}`, aliceToken)),
      );
      assert.deepEqual(deletes.map((r) => r.body.code).sort(), [...Array(4).fill(0), 1001004]);
      assert.equal((await layout()).length, 8);
    });

    it('lists key results in position order, page by page, in a fixed number of statements', async () => {
      const { w, alice, objective, aliceToken, tenant } = await setup();
      const people = [await w.person(), await w.person()];
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        ids.push(
          await w.keyResult(objective, {
            weight_milli: 40,
            score: i,
            content: paragraph('kr ', { mention: people[i % 2]!.ref }),
          }),
        );
      }
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const { status, body } = await send(
          'GET',
          `${V2}/objectives/${objective}/key_results?page_size=10${token ? `&page_token=${token}` : ''}`,
          aliceToken,
        );
        assert.equal(status, 200, JSON.stringify(body));
        pages++;
        assert.equal(body.data.has_more, pages < 3);
        assert.equal('page_token' in body.data, body.data.has_more);
        for (const item of body.data.items) {
          assert.equal(item.position, seen.length + 1);
          seen.push(item.id);
        }
        token = body.data.page_token;
      } while (token);
      assert.deepEqual(seen, ids);

      const first = await send('GET', `${V2}/objectives/${objective}/key_results?page_size=1`, aliceToken);
      const row = await krRow(ids[0]!);
      assert.deepEqual(first.body, {
        code: 0,
        msg: 'success',
        data: {
          has_more: true,
          page_token: first.body.data.page_token,
          items: [
            expected(alice, {
              id: ids[0]!,
              objective,
              position: 1,
              content: doc('kr ', people[0]!.open_id),
              weight: 0.04,
              created: Number(row!.created_at),
            }),
          ],
        },
      });

      await send('GET', `${V2}/objectives/${objective}/key_results?page_size=1`, tenant); // verifies the token once
      const count = async (size: number, expectedItems: number) => {
        t.statements.count = 0;
        const { body } = await send('GET', `${V2}/objectives/${objective}/key_results?page_size=${size}`, tenant);
        assert.equal(body.data.items.length, expectedItems);
        return t.statements.count;
      };
      const one = await count(1, 1);
      assert.equal(await count(25, 25), one);
      assert.equal(await count(100, 25), one);
      assert.ok(one <= 3, `a page ran ${one} statements`);
    });

    it('patches content, score and deadline', async () => {
      const { w, alice, bob, objective, aliceToken } = await setup();
      const id = await w.keyResult(objective, { weight_milli: 1000, score: 10 });
      const created = t.clock.now;
      t.clock.now += 5000;
      const content = doc('新 KR ', bob.open_id);
      const { status, body } = await send('PATCH', `${V2}/key_results/${id}`, aliceToken, {
        content,
        score: 0.9,
        deadline: DEADLINE,
      });
      assert.equal(status, 200, JSON.stringify(body));
      const keyResult = expected(alice, {
        id,
        objective,
        position: 1,
        content,
        score: 0.9,
        weight: 1,
        created,
        updated: t.clock.now,
        deadline: DEADLINE,
      });
      assert.deepEqual(body, { code: 0, msg: 'success', data: { key_result: keyResult } });
      const row = await krRow(id);
      assert.deepEqual(JSON.parse(String(row!.content)), doc('新 KR ', bob.ref));
      assert.deepEqual(
        [row!.score, row!.deadline, row!.weight_milli, row!.updated_at, row!.score_last_updated_time, row!.created_at],
        [90, Number(DEADLINE), 1000, t.clock.now, t.clock.now, created],
      );
      assert.deepEqual((await send('GET', `${V2}/key_results/${id}`, aliceToken)).body.data.key_result, keyResult);
    });

    it('reorders and re-weights every key result of the objective', async () => {
      const { w, alice, objective, aliceToken } = await setup();
      const [a, b, c] = [
        await w.keyResult(objective, { weight_milli: 500 }),
        await w.keyResult(objective, { weight_milli: 300 }),
        await w.keyResult(objective, { weight_milli: 200 }),
      ];
      const before = t.clock.now;
      t.clock.now += 1000;
      const item = (id: string, position: number, weight: number, updated: number) =>
        expected(alice, {
          id,
          objective,
          position,
          content: paragraph(`item ${id.slice(-4)}`),
          weight,
          created: before,
          updated,
        });
      const moved = await send('PUT', `${V2}/objectives/${objective}/key_results_position`, aliceToken, {
        key_result_ids: [a, c, b],
      });
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      assert.deepEqual(moved.body, {
        code: 0,
        msg: 'success',
        data: { items: [item(a!, 1, 0.5, before), item(c!, 2, 0.2, t.clock.now), item(b!, 3, 0.3, t.clock.now)] },
      });
      assert.deepEqual(
        (await krsOf(objective)).map((r) => [r.id, r.position]),
        [
          [a, 1],
          [c, 2],
          [b, 3],
        ],
      );
      const moveTime = t.clock.now;
      t.clock.now += 1000;
      const weighed = await send('PUT', `${V2}/objectives/${objective}/key_results_weight`, aliceToken, {
        key_result_weights: [
          { key_result_id: b, weight: 0.3 },
          { key_result_id: a, weight: 0.1 },
          { key_result_id: c, weight: 0.6 },
        ],
      });
      assert.equal(weighed.status, 200, JSON.stringify(weighed.body));
      assert.deepEqual(weighed.body, {
        code: 0,
        msg: 'success',
        // b kept its weight, so it is not stamped again.
        data: { items: [item(a!, 1, 0.1, t.clock.now), item(c!, 2, 0.6, t.clock.now), item(b!, 3, 0.3, moveTime)] },
      });
      assert.deepEqual(
        (await krsOf(objective)).map((r) => [r.id, r.weight_milli]),
        [
          [a, 100],
          [c, 600],
          [b, 300],
        ],
      );
    });

    it('deletes a key result with its indicator, progress records and comments; the rest close ranks', async () => {
      const { w, alice, bob, cycle, objective, aliceToken } = await setup();
      const [a, b, c] = [
        await w.keyResult(objective, { weight_milli: 500 }),
        await w.keyResult(objective, { weight_milli: 250 }),
        await w.keyResult(objective, { weight_milli: 250 }),
      ];
      const now = t.clock.now;
      const records = [freshId(), freshId()];
      const comments = [freshId(), freshId(), freshId(), freshId()];
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
            progress_percent: 10,
            progress_status: 0,
            created_by: alice.ref,
            created_at: now,
            modify_time: now,
          });
        await record(records[0]!, 3, a!);
        await record(records[1]!, 3, b!); // kept
        const comment = (id: string, type: string, target: string, ref: string | null = null) =>
          insertRow(tx, 'comments', {
            id,
            tenant_id: w.tenantId,
            target_type: type,
            target_id: target,
            okr_id: cycle,
            thread_id: ref ?? id,
            ref_comment_id: ref,
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
        await comment(comments[0]!, 'key_result', a!);
        await comment(comments[1]!, 'key_result', a!, comments[0]!); // a reply in the thread
        await comment(comments[2]!, 'progress', records[0]!);
        await comment(comments[3]!, 'objective', objective); // kept
      });
      t.clock.now += 1000;
      const { status, body } = await send('DELETE', `${V2}/key_results/${a}`, aliceToken);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, { code: 0, msg: 'success', data: { key_result_id: a } });
      const left = await snapshot(w);
      const idsOf = (table: string) => (left[table] as { id: string }[]).map((r) => r.id);
      assert.deepEqual(idsOf('objectives'), [objective]);
      assert.deepEqual(
        (left.indicators as { entity_id: string }[]).map((r) => r.entity_id).sort(),
        [objective, b!, c!].sort(),
      );
      assert.deepEqual(idsOf('progress_records'), [records[1]]);
      assert.deepEqual(idsOf('comments'), [comments[3]]);
      assert.deepEqual(
        (await krsOf(objective)).map((r) => [r.id, r.position, r.weight_milli, r.updated_at]),
        [
          [b, 1, 500, t.clock.now],
          [c, 2, 500, t.clock.now],
        ],
      );
      const gone = await send('GET', `${V2}/key_results/${a}`, aliceToken);
      assert.deepEqual(
        [gone.status, gone.body.code, gone.body.msg],
        [400, 1001004, `okr data not found: key_result_id ${a}`],
      );
    });

    describe('refuses a broken rule with 1001001 naming the field, writing nothing', () => {
      type State = { objective: string; ids: string[]; outsider: string };
      const cases: {
        name: string;
        method: string;
        path: (s: State) => string;
        body: (s: State) => unknown;
        violations: (s: State) => { field: string; description: string }[];
      }[] = [
        {
          name: 'create without content',
          method: 'POST',
          path: (s) => `${V2}/objectives/${s.objective}/key_results`,
          body: () => ({ score: 0.1 }),
          violations: () => [{ field: 'content', description: 'is required' }],
        },
        {
          name: 'create with blank content',
          method: 'POST',
          path: (s) => `${V2}/objectives/${s.objective}/key_results`,
          body: () => ({ content: { blocks: [{ block_element_type: 'paragraph', paragraph: { elements: [] } }] } }),
          violations: () => [{ field: 'content', description: 'is required' }],
        },
        {
          name: 'create mentioning an unknown person',
          method: 'POST',
          path: (s) => `${V2}/objectives/${s.objective}/key_results`,
          body: () => ({ content: doc('x', 'ou_ghost') }),
          violations: () => [
            { field: 'content', description: 'mention.user_id ou_ghost is not a user of this tenant' },
          ],
        },
        {
          name: 'create with a deadline that is not a number',
          method: 'POST',
          path: (s) => `${V2}/objectives/${s.objective}/key_results`,
          body: () => ({ content: doc('x'), deadline: 'soon' }),
          violations: () => [{ field: 'deadline', description: 'must match pattern "^\\d{1,15}$"' }],
        },
        {
          name: 'create with a score of two decimals and a weight of four',
          method: 'POST',
          path: (s) => `${V2}/objectives/${s.objective}/key_results`,
          body: () => ({ content: doc('x'), score: 0.35, weight: 0.0005 }),
          violations: () => [
            { field: 'score', description: 'at most one decimal' },
            { field: 'weight', description: 'at most three decimals' },
          ],
        },
        {
          name: 'create with a negative weight',
          method: 'POST',
          path: (s) => `${V2}/objectives/${s.objective}/key_results`,
          body: () => ({ content: doc('x'), weight: -0.1 }),
          violations: () => [{ field: 'weight', description: 'must be >= 0' }],
        },
        {
          name: 'patch with blank content',
          method: 'PATCH',
          path: (s) => `${V2}/key_results/${s.ids[0]}`,
          body: () => ({ content: doc(' ') }),
          violations: () => [{ field: 'content', description: 'must not be empty' }],
        },
        {
          name: 'patch the weight',
          method: 'PATCH',
          path: (s) => `${V2}/key_results/${s.ids[0]}`,
          body: () => ({ weight: 0.2 }),
          violations: () => [
            {
              field: 'weight',
              description:
                'is not patchable (set weights with PUT /open-apis/okr/v2/objectives/:objective_id/key_results_weight)',
            },
          ],
        },
        {
          name: 'patch a score above 1',
          method: 'PATCH',
          path: (s) => `${V2}/key_results/${s.ids[0]}`,
          body: () => ({ score: 2 }),
          violations: () => [{ field: 'score', description: 'must be <= 1' }],
        },
        {
          name: 'an order that leaves one out',
          method: 'PUT',
          path: (s) => `${V2}/objectives/${s.objective}/key_results_position`,
          body: (s) => ({ key_result_ids: [s.ids[2], s.ids[0]] }),
          violations: (s) => [
            { field: 'key_result_ids', description: `${s.ids[1]} is missing: the order must list every item` },
          ],
        },
        {
          name: 'an order that lists one twice',
          method: 'PUT',
          path: (s) => `${V2}/objectives/${s.objective}/key_results_position`,
          body: (s) => ({ key_result_ids: [s.ids[2], s.ids[2], s.ids[0], s.ids[1]] }),
          violations: (s) => [{ field: 'key_result_ids', description: `${s.ids[2]} is listed more than once` }],
        },
        {
          name: "an order naming another objective's key result",
          method: 'PUT',
          path: (s) => `${V2}/objectives/${s.objective}/key_results_position`,
          body: (s) => ({ key_result_ids: [s.outsider, s.ids[0], s.ids[1], s.ids[2]] }),
          violations: (s) => [
            { field: 'key_result_ids', description: `${s.outsider} is not one of the items being ordered` },
          ],
        },
        {
          name: 'weights that sum to more than 1',
          method: 'PUT',
          path: (s) => `${V2}/objectives/${s.objective}/key_results_weight`,
          body: (s) => ({
            key_result_weights: [
              { key_result_id: s.ids[0], weight: 0.5 },
              { key_result_id: s.ids[1], weight: 0.5 },
              { key_result_id: s.ids[2], weight: 0.001 },
            ],
          }),
          violations: () => [{ field: 'key_result_weights', description: 'weights must sum to 1 (they sum to 1.001)' }],
        },
        {
          name: 'a weight of four decimals',
          method: 'PUT',
          path: (s) => `${V2}/objectives/${s.objective}/key_results_weight`,
          body: (s) => ({
            key_result_weights: [
              { key_result_id: s.ids[0], weight: 0.3333 },
              { key_result_id: s.ids[1], weight: 0.3333 },
              { key_result_id: s.ids[2], weight: 0.3334 },
            ],
          }),
          violations: () => [
            { field: 'key_result_weights[0].weight', description: 'at most three decimals' },
            { field: 'key_result_weights[1].weight', description: 'at most three decimals' },
            { field: 'key_result_weights[2].weight', description: 'at most three decimals' },
          ],
        },
        {
          name: "weights that name another objective's key result and leave one out",
          method: 'PUT',
          path: (s) => `${V2}/objectives/${s.objective}/key_results_weight`,
          body: (s) => ({
            key_result_weights: [
              { key_result_id: s.ids[0], weight: 0.5 },
              { key_result_id: s.ids[1], weight: 0.25 },
              { key_result_id: s.outsider, weight: 0.25 },
            ],
          }),
          violations: (s) => [
            {
              field: 'key_result_weights[2].key_result_id',
              description: `${s.outsider} is not a key result of this objective`,
            },
            {
              field: 'key_result_weights',
              description: `must weigh every key result of this objective (missing ${s.ids[2]})`,
            },
          ],
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const { w, cycle, objective, aliceToken } = await setup();
          const ids = [
            await w.keyResult(objective, { weight_milli: 500 }),
            await w.keyResult(objective, { weight_milli: 300 }),
            await w.keyResult(objective, { weight_milli: 200 }),
          ];
          const outsider = await w.keyResult(await w.objective(cycle));
          const state = { objective, ids, outsider };
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

      it('a 101st key result in an objective', async () => {
        const { w, objective, aliceToken } = await setup();
        for (let i = 0; i < 100; i++) await w.keyResult(objective, { weight_milli: 10 });
        const before = await snapshot(w);
        const { status, body } = await send('POST', `${V2}/objectives/${objective}/key_results`, aliceToken, {
          content: doc('one too many'),
        });
        assert.deepEqual(
          [status, body.code, body.msg],
          [400, 1001001, 'invalid parameters: objective_id: an objective holds at most 100 key results'],
        );
        assert.deepEqual(body.error.field_violations, [
          { field: 'objective_id', description: 'an objective holds at most 100 key results' },
        ]);
        assert.deepEqual(await snapshot(w), before);
      });
    });

    describe('permissions and unknown ids', () => {
      it('refuses every write to another person’s key results under a user token (1001002)', async () => {
        const { w, bob, objective } = await setup();
        const id = await w.keyResult(objective, { weight_milli: 1000 });
        const bobToken = await bob.token();
        const before = await snapshot(w);
        const writes: [string, string, unknown][] = [
          ['POST', `${V2}/objectives/${objective}/key_results`, { content: doc('x') }],
          ['PATCH', `${V2}/key_results/${id}`, { score: 0.5 }],
          ['DELETE', `${V2}/key_results/${id}`, {}],
          ['PUT', `${V2}/objectives/${objective}/key_results_position`, { key_result_ids: [id] }],
          [
            'PUT',
            `${V2}/objectives/${objective}/key_results_weight`,
            { key_result_weights: [{ key_result_id: id, weight: 1 }] },
          ],
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
        assert.equal((await send('GET', `${V2}/key_results/${id}`, bobToken)).status, 200);
      });

      it('hides the key results of a leaders-only OKR from others (1001002)', async () => {
        const { w, boss, bob, cycle, objective, aliceToken } = await setup();
        const id = await w.keyResult(objective);
        await writeTenant(t.db, w.tenantId, (tx) =>
          tx.run(`UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?`, [cycle, w.tenantId]),
        );
        for (const url of [`${V2}/key_results/${id}`, `${V2}/objectives/${objective}/key_results`]) {
          const { status, body } = await send('GET', url, await bob.token());
          assert.deepEqual([status, body.code, body.msg], [400, 1001002, 'no permission to read this OKR'], url);
          assert.equal((await send('GET', url, await boss.token())).status, 200, url);
          assert.equal((await send('GET', url, aliceToken)).status, 200, url);
        }
      });

      it('answers 1001004 naming unknown ids, and ids of hidden periods', async () => {
        const { w, alice, aliceToken } = await setup();
        const unknown = '7000000000000000009';
        const checks: [string, string, unknown, string][] = [
          ['GET', `${V2}/key_results/${unknown}`, undefined, `key_result_id ${unknown}`],
          ['PATCH', `${V2}/key_results/${unknown}`, { score: 0.1 }, `key_result_id ${unknown}`],
          ['DELETE', `${V2}/key_results/${unknown}`, undefined, `key_result_id ${unknown}`],
          ['GET', `${V2}/objectives/${unknown}/key_results`, undefined, `objective_id ${unknown}`],
          ['POST', `${V2}/objectives/${unknown}/key_results`, { content: doc('x') }, `objective_id ${unknown}`],
          [
            'PUT',
            `${V2}/objectives/${unknown}/key_results_position`,
            { key_result_ids: [unknown] },
            `objective_id ${unknown}`,
          ],
          [
            'PUT',
            `${V2}/objectives/${unknown}/key_results_weight`,
            { key_result_weights: [{ key_result_id: unknown, weight: 1 }] },
            `objective_id ${unknown}`,
          ],
        ];
        for (const [method, url, payload, named] of checks) {
          const { status, body } = await send(method, url, aliceToken, payload);
          assert.deepEqual([status, body.code, body.msg], [400, 1001004, `okr data not found: ${named}`], url);
        }
        const hidden = await w.objective(await w.cycle(alice, await w.period('2026-06', 3)));
        const inHidden = await w.keyResult(hidden);
        const { body } = await send('GET', `${V2}/key_results/${inHidden}`, aliceToken);
        assert.deepEqual([body.code, body.msg], [1001004, `okr data not found: key_result_id ${inHidden}`]);
      });

      it('lets a department’s leader write its team key results and refuses its members', async () => {
        const w = await newWorld(t);
        const leader = await w.person();
        const member = await w.person();
        const department = await w.department({ leader, members: [member] });
        const team = await w.cycle(department, await w.period('2026-01'));
        const objective = await w.objective(team);
        t.clock.now += 1000;
        const created = await send('POST', `${V2}/objectives/${objective}/key_results`, await leader.token(), {
          content: doc('团队 KR'),
          score: 0.2,
        });
        assert.equal(created.status, 200, JSON.stringify(created.body));
        const id = created.body.data.key_result_id;
        const memberToken = await member.token();
        for (const [method, url, payload] of [
          ['PATCH', `${V2}/key_results/${id}`, { score: 0.5 }],
          ['POST', `${V2}/objectives/${objective}/key_results`, { content: doc('x') }],
          ['DELETE', `${V2}/key_results/${id}`, {}],
        ] as const) {
          const refused = await send(method, url, memberToken, payload);
          assert.deepEqual([refused.status, refused.body.code], [400, 1001002], `${method} ${url}`);
        }
        const got = await send('GET', `${V2}/key_results/${id}`, memberToken);
        assert.deepEqual(got.body.data.key_result, {
          id,
          create_time: String(t.clock.now),
          update_time: String(t.clock.now),
          owner: { owner_type: 'department', department_id: department.open_department_id },
          objective_id: objective,
          position: 1,
          content: doc('团队 KR'),
          score: 0.2,
          weight: 1,
        });
      });
    });

    describe('one model behind v1 and v2', () => {
      it('shows in v1 batch_get what v2 created, patched, reordered and re-weighted', async () => {
        const { cycle, objective, aliceToken, tenant } = await setup();
        const create = async (text: string) =>
          (await send('POST', `${V2}/objectives/${objective}/key_results`, aliceToken, { content: doc(text) })).body
            .data.key_result_id as string;
        const a = await create('KR 甲');
        const b = await create('KR 乙');
        const c = await create('KR 丙');
        t.clock.now += 1000;
        await send('PATCH', `${V2}/key_results/${a}`, aliceToken, { score: 0.6, deadline: DEADLINE });
        await send('PUT', `${V2}/objectives/${objective}/key_results_position`, aliceToken, {
          key_result_ids: [b, c, a],
        });
        await send('PUT', `${V2}/objectives/${objective}/key_results_weight`, aliceToken, {
          key_result_weights: [
            { key_result_id: a, weight: 0.125 },
            { key_result_id: b, weight: 0.5 },
            { key_result_id: c, weight: 0.375 },
          ],
        });
        const okr = (await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${cycle}`, tenant)).body.data.okr_list[0];
        const krs = okr.objective_list[0].kr_list;
        assert.deepEqual(
          krs.map((k: Record<string, unknown>) => [k.id, k.content, k.score, k.weight, k.kr_weight]),
          [
            [b, 'KR 乙', 0, 50, 50],
            [c, 'KR 丙', 0, 38, 37.5],
            [a, 'KR 甲', 60, 13, 12.5],
          ],
        );
        assert.equal(krs[2].deadline, DEADLINE);
        assert.equal(krs[2].score_last_updated_time, String(t.clock.now));
      });

      it('shows v1 data through v2, and a v1 progress record leaves the v2 key result as it was', async () => {
        const { w, alice, cycle, objective, aliceToken } = await setup();
        const id = await w.keyResult(objective, { weight_milli: 333, score: 70, content: paragraph('v1 KR') });
        const created = t.clock.now;
        const before = (await send('GET', `${V2}/key_results/${id}`, aliceToken)).body.data.key_result;
        assert.deepEqual(
          before,
          expected(alice, {
            id,
            objective,
            position: 1,
            content: paragraph('v1 KR'),
            score: 0.7,
            weight: 0.333,
            created,
          }),
        );
        t.clock.now += 1000;
        const record = await send('POST', '/open-apis/okr/v1/progress_records', aliceToken, {
          source_title: '周报',
          source_url: 'https://weekly.test/2',
          target_id: id,
          target_type: 3,
          content: { blocks: [] },
          progress_rate: { percent: 55.5, status: 0 },
        });
        assert.equal(record.status, 200, JSON.stringify(record.body));
        const afterRecord = (await send('GET', `${V2}/key_results/${id}`, aliceToken)).body.data.key_result;
        assert.deepEqual(afterRecord, { ...before, update_time: String(t.clock.now) });
        const listed = (await send('GET', `${V2}/objectives/${objective}/key_results`, aliceToken)).body.data.items;
        assert.deepEqual(listed, [afterRecord]);
        const kr = (await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${cycle}`, aliceToken)).body.data.okr_list[0]
          .objective_list[0].kr_list[0];
        assert.deepEqual(
          [kr.score, kr.kr_weight, kr.progress_rate, kr.progress_record_list],
          [70, 33.3, { percent: 56, status: '0' }, [{ id: record.body.data.progress_id }]],
        );
      });
    });
  });
}
