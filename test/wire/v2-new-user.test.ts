// Tried as a new user would: with nothing but a user token and the official Node SDK, build one cycle's OKRs through
// v2 alone, read them back through v1 batch_get (one model behind both, decisions.md OQ-12), then break each rule
// once and check the documented error and that nothing was written.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import type { PeriodRow } from '../../src/store/rows.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person } from '../helpers/factories.js';
import { listenForSdk, rejection, sdkClient } from '../helpers/sdk.js';

type Element =
  | { paragraph_element_type: 'textRun'; text_run: { text: string } }
  | { paragraph_element_type: 'mention'; mention: { user_id: string } };

/** A v2 rich text of paragraphs, each a list of text pieces and `{mention: open_id}` pieces. */
const rich = (...paragraphs: (string | { mention: string })[][]) => ({
  blocks: paragraphs.map((pieces) => ({
    block_element_type: 'paragraph' as const,
    paragraph: {
      elements: pieces.map((p): Element =>
        typeof p === 'string'
          ? { paragraph_element_type: 'textRun', text_run: { text: p } }
          : { paragraph_element_type: 'mention', mention: { user_id: p.mention } },
      ),
    },
  })),
});
const text = (s: string) => rich([s]);

/** What `lark.withUserAccessToken` gives: the options that make one call as that person. */
type UserToken = ReturnType<typeof lark.withUserAccessToken>;

