import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alignmentEdgesFor } from '../../../src/store/alignment.repository.js';
import { writeTenant } from '../../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/db.js';
import { newWorld, type Person, type World } from '../../helpers/factories.js';

const V2 = '/open-apis/okr/v2';
const ID = /^[1-9]\d{18}$/;

for (const dialect of DIALECTS) {
  describe(`v2 alignments [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    const send = async (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: unknown) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload ?? {}),
      });
      return { status: res.statusCode, body: res.json() };
    };
    const align = (from: string, to: string, token: string) =>
      send('POST', `${V2}/objectives/${from}/alignments`, token, { to_entity_type: 2, to_entity_id: to });
    const rows = (w: World) =>
      t.db.read((tx) =>
        tx.all<Record<string, unknown>>('SELECT * FROM alignments WHERE tenant_id = ? ORDER BY created_at, id', [
          w.tenantId,
        ]),
      );
    const sql = (w: World, statement: string, params: (string | number)[]) =>
      writeTenant(t.db, w.tenantId, (tx) => tx.run(statement, [...params, w.tenantId]));
    const userOwner = (p: Person, key: 'open_id' | 'union_id' = 'open_id') => ({
      owner_type: 'user',
      user_id: p[key],
    });

    /** Three people with a January cycle and an objective each, plus alice's second objective. */
    async function setup() {
      const w = await newWorld(t);
      const jan = await w.period('2026-01');
      const [alice, bob, carol] = [await w.person(), await w.person(), await w.person()];
      const cycles = {
        alice: await w.cycle(alice, jan),
        bob: await w.cycle(bob, jan),
        carol: await w.cycle(carol, jan),
      };
      const o = {
        alice: await w.objective(cycles.alice),
        alice2: await w.objective(cycles.alice),
        bob: await w.objective(cycles.bob),
        carol: await w.objective(cycles.carol),
      };
      return {
        w,
        jan,
        alice,
        bob,
        carol,
        cycles,
        o,
        tokens: {
          alice: await alice.token(),
          bob: await bob.token(),
          carol: await carol.token(),
          tenant: await w.tenantToken(),
        },
      };
    }

    it('aligns an objective to another, answers it whole, and stores exactly one row', async () => {
      const { w, alice, bob, o, tokens } = await setup();
      t.clock.now += 1000;
      const created = await align(o.alice, o.bob, tokens.alice);
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.deepEqual(Object.keys(created.body.data), ['alignment_id']);
      const id = created.body.data.alignment_id;
      assert.match(id, ID);
      assert.deepEqual(created.body, { code: 0, msg: 'success', data: { alignment_id: id } });
      assert.deepEqual(await rows(w), [
        {
          id,
          tenant_id: w.tenantId,
          from_objective_id: o.alice,
          to_objective_id: o.bob,
          created_at: t.clock.now,
          updated_at: t.clock.now,
        },
      ]);

      const expected = {
        id,
        create_time: String(t.clock.now),
        update_time: String(t.clock.now),
        from_owner: userOwner(alice),
        to_owner: userOwner(bob),
        from_entity_type: 2,
        from_entity_id: o.alice,
        to_entity_type: 2,
        to_entity_id: o.bob,
      };
      const got = await send('GET', `${V2}/alignments/${id}`, tokens.tenant);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body, { code: 0, msg: 'success', data: { alignment: expected } });
      const byUnion = await send('GET', `${V2}/alignments/${id}?user_id_type=union_id`, tokens.bob);
      assert.deepEqual(byUnion.body.data.alignment, {
        ...expected,
        from_owner: userOwner(alice, 'union_id'),
        to_owner: userOwner(bob, 'union_id'),
      });
    });

    it('shows a v2 alignment in the v1 aligning list of the from objective and the aligned list of the to one', async () => {
      const { alice, bob, cycles, o, tokens } = await setup();
      assert.equal((await align(o.alice, o.bob, tokens.alice)).status, 200);
      const batch = async (cycle: string) =>
        (await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${cycle}`, tokens.tenant)).body.data.okr_list[0];
      const from = (await batch(cycles.alice)).objective_list.find((x: { id: string }) => x.id === o.alice);
      assert.deepEqual(from.aligning_objective_list, [
        { id: o.bob, okr_id: cycles.bob, owner: { open_id: bob.open_id, user_id: bob.open_id } },
      ]);
      assert.deepEqual(from.aligned_objective_list, []);
      const to = (await batch(cycles.bob)).objective_list.find((x: { id: string }) => x.id === o.bob);
      assert.deepEqual(to.aligned_objective_list, [
        { id: o.alice, okr_id: cycles.alice, owner: { open_id: alice.open_id, user_id: alice.open_id } },
      ]);
      assert.deepEqual(to.aligning_objective_list, []);
    });

    it('refuses each broken rule with 1001001 naming to_entity_id, writing nothing', async () => {
      const { w, bob, o, tokens } = await setup();
      const mar = await w.period('2026-03');
      const bobMarch = await w.objective(await w.cycle(bob, mar));
      assert.equal((await align(o.alice, o.bob, tokens.alice)).status, 200);
      const before = await rows(w);
      const cases: [string, string, string][] = [
        [o.alice, 'an objective cannot align to itself', tokens.alice],
        [o.alice2, 'you cannot align to your own objective', tokens.alice],
        [bobMarch, "the two objectives' cycles do not overlap in time", tokens.alice],
        [o.bob, `already aligned to objective ${o.bob}`, tokens.alice],
      ];
      for (const [to, rule, token] of cases) {
        const { status, body } = await align(o.alice, to, token);
        assert.equal(status, 400, rule);
        assert.equal(body.code, 1001001, rule);
        assert.equal(body.msg, `invalid parameters: to_entity_id: ${rule}`);
        assert.deepEqual(body.error.field_violations, [{ field: 'to_entity_id', description: rule }]);
        assert.deepEqual(await rows(w), before, rule);
      }
      // The schema: only objectives (2) can be aligned.
      const wrongType = await send('POST', `${V2}/objectives/${o.alice}/alignments`, tokens.alice, {
        to_entity_type: 3,
        to_entity_id: o.carol,
      });
      assert.equal(wrongType.status, 400);
      assert.equal(wrongType.body.code, 1001001);
      assert.equal(wrongType.body.error.field_violations[0].field, 'to_entity_type');
      assert.deepEqual(await rows(w), before);
    });

    it('refuses the alignment that would close a loop of three', async () => {
      const { w, o, tokens } = await setup();
      assert.equal((await align(o.alice, o.bob, tokens.alice)).status, 200);
      assert.equal((await align(o.bob, o.carol, tokens.bob)).status, 200);
      const before = await rows(w);
      const { status, body } = await align(o.carol, o.alice, tokens.carol);
      assert.equal(status, 400);
      const rule = `aligning to objective ${o.alice} would make a loop of alignments`;
      assert.deepEqual(body.error.field_violations, [{ field: 'to_entity_id', description: rule }]);
      assert.deepEqual(await rows(w), before);
      // The other way round is no loop.
      assert.equal((await align(o.carol, o.alice2, tokens.carol)).status, 200);
    });

    it('checks loops against the edges reachable from the target only, even where stored data loops already', async () => {
      const { w, jan, o, tokens } = await setup();
      const [dan, erin] = [await w.person(), await w.person()];
      const danO = await w.objective(await w.cycle(dan, jan));
      const erinO = await w.objective(await w.cycle(erin, jan));
      // bob → carol → dan → carol (a loop an old import could hold) and an unrelated alice → erin.
      const insert = (id: string, from: string, to: string) =>
        writeTenant(t.db, w.tenantId, (tx) =>
          tx.run(
            `INSERT INTO alignments (id, tenant_id, from_objective_id, to_objective_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, 0, 0)`,
            [id, w.tenantId, from, to],
          ),
        );
      await insert('7100000000000000001', o.bob, o.carol);
      await insert('7100000000000000002', o.carol, danO);
      await insert('7100000000000000003', danO, o.carol);
      await insert('7100000000000000004', o.alice, erinO);
      const edges = await t.db.read((tx) => alignmentEdgesFor(tx, w.tenantId, o.alice, o.bob));
      assert.deepEqual(
        edges.map((e) => `${e.from_id}>${e.to_id}`).sort(),
        [`${o.bob}>${o.carol}`, `${o.carol}>${danO}`, `${danO}>${o.carol}`].sort(),
      );
      assert.equal((await align(o.alice, o.bob, tokens.alice)).status, 200);
      const loop = await align(danO, o.alice, await dan.token());
      assert.equal(
        loop.body.error.field_violations[0].description,
        `aligning to objective ${o.alice} would make a loop of alignments`,
      );
    });

    it('lets only one of two simultaneous opposite alignments through', async () => {
      const { w, o, tokens } = await setup();
      const results = await Promise.all([align(o.alice, o.bob, tokens.alice), align(o.bob, o.alice, tokens.bob)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
      assert.equal((await rows(w)).length, 1);
    });

    it('accepts cycles that overlap only partly (a quarter and one of its months)', async () => {
      const { w, bob, o, tokens } = await setup();
      const quarter = await w.period('2026-02');
      await sql(w, 'UPDATE periods SET end_month = ?, period_end_time = ? WHERE id = ? AND tenant_id = ?', [
        '2026-04',
        Date.UTC(2026, 3, 30, 16) - 1,
        quarter.id,
      ]);
      const bobQuarter = await w.objective(await w.cycle(bob, quarter));
      const dan = await w.person();
      const danMarch = await w.objective(await w.cycle(dan, await w.period('2026-03')));
      // January and February–April do not overlap; March lies inside.
      assert.equal((await align(o.alice, bobQuarter, tokens.alice)).body.code, 1001001);
      const made = await align(danMarch, bobQuarter, await dan.token());
      assert.equal(made.status, 200, JSON.stringify(made.body));
    });

    it('needs write access to the from objective and read access to the target; unknown or hidden is 1001004', async () => {
      const { w, bob, cycles, o, tokens } = await setup();
      const hidden = await w.period('2026-02', 3);
      const hiddenObjective = await w.objective(await w.cycle(bob, hidden));
      const expectNone = async (res: { status: number; body: any }, code: number, msg?: string) => {
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.code, code);
        if (msg) assert.equal(res.body.msg, msg);
        assert.deepEqual(await rows(w), []);
      };
      await expectNone(await align(o.alice, o.bob, tokens.bob), 1001002);
      await expectNone(
        await align(o.alice, '7999999999999999999', tokens.alice),
        1001004,
        'okr data not found: to_entity_id 7999999999999999999',
      );
      await expectNone(
        await align(o.alice, hiddenObjective, tokens.alice),
        1001004,
        `okr data not found: to_entity_id ${hiddenObjective}`,
      );
      await expectNone(
        await align('7999999999999999999', o.bob, tokens.alice),
        1001004,
        'okr data not found: objective_id 7999999999999999999',
      );
      // Bob's cycle restricted to his leader chain: alice may not read it, so may not align to it.
      await sql(w, "UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?", [cycles.bob]);
      await expectNone(await align(o.alice, o.bob, tokens.alice), 1001002);
      // A tenant token writes any cycle and reads every one.
      const made = await align(o.carol, o.bob, tokens.tenant);
      assert.equal(made.status, 200);
    });

    it("aligns with a team's objective: its owner is the department; its leader writes it", async () => {
      const { w, alice, bob, o, tokens, jan } = await setup();
      const leader = await w.person();
      const member = await w.person();
      const team = await w.department({ leader, members: [member] });
      const teamObjective = await w.objective(await w.cycle(team, jan));
      const up = await align(o.alice, teamObjective, tokens.alice);
      assert.equal(up.status, 200);
      const got = await send(
        'GET',
        `${V2}/alignments/${up.body.data.alignment_id}?department_id_type=department_id`,
        tokens.tenant,
      );
      assert.deepEqual(got.body.data.alignment.to_owner, {
        owner_type: 'department',
        department_id: team.department_id,
      });
      assert.deepEqual(got.body.data.alignment.from_owner, userOwner(alice));
      // Only the leader may align the team's objective; a member may not.
      assert.equal((await align(teamObjective, o.bob, await member.token())).body.code, 1001002);
      const down = await align(teamObjective, o.bob, await leader.token());
      assert.equal(down.status, 200);
      const listed = await send('GET', `${V2}/objectives/${teamObjective}/alignments`, tokens.alice);
      const teamOwner = { owner_type: 'department', department_id: team.open_department_id };
      assert.deepEqual(
        listed.body.data.items.map((a: { from_owner: unknown; to_owner: unknown }) => [a.from_owner, a.to_owner]),
        [
          [userOwner(alice), teamOwner],
          [teamOwner, userOwner(bob)],
        ],
      );
    });

    it('lists aligned, aligning or both, oldest first, a page at a time, in a fixed number of statements', async () => {
      const w = await newWorld(t);
      const jan = await w.period('2026-01');
      const hub = await w.person();
      const hubObjective = await w.objective(await w.cycle(hub, jan));
      const token = await w.tenantToken();
      const others: { person: Person; objective: string; alignment: string; at: number }[] = [];
      for (let i = 0; i < 5; i++) {
        const person = await w.person();
        const objective = await w.objective(await w.cycle(person, jan));
        t.clock.now += 1000;
        // Even ones align to the hub; odd ones are aligned to by the hub.
        const res =
          i % 2 === 0 ? await align(objective, hubObjective, token) : await align(hubObjective, objective, token);
        assert.equal(res.status, 200);
        others.push({ person, objective, alignment: res.body.data.alignment_id, at: t.clock.now });
      }
      const item = (i: number) => {
        const o = others[i]!;
        const aligned = i % 2 === 0;
        return {
          id: o.alignment,
          create_time: String(o.at),
          update_time: String(o.at),
          from_owner: userOwner(aligned ? o.person : hub),
          to_owner: userOwner(aligned ? hub : o.person),
          from_entity_type: 2,
          from_entity_id: aligned ? o.objective : hubObjective,
          to_entity_type: 2,
          to_entity_id: aligned ? hubObjective : o.objective,
        };
      };
      const url = `${V2}/objectives/${hubObjective}/alignments`;
      const all = async (query: string) => {
        const items: unknown[] = [];
        let pageToken = '';
        let pages = 0;
        for (;;) {
          const { status, body } = await send(
            'GET',
            `${url}?page_size=2${query}${pageToken ? `&page_token=${pageToken}` : ''}`,
            token,
          );
          assert.equal(status, 200, JSON.stringify(body));
          pages++;
          items.push(...body.data.items);
          if (!body.data.has_more) {
            assert.deepEqual(Object.keys(body.data).sort(), ['has_more', 'items']);
            break;
          }
          assert.equal(typeof body.data.page_token, 'string');
          pageToken = body.data.page_token;
        }
        return { items, pages };
      };
      assert.deepEqual(await all(''), { items: [0, 1, 2, 3, 4].map(item), pages: 3 });
      assert.deepEqual(await all('&align_type=aligned'), { items: [0, 2, 4].map(item), pages: 2 });
      assert.deepEqual(await all('&align_type=aligning'), { items: [1, 3].map(item), pages: 1 });

      const first = await send('GET', `${url}?page_size=2`, token);
      assert.deepEqual(first.body, {
        code: 0,
        msg: 'success',
        data: { has_more: true, page_token: first.body.data.page_token, items: [item(0), item(1)] },
      });

      const statements = async (query: string) => {
        t.statements.count = 0;
        assert.equal((await send('GET', `${url}?${query}`, token)).status, 200);
        return t.statements.count;
      };
      await statements('page_size=1');
      const one = await statements('page_size=1');
      assert.equal(await statements('page_size=5'), one);
      assert.equal(await statements(`page_size=2&page_token=${first.body.data.page_token}`), one);

      const bad = await send('GET', `${url}?page_token=nonsense`, token);
      assert.deepEqual([bad.status, bad.body.code], [400, 1001001]);
      assert.equal((await send('GET', `${V2}/objectives/7999999999999999999/alignments`, token)).body.code, 1001004);
    });

    it('still lists an alignment whose other side the caller may not read (ids and owners are not secret)', async () => {
      const { w, bob, cycles, o, tokens } = await setup();
      const made = await align(o.alice, o.bob, tokens.alice);
      await sql(w, "UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?", [cycles.bob]);
      const listed = await send('GET', `${V2}/objectives/${o.alice}/alignments`, tokens.carol);
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.data.items.map((a: { id: string; to_owner: unknown }) => [a.id, a.to_owner]),
        [[made.body.data.alignment_id, userOwner(bob)]],
      );
      // Listing bob's own objective needs read access to bob's cycle.
      assert.equal((await send('GET', `${V2}/objectives/${o.bob}/alignments`, tokens.carol)).body.code, 1001002);
      // One side readable is enough to get the alignment; neither is not.
      assert.equal((await send('GET', `${V2}/alignments/${made.body.data.alignment_id}`, tokens.carol)).status, 200);
      await sql(w, "UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?", [cycles.alice]);
      const refused = await send('GET', `${V2}/alignments/${made.body.data.alignment_id}`, tokens.carol);
      assert.deepEqual([refused.status, refused.body.code], [400, 1001002]);
      assert.equal((await send('GET', `${V2}/alignments/${made.body.data.alignment_id}`, tokens.bob)).status, 200);
    });

    it('treats an alignment with an end in a hidden period as not found', async () => {
      const { w, jan, o, tokens } = await setup();
      const made = await align(o.alice, o.bob, tokens.alice);
      const id = made.body.data.alignment_id;
      await sql(w, 'UPDATE periods SET status = 3 WHERE id = ? AND tenant_id = ?', [jan.id]);
      const got = await send('GET', `${V2}/alignments/${id}`, tokens.tenant);
      assert.deepEqual([got.status, got.body.code], [400, 1001004]);
      assert.equal((await send('DELETE', `${V2}/alignments/${id}`, tokens.tenant)).body.code, 1001004);
      assert.equal((await rows(w)).length, 1);
    });

    it('deletes by the from side, the to side or a tenant token; nobody else; both objectives stay', async () => {
      const { w, o, tokens } = await setup();
      const make = async () => (await align(o.alice, o.bob, tokens.alice)).body.data.alignment_id as string;
      const del = (id: string, token: string) => send('DELETE', `${V2}/alignments/${id}`, token);

      const first = await make();
      const refused = await del(first, tokens.carol);
      assert.deepEqual([refused.status, refused.body.code], [400, 1001002]);
      assert.equal((await rows(w)).length, 1);
      for (const token of [tokens.alice, tokens.bob, tokens.tenant]) {
        const id = (await rows(w)).length === 0 ? await make() : first;
        const res = await del(id, token);
        assert.deepEqual(res, { status: 200, body: { code: 0, msg: 'success', data: { alignment_id: id } } });
        assert.deepEqual(await rows(w), []);
        const gone = await send('GET', `${V2}/alignments/${id}`, tokens.tenant);
        assert.deepEqual(
          [gone.status, gone.body.code, gone.body.msg],
          [400, 1001004, `okr data not found: alignment_id ${id}`],
        );
      }
      const objectives = await t.db.read((tx) =>
        tx.all<{ id: string }>('SELECT id FROM objectives WHERE id IN (?, ?) ORDER BY id', [o.alice, o.bob]),
      );
      assert.equal(objectives.length, 2);
      assert.equal((await del('7999999999999999999', tokens.tenant)).body.code, 1001004);
    });
  });
}
