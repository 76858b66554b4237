import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeTenant } from '../../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/db.js';
import { newWorld, type Person, type World } from '../../helpers/factories.js';

const PATH = '/open-apis/okr/v2/comments';
const ID = /^[1-9]\d{18}$/;
const UNKNOWN = '7999999999999999999';

/** A one-paragraph v2 document: text pieces and `{mention: wireId}` pieces. */
function doc(...pieces: (string | { mention: string })[]) {
  return {
    blocks: [
      {
        block_element_type: 'paragraph',
        paragraph: {
          elements: pieces.map((p) =>
            typeof p === 'string'
              ? { paragraph_element_type: 'textRun', text_run: { text: p } }
              : { paragraph_element_type: 'mention', mention: { user_id: p.mention } },
          ),
        },
      },
    ],
  };
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

for (const dialect of DIALECTS) {
  describe(`v2 comments [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    const send = async (method: Method, url: string, token: string, payload?: unknown) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload ?? {}),
      });
      return { status: res.statusCode, body: res.json() };
    };
    const rows = (w: World) =>
      t.db.read((tx) =>
        tx.all<Record<string, unknown>>('SELECT * FROM comments WHERE tenant_id = ? ORDER BY created_at, id', [
          w.tenantId,
        ]),
      );
    const sql = (w: World, statement: string, params: (string | number)[]) =>
      writeTenant(t.db, w.tenantId, (tx) => tx.run(statement, [...params, w.tenantId]));

    /** Alice's January cycle with an objective, a key result and a progress record; bob and carol read it. */
    async function setup() {
      const w = await newWorld(t);
      const jan = await w.period('2026-01');
      const [alice, bob, carol] = [await w.person(), await w.person(), await w.person()];
      const cycle = await w.cycle(alice, jan);
      const objective = await w.objective(cycle);
      const keyResult = await w.keyResult(objective);
      const tenant = await w.tenantToken();
      const record = await send('POST', '/open-apis/okr/v1/progress_records', tenant, {
        source_title: 'weekly',
        source_url: 'https://example.com/1',
        target_id: objective,
        target_type: 2,
        content: { blocks: [] },
      });
      assert.equal(record.status, 200);
      const tokens = { alice: await alice.token(), bob: await bob.token(), carol: await carol.token(), tenant };
      const targets = {
        cycle,
        objective,
        key_result: keyResult,
        progress: record.body.data.progress_id as string,
      };
      const comment = async (
        token: string,
        target_type: keyof typeof targets,
        extra: Record<string, unknown> = {},
        content: unknown = doc('hello'),
      ) => {
        const res = await send('POST', PATH, token, {
          target: { target_type, target_id: targets[target_type] },
          content,
          ...extra,
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.data as { comment_id: string; selection_id?: string };
      };
      return { w, jan, alice, bob, carol, cycle, targets, tokens, comment };
    }

    it('comments on each kind of target, answers the comment whole, and stores it with its cycle', async () => {
      const { w, alice, bob, cycle, targets, tokens } = await setup();
      for (const [target_type, target_id] of Object.entries(targets)) {
        t.clock.now += 1000;
        const content = doc('see ', { mention: alice.open_id });
        const created = await send('POST', PATH, tokens.bob, { target: { target_type, target_id }, content });
        assert.equal(created.status, 200, JSON.stringify(created.body));
        const id = created.body.data.comment_id;
        assert.match(id, ID);
        assert.deepEqual(created.body, { code: 0, msg: 'success', data: { comment_id: id } });
        const [row] = (await rows(w)).filter((r) => r.id === id);
        assert.deepEqual(row, {
          id,
          tenant_id: w.tenantId,
          target_type,
          target_id,
          okr_id: cycle,
          thread_id: id,
          ref_comment_id: null,
          commentator_id: bob.ref,
          content: JSON.stringify(doc('see ', { mention: alice.ref })),
          selection_id: null,
          selected_text: null,
          status: 'open',
          solver_id: null,
          solved_time: null,
          created_at: t.clock.now,
          updated_at: t.clock.now,
        });
        const expected = {
          id,
          target: { target_type, target_id },
          commentator_id: bob.open_id,
          status: 'open',
          create_time: String(t.clock.now),
          update_time: String(t.clock.now),
          content,
        };
        const got = await send('GET', `${PATH}/${id}`, tokens.tenant);
        assert.deepEqual(got, { status: 200, body: { code: 0, msg: 'success', data: { comment: expected } } });
        // Other id types: union_id; user_key is answered as open_id.
        const byUnion = await send('GET', `${PATH}/${id}?user_id_type=union_id`, tokens.carol);
        assert.deepEqual(byUnion.body.data.comment, {
          ...expected,
          commentator_id: bob.union_id,
          content: doc('see ', { mention: alice.union_id }),
        });
        const byKey = await send('GET', `${PATH}/${id}?user_id_type=user_key`, tokens.carol);
        assert.deepEqual(byKey.body.data.comment, expected);
      }
    });

    it('reads mentions in the request id type', async () => {
      const { w, alice, tokens, targets } = await setup();
      const created = await send('POST', `${PATH}?user_id_type=user_id`, tokens.bob, {
        target: { target_type: 'objective', target_id: targets.objective },
        content: doc({ mention: alice.employee_id }),
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const [row] = await rows(w);
      assert.equal(row!.content, JSON.stringify(doc({ mention: alice.ref })));
    });

    it('starts selection threads on objectives and key results only', async () => {
      const { w, targets, tokens } = await setup();
      for (const target_type of ['objective', 'key_result'] as const) {
        const res = await send('POST', PATH, tokens.bob, {
          target: { target_type, target_id: targets[target_type] },
          content: doc('why this number?'),
          selected_text: '100%',
        });
        assert.equal(res.status, 200);
        const { comment_id, selection_id } = res.body.data;
        assert.match(selection_id, ID);
        assert.notEqual(selection_id, comment_id);
        assert.deepEqual(Object.keys(res.body.data), ['comment_id', 'selection_id']);
        const got = await send('GET', `${PATH}/${comment_id}`, tokens.bob);
        assert.deepEqual(got.body.data.comment.selection, { id: selection_id, selected_text: '100%' });
        const row = (await rows(w)).find((r) => r.id === comment_id)!;
        assert.deepEqual([row.selection_id, row.selected_text, row.thread_id], [selection_id, '100%', comment_id]);
      }
      const before = await rows(w);
      const rule = 'only a comment on an objective or a key result can quote a selection';
      for (const target_type of ['cycle', 'progress'] as const) {
        const res = await send('POST', PATH, tokens.bob, {
          target: { target_type, target_id: targets[target_type] },
          content: doc('x'),
          selected_text: 'y',
        });
        assert.deepEqual([res.status, res.body.code], [400, 1001001]);
        assert.deepEqual(res.body.error.field_violations, [{ field: 'selected_text', description: rule }]);
      }
      assert.deepEqual(await rows(w), before);
    });

    it('joins replies to the thread of the comment they reference, replies to replies included', async () => {
      const { w, targets, tokens, comment } = await setup();
      const starter = await comment(tokens.bob, 'objective', { selected_text: 'quoted' });
      t.clock.now += 1000;
      const reply = await comment(tokens.alice, 'objective', { ref_comment_id: starter.comment_id });
      t.clock.now += 1000;
      const replyToReply = await comment(tokens.carol, 'objective', { ref_comment_id: reply.comment_id });
      assert.deepEqual(Object.keys(reply), ['comment_id']);
      const thread = (await rows(w)).map((r) => [r.id, r.thread_id, r.ref_comment_id, r.selection_id]);
      assert.deepEqual(thread, [
        [starter.comment_id, starter.comment_id, null, starter.selection_id],
        [reply.comment_id, starter.comment_id, starter.comment_id, null],
        [replyToReply.comment_id, starter.comment_id, reply.comment_id, null],
      ]);
      const got = await send('GET', `${PATH}/${replyToReply.comment_id}`, tokens.bob);
      assert.equal(got.body.data.comment.ref_comment_id, reply.comment_id);
      assert.equal(got.body.data.comment.selection, undefined);

      // Refused: a reference to another target, to nothing, or a reply that tries to start a selection.
      const before = await rows(w);
      const otherTarget = await send('POST', PATH, tokens.bob, {
        target: { target_type: 'key_result', target_id: targets.key_result },
        content: doc('x'),
        ref_comment_id: starter.comment_id,
      });
      assert.deepEqual([otherTarget.status, otherTarget.body.code], [400, 1001001]);
      assert.deepEqual(otherTarget.body.error.field_violations, [
        { field: 'ref_comment_id', description: 'must be a comment on the same target' },
      ]);
      const unknown = await send('POST', PATH, tokens.bob, {
        target: { target_type: 'objective', target_id: targets.objective },
        content: doc('x'),
        ref_comment_id: UNKNOWN,
      });
      assert.deepEqual(
        [unknown.status, unknown.body.code, unknown.body.msg],
        [400, 1001004, `okr data not found: ref_comment_id ${UNKNOWN}`],
      );
      const selectingReply = await send('POST', PATH, tokens.bob, {
        target: { target_type: 'objective', target_id: targets.objective },
        content: doc('x'),
        ref_comment_id: starter.comment_id,
        selected_text: 'y',
      });
      assert.deepEqual(selectingReply.body.error.field_violations, [
        { field: 'selected_text', description: 'a reply joins its thread and cannot start a selection' },
      ]);
      assert.deepEqual(await rows(w), before);
    });

    it('refuses blank content, unknown mentions and several broken rules at once, writing nothing', async () => {
      const { w, targets, tokens } = await setup();
      const post = (body: Record<string, unknown>) =>
        send('POST', PATH, tokens.bob, { target: { target_type: 'cycle', target_id: targets.cycle }, ...body });
      const cases: [Record<string, unknown>, { field: string; description: string }[]][] = [
        [{ content: { blocks: [] } }, [{ field: 'content', description: 'must not be blank' }]],
        [{ content: doc('   ') }, [{ field: 'content', description: 'must not be blank' }]],
        [
          { content: doc({ mention: 'ou_nobody' }) },
          [{ field: 'content', description: 'mention.user_id ou_nobody is not a user of this tenant' }],
        ],
        [
          { content: doc(''), selected_text: 'x' },
          [
            { field: 'content', description: 'must not be blank' },
            {
              field: 'selected_text',
              description: 'only a comment on an objective or a key result can quote a selection',
            },
          ],
        ],
        [{}, [{ field: 'content', description: 'is required' }]],
      ];
      for (const [body, violations] of cases) {
        const res = await post(body);
        assert.deepEqual([res.status, res.body.code], [400, 1001001], JSON.stringify(body));
        assert.deepEqual(res.body.error.field_violations, violations);
      }
      const blankSelection = await send('POST', PATH, tokens.bob, {
        target: { target_type: 'objective', target_id: targets.objective },
        content: doc('x'),
        selected_text: ' ',
      });
      assert.deepEqual(blankSelection.body.error.field_violations, [
        { field: 'selected_text', description: 'must not be blank' },
      ]);
      assert.deepEqual(await rows(w), []);
    });

    it('finds targets in the tenant only, not in hidden periods, and needs read access to their cycle', async () => {
      const { w, cycle, targets, tokens, comment } = await setup();
      const expectRefused = async (res: { status: number; body: any }, code: number, msg?: string) => {
        assert.deepEqual([res.status, res.body.code], [400, code], JSON.stringify(res.body));
        if (msg) assert.equal(res.body.msg, msg);
      };
      for (const target_type of ['cycle', 'objective', 'key_result', 'progress']) {
        await expectRefused(
          await send('POST', PATH, tokens.bob, { target: { target_type, target_id: UNKNOWN }, content: doc('x') }),
          1001004,
          `okr data not found: target_id ${UNKNOWN}`,
        );
        await expectRefused(
          await send('GET', `${PATH}?target_type=${target_type}&target_id=${UNKNOWN}`, tokens.tenant),
          1001004,
        );
      }
      // The same id under another type is not found either.
      await expectRefused(
        await send('POST', PATH, tokens.bob, {
          target: { target_type: 'key_result', target_id: targets.objective },
          content: doc('x'),
        }),
        1001004,
      );
      // Another tenant's target is not found.
      const other = await newWorld(t);
      const stranger = await other.person();
      await expectRefused(
        await send('POST', PATH, await stranger.token(), {
          target: { target_type: 'objective', target_id: targets.objective },
          content: doc('x'),
        }),
        1001004,
      );
      const existing = await comment(tokens.bob, 'objective');
      await expectRefused(await send('GET', `${PATH}/${existing.comment_id}`, await stranger.token()), 1001004);

      // Restricted to alice's leader chain: bob may no longer read or comment; alice and her leader may.
      await sql(w, "UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?", [cycle]);
      await expectRefused(
        await send('POST', PATH, tokens.bob, {
          target: { target_type: 'objective', target_id: targets.objective },
          content: doc('x'),
        }),
        1001002,
      );
      await expectRefused(await send('GET', `${PATH}?target_type=cycle&target_id=${cycle}`, tokens.bob), 1001002);
      await expectRefused(await send('GET', `${PATH}/${existing.comment_id}`, tokens.bob), 1001002);
      await expectRefused(
        await send('PATCH', `${PATH}/${existing.comment_id}`, tokens.bob, { content: doc('x') }),
        1001002,
      );
      await comment(tokens.alice, 'objective');

      // A hidden period: everything in it is not found.
      const hidden = await setup();
      const hiddenComment = await hidden.comment(hidden.tokens.bob, 'cycle');
      await sql(hidden.w, 'UPDATE periods SET status = 3 WHERE id = ? AND tenant_id = ?', [hidden.jan.id]);
      await expectRefused(
        await send('GET', `${PATH}?target_type=cycle&target_id=${hidden.cycle}`, hidden.tokens.tenant),
        1001004,
      );
      await expectRefused(await send('GET', `${PATH}/${hiddenComment.comment_id}`, hidden.tokens.tenant), 1001004);
      await expectRefused(
        await send('POST', PATH, hidden.tokens.bob, {
          target: { target_type: 'cycle', target_id: hidden.cycle },
          content: doc('x'),
        }),
        1001004,
      );
    });

    it('takes comment writes from user tokens only (99991663 for a tenant token)', async () => {
      const { w, targets, tokens, comment } = await setup();
      const { comment_id } = await comment(tokens.bob, 'objective');
      const before = await rows(w);
      const writes: [Method, string, unknown][] = [
        ['POST', PATH, { target: { target_type: 'objective', target_id: targets.objective }, content: doc('x') }],
        ['PATCH', `${PATH}/${comment_id}`, { content: doc('x') }],
        ['DELETE', `${PATH}/${comment_id}`, undefined],
        ['POST', `${PATH}/${comment_id}/solve`, undefined],
        ['POST', `${PATH}/${comment_id}/reopen`, undefined],
      ];
      for (const [method, url, payload] of writes) {
        const res = await send(method, url, tokens.tenant, payload);
        assert.deepEqual([res.status, res.body.code], [400, 99991663], `${method} ${url}`);
      }
      assert.deepEqual(await rows(w), before);
      // Reads take either.
      assert.equal((await send('GET', `${PATH}/${comment_id}`, tokens.tenant)).status, 200);
      assert.equal((await send('GET', `${PATH}/${comment_id}`, tokens.carol)).status, 200);
    });

    it('lets only the author edit a comment', async () => {
      const { w, bob, alice, tokens, comment } = await setup();
      const created = t.clock.now;
      const { comment_id } = await comment(tokens.bob, 'key_result');
      const before = await rows(w);
      for (const token of [tokens.alice, tokens.carol]) {
        const res = await send('PATCH', `${PATH}/${comment_id}`, token, { content: doc('mine now') });
        assert.deepEqual([res.status, res.body.code], [400, 1001002]);
      }
      const blank = await send('PATCH', `${PATH}/${comment_id}`, tokens.bob, { content: doc(' ') });
      assert.deepEqual(blank.body.error.field_violations, [{ field: 'content', description: 'must not be blank' }]);
      assert.deepEqual(await rows(w), before);

      t.clock.now += 5000;
      const content = doc('edited for ', { mention: alice.union_id });
      const res = await send('PATCH', `${PATH}/${comment_id}?user_id_type=union_id`, tokens.bob, { content });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {
        code: 0,
        msg: 'success',
        data: {
          comment: {
            id: comment_id,
            target: { target_type: 'key_result', target_id: before[0]!.target_id },
            commentator_id: bob.union_id,
            status: 'open',
            create_time: String(created),
            update_time: String(t.clock.now),
            content,
          },
        },
      });
      const [row] = await rows(w);
      assert.deepEqual(row, {
        ...before[0],
        content: JSON.stringify(doc('edited for ', { mention: alice.ref })),
        updated_at: t.clock.now,
      });
      assert.equal((await send('PATCH', `${PATH}/${UNKNOWN}`, tokens.bob, { content })).body.code, 1001004);
    });

    it('lets only the author delete a comment; its replies stay in the thread without a reference', async () => {
      const { w, tokens, comment } = await setup();
      const starter = await comment(tokens.bob, 'objective', { selected_text: 'q' });
      t.clock.now += 1000;
      const reply = await comment(tokens.alice, 'objective', { ref_comment_id: starter.comment_id });
      t.clock.now += 1000;
      const replyToReply = await comment(tokens.carol, 'objective', { ref_comment_id: reply.comment_id });
      const before = await rows(w);
      for (const token of [tokens.alice, tokens.carol]) {
        const res = await send('DELETE', `${PATH}/${starter.comment_id}`, token);
        assert.deepEqual([res.status, res.body.code], [400, 1001002]);
      }
      assert.deepEqual(await rows(w), before);

      const res = await send('DELETE', `${PATH}/${starter.comment_id}`, tokens.bob);
      assert.deepEqual(res, { status: 200, body: { code: 0, msg: 'success' } });
      assert.deepEqual(await rows(w), [{ ...before[1], ref_comment_id: null }, before[2]]);
      const gone = await send('GET', `${PATH}/${starter.comment_id}`, tokens.bob);
      assert.deepEqual([gone.status, gone.body.code], [400, 1001004]);
      // The thread lives on: solving a reply still solves both.
      const solved = await send('POST', `${PATH}/${replyToReply.comment_id}/solve`, tokens.alice);
      assert.equal(solved.body.data.affected_comments.length, 2);
      assert.equal((await send('DELETE', `${PATH}/${UNKNOWN}`, tokens.bob)).body.code, 1001004);
    });

    it("solves and reopens the whole thread, by the starter's author or the target's owner only", async () => {
      const { w, bob, carol, targets, tokens, comment } = await setup();
      const starter = await comment(tokens.bob, 'objective', { selected_text: 'q' });
      t.clock.now += 1000;
      const reply = await comment(tokens.carol, 'objective', { ref_comment_id: starter.comment_id });
      // Another thread on the same objective is left alone.
      const otherThread = await comment(tokens.carol, 'objective');
      const before = await rows(w);

      // Carol wrote a reply, not the thread: she may neither solve nor reopen it.
      for (const action of ['solve', 'reopen']) {
        const res = await send('POST', `${PATH}/${reply.comment_id}/${action}`, tokens.carol);
        assert.deepEqual([res.status, res.body.code], [400, 1001002], action);
      }
      assert.deepEqual(await rows(w), before);

      t.clock.now += 1000;
      const solvedAt = t.clock.now;
      const solved = await send('POST', `${PATH}/${reply.comment_id}/solve?user_id_type=union_id`, tokens.bob);
      assert.equal(solved.status, 200, JSON.stringify(solved.body));
      const view = (r: Record<string, unknown>, author: Person, extra: Record<string, unknown>) => ({
        id: r.id,
        target: { target_type: 'objective', target_id: targets.objective },
        commentator_id: author.union_id,
        create_time: String(r.created_at),
        content: doc('hello'),
        ...(r.ref_comment_id ? { ref_comment_id: r.ref_comment_id } : {}),
        ...(r.selection_id ? { selection: { id: r.selection_id, selected_text: 'q' } } : {}),
        ...extra,
      });
      const solvedExtra = {
        status: 'solved',
        update_time: String(solvedAt),
        solver_id: bob.union_id,
        solved_time: String(solvedAt),
      };
      assert.deepEqual(solved.body, {
        code: 0,
        msg: 'success',
        data: { affected_comments: [view(before[0]!, bob, solvedExtra), view(before[1]!, carol, solvedExtra)] },
      });
      const stored = await rows(w);
      for (const r of stored.slice(0, 2)) {
        assert.deepEqual([r.status, r.solver_id, r.solved_time, r.updated_at], ['solved', bob.ref, solvedAt, solvedAt]);
      }
      assert.deepEqual(stored[2], before[2]);
      assert.equal(
        (await send('GET', `${PATH}/${otherThread.comment_id}`, tokens.bob)).body.data.comment.status,
        'open',
      );

      // Solving again changes nothing and says so.
      const again = await send('POST', `${PATH}/${starter.comment_id}/solve`, tokens.bob);
      assert.deepEqual(again.body, { code: 0, msg: 'success', data: { affected_comments: [] } });
      assert.deepEqual(await rows(w), stored);

      // A reply added to a solved thread is open; reopening by the objective's owner changes the solved ones.
      const late = await comment(tokens.alice, 'objective', { ref_comment_id: starter.comment_id });
      t.clock.now += 1000;
      const reopened = await send('POST', `${PATH}/${starter.comment_id}/reopen`, tokens.alice);
      assert.equal(reopened.status, 200);
      assert.deepEqual(
        reopened.body.data.affected_comments.map((c: { id: string; status: string }) => [c.id, c.status]),
        [
          [starter.comment_id, 'open'],
          [reply.comment_id, 'open'],
        ],
      );
      for (const c of reopened.body.data.affected_comments) {
        assert.equal(c.solver_id, undefined);
        assert.equal(c.solved_time, undefined);
        assert.equal(c.update_time, String(t.clock.now));
        assert.equal(c.commentator_id, c.id === starter.comment_id ? bob.open_id : carol.open_id);
      }
      const afterReopen = await rows(w);
      assert.ok(afterReopen.every((r) => r.status === 'open' && r.solver_id === null && r.solved_time === null));
      assert.ok(afterReopen.some((r) => r.id === late.comment_id));
      assert.equal((await send('POST', `${PATH}/${UNKNOWN}/solve`, tokens.bob)).body.code, 1001004);
    });

    it("lets a department's leader solve threads on the team's objectives, and not its members", async () => {
      const { w, jan, tokens } = await setup();
      const [leader, member] = [await w.person(), await w.person()];
      const team = await w.department({ leader, members: [member] });
      const teamObjective = await w.objective(await w.cycle(team, jan));
      const created = await send('POST', PATH, tokens.bob, {
        target: { target_type: 'objective', target_id: teamObjective },
        content: doc('team?'),
      });
      const id = created.body.data.comment_id;
      const byMember = await send('POST', `${PATH}/${id}/solve`, await member.token());
      assert.deepEqual([byMember.status, byMember.body.code], [400, 1001002]);
      const byLeader = await send('POST', `${PATH}/${id}/solve`, await leader.token());
      assert.equal(byLeader.status, 200);
      assert.deepEqual(
        byLeader.body.data.affected_comments.map((c: { solver_id: string }) => c.solver_id),
        [leader.open_id],
      );
    });

    it('lists the comments on a target oldest first, a page at a time, in a fixed number of statements', async () => {
      const { alice, bob, carol, targets, tokens, comment } = await setup();
      const made: { id: string; author: Person; at: number }[] = [];
      const authors = [bob, carol, alice, bob, carol];
      const authorTokens = [tokens.bob, tokens.carol, tokens.alice, tokens.bob, tokens.carol];
      for (let i = 0; i < 5; i++) {
        t.clock.now += 1000;
        const { comment_id } = await comment(
          authorTokens[i]!,
          'progress',
          {},
          doc(`note ${i} `, { mention: alice.open_id }),
        );
        made.push({ id: comment_id, author: authors[i]!, at: t.clock.now });
      }
      // Comments on other targets are not listed.
      await comment(tokens.bob, 'cycle');
      const item = (i: number) => ({
        id: made[i]!.id,
        target: { target_type: 'progress', target_id: targets.progress },
        commentator_id: made[i]!.author.open_id,
        status: 'open',
        create_time: String(made[i]!.at),
        update_time: String(made[i]!.at),
        content: doc(`note ${i} `, { mention: alice.open_id }),
      });
      const url = `${PATH}?target_type=progress&target_id=${targets.progress}`;
      const first = await send('GET', `${url}&page_size=2`, tokens.tenant);
      assert.deepEqual(first, {
        status: 200,
        body: {
          code: 0,
          msg: 'success',
          data: { has_more: true, page_token: first.body.data.page_token, items: [item(0), item(1)] },
        },
      });
      const second = await send('GET', `${url}&page_size=2&page_token=${first.body.data.page_token}`, tokens.bob);
      assert.deepEqual(second.body.data, {
        has_more: true,
        page_token: second.body.data.page_token,
        items: [item(2), item(3)],
      });
      const third = await send('GET', `${url}&page_size=2&page_token=${second.body.data.page_token}`, tokens.bob);
      assert.deepEqual(third.body.data, { has_more: false, items: [item(4)] });
      const all = await send('GET', url, tokens.carol);
      assert.deepEqual(all.body.data, { has_more: false, items: [0, 1, 2, 3, 4].map(item) });
      const empty = await send('GET', `${PATH}?target_type=key_result&target_id=${targets.key_result}`, tokens.bob);
      assert.deepEqual(empty.body.data, { has_more: false, items: [] });

      const statements = async (query: string) => {
        t.statements.count = 0;
        assert.equal((await send('GET', `${url}&${query}`, tokens.bob)).status, 200);
        return t.statements.count;
      };
      await statements('page_size=1');
      const one = await statements('page_size=1');
      assert.equal(await statements('page_size=5'), one);
      assert.equal(await statements(`page_size=2&page_token=${first.body.data.page_token}`), one);

      const bad = await send('GET', `${url}&page_token=nonsense`, tokens.bob);
      assert.deepEqual(bad.body.error.field_violations, [
        { field: 'page_token', description: 'is not a token this server issued' },
      ]);
      const tooBig = await send('GET', `${url}&page_size=101`, tokens.bob);
      assert.deepEqual([tooBig.status, tooBig.body.code], [400, 1001001]);
    });
  });
}
