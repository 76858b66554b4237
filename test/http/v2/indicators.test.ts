// v2 indicators (spec §4.0, §4.6, decisions.md OQ-31): read an objective's or key result's indicator, PATCH it;
// automatic statuses and values are computed when read (moving with the clock), and v1 progress feeds them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IndicatorRow, PeriodRow } from '../../../src/store/rows.js';
import { writeTenant } from '../../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/db.js';
import { newWorld, type Person, type World } from '../../helpers/factories.js';

const V2 = '/open-apis/okr/v2';

for (const dialect of DIALECTS) {
  describe(`v2 indicators [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    const send = async (method: 'GET' | 'PATCH' | 'POST', url: string, token: string, payload?: unknown) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload ?? {}),
      });
      return { status: res.statusCode, body: res.json() };
    };
    const indicatorRow = (entityId: string) =>
      t.db.read((tx) => tx.get<IndicatorRow>('SELECT * FROM indicators WHERE entity_id = ?', [entityId]));
    const allIndicators = (w: World) =>
      t.db.read((tx) => tx.all<IndicatorRow>('SELECT * FROM indicators WHERE tenant_id = ? ORDER BY id', [w.tenantId]));
    /** Moves the clock to `fraction` of the period (0 its start, 1 its end). */
    const at = (period: PeriodRow, fraction: number) => {
      t.clock.now =
        period.period_start_time + Math.round(fraction * (period.period_end_time - period.period_start_time));
    };
    /** A person's cycle in March 2026 with an objective and two key results (weights 0.6 and 0.4). */
    const setup = async () => {
      const w = await newWorld(t);
      const owner = await w.person();
      const period = await w.period('2026-03');
      at(period, 0.1);
      const cycle = await w.cycle(owner, period);
      const objective = await w.objective(cycle, { weight_milli: 1000 });
      const kr1 = await w.keyResult(objective, { weight_milli: 600 });
      const kr2 = await w.keyResult(objective, { weight_milli: 400 });
      return { w, owner, period, cycle, objective, kr1, kr2 };
    };
    const objectiveIndicator = (id: string, token: string, query = '') =>
      send('GET', `${V2}/objectives/${id}/indicators${query}`, token);
    const keyResultIndicator = (id: string, token: string, query = '') =>
      send('GET', `${V2}/key_results/${id}/indicators${query}`, token);
    const patch = async (entityId: string, body: unknown, token: string) =>
      send('PATCH', `${V2}/indicators/${(await indicatorRow(entityId))!.id}`, token, body);
    /** Writes a v1 progress record with a progress rate on an objective (2) or key result (3). */
    const record = async (type: 2 | 3, id: string, percent: number, status: number, token: string) => {
      const { body } = await send('POST', '/open-apis/okr/v1/progress_records', token, {
        source_title: 'weekly',
        source_url: 'https://okrd.example.com/w',
        target_id: id,
        target_type: type,
        content: { blocks: [] },
        progress_rate: { percent, status },
      });
      assert.equal(body.code, 0, JSON.stringify(body));
    };
    const userOwner = (p: Person) => ({ owner_type: 'user', user_id: p.open_id });

    it('every objective and key result has the default indicator from its creation', async () => {
      const { w, owner, objective, kr1 } = await setup();
      const token = await w.tenantToken();
      const o = (await indicatorRow(objective))!;
      const { status, body } = await objectiveIndicator(objective, token);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: {
          indicator: {
            id: o.id,
            create_time: String(o.created_at),
            update_time: String(o.updated_at),
            owner: userOwner(owner),
            entity_type: 2,
            entity_id: objective,
            indicator_status: -1,
            status_calculate_type: 0,
            current_value_calculate_type: 0,
            unit: { unit_type: 0, unit_value: 'NONE' },
          },
        },
      });
      const k = (await indicatorRow(kr1))!;
      const kr = await keyResultIndicator(kr1, token, '?user_id_type=union_id');
      assert.deepEqual(kr.body.data, {
        indicator: {
          id: k.id,
          create_time: String(k.created_at),
          update_time: String(k.updated_at),
          owner: { owner_type: 'user', user_id: owner.union_id },
          entity_type: 3,
          entity_id: kr1,
          indicator_status: -1,
          status_calculate_type: 0,
          current_value_calculate_type: 0,
          unit: { unit_type: 0, unit_value: 'NONE' },
        },
      });
    });

    it("sets a key result's values and unit; its time status is computed when read and moves with the clock", async () => {
      const { w, owner, period, kr1 } = await setup();
      const before = (await indicatorRow(kr1))!;
      const krBefore = await t.db.read((tx) => tx.get('SELECT * FROM key_results WHERE id = ?', [kr1]));
      at(period, 0.5);
      const token = await w.tenantToken();
      const { status, body } = await patch(
        kr1,
        {
          start_value: 0,
          target_value: 200,
          current_value: 50,
          unit: { unit_type: 1, unit_value: '个' },
          status_calculate_type: 1,
        },
        token,
      );
      assert.equal(status, 200, JSON.stringify(body));
      const expected = {
        id: before.id,
        create_time: String(before.created_at),
        update_time: String(t.clock.now),
        owner: userOwner(owner),
        entity_type: 3,
        entity_id: kr1,
        // 25 % done at half time: more than 20 points behind.
        indicator_status: 1,
        status_calculate_type: 1,
        start_value: 0,
        target_value: 200,
        current_value: 50,
        current_value_calculate_type: 0,
        unit: { unit_type: 1, unit_value: '个' },
      };
      assert.deepEqual(body, { code: 0, msg: 'success', data: { indicator: expected } });
      assert.deepEqual(await indicatorRow(kr1), {
        ...before,
        status_calculate_type: 1,
        start_value: 0,
        target_value: 200,
        current_value: 50,
        unit_type: 1,
        unit_value: '个',
        updated_at: t.clock.now,
        // The computed status is never stored.
        indicator_status: -1,
      });
      // A manual current value does not move v1 progress (docs/compatibility.md).
      assert.deepEqual(await t.db.read((tx) => tx.get('SELECT * FROM key_results WHERE id = ?', [kr1])), krBefore);

      const statusAt = async (fraction: number) => {
        at(period, fraction);
        const res = await keyResultIndicator(kr1, await w.tenantToken());
        return res.body.data.indicator.indicator_status;
      };
      assert.equal(await statusAt(0.1), 0, 'on track early on');
      assert.equal(await statusAt(0.44), 0, 'less than 20 points behind is still normal');
      assert.equal(await statusAt(0.5), 1);
      assert.equal(await statusAt(1.01), 2, 'past the cycle end');
      // Done is normal whatever the time.
      await patch(kr1, { current_value: 200 }, await w.tenantToken());
      assert.equal(await statusAt(1.01), 0);
      // The deadline, when set, ends the span instead of the cycle.
      await patch(kr1, { current_value: 50 }, await w.tenantToken());
      const deadline = period.period_start_time + Math.round(0.3 * (period.period_end_time - period.period_start_time));
      await writeTenant(t.db, w.tenantId, (tx) =>
        tx.run('UPDATE key_results SET deadline = ? WHERE id = ? AND tenant_id = ?', [deadline, kr1, w.tenantId]),
      );
      assert.equal(await statusAt(0.2), 1, '25 % at two thirds of the time to the deadline');
      assert.equal(await statusAt(0.35), 2, 'past the deadline');
    });

    it("a key result's current value from its own progress (type 2) follows the v1 progress records", async () => {
      const { w, period, kr1 } = await setup();
      at(period, 0.5);
      const token = await w.tenantToken();
      await record(3, kr1, 40, 1, token);
      const { body } = await patch(kr1, { current_value_calculate_type: 2, status_calculate_type: 1 }, token);
      assert.equal(body.code, 0, JSON.stringify(body));
      assert.equal(body.data.indicator.current_value, 40);
      assert.equal(body.data.indicator.current_value_calculate_type, 2);
      assert.equal(body.data.indicator.indicator_status, 0, '40 % at half time');
      assert.equal((await indicatorRow(kr1))!.current_value, null, 'the computed value is not stored');
      await record(3, kr1, 12.5, 0, token);
      const read = await keyResultIndicator(kr1, token);
      assert.equal(read.body.data.indicator.current_value, 12.5);
      assert.equal(read.body.data.indicator.indicator_status, 1);
      // Back to manual: the manual value (none set) shows again.
      const manual = await patch(kr1, { current_value_calculate_type: 0, current_value: 7 }, token);
      assert.equal(manual.body.data.indicator.current_value, 7);
    });

    it("an objective's value and status from its key results, in a fixed number of queries", async () => {
      const { w, owner, period, objective, kr1, kr2 } = await setup();
      at(period, 0.5);
      const token = await w.tenantToken();
      await patch(kr1, { start_value: 0, target_value: 10, current_value: 5, status_calculate_type: 1 }, token);
      await record(3, kr2, 20, 1, token);
      await patch(kr2, { indicator_status: 2 }, token);
      const o = (await indicatorRow(objective))!;
      const { status, body } = await patch(
        objective,
        { current_value_calculate_type: 1, status_calculate_type: 2 },
        token,
      );
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body.data, {
        indicator: {
          id: o.id,
          create_time: String(o.created_at),
          update_time: String(t.clock.now),
          owner: userOwner(owner),
          entity_type: 2,
          entity_id: objective,
          // The riskiest key result: kr2, set by hand to delayed.
          indicator_status: 2,
          status_calculate_type: 2,
          // 50 % × 0.6 + 20 % × 0.4
          current_value: 38,
          current_value_calculate_type: 1,
          unit: { unit_type: 0, unit_value: 'NONE' },
        },
      });
      await patch(kr2, { indicator_status: 0 }, token);
      assert.equal((await objectiveIndicator(objective, token)).body.data.indicator.indicator_status, 0);
      at(period, 0.8);
      const late = await objectiveIndicator(objective, await w.tenantToken());
      assert.equal(late.body.data.indicator.indicator_status, 1, 'kr1 at 50 % with 80 % of the time gone');
      assert.equal(late.body.data.indicator.current_value, 38);

      // As many statements with five key results as with two.
      const count = async () => {
        const tk = await w.tenantToken();
        await objectiveIndicator(objective, tk);
        const before = t.statements.count;
        await objectiveIndicator(objective, tk);
        return t.statements.count - before;
      };
      const withTwo = await count();
      for (let i = 0; i < 3; i++) await w.keyResult(objective);
      assert.equal(await count(), withTwo);

      // Status from time on the objective itself reads the objective's own (v1) progress.
      const own = await patch(objective, { status_calculate_type: 1 }, await w.tenantToken());
      assert.equal(own.body.data.indicator.indicator_status, 1, '0 % at 80 % of the time');
      await record(2, objective, 90, 0, await w.tenantToken());
      assert.equal(
        (await objectiveIndicator(objective, await w.tenantToken())).body.data.indicator.indicator_status,
        0,
      );
    });

    it('an empty PATCH changes nothing and answers the indicator', async () => {
      const { w, kr1 } = await setup();
      const before = await indicatorRow(kr1);
      const { body } = await patch(kr1, {}, await w.tenantToken());
      assert.equal(body.code, 0);
      assert.equal(body.data.indicator.update_time, String(before!.updated_at));
      assert.deepEqual(await indicatorRow(kr1), before);
    });

    describe('PATCH refuses a broken rule with 1001001 naming the field, writing nothing', () => {
      const cases: [string, 'objective' | 'kr', object, { field: string; description: string }[] | RegExp][] = [
        [
          'value calculate type 2 on an objective',
          'objective',
          { current_value_calculate_type: 2 },
          [{ field: 'current_value_calculate_type', description: "must be 0 or 1 for an objective's indicator" }],
        ],
        [
          'value calculate type 1 on a key result',
          'kr',
          { current_value_calculate_type: 1 },
          [{ field: 'current_value_calculate_type', description: "must be 0 or 2 for a key result's indicator" }],
        ],
        [
          'status calculate type 2 on a key result',
          'kr',
          { status_calculate_type: 2 },
          [{ field: 'status_calculate_type', description: "must be 0 or 1 for a key result's indicator" }],
        ],
        [
          'a start value on an objective',
          'objective',
          { start_value: 1 },
          [{ field: 'start_value', description: "cannot be set on an objective's indicator" }],
        ],
        [
          'a target value on an objective',
          'objective',
          { target_value: 1 },
          [{ field: 'target_value', description: "cannot be set on an objective's indicator" }],
        ],
        [
          'a unit on an objective',
          'objective',
          { unit: { unit_type: 0, unit_value: 'PERCENT' } },
          [{ field: 'unit', description: "cannot be set on an objective's indicator" }],
        ],
        [
          'a current value while it is calculated (key result)',
          'kr',
          { current_value_calculate_type: 2, current_value: 3 },
          [
            {
              field: 'current_value',
              description: 'cannot be set while current_value_calculate_type is 2 (only when it is 0, manual)',
            },
          ],
        ],
        [
          'a current value while it is calculated (objective)',
          'objective',
          { current_value_calculate_type: 1, current_value: 3 },
          [
            {
              field: 'current_value',
              description: 'cannot be set while current_value_calculate_type is 1 (only when it is 0, manual)',
            },
          ],
        ],
        [
          'a status while it is calculated',
          'kr',
          { status_calculate_type: 1, indicator_status: 1 },
          [
            {
              field: 'indicator_status',
              description: 'cannot be set while status_calculate_type is 1 (only when it is 0, manual)',
            },
          ],
        ],
        [
          'a public unit that does not exist',
          'kr',
          { unit: { unit_type: 0, unit_value: 'EURO' } },
          [{ field: 'unit.unit_value', description: 'must be PERCENT, NONE, YUAN or DOLLAR when unit_type is 0' }],
        ],
        [
          'a custom unit of six characters',
          'kr',
          { unit: { unit_type: 1, unit_value: 'pieces' } },
          [{ field: 'unit.unit_value', description: 'must be 1 to 5 characters when unit_type is 1' }],
        ],
        [
          'an empty custom unit',
          'kr',
          { unit: { unit_type: 1, unit_value: '' } },
          [{ field: 'unit.unit_value', description: 'must be 1 to 5 characters when unit_type is 1' }],
        ],
        ['a value beyond ±99999999999', 'kr', { target_value: 1e11 }, /target_value: must be <= 99999999999/],
        ['a status of 3', 'kr', { indicator_status: 3 }, /indicator_status: must be equal to one of the allowed/],
        ['a unit without its value', 'kr', { unit: { unit_type: 1 } }, /unit.unit_value: is required/],
        ['unit type 2', 'kr', { unit: { unit_type: 2, unit_value: 'x' } }, /unit.unit_type/],
        ['a value that is not a number', 'kr', { start_value: 'ten' }, /start_value: must be number/],
      ];
      for (const [label, on, body, expected] of cases) {
        it(label, async () => {
          const { w, objective, kr1 } = await setup();
          const before = await allIndicators(w);
          const { status, body: res } = await patch(on === 'objective' ? objective : kr1, body, await w.tenantToken());
          assert.equal(status, 400, JSON.stringify(res));
          assert.equal(res.code, 1001001);
          if (expected instanceof RegExp) {
            assert.match(res.msg, expected);
            assert.equal(res.error.field_violations.length, 1);
          } else {
            assert.deepEqual(res.error.field_violations, expected);
            assert.equal(
              res.msg,
              `invalid parameters: ${expected.map((v) => `${v.field}: ${v.description}`).join('; ')}`,
            );
          }
          assert.deepEqual(await allIndicators(w), before);
        });
      }
    });

    describe('permissions and existence', () => {
      it('lets a person change only their own indicators; reads follow v1 visibility', async () => {
        const { w, owner, objective, kr1, cycle } = await setup();
        const boss = await w.person();
        await writeTenant(t.db, w.tenantId, (tx) =>
          tx.run('UPDATE users SET leader_id = ? WHERE id = ? AND tenant_id = ?', [boss.ref, owner.ref, w.tenantId]),
        );
        const other = await w.person();
        const before = await allIndicators(w);
        const denied = await patch(kr1, { current_value: 1 }, await other.token());
        assert.deepEqual([denied.status, denied.body.code], [400, 1001002]);
        const bossDenied = await patch(kr1, { current_value: 1 }, await boss.token());
        assert.deepEqual([bossDenied.status, bossDenied.body.code], [400, 1001002]);
        assert.deepEqual(await allIndicators(w), before);
        // Everyone reads a tenant-visible OKR.
        assert.equal((await keyResultIndicator(kr1, await other.token())).body.code, 0);
        const mine = await patch(kr1, { current_value: 1 }, await owner.token());
        assert.equal(mine.body.code, 0);
        assert.equal(mine.body.data.indicator.current_value, 1);

        await writeTenant(t.db, w.tenantId, (tx) =>
          tx.run("UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?", [cycle, w.tenantId]),
        );
        for (const read of [
          objectiveIndicator(objective, await other.token()),
          keyResultIndicator(kr1, await other.token()),
        ]) {
          const res = await read;
          assert.deepEqual([res.status, res.body.code], [400, 1001002]);
        }
        assert.equal((await objectiveIndicator(objective, await boss.token())).body.code, 0);
        assert.equal((await objectiveIndicator(objective, await owner.token())).body.code, 0);
      });

      it("lets a department's leader change its team indicators, and no other member", async () => {
        const w = await newWorld(t);
        const lead = await w.person();
        const member = await w.person();
        const team = await w.department({ leader: lead, members: [lead, member] });
        const period = await w.period('2026-03');
        at(period, 0.1);
        const cycle = await w.cycle(team, period);
        const objective = await w.objective(cycle);
        const denied = await patch(objective, { indicator_status: 1 }, await member.token());
        assert.deepEqual([denied.status, denied.body.code], [400, 1001002]);
        const ok = await patch(objective, { indicator_status: 1 }, await lead.token());
        assert.equal(ok.body.code, 0);
        assert.deepEqual(ok.body.data.indicator.owner, {
          owner_type: 'department',
          department_id: team.open_department_id,
        });
        const byId = await objectiveIndicator(objective, await member.token(), '?department_id_type=department_id');
        assert.deepEqual(byId.body.data.indicator.owner, {
          owner_type: 'department',
          department_id: team.department_id,
        });
        assert.equal(byId.body.data.indicator.indicator_status, 1);
      });

      it('needs a content write scope to PATCH', async () => {
        const w = await newWorld(t, { scopes: ['okr:okr:readonly'] });
        const owner = await w.person();
        const period = await w.period('2026-03');
        const objective = await w.objective(await w.cycle(owner, period));
        const token = await w.tenantToken();
        assert.equal((await objectiveIndicator(objective, token)).body.code, 0);
        const denied = await patch(objective, { indicator_status: 1 }, token);
        assert.deepEqual([denied.status, denied.body.code], [400, 99991672]);
      });

      it('answers unknown ids, ids of the other kind and hidden periods with 1001004', async () => {
        const { w, objective, kr1, owner } = await setup();
        const hidden = await w.period('2026-04', 3);
        const hiddenObjective = await w.objective(await w.cycle(owner, hidden));
        const token = await w.tenantToken();
        const before = await allIndicators(w);
        for (const [res, pattern] of [
          [await objectiveIndicator('4242', token), /objective_id 4242/],
          [await objectiveIndicator(kr1, token), new RegExp(`objective_id ${kr1}`)],
          [await keyResultIndicator(objective, token), new RegExp(`key_result_id ${objective}`)],
          [await objectiveIndicator(hiddenObjective, token), new RegExp(`objective_id ${hiddenObjective}`)],
          [await send('PATCH', `${V2}/indicators/4242`, token, { indicator_status: 1 }), /indicator_id 4242/],
          [await patch(hiddenObjective, { indicator_status: 1 }, token), /indicator_id/],
        ] as const) {
          assert.deepEqual([res.status, res.body.code], [400, 1001004], JSON.stringify(res.body));
          assert.match(res.body.msg, pattern);
        }
        // Another tenant's objective is unknown too.
        const stranger = await newWorld(t);
        const theirs = await objectiveIndicator(objective, await stranger.tenantToken());
        assert.equal(theirs.body.code, 1001004);
        assert.deepEqual(await allIndicators(w), before);
      });
    });
  });
}