for (const dialect of DIALECTS) {
  describe(`a new user builds a cycle's OKRs through v2 and reads them through v1 [${dialect}]`, () => {
    let t: TestApp;
    let client: lark.Client;
    let me: Person;
    let leader: Person;
    let period: PeriodRow;
    let mine: UserToken;
    let leaders: UserToken;
    // What the steps make, in order.
    let cycleId: string;
    let leaderCycleId: string;
    let leaderObjective: string;
    let o1: string;
    let o2: string;
    let k11: string;
    let k12: string;
    let k21: string;
    let k22: string;

    before(async () => {
      t = await testApp(dialect);
      const domain = await listenForSdk(t);
      const w = await newWorld(t);
      client = sdkClient(domain, w.appSecret, w.appId);
      leader = await w.person({ name_zh: '王领导', name_en: 'Boss Wang' });
      me = await w.person({ name_zh: '李新人', name_en: 'Newbie Li', leader });
      period = await w.period('2026-03');
      mine = lark.withUserAccessToken(await me.token());
      leaders = lark.withUserAccessToken(await leader.token());
    });
    after(() => t.close());

    const batchGet = () =>
      client.okr.okr.batchGet({ params: { okr_ids: [cycleId, leaderCycleId], user_id_type: 'open_id' } });
    const ok = <T extends { code?: number }>(res: T): T => {
      assert.equal(res.code, 0, JSON.stringify(res));
      return res;
    };

    it('1. lists my cycles: the cycle is made on first access', async () => {
      const owned = () => t.db.read((tx) => tx.all('SELECT id FROM okrs WHERE owner_id = ?', [me.ref]));
      assert.deepEqual(await owned(), []);
      const cycles = ok(await client.okr.v2.okrCycle.list({ params: { user_id: me.open_id } }, mine));
      assert.equal(cycles.data?.has_more, false);
      assert.equal(cycles.data?.items?.length, 1);
      const [cycle] = cycles.data!.items!;
      cycleId = cycle!.id;
      assert.deepEqual(cycle, {
        id: cycleId,
        create_time: String(t.clock.now),
        update_time: String(t.clock.now),
        tenant_cycle_id: period.id,
        owner: { owner_type: 'user', user_id: me.open_id },
        start_time: String(period.period_start_time),
        end_time: String(period.period_end_time),
        cycle_status: 0,
      });
      assert.deepEqual(await owned(), [{ id: cycleId }]);
      // Asking again gives the same cycle.
      const again = ok(await client.okr.v2.okrCycle.list({ params: { user_id: me.open_id } }, mine));
      assert.deepEqual(again.data?.items, [cycle]);

      // My leader does the same and writes an objective of their own.
      const theirs = ok(await client.okr.v2.okrCycle.list({ params: { user_id: leader.open_id } }, leaders));
      leaderCycleId = theirs.data!.items![0]!.id;
      leaderObjective = ok(
        await client.okr.v2.okrCycleObjective.create(
          { path: { cycle_id: leaderCycleId }, data: { content: text('公司收入增长 30%') } },
          leaders,
        ),
      ).data!.objective_id!;
    });

    it('2. creates two objectives with content and two key results each', async () => {
      const created = ok(
        await client.okr.v2.okrCycleObjective.create(
          {
            path: { cycle_id: cycleId },
            data: { content: rich(['提升新用户留存，支持', { mention: leader.open_id }]) },
          },
          mine,
        ),
      );
      o1 = created.data!.objective_id!;
      o2 = ok(
        await client.okr.v2.okrCycleObjective.create(
          {
            path: { cycle_id: cycleId },
            data: { content: rich(['打磨新手引导'], ['覆盖全部入口']), notes: text('第一周先调研') },
          },
          mine,
        ),
      ).data!.objective_id!;
      const kr = async (objective: string, content: string) =>
        ok(
          await client.okr.v2.okrObjectiveKeyResult.create(
            { path: { objective_id: objective }, data: { content: text(content) } },
            mine,
          ),
        ).data!.key_result_id!;
      k11 = await kr(o1, '次日留存从 30% 到 40%');
      k12 = await kr(o1, '七日留存从 12% 到 18%');
      k21 = await kr(o2, '完成 10 次用户访谈');
      k22 = await kr(o2, '引导完成率 80%');

      const listed = ok(await client.okr.v2.okrCycleObjective.list({ path: { cycle_id: cycleId } }, mine));
      assert.deepEqual(
        listed.data?.items?.map((o) => [o.id, o.position, o.weight, o.owner]),
        [
          [o1, 1, 0.5, { owner_type: 'user', user_id: me.open_id }],
          [o2, 2, 0.5, { owner_type: 'user', user_id: me.open_id }],
        ],
      );
      const krs = ok(await client.okr.v2.okrObjectiveKeyResult.list({ path: { objective_id: o1 } }, mine));
      assert.deepEqual(
        krs.data?.items?.map((k) => [k.id, k.position, k.weight, k.content]),
        [
          [k11, 1, 0.5, text('次日留存从 30% 到 40%')],
          [k12, 2, 0.5, text('七日留存从 12% 到 18%')],
        ],
      );
    });

    it('3. sets the objective and key-result weights (PUT …_weight)', async () => {
      const objectives = ok(
        await client.okr.v2.okrCycle.objectivesWeight(
          {
            path: { cycle_id: cycleId },
            data: {
              objective_weights: [
                { objective_id: o1, weight: 0.6 },
                { objective_id: o2, weight: 0.4 },
              ],
            },
          },
          mine,
        ),
      );
      assert.deepEqual(
        objectives.data?.items?.map((o) => [o.id, o.weight]),
        [
          [o1, 0.6],
          [o2, 0.4],
        ],
      );
      const weigh = async (objective: string, weights: [string, number][]) =>
        ok(
          await client.okr.v2.okrObjective.keyResultsWeight(
            {
              path: { objective_id: objective },
              data: { key_result_weights: weights.map(([key_result_id, weight]) => ({ key_result_id, weight })) },
            },
            mine,
          ),
        ).data?.items?.map((k) => [k.id, k.weight]);
      assert.deepEqual(
        await weigh(o1, [
          [k11, 0.7],
          [k12, 0.3],
        ]),
        [
          [k11, 0.7],
          [k12, 0.3],
        ],
      );
      assert.deepEqual(
        await weigh(o2, [
          [k21, 0.45],
          [k22, 0.55],
        ]),
        [
          [k21, 0.45],
          [k22, 0.55],
        ],
      );
    });

    it('4. reorders objectives and key results (PUT …_position)', async () => {
      const objectives = ok(
        await client.okr.v2.okrCycle.objectivesPosition(
          { path: { cycle_id: cycleId }, data: { objective_ids: [o2, o1] } },
          mine,
        ),
      );
      assert.deepEqual(
        objectives.data?.items?.map((o) => [o.id, o.position, o.weight]),
        [
          [o2, 1, 0.4],
          [o1, 2, 0.6],
        ],
      );
      const krs = ok(
        await client.okr.v2.okrObjective.keyResultsPosition(
          { path: { objective_id: o1 }, data: { key_result_ids: [k12, k11] } },
          mine,
        ),
      );
      assert.deepEqual(
        krs.data?.items?.map((k) => [k.id, k.position, k.weight]),
        [
          [k12, 1, 0.3],
          [k11, 2, 0.7],
        ],
      );
    });

    it("5. aligns my first objective to my leader's objective", async () => {
      const created = ok(
        await client.okr.v2.okrObjectiveAlignment.create(
          { path: { objective_id: o1 }, data: { to_entity_type: 2, to_entity_id: leaderObjective } },
          mine,
        ),
      );
      const got = ok(
        await client.okr.v2.okrAlignment.get({ path: { alignment_id: created.data!.alignment_id! } }, leaders),
      );
      assert.deepEqual(got.data?.alignment, {
        id: created.data!.alignment_id,
        create_time: String(t.clock.now),
        update_time: String(t.clock.now),
        from_owner: { owner_type: 'user', user_id: me.open_id },
        to_owner: { owner_type: 'user', user_id: leader.open_id },
        from_entity_type: 2,
        from_entity_id: o1,
        to_entity_type: 2,
        to_entity_id: leaderObjective,
      });
      // My leader sees it from their side.
      const aligned = ok(
        await client.okr.v2.okrObjectiveAlignment.list(
          { path: { objective_id: leaderObjective }, params: { align_type: 'aligned' } },
          leaders,
        ),
      );
      assert.deepEqual(aligned.data?.items, [got.data?.alignment]);
    });

    it('6. patches a key-result indicator: unit PERCENT, start 0, target 100, current 40', async () => {
      const listed = ok(await client.okr.v2.okrKeyResultIndicator.list({ path: { key_result_id: k11 } }, mine));
      const indicator = listed.data!.indicator!;
      assert.deepEqual(indicator.unit, { unit_type: 0, unit_value: 'NONE' });
      const patched = ok(
        await client.okr.v2.okrIndicator.patch(
          {
            path: { indicator_id: indicator.id },
            data: {
              unit: { unit_type: 0, unit_value: 'PERCENT' },
              start_value: 0,
              target_value: 100,
              current_value: 40,
            },
          },
          mine,
        ),
      );
      const expected = {
        ...indicator,
        update_time: String(t.clock.now),
        start_value: 0,
        target_value: 100,
        current_value: 40,
        unit: { unit_type: 0, unit_value: 'PERCENT' },
      };
      assert.deepEqual(patched.data?.indicator, expected);
      const again = ok(await client.okr.v2.okrKeyResultIndicator.list({ path: { key_result_id: k11 } }, mine));
      assert.deepEqual(again.data?.indicator, expected);
    });

    it('7. starts a comment thread on my objective; my leader replies; I solve it and reopen it', async () => {
      const PATH = 'open-apis/okr/v2/comments';
      const as = (who: UserToken) => (method: string, url: string, params?: object, data?: object) =>
        client.request<any>({ method, url, params, data }, who);
      const target = { target_type: 'objective', target_id: o1 };
      const started = await as(mine)('POST', PATH, undefined, {
        target,
        content: text('留存目标需要和增长组对齐吗？'),
        selected_text: '新用户留存',
      });
      assert.equal(started.code, 0, JSON.stringify(started));
      const starter = started.data.comment_id as string;
      const replied = await as(leaders)('POST', PATH, undefined, {
        target,
        content: rich(['需要，', { mention: me.open_id }, ' 下周一起看']),
        ref_comment_id: starter,
      });
      assert.equal(replied.code, 0, JSON.stringify(replied));
      const reply = replied.data.comment_id as string;

      const solved = await as(mine)('POST', `${PATH}/${starter}/solve`);
      assert.deepEqual(
        solved.data.affected_comments.map((c: any) => [c.id, c.status, c.solver_id]),
        [
          [starter, 'solved', me.open_id],
          [reply, 'solved', me.open_id],
        ],
      );
      const reopened = await as(mine)('POST', `${PATH}/${reply}/reopen`);
      assert.deepEqual(
        reopened.data.affected_comments.map((c: any) => [c.id, c.status, c.solver_id]),
        [
          [starter, 'open', undefined],
          [reply, 'open', undefined],
        ],
      );
      const listed = await as(mine)('GET', PATH, target);
      assert.deepEqual(listed.data, {
        has_more: false,
        items: [
          {
            id: starter,
            target,
            commentator_id: me.open_id,
            status: 'open',
            create_time: String(t.clock.now),
            update_time: String(t.clock.now),
            content: text('留存目标需要和增长组对齐吗？'),
            selection: { id: started.data.selection_id, selected_text: '新用户留存' },
          },
          {
            id: reply,
            target,
            commentator_id: leader.open_id,
            status: 'open',
            create_time: String(t.clock.now),
            update_time: String(t.clock.now),
            content: rich(['需要，', { mention: me.open_id }, ' 下周一起看']),
            ref_comment_id: starter,
          },
        ],
      });
    });

    it('8. reads everything back through v1 batch_get', async () => {
      const res = await batchGet();
      assert.equal(res.code, 0);
      const [okr, leaderOkr] = res.data!.okr_list!;
      assert.equal(okr?.id, cycleId);
      assert.equal(okr?.period_id, period.id);
      assert.equal(okr?.permission, 1);
      const ref = (p: Person) => ({ open_id: p.open_id, user_id: p.open_id });
      const shape = okr!.objective_list!.map((o) => ({
        id: o.id,
        content: o.content,
        progress_report: o.progress_report,
        weight: o.weight,
        mentioned_user_list: o.mentioned_user_list,
        kr_list: o.kr_list!.map((k) => [k.id, k.content, k.weight, k.kr_weight]),
        aligning_objective_list: o.aligning_objective_list,
        aligned_objective_list: o.aligned_objective_list,
      }));
      assert.deepEqual(shape, [
        {
          id: o2,
          content: '打磨新手引导\n覆盖全部入口',
          progress_report: '第一周先调研',
          weight: 40,
          mentioned_user_list: [],
          kr_list: [
            [k21, '完成 10 次用户访谈', 45, 45],
            [k22, '引导完成率 80%', 55, 55],
          ],
          aligning_objective_list: [],
          aligned_objective_list: [],
        },
        {
          id: o1,
          content: '提升新用户留存，支持@王领导',
          progress_report: '',
          weight: 60,
          mentioned_user_list: [ref(leader)],
          kr_list: [
            [k12, '七日留存从 12% 到 18%', 30, 30],
            [k11, '次日留存从 30% 到 40%', 70, 70],
          ],
          aligning_objective_list: [{ id: leaderObjective, okr_id: leaderCycleId, owner: ref(leader) }],
          aligned_objective_list: [],
        },
      ]);
      assert.deepEqual(
        leaderOkr?.objective_list?.map((o) => [o.id, o.content, o.weight, o.aligned_objective_list]),
        [[leaderObjective, '公司收入增长 30%', 100, [{ id: o1, okr_id: cycleId, owner: ref(me) }]]],
      );
      // The indicator is v2's own: a manual current value leaves v1 progress as it was (compatibility.md).
      const k11v1 = okr!.objective_list![1]!.kr_list![1]!;
      assert.deepEqual(k11v1.progress_rate, { percent: 0, status: '-1' });
      assert.deepEqual(k11v1.progress_record_list, []);
      // I read my own OKRs the same with my token.
      const byMe = await client.okr.okr.batchGet(
        { params: { okr_ids: [cycleId, leaderCycleId], user_id_type: 'open_id' } },
        mine,
      );
      assert.deepEqual(byMe, res);
    });

    it('9. progress written through v1 progressRecord.create shows in v2 okrObjectiveProgress.list', async () => {
      t.clock.now += 60_000;
      const created = ok(
        await client.okr.progressRecord.create(
          {
            data: {
              source_title: '周报',
              source_url: 'https://example.com/weekly',
              target_id: o1,
              target_type: 2,
              content: {
                blocks: [
                  {
                    type: 'paragraph',
                    paragraph: { elements: [{ type: 'textRun', textRun: { text: '次日留存到 36%' } }] },
                  },
                ],
              },
              progress_rate: { percent: 40, status: 0 },
            },
          },
          mine,
        ),
      );
      const id = created.data!.progress_id!;
      const listed = ok(await client.okr.v2.okrObjectiveProgress.list({ path: { objective_id: o1 } }, mine));
      assert.deepEqual(listed.data, {
        has_more: false,
        items: [
          {
            id,
            create_time: String(t.clock.now),
            update_time: String(t.clock.now),
            owner: { owner_type: 'user', user_id: me.open_id },
            entity_type: 2,
            entity_id: o1,
            content: text('次日留存到 36%'),
            progress_rate: { progress_percent: 40, progress_status: 0 },
          },
        ],
      });
      const none = ok(await client.okr.v2.okrKeyResultProgress.list({ path: { key_result_id: k11 } }, mine));
      assert.deepEqual(none.data, { has_more: false, items: [] });
      const o1v1 = (await batchGet()).data!.okr_list![0]!.objective_list!.find((o) => o.id === o1)!;
      assert.deepEqual(o1v1.progress_record_list, [{ id }]);
      assert.deepEqual(o1v1.progress_rate, { percent: 40, status: '0' });
      assert.equal(o1v1.progress_record_last_updated_time, String(t.clock.now));
    });

    it('9b. v2 changes after a v1 read show in v1 at once: a new score and content, a deleted key result', async () => {
      const before = (await batchGet()).data!.okr_list![0]!.objective_list!.find((o) => o.id === o2)!;
      assert.deepEqual([before.score, before.kr_list?.length], [0, 2]);
      t.clock.now += 1000;
      ok(
        await client.okr.v2.okrObjective.patch(
          { path: { objective_id: o2 }, data: { score: 0.8, content: text('打磨新手引导（v2）') } },
          mine,
        ),
      );
      ok(await client.okr.v2.okrKeyResult.delete({ path: { key_result_id: k22 } }, mine));
      const after = (await batchGet()).data!.okr_list![0]!.objective_list!.find((o) => o.id === o2)!;
      assert.deepEqual(
        [after.content, after.score, after.score_last_updated_time],
        ['打磨新手引导（v2）', 80, String(t.clock.now)],
      );
      // The key result left weighs the whole objective again (decisions.md OQ-32).
      assert.deepEqual(
        after.kr_list?.map((k) => [k.id, k.weight, k.kr_weight]),
        [[k21, 100, 100]],
      );
    });

    it('10. breaking each rule once gives the documented error and writes nothing', async () => {
      const before = await batchGet();
      const tables = () =>
        t.db.read(async (tx) => {
          const counts: Record<string, number> = {};
          for (const table of ['okrs', 'objectives', 'key_results', 'alignments', 'indicators', 'comments']) {
            const row = await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
            counts[table] = Number(row!.n);
          }
          return counts;
        });
      const counted = await tables();
      t.clock.now += 1000;

      const broken = async (call: Promise<unknown>, field: string, description: string) => {
        const { status, data } = await rejection(call);
        assert.deepEqual([status, data.code], [400, 1001001], JSON.stringify(data));
        assert.deepEqual(data.error?.field_violations, [{ field, description }]);
        assert.match(data.msg, new RegExp(field.replace(/[[\]]/g, '\\$&')));
      };
      // An objective without content.
      await broken(
        client.okr.v2.okrCycleObjective.create(
          { path: { cycle_id: cycleId }, data: { notes: text('只有备注') } },
          mine,
        ),
        'content',
        'is required',
      );
      // Weights that do not sum to 1.
      await broken(
        client.okr.v2.okrCycle.objectivesWeight(
          {
            path: { cycle_id: cycleId },
            data: {
              objective_weights: [
                { objective_id: o1, weight: 0.6 },
                { objective_id: o2, weight: 0.5 },
              ],
            },
          },
          mine,
        ),
        'objective_weights',
        'weights must sum to 1 (they sum to 1.1)',
      );
      // A reorder that leaves an id out.
      await broken(
        client.okr.v2.okrObjective.keyResultsPosition(
          { path: { objective_id: o1 }, data: { key_result_ids: [k11] } },
          mine,
        ),
        'key_result_ids',
        `${k12} is missing: the order must list every item`,
      );
      // An alignment to my own objective.
      await broken(
        client.okr.v2.okrObjectiveAlignment.create(
          { path: { objective_id: o2 }, data: { to_entity_type: 2, to_entity_id: o1 } },
          mine,
        ),
        'to_entity_id',
        'you cannot align to your own objective',
      );
      // An alignment loop: my leader's objective back to mine, which already aligns to it.
      await broken(
        client.okr.v2.okrObjectiveAlignment.create(
          { path: { objective_id: leaderObjective }, data: { to_entity_type: 2, to_entity_id: o1 } },
          leaders,
        ),
        'to_entity_id',
        `aligning to objective ${o1} would make a loop of alignments`,
      );
      // A score with two decimals.
      await broken(
        client.okr.v2.okrKeyResult.patch({ path: { key_result_id: k11 }, data: { score: 0.45 } }, mine),
        'score',
        'at most one decimal',
      );

      // Writing my leader's objective with my token: 1001002.
      for (const call of [
        () =>
          client.okr.v2.okrObjective.patch(
            { path: { objective_id: leaderObjective }, data: { content: text('我改的') } },
            mine,
          ),
        () =>
          client.okr.v2.okrObjectiveKeyResult.create(
            { path: { objective_id: leaderObjective }, data: { content: text('我加的') } },
            mine,
          ),
        () =>
          client.okr.v2.okrCycleObjective.create(
            { path: { cycle_id: leaderCycleId }, data: { content: text('我加的') } },
            mine,
          ),
        () => client.okr.v2.okrObjective.delete({ path: { objective_id: leaderObjective } }, mine),
      ]) {
        const refused = await rejection(call());
        assert.deepEqual([refused.status, refused.data.code], [400, 1001002], JSON.stringify(refused.data));
      }
      // An unknown id: 1001004.
      for (const call of [
        () => client.okr.v2.okrObjective.get({ path: { objective_id: '7000000000000000001' } }, mine),
        () =>
          client.okr.v2.okrCycleObjective.create(
            { path: { cycle_id: '7000000000000000001' }, data: { content: text('x') } },
            mine,
          ),
        () =>
          client.okr.v2.okrObjectiveAlignment.create(
            { path: { objective_id: o1 }, data: { to_entity_type: 2, to_entity_id: '7000000000000000001' } },
            mine,
          ),
      ]) {
        const missing = await rejection(call());
        assert.deepEqual([missing.status, missing.data.code], [400, 1001004], JSON.stringify(missing.data));
        assert.match(missing.data.msg, /7000000000000000001/);
      }

      assert.deepEqual(await batchGet(), before);
      assert.deepEqual(await tables(), counted);
    });
  });
}
