// Every okr.v2 method of the official Node SDK (spec §4, §6) and the comment endpoints (§4.8, through client.request)
// against a listening okrd: envelopes, data, paging walked by listWithIterator, and errors as the SDK surfaces them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import type { CategoryRow, PeriodRow } from '../../src/store/rows.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person, type World } from '../helpers/factories.js';
import { listenForSdk, rejection, sdkClient } from '../helpers/sdk.js';

/** A one-paragraph v2 rich text. */
const text = (s: string) => ({
  blocks: [
    {
      block_element_type: 'paragraph' as const,
      paragraph: { elements: [{ paragraph_element_type: 'textRun' as const, text_run: { text: s } }] },
    },
  ],
});

/** The same paragraph as v1 progress-record rich text. */
const v1Text = (s: string) => ({
  blocks: [
    { type: 'paragraph' as const, paragraph: { elements: [{ type: 'textRun' as const, textRun: { text: s } }] } },
  ],
});

const idsOf = (items: readonly { id: string }[] | undefined) => (items ?? []).map((i) => i.id);

/**
 * Every page a listWithIterator yields: each must be a page's `data` without has_more/page_token (the SDK strips them),
 * never null (a failed request), and the walk must end.
 */
async function walk<T>(iterable: Promise<AsyncIterable<{ items?: T[] } | null>>): Promise<T[][]> {
  const pages: T[][] = [];
  for await (const page of await iterable) {
    assert.ok(page?.items, `page ${pages.length + 1} of the iterator is a failed request: ${JSON.stringify(page)}`);
    assert.deepEqual(Object.keys(page), ['items']);
    pages.push(page.items);
    assert.ok(pages.length <= 20, 'the iterator does not stop');
  }
  return pages;
}

/** The envelope and field violations of a 1001001 the SDK threw. */
async function invalid(call: Promise<unknown>) {
  const { status, data } = await rejection(call);
  assert.equal(data.code, 1001001, JSON.stringify(data));
  return { status, violations: data.error?.field_violations as { field: string; description: string }[] };
}

for (const dialect of DIALECTS) {
  describe(`official Node SDK: every okr.v2 method [${dialect}]`, () => {
    let t: TestApp;
    let w: World;
    let client: lark.Client;
    let me: Person;
    let leader: Person;
    let periods: PeriodRow[];
    const asUser = async (p: Person) => lark.withUserAccessToken(await p.token());

    before(async () => {
      t = await testApp(dialect);
      const domain = await listenForSdk(t);
      w = await newWorld(t);
      client = sdkClient(domain, w.appSecret, w.appId);
      leader = await w.person({ name_zh: '领导', name_en: 'Leader' });
      me = await w.person({ name_zh: '我', name_en: 'Me', leader });
      periods = [];
      for (const month of ['2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01']) {
        periods.push(await w.period(month));
      }
    });
    after(() => t.close());

    /** The person's cycle in `period`, through okrCycle.list (which creates the person's cycles on first access). */
    const cycleIn = async (p: Person, period: PeriodRow) => {
      const res = await client.okr.v2.okrCycle.list({ params: { user_id: p.open_id, page_size: 100 } });
      return res.data!.items!.find((c) => c.tenant_cycle_id === period.id)!.id;
    };
    const objective = async (cycleId: string, content: string, opts: { weight?: number } = {}) => {
      const res = await client.okr.v2.okrCycleObjective.create({
        path: { cycle_id: cycleId },
        data: { content: text(content), ...opts },
      });
      assert.equal(res.code, 0, JSON.stringify(res));
      return res.data!.objective_id!;
    };
    const keyResult = async (objectiveId: string, content: string) => {
      const res = await client.okr.v2.okrObjectiveKeyResult.create({
        path: { objective_id: objectiveId },
        data: { content: text(content) },
      });
      assert.equal(res.code, 0, JSON.stringify(res));
      return res.data!.key_result_id!;
    };

    it('okrCycle.list / listWithIterator: a cycle per period, made on first access, newest first, over pages', async () => {
      const newbie = await w.person();
      const owned = () =>
        t.db.read((tx) => tx.all<{ id: string }>('SELECT id FROM okrs WHERE owner_id = ? ORDER BY id', [newbie.ref]));
      assert.deepEqual(await owned(), []);
      const now = t.clock.now;

      const first = await client.okr.v2.okrCycle.list({ params: { user_id: newbie.open_id, page_size: 3 } });
      assert.equal(first.code, 0);
      assert.equal(first.msg, 'success');
      assert.equal(first.data?.has_more, true);
      assert.equal(typeof first.data?.page_token, 'string');
      const made = await owned();
      assert.equal(made.length, periods.length);
      const newest = [...periods].reverse();
      const expected = (p: PeriodRow, id: string) => ({
        id,
        create_time: String(now),
        update_time: String(now),
        tenant_cycle_id: p.id,
        owner: { owner_type: 'user', user_id: newbie.open_id },
        start_time: String(p.period_start_time),
        end_time: String(p.period_end_time),
        cycle_status: 0,
      });
      assert.deepEqual(
        first.data?.items,
        newest.slice(0, 3).map((p, i) => expected(p, first.data!.items![i]!.id)),
      );

      // The second page, as the person (user token, user_id_type union_id).
      const second = await client.okr.v2.okrCycle.list(
        {
          params: {
            user_id: newbie.union_id,
            user_id_type: 'union_id',
            page_size: 3,
            page_token: first.data!.page_token!,
          },
        },
        await asUser(newbie),
      );
      assert.equal(second.code, 0);
      assert.deepEqual(
        second.data?.items?.map((c) => [c.tenant_cycle_id, c.owner]),
        newest.slice(3, 6).map((p) => [p.id, { owner_type: 'user', user_id: newbie.union_id }]),
      );

      const pages = await walk(
        client.okr.v2.okrCycle.listWithIterator({ params: { user_id: newbie.open_id, page_size: 3 } }),
      );
      assert.deepEqual(
        pages.map((p) => p.length),
        [3, 3, 2],
      );
      const all = pages.flat();
      assert.deepEqual(
        all.map((c) => c.tenant_cycle_id),
        newest.map((p) => p.id),
      );
      // Stable ids: the walk (and the user-token page) created nothing more.
      assert.deepEqual(idsOf(all).sort(), made.map((r) => r.id).sort());
      assert.deepEqual(all.slice(0, 3), first.data?.items);
      assert.deepEqual(await owned(), made);

      const byUser = await walk(
        client.okr.v2.okrCycle.listWithIterator(
          { params: { user_id: newbie.open_id, page_size: 5 } },
          await asUser(newbie),
        ),
      );
      assert.deepEqual(idsOf(byUser.flat()), idsOf(all));
    });

    it('okrCategory.list / listWithIterator: oldest first, filtered by owner_type, over pages', async () => {
      const made: CategoryRow[] = [];
      for (const [category_type, color, name_zh, name_en] of [
        ['person', 'blue', '增长', 'Growth'],
        ['team', 'wathet', '交付', 'Delivery'],
        ['person', 'orange', '质量', 'Quality'],
        ['person', 'indigo', '', 'Hiring'],
      ] as const) {
        made.push(await t.services.categories.create(w.tenantId, { category_type, color, name_zh, name_en }));
      }
      const view = (c: CategoryRow) => ({
        id: c.id,
        create_time: String(c.created_at),
        update_time: String(c.updated_at),
        category_type: c.category_type,
        enabled: true,
        color: c.color,
        name: { ...(c.name_zh ? { zh: c.name_zh } : {}), en: c.name_en },
      });

      const first = await client.okr.v2.okrCategory.list({ params: { page_size: 3 } });
      assert.deepEqual(first, {
        code: 0,
        msg: 'success',
        data: { has_more: true, page_token: first.data!.page_token, items: made.slice(0, 3).map(view) },
      });
      const rest = await client.okr.v2.okrCategory.list(
        { params: { page_size: 3, page_token: first.data!.page_token! } },
        await asUser(me),
      );
      assert.deepEqual(rest, { code: 0, msg: 'success', data: { has_more: false, items: [view(made[3]!)] } });

      const pages = await walk(client.okr.v2.okrCategory.listWithIterator({ params: { page_size: 2 } }));
      assert.deepEqual(pages, [made.slice(0, 2).map(view), made.slice(2).map(view)]);
      const people = await walk(
        client.okr.v2.okrCategory.listWithIterator({ params: { page_size: 2, owner_type: 'user' } }, await asUser(me)),
      );
      assert.deepEqual(people, [[view(made[0]!), view(made[2]!)], [view(made[3]!)]]);
      const teams = await client.okr.v2.okrCategory.list({ params: { owner_type: 'department' } });
      assert.deepEqual(teams.data, { has_more: false, items: [view(made[1]!)] });
    });

    it('objectives: create, list, listWithIterator, get, patch, objectivesWeight, objectivesPosition, delete', async () => {
      const cycleId = await cycleIn(me, periods[0]!);
      const now = t.clock.now;
      const created = await client.okr.v2.okrCycleObjective.create({
        path: { cycle_id: cycleId },
        data: { content: text('O1 增长'), notes: text('说明'), deadline: '1767139200000', score: 0.3 },
      });
      assert.deepEqual(created, { code: 0, msg: 'success', data: { objective_id: created.data!.objective_id } });
      const o1 = created.data!.objective_id!;
      const o2 = await objective(cycleId, 'O2');
      const o3 = await objective(cycleId, 'O3');
      const owner = { owner_type: 'user', user_id: me.open_id };
      const view = (id: string, position: number, content: string, weight: number) => ({
        id,
        create_time: String(now),
        update_time: String(now),
        owner,
        cycle_id: cycleId,
        position,
        content: text(content),
        score: 0,
        notes: { blocks: [] },
        weight,
      });
      const v1 = { ...view(o1, 1, 'O1 增长', 0.334), score: 0.3, notes: text('说明'), deadline: '1767139200000' };
      const all = [v1, view(o2, 2, 'O2', 0.333), view(o3, 3, 'O3', 0.333)];

      const first = await client.okr.v2.okrCycleObjective.list({
        path: { cycle_id: cycleId },
        params: { page_size: 2 },
      });
      assert.deepEqual(first, {
        code: 0,
        msg: 'success',
        data: { has_more: true, page_token: first.data!.page_token, items: all.slice(0, 2) },
      });
      const second = await client.okr.v2.okrCycleObjective.list(
        { path: { cycle_id: cycleId }, params: { page_size: 2, page_token: first.data!.page_token! } },
        await asUser(leader),
      );
      assert.deepEqual(second.data, { has_more: false, items: all.slice(2) });
      const pages = await walk(
        client.okr.v2.okrCycleObjective.listWithIterator({ path: { cycle_id: cycleId }, params: { page_size: 2 } }),
      );
      assert.deepEqual(pages, [all.slice(0, 2), all.slice(2)]);

      const got = await client.okr.v2.okrObjective.get({ path: { objective_id: o1 } }, await asUser(me));
      assert.deepEqual(got, { code: 0, msg: 'success', data: { objective: v1 } });

      const [category] = (await client.okr.v2.okrCategory.list({ params: { owner_type: 'user' } })).data!.items!;
      t.clock.now += 1000;
      const patched = await client.okr.v2.okrObjective.patch(
        {
          path: { objective_id: o2 },
          data: {
            content: text('O2 改'),
            score: 0.7,
            notes: text('新说明'),
            deadline: '1767225600000',
            category_id: category!.id,
          },
        },
        await asUser(me),
      );
      const v2 = {
        ...view(o2, 2, 'O2 改', 0.333),
        update_time: String(t.clock.now),
        score: 0.7,
        notes: text('新说明'),
        deadline: '1767225600000',
        category_id: category!.id,
      };
      assert.deepEqual(patched, { code: 0, msg: 'success', data: { objective: v2 } });

      const weighed = await client.okr.v2.okrCycle.objectivesWeight(
        {
          path: { cycle_id: cycleId },
          data: {
            objective_weights: [
              { objective_id: o3, weight: 0.2 },
              { objective_id: o1, weight: 0.5 },
              { objective_id: o2, weight: 0.3 },
            ],
          },
        },
        await asUser(me),
      );
      assert.equal(weighed.code, 0);
      assert.deepEqual(
        weighed.data?.items?.map((o) => [o.id, o.position, o.weight]),
        [
          [o1, 1, 0.5],
          [o2, 2, 0.3],
          [o3, 3, 0.2],
        ],
      );
      assert.deepEqual(weighed.data?.items?.[0], { ...v1, weight: 0.5, update_time: String(t.clock.now) });

      const ordered = await client.okr.v2.okrCycle.objectivesPosition({
        path: { cycle_id: cycleId },
        data: { objective_ids: [o3, o1, o2] },
      });
      assert.equal(ordered.code, 0);
      assert.deepEqual(
        ordered.data?.items?.map((o) => [o.id, o.position, o.weight]),
        [
          [o3, 1, 0.2],
          [o1, 2, 0.5],
          [o2, 3, 0.3],
        ],
      );
      const listed = await client.okr.v2.okrCycleObjective.list({ path: { cycle_id: cycleId } });
      assert.deepEqual(listed.data, { has_more: false, items: ordered.data?.items });

      const deleted = await client.okr.v2.okrObjective.delete({ path: { objective_id: o1 } }, await asUser(me));
      assert.deepEqual(deleted, { code: 0, msg: 'success', data: { objective_id: o1 } });
      const left = await client.okr.v2.okrCycleObjective.list({ path: { cycle_id: cycleId } });
      // Positions close up and the weights left share 1 in proportion (decisions.md OQ-32).
      assert.deepEqual(
        left.data?.items?.map((o) => [o.id, o.position, o.weight]),
        [
          [o3, 1, 0.4],
          [o2, 2, 0.6],
        ],
      );
      const gone = await rejection(client.okr.v2.okrObjective.get({ path: { objective_id: o1 } }));
      assert.deepEqual([gone.status, gone.data.code], [400, 1001004]);
    });

    it('key results: create, list, listWithIterator, get, patch, keyResultsWeight, keyResultsPosition, delete', async () => {
      const cycleId = await cycleIn(me, periods[1]!);
      const o = await objective(cycleId, 'O');
      const now = t.clock.now;
      const created = await client.okr.v2.okrObjectiveKeyResult.create(
        { path: { objective_id: o }, data: { content: text('KR1'), deadline: '1767139200000', score: 0.5 } },
        await asUser(me),
      );
      assert.deepEqual(created, { code: 0, msg: 'success', data: { key_result_id: created.data!.key_result_id } });
      const k1 = created.data!.key_result_id!;
      const k2 = await keyResult(o, 'KR2');
      const k3 = await keyResult(o, 'KR3');
      const view = (id: string, position: number, content: string, weight: number) => ({
        id,
        create_time: String(now),
        update_time: String(now),
        owner: { owner_type: 'user', user_id: me.open_id },
        objective_id: o,
        position,
        content: text(content),
        score: 0,
        weight,
      });
      const all = [
        { ...view(k1, 1, 'KR1', 0.334), score: 0.5, deadline: '1767139200000' },
        view(k2, 2, 'KR2', 0.333),
        view(k3, 3, 'KR3', 0.333),
      ];

      const first = await client.okr.v2.okrObjectiveKeyResult.list({
        path: { objective_id: o },
        params: { page_size: 2 },
      });
      assert.deepEqual(first, {
        code: 0,
        msg: 'success',
        data: { has_more: true, page_token: first.data!.page_token, items: all.slice(0, 2) },
      });
      const pages = await walk(
        client.okr.v2.okrObjectiveKeyResult.listWithIterator(
          { path: { objective_id: o }, params: { page_size: 2 } },
          await asUser(leader),
        ),
      );
      assert.deepEqual(pages, [all.slice(0, 2), all.slice(2)]);

      const got = await client.okr.v2.okrKeyResult.get({ path: { key_result_id: k1 } }, await asUser(me));
      assert.deepEqual(got, { code: 0, msg: 'success', data: { key_result: all[0] } });

      t.clock.now += 1000;
      const patched = await client.okr.v2.okrKeyResult.patch({
        path: { key_result_id: k2 },
        data: { content: text('KR2 改'), score: 1, deadline: '1767225600000' },
      });
      assert.deepEqual(patched, {
        code: 0,
        msg: 'success',
        data: {
          key_result: {
            ...view(k2, 2, 'KR2 改', 0.333),
            update_time: String(t.clock.now),
            score: 1,
            deadline: '1767225600000',
          },
        },
      });

      const weighed = await client.okr.v2.okrObjective.keyResultsWeight(
        {
          path: { objective_id: o },
          data: {
            key_result_weights: [
              { key_result_id: k1, weight: 0.25 },
              { key_result_id: k2, weight: 0.25 },
              { key_result_id: k3, weight: 0.5 },
            ],
          },
        },
        await asUser(me),
      );
      assert.equal(weighed.code, 0);
      assert.deepEqual(
        weighed.data?.items?.map((k) => [k.id, k.position, k.weight]),
        [
          [k1, 1, 0.25],
          [k2, 2, 0.25],
          [k3, 3, 0.5],
        ],
      );
      const ordered = await client.okr.v2.okrObjective.keyResultsPosition({
        path: { objective_id: o },
        data: { key_result_ids: [k2, k3, k1] },
      });
      assert.equal(ordered.code, 0);
      assert.deepEqual(
        ordered.data?.items?.map((k) => [k.id, k.position, k.weight]),
        [
          [k2, 1, 0.25],
          [k3, 2, 0.5],
          [k1, 3, 0.25],
        ],
      );
      assert.deepEqual(
        (await client.okr.v2.okrObjectiveKeyResult.list({ path: { objective_id: o } })).data?.items,
        ordered.data?.items,
      );

      const deleted = await client.okr.v2.okrKeyResult.delete({ path: { key_result_id: k3 } }, await asUser(me));
      assert.deepEqual(deleted, { code: 0, msg: 'success', data: { key_result_id: k3 } });
      const left = await client.okr.v2.okrObjectiveKeyResult.list({ path: { objective_id: o } });
      assert.deepEqual(
        left.data?.items?.map((k) => [k.id, k.position, k.weight]),
        [
          [k2, 1, 0.5],
          [k1, 2, 0.5],
        ],
      );
      const gone = await rejection(client.okr.v2.okrKeyResult.get({ path: { key_result_id: k3 } }));
      assert.deepEqual([gone.status, gone.data.code], [400, 1001004]);
    });

    it('indicators: okrObjectiveIndicator.list, okrKeyResultIndicator.list, okrIndicator.patch', async () => {
      const cycleId = await cycleIn(me, periods[2]!);
      const now = t.clock.now;
      const o = await objective(cycleId, 'O');
      const k = await keyResult(o, 'KR');
      const owner = { owner_type: 'user', user_id: me.open_id };
      const fresh = (entity_type: number, entity_id: string, id: string) => ({
        id,
        create_time: String(now),
        update_time: String(now),
        owner,
        entity_type,
        entity_id,
        indicator_status: -1,
        status_calculate_type: 0,
        current_value_calculate_type: 0,
        unit: { unit_type: 0, unit_value: 'NONE' },
      });

      const ofObjective = await client.okr.v2.okrObjectiveIndicator.list({ path: { objective_id: o } });
      const oi = ofObjective.data!.indicator!.id;
      assert.deepEqual(ofObjective, { code: 0, msg: 'success', data: { indicator: fresh(2, o, oi) } });
      const ofKr = await client.okr.v2.okrKeyResultIndicator.list(
        { path: { key_result_id: k }, params: { user_id_type: 'union_id' } },
        await asUser(leader),
      );
      const ki = ofKr.data!.indicator!.id;
      assert.deepEqual(ofKr.data, {
        indicator: { ...fresh(3, k, ki), owner: { owner_type: 'user', user_id: me.union_id } },
      });

      t.clock.now += 1000;
      const patched = await client.okr.v2.okrIndicator.patch(
        {
          path: { indicator_id: ki },
          data: {
            unit: { unit_type: 0, unit_value: 'PERCENT' },
            start_value: 0,
            target_value: 100,
            current_value: 40,
            indicator_status: 1,
          },
        },
        await asUser(me),
      );
      assert.deepEqual(patched, {
        code: 0,
        msg: 'success',
        data: {
          indicator: {
            ...fresh(3, k, ki),
            update_time: String(t.clock.now),
            indicator_status: 1,
            start_value: 0,
            target_value: 100,
            current_value: 40,
            unit: { unit_type: 0, unit_value: 'PERCENT' },
          },
        },
      });
      // The objective's current value from its key results: the one KR (weight 1) stands at 40 %.
      const fromKrs = await client.okr.v2.okrIndicator.patch({
        path: { indicator_id: oi },
        data: { current_value_calculate_type: 1, status_calculate_type: 2 },
      });
      assert.deepEqual(fromKrs.data, {
        indicator: {
          ...fresh(2, o, oi),
          update_time: String(t.clock.now),
          indicator_status: 1,
          status_calculate_type: 2,
          current_value_calculate_type: 1,
          current_value: 40,
        },
      });
      assert.deepEqual(
        (await client.okr.v2.okrObjectiveIndicator.list({ path: { objective_id: o } })).data,
        fromKrs.data,
      );

      const refused = await invalid(
        client.okr.v2.okrIndicator.patch({ path: { indicator_id: oi }, data: { target_value: 10 } }),
      );
      assert.deepEqual(refused, {
        status: 400,
        violations: [{ field: 'target_value', description: "cannot be set on an objective's indicator" }],
      });
    });

    it('alignments: okrObjectiveAlignment.create / list / listWithIterator, okrAlignment.get / delete', async () => {
      const mine = await objective(await cycleIn(me, periods[3]!), 'mine');
      const leaderCycle = await cycleIn(leader, periods[3]!);
      const theirs = [await objective(leaderCycle, 'L1'), await objective(leaderCycle, 'L2')];
      theirs.push(await objective(leaderCycle, 'L3'));
      const now = t.clock.now;

      // The first as me (user token), the others as the app (tenant token).
      const created: string[] = [];
      for (const [i, to] of theirs.entries()) {
        const payload = { path: { objective_id: mine }, data: { to_entity_type: 2, to_entity_id: to } };
        const res =
          i === 0
            ? await client.okr.v2.okrObjectiveAlignment.create(payload, await asUser(me))
            : await client.okr.v2.okrObjectiveAlignment.create(payload);
        assert.deepEqual(res, { code: 0, msg: 'success', data: { alignment_id: res.data!.alignment_id } });
        created.push(res.data!.alignment_id!);
      }
      const view = (id: string, to: string) => ({
        id,
        create_time: String(now),
        update_time: String(now),
        from_owner: { owner_type: 'user', user_id: me.open_id },
        to_owner: { owner_type: 'user', user_id: leader.open_id },
        from_entity_type: 2,
        from_entity_id: mine,
        to_entity_type: 2,
        to_entity_id: to,
      });
      const all = created.map((id, i) => view(id, theirs[i]!));

      const first = await client.okr.v2.okrObjectiveAlignment.list({
        path: { objective_id: mine },
        params: { page_size: 2, align_type: 'aligning' },
      });
      assert.deepEqual(first, {
        code: 0,
        msg: 'success',
        data: { has_more: true, page_token: first.data!.page_token, items: all.slice(0, 2) },
      });
      const pages = await walk(
        client.okr.v2.okrObjectiveAlignment.listWithIterator(
          { path: { objective_id: mine }, params: { page_size: 2 } },
          await asUser(leader),
        ),
      );
      assert.deepEqual(pages, [all.slice(0, 2), all.slice(2)]);
      const aligned = await client.okr.v2.okrObjectiveAlignment.list({
        path: { objective_id: theirs[1]! },
        params: { align_type: 'aligned' },
      });
      assert.deepEqual(aligned.data, { has_more: false, items: [all[1]] });
      const none = await client.okr.v2.okrObjectiveAlignment.list({
        path: { objective_id: mine },
        params: { align_type: 'aligned' },
      });
      assert.deepEqual(none.data, { has_more: false, items: [] });

      const got = await client.okr.v2.okrAlignment.get(
        { path: { alignment_id: created[0]! }, params: { user_id_type: 'union_id' } },
        await asUser(me),
      );
      assert.deepEqual(got, {
        code: 0,
        msg: 'success',
        data: {
          alignment: {
            ...all[0],
            from_owner: { owner_type: 'user', user_id: me.union_id },
            to_owner: { owner_type: 'user', user_id: leader.union_id },
          },
        },
      });

      // The owner of the objective aligned to may remove the alignment too; both objectives stay.
      const deleted = await client.okr.v2.okrAlignment.delete(
        { path: { alignment_id: created[0]! } },
        await asUser(leader),
      );
      assert.deepEqual(deleted, { code: 0, msg: 'success', data: { alignment_id: created[0] } });
      const left = await client.okr.v2.okrObjectiveAlignment.list({ path: { objective_id: mine } });
      assert.deepEqual(left.data, { has_more: false, items: all.slice(1) });
      assert.equal((await client.okr.v2.okrObjective.get({ path: { objective_id: theirs[0]! } })).code, 0);
      const gone = await rejection(client.okr.v2.okrAlignment.get({ path: { alignment_id: created[0]! } }));
      assert.deepEqual([gone.status, gone.data.code], [400, 1001004]);
    });

    it('progress: v1 records read through okrObjectiveProgress and okrKeyResultProgress, newest first, over pages', async () => {
      const o = await objective(await cycleIn(me, periods[4]!), 'O');
      const k = await keyResult(o, 'KR');
      const write = async (target_id: string, target_type: number, n: number) => {
        t.clock.now += 1000;
        const res = await client.okr.progressRecord.create({
          data: {
            source_title: 'SDK',
            source_url: 'https://example.com/sdk',
            target_id,
            target_type,
            content: v1Text(`进展 ${n}`),
            progress_rate: { percent: n * 10, status: n % 3 },
          },
        });
        assert.equal(res.code, 0, JSON.stringify(res));
        return {
          id: res.data!.progress_id!,
          create_time: String(t.clock.now),
          update_time: String(t.clock.now),
          owner: { owner_type: 'user', user_id: me.open_id },
          entity_type: target_type,
          entity_id: target_id,
          content: text(`进展 ${n}`),
          progress_rate: { progress_percent: n * 10, progress_status: n % 3 },
        };
      };
      const onObjective = [await write(o, 2, 1), await write(o, 2, 2), await write(o, 2, 3)].reverse();
      const onKr = [await write(k, 3, 4), await write(k, 3, 5), await write(k, 3, 6)].reverse();

      const first = await client.okr.v2.okrObjectiveProgress.list({
        path: { objective_id: o },
        params: { page_size: 2 },
      });
      assert.deepEqual(first, {
        code: 0,
        msg: 'success',
        data: { has_more: true, page_token: first.data!.page_token, items: onObjective.slice(0, 2) },
      });
      assert.deepEqual(
        await walk(
          client.okr.v2.okrObjectiveProgress.listWithIterator(
            { path: { objective_id: o }, params: { page_size: 2 } },
            await asUser(leader),
          ),
        ),
        [onObjective.slice(0, 2), onObjective.slice(2)],
      );

      const kr = await client.okr.v2.okrKeyResultProgress.list(
        { path: { key_result_id: k }, params: { page_size: 2 } },
        await asUser(me),
      );
      assert.deepEqual(kr.data, { has_more: true, page_token: kr.data!.page_token, items: onKr.slice(0, 2) });
      assert.deepEqual(
        await walk(
          client.okr.v2.okrKeyResultProgress.listWithIterator({ path: { key_result_id: k }, params: { page_size: 2 } }),
        ),
        [onKr.slice(0, 2), onKr.slice(2)],
      );
    });

    it('comments through client.request: create (selection, reply), list, get, patch, solve, reopen, delete', async () => {
      const o = await objective(await cycleIn(me, periods[5]!), '提升留存率到 40%');
      const PATH = 'open-apis/okr/v2/comments';
      const as = (p: Person) => async (method: string, url: string, params?: object, data?: object) =>
        client.request<any>({ method, url, params, data }, await asUser(p));
      const byLeader = as(leader);
      const byMe = as(me);
      const target = { target_type: 'objective', target_id: o };
      const now = t.clock.now;

      const started = await byLeader('POST', PATH, undefined, {
        target,
        content: text('为什么是 40%?'),
        selected_text: '40%',
      });
      assert.deepEqual(started, {
        code: 0,
        msg: 'success',
        data: { comment_id: started.data.comment_id, selection_id: started.data.selection_id },
      });
      const starter = started.data.comment_id as string;
      t.clock.now += 1000;
      const replied = await byMe('POST', PATH, undefined, {
        target,
        content: text('去年是 35%'),
        ref_comment_id: starter,
      });
      assert.deepEqual(replied, { code: 0, msg: 'success', data: { comment_id: replied.data.comment_id } });
      const reply = replied.data.comment_id as string;
      t.clock.now += 1000;
      const other = (await byLeader('POST', PATH, undefined, { target, content: text('另一个问题') })).data
        .comment_id as string;

      const starterView = {
        id: starter,
        target,
        commentator_id: leader.open_id,
        status: 'open',
        create_time: String(now),
        update_time: String(now),
        content: text('为什么是 40%?'),
        selection: { id: started.data.selection_id, selected_text: '40%' },
      };
      const replyView = {
        id: reply,
        target,
        commentator_id: me.open_id,
        status: 'open',
        create_time: String(now + 1000),
        update_time: String(now + 1000),
        content: text('去年是 35%'),
        ref_comment_id: starter,
      };
      const otherView = {
        id: other,
        target,
        commentator_id: leader.open_id,
        status: 'open',
        create_time: String(now + 2000),
        update_time: String(now + 2000),
        content: text('另一个问题'),
      };

      const first = await byMe('GET', PATH, { ...target, page_size: 2 });
      assert.deepEqual(first, {
        code: 0,
        msg: 'success',
        data: { has_more: true, page_token: first.data.page_token, items: [starterView, replyView] },
      });
      // A tenant token reads comments too.
      const second = await client.request<any>({
        method: 'GET',
        url: PATH,
        params: { ...target, page_size: 2, page_token: first.data.page_token },
      });
      assert.deepEqual(second, { code: 0, msg: 'success', data: { has_more: false, items: [otherView] } });

      const got = await byMe('GET', `${PATH}/${starter}`, { user_id_type: 'union_id' });
      assert.deepEqual(got, {
        code: 0,
        msg: 'success',
        data: { comment: { ...starterView, commentator_id: leader.union_id } },
      });

      t.clock.now += 1000;
      const patched = await byLeader('PATCH', `${PATH}/${starter}`, undefined, { content: text('为什么是 40%？') });
      const edited = { ...starterView, content: text('为什么是 40%？'), update_time: String(t.clock.now) };
      assert.deepEqual(patched, { code: 0, msg: 'success', data: { comment: edited } });

      // The objective's owner solves the leader's thread: both comments of it change, the other thread does not.
      t.clock.now += 1000;
      const solved = await byMe('POST', `${PATH}/${reply}/solve`);
      const solvedAt = String(t.clock.now);
      const solvedBy = { status: 'solved', solver_id: me.open_id, solved_time: solvedAt, update_time: solvedAt };
      assert.deepEqual(solved, {
        code: 0,
        msg: 'success',
        data: {
          affected_comments: [
            { ...edited, ...solvedBy },
            { ...replyView, ...solvedBy },
          ],
        },
      });
      t.clock.now += 1000;
      const reopened = await byLeader('POST', `${PATH}/${starter}/reopen`);
      const reopenedAt = String(t.clock.now);
      assert.deepEqual(reopened, {
        code: 0,
        msg: 'success',
        data: {
          affected_comments: [
            { ...edited, update_time: reopenedAt },
            { ...replyView, update_time: reopenedAt },
          ],
        },
      });

      const deleted = await byLeader('DELETE', `${PATH}/${other}`);
      assert.deepEqual(deleted, { code: 0, msg: 'success' });
      const gone = await rejection(byMe('GET', `${PATH}/${other}`));
      assert.deepEqual([gone.status, gone.data.code], [400, 1001004]);
      const rest = await byMe('GET', PATH, target);
      assert.deepEqual(idsOf(rest.data.items), [starter, reply]);

      // Writing a comment takes a user token; someone else's comment cannot be edited.
      const tenant = await rejection(
        client.request({ method: 'POST', url: PATH, data: { target, content: text('app') } }),
      );
      assert.deepEqual([tenant.status, tenant.data.code], [400, 99991663]);
      const notMine = await rejection(byMe('PATCH', `${PATH}/${starter}`, undefined, { content: text('x') }));
      assert.deepEqual([notMine.status, notMine.data.code], [400, 1001002]);
    });

    it('errors through the SDK: 1001001 with field_violations, 1001002, 1001004, and nothing written', async () => {
      const cycleId = await cycleIn(me, periods[6]!);
      const o1 = await objective(cycleId, 'O1');
      const o2 = await objective(cycleId, 'O2');
      const k1 = await keyResult(o1, 'K1');
      const k2 = await keyResult(o1, 'K2');
      const snapshot = () =>
        t.db.read(async (tx) => [
          await tx.all('SELECT * FROM objectives WHERE okr_id = ? ORDER BY id', [cycleId]),
          await tx.all('SELECT * FROM key_results WHERE okr_id = ? ORDER BY id', [cycleId]),
          await tx.all('SELECT * FROM alignments WHERE from_objective_id IN (?, ?) ORDER BY id', [o1, o2]),
        ]);
      const before = await snapshot();
      const user = await asUser(me);

      assert.deepEqual(
        await invalid(
          client.okr.v2.okrCycle.objectivesWeight(
            {
              path: { cycle_id: cycleId },
              data: {
                objective_weights: [
                  { objective_id: o1, weight: 0.5 },
                  { objective_id: o2, weight: 0.4 },
                ],
              },
            },
            user,
          ),
        ),
        {
          status: 400,
          violations: [{ field: 'objective_weights', description: 'weights must sum to 1 (they sum to 0.9)' }],
        },
      );
      assert.deepEqual(
        await invalid(
          client.okr.v2.okrObjective.keyResultsWeight({
            path: { objective_id: o1 },
            data: { key_result_weights: [{ key_result_id: k1, weight: 1 }] },
          }),
        ),
        {
          status: 400,
          violations: [
            {
              field: 'key_result_weights',
              description: `must weigh every key result of this objective (missing ${k2})`,
            },
          ],
        },
      );
      assert.deepEqual(
        await invalid(
          client.okr.v2.okrCycle.objectivesPosition({ path: { cycle_id: cycleId }, data: { objective_ids: [o2] } }),
        ),
        {
          status: 400,
          violations: [{ field: 'objective_ids', description: `${o1} is missing: the order must list every item` }],
        },
      );
      assert.deepEqual(
        await invalid(
          client.okr.v2.okrObjective.keyResultsPosition({
            path: { objective_id: o1 },
            data: { key_result_ids: [k2, k1, k1] },
          }),
        ),
        { status: 400, violations: [{ field: 'key_result_ids', description: `${k1} is listed more than once` }] },
      );
      assert.deepEqual(
        await invalid(client.okr.v2.okrKeyResult.patch({ path: { key_result_id: k1 }, data: { score: 0.25 } }, user)),
        { status: 400, violations: [{ field: 'score', description: 'at most one decimal' }] },
      );
      assert.deepEqual(
        await invalid(client.okr.v2.okrCycleObjective.create({ path: { cycle_id: cycleId }, data: { score: 0.5 } })),
        { status: 400, violations: [{ field: 'content', description: 'is required' }] },
      );
      assert.deepEqual(
        await invalid(
          client.okr.v2.okrObjectiveAlignment.create(
            { path: { objective_id: o1 }, data: { to_entity_type: 2, to_entity_id: o2 } },
            user,
          ),
        ),
        { status: 400, violations: [{ field: 'to_entity_id', description: 'you cannot align to your own objective' }] },
      );

      // Someone else's OKR: 1001002; unknown ids: 1001004.
      const leaderToken = await asUser(leader);
      for (const call of [
        () =>
          client.okr.v2.okrObjective.patch({ path: { objective_id: o1 }, data: { content: text('x') } }, leaderToken),
        () =>
          client.okr.v2.okrObjectiveKeyResult.create(
            { path: { objective_id: o1 }, data: { content: text('x') } },
            leaderToken,
          ),
        () => client.okr.v2.okrKeyResult.delete({ path: { key_result_id: k1 } }, leaderToken),
        () =>
          client.okr.v2.okrCycle.objectivesPosition(
            { path: { cycle_id: cycleId }, data: { objective_ids: [o2, o1] } },
            leaderToken,
          ),
      ]) {
        const refused = await rejection(call());
        assert.deepEqual([refused.status, refused.data.code], [400, 1001002], JSON.stringify(refused.data));
      }
      for (const call of [
        () => client.okr.v2.okrObjective.get({ path: { objective_id: '1234567890' } }),
        () => client.okr.v2.okrKeyResult.patch({ path: { key_result_id: '1234567890' }, data: { score: 0.5 } }),
        () => client.okr.v2.okrCycleObjective.list({ path: { cycle_id: '1234567890' } }),
        () => client.okr.v2.okrObjectiveIndicator.list({ path: { objective_id: '1234567890' } }),
        () => client.okr.v2.okrIndicator.patch({ path: { indicator_id: '1234567890' }, data: { current_value: 1 } }),
        () => client.okr.v2.okrAlignment.delete({ path: { alignment_id: '1234567890' } }),
        () =>
          client.okr.v2.okrObjectiveAlignment.create({
            path: { objective_id: o1 },
            data: { to_entity_type: 2, to_entity_id: '1234567890' },
          }),
      ]) {
        const missing = await rejection(call());
        assert.deepEqual([missing.status, missing.data.code], [400, 1001004], JSON.stringify(missing.data));
      }
      // An iterator over a failing list stops after one page: SDK 1.74 swallows the error and yields an empty `{}`.
      const failed: unknown[] = [];
      for await (const page of await client.okr.v2.okrObjectiveKeyResult.listWithIterator({
        path: { objective_id: '1234567890' },
      })) {
        failed.push(page);
      }
      assert.deepEqual(failed, [{}]);
      assert.deepEqual(await snapshot(), before);
    });
  });
}
