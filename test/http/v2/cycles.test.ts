// GET /okr/v2/cycles (spec §4.3, decisions.md OQ-30, OQ-34): cycles created on first access, once, with stable ids;
// and the v1 user OKR list showing a cycle only once it holds an objective.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PeriodRow } from '../../../src/store/rows.js';
import { writeTenant } from '../../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/db.js';
import { newWorld, type Person, type World } from '../../helpers/factories.js';

const CYCLES = '/open-apis/okr/v2/cycles';

interface StoredCycle {
  id: string;
  owner_id: string | null;
  department_id: string | null;
  period_id: string;
  confirm_status: number;
  visibility: string;
  created_at: number;
  updated_at: number;
}

for (const dialect of DIALECTS) {
  describe(`GET /okr/v2/cycles [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    const cyclesOf = (w: World) =>
      t.db.read((tx) =>
        tx.all<StoredCycle>(
          `SELECT id, owner_id, department_id, period_id, confirm_status, visibility, created_at, updated_at
             FROM okrs WHERE tenant_id = ? ORDER BY period_id, id`,
          [w.tenantId],
        ),
      );
    const dataVersion = async (w: World) =>
      Number(
        (await t.db.read((tx) =>
          tx.get<{ v: number }>('SELECT data_version AS v FROM tenants WHERE id = ?', [w.tenantId]),
        ))!.v,
      );
    /** The wire cycle of a stored one. */
    const wire = (row: StoredCycle, period: PeriodRow, owner: object, score?: number) => ({
      id: row.id,
      create_time: String(row.created_at),
      update_time: String(row.updated_at),
      tenant_cycle_id: period.id,
      owner,
      start_time: String(period.period_start_time),
      end_time: String(period.period_end_time),
      cycle_status: period.status,
      ...(score !== undefined ? { score } : {}),
    });
    const list = async (query: string, token: string) => {
      const res = await t.get(`${CYCLES}?${query}`, token);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res;
    };

    it("creates a person's cycles on first access, one per period that is not hidden, newest first", async () => {
      const w = await newWorld(t);
      const p = await w.person();
      const jan = await w.period('2026-01', 1);
      const feb = await w.period('2026-02', 2);
      const mar = await w.period('2026-03');
      await w.period('2026-04', 3);
      const token = await w.tenantToken();
      t.clock.now += 1000;
      const versionBefore = await dataVersion(w);

      const { status, body } = await list(`user_id=${p.open_id}`, token);
      assert.equal(status, 200, JSON.stringify(body));
      const rows = await cyclesOf(w);
      assert.equal(rows.length, 3, 'no cycle of the hidden period');
      for (const row of rows) {
        assert.deepEqual(row, {
          id: row.id,
          owner_id: p.ref,
          department_id: null,
          period_id: row.period_id,
          confirm_status: 0,
          visibility: 'tenant',
          created_at: t.clock.now,
          updated_at: t.clock.now,
        });
        assert.match(row.id, /^[1-9]\d{18}$/);
      }
      const byPeriod = new Map(rows.map((r) => [r.period_id, r]));
      const owner = { owner_type: 'user', user_id: p.open_id };
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: {
          has_more: false,
          items: [mar, feb, jan].map((period) => wire(byPeriod.get(period.id)!, period, owner)),
        },
      });
      assert.equal(await dataVersion(w), versionBefore + 1, 'one write transaction');

      // A second list creates nothing and answers the same ids.
      t.clock.now += 1000;
      const again = await list(`user_id=${p.open_id}`, token);
      assert.deepEqual(again.body, body);
      assert.deepEqual(await cyclesOf(w), rows);
      assert.equal(await dataVersion(w), versionBefore + 1, 'no write on the second list');

      // A new period gets its cycle on the next list; the others keep theirs.
      const apr = await w.period('2026-05');
      const third = await list(`user_id=${p.open_id}`, token);
      const after = await cyclesOf(w);
      assert.equal(after.length, 4);
      assert.deepEqual(
        after.filter((r) => r.period_id !== apr.id),
        rows,
      );
      assert.deepEqual(
        third.body.data.items.map((c: { id: string }) => c.id),
        [after.find((r) => r.period_id === apr.id)!.id, ...body.data.items.map((c: { id: string }) => c.id)],
      );
    });

    it('keeps an existing cycle and its id, and scores cycles holding objectives (Σ score × weight, one decimal)', async () => {
      const w = await newWorld(t);
      const p = await w.person();
      const jan = await w.period('2026-01');
      const feb = await w.period('2026-02');
      const mar = await w.period('2026-03');
      const janCycle = await w.cycle(p, jan);
      // 0.8 × 0.6 + 0.5 × 0.4 = 0.68 → 0.7
      await w.objective(janCycle, { score: 80, weight_milli: 600 });
      await w.objective(janCycle, { score: 50, weight_milli: 400 });
      const marCycle = await w.cycle(p, mar);
      // 0.44 × 1 → 0.4 (objectives present but scored low); 0.45 would give 0.5
      await w.objective(marCycle, { score: 44, weight_milli: 1000 });
      const token = await w.tenantToken();

      const { body } = await list(`user_id=${p.union_id}&user_id_type=union_id`, token);
      const rows = await cyclesOf(w);
      assert.equal(rows.length, 3);
      const byPeriod = new Map(rows.map((r) => [r.period_id, r]));
      assert.equal(byPeriod.get(jan.id)!.id, janCycle);
      assert.equal(byPeriod.get(mar.id)!.id, marCycle);
      const owner = { owner_type: 'user', user_id: p.union_id };
      assert.deepEqual(body.data, {
        has_more: false,
        items: [
          wire(byPeriod.get(mar.id)!, mar, owner, 0.4),
          wire(byPeriod.get(feb.id)!, feb, owner),
          wire(byPeriod.get(jan.id)!, jan, owner, 0.7),
        ],
      });
      const byEmployeeId = await list(`user_id=${p.employee_id}&user_id_type=user_id`, token);
      assert.deepEqual(
        byEmployeeId.body.data.items.map((c: { owner: object }) => c.owner),
        [1, 2, 3].map(() => ({ owner_type: 'user', user_id: p.employee_id })),
      );
    });

    it('pages newest first until the end, in a fixed number of statements per page', async () => {
      const w = await newWorld(t);
      const p = await w.person();
      const periods: PeriodRow[] = [];
      for (let m = 1; m <= 12; m++) periods.push(await w.period(`2025-${String(m).padStart(2, '0')}`));
      const token = await w.tenantToken();
      // First access creates all twelve; then every page is read without writing.
      const first = await list(`user_id=${p.open_id}&page_size=5`, token);
      assert.equal((await cyclesOf(w)).length, 12);

      const seen: string[] = [];
      const statements: number[] = [];
      let pageToken: string | undefined;
      let pages = 0;
      for (;;) {
        const before = t.statements.count;
        const { body } = await list(
          `user_id=${p.open_id}&page_size=5${pageToken ? `&page_token=${pageToken}` : ''}`,
          token,
        );
        statements.push(t.statements.count - before);
        pages++;
        assert.equal(body.code, 0);
        seen.push(...body.data.items.map((c: { tenant_cycle_id: string }) => c.tenant_cycle_id));
        if (!body.data.has_more) {
          assert.equal(body.data.page_token, undefined);
          assert.equal(body.data.items.length, 2);
          break;
        }
        assert.equal(body.data.items.length, 5);
        assert.equal(typeof body.data.page_token, 'string');
        pageToken = body.data.page_token;
        if (pages === 1) assert.deepEqual(body.data, first.body.data);
      }
      assert.equal(pages, 3);
      assert.deepEqual(seen, periods.map((x) => x.id).reverse());
      assert.equal(new Set(statements).size, 1, `statements per page: ${statements.join(', ')}`);
      // As many for a page of 100 as for a page of 5.
      const before = t.statements.count;
      const all = await list(`user_id=${p.open_id}&page_size=100`, token);
      assert.equal(all.body.data.items.length, 12);
      assert.equal(t.statements.count - before, statements[0]);
    });

    it("lists and creates a department's team cycles (department_id, either id type)", async () => {
      const w = await newWorld(t);
      const lead = await w.person();
      const team = await w.department({ leader: lead, members: [lead] });
      const jan = await w.period('2026-01');
      const feb = await w.period('2026-02');
      const token = await w.tenantToken();

      const { body } = await list(`department_id=${team.open_department_id}`, token);
      const rows = await cyclesOf(w);
      assert.equal(rows.length, 2);
      for (const row of rows) {
        assert.equal(row.owner_id, null);
        assert.equal(row.department_id, team.id);
      }
      const byPeriod = new Map(rows.map((r) => [r.period_id, r]));
      const owner = { owner_type: 'department', department_id: team.open_department_id };
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: { has_more: false, items: [feb, jan].map((x) => wire(byPeriod.get(x.id)!, x, owner)) },
      });
      const byTenantId = await list(
        `department_id=${team.department_id}&department_id_type=department_id`,
        await lead.token(),
      );
      assert.deepEqual(
        byTenantId.body.data.items,
        [feb, jan].map((x) =>
          wire(byPeriod.get(x.id)!, x, { owner_type: 'department', department_id: team.department_id }),
        ),
      );
      assert.deepEqual(await cyclesOf(w), rows, 'created once');
      // The lead's own cycles are separate from the team's.
      await list(`user_id=${lead.open_id}`, token);
      assert.equal((await cyclesOf(w)).length, 4);
    });

    it('creates each cycle once when many first accesses race', async () => {
      const w = await newWorld(t);
      const p = await w.person();
      for (const m of ['2026-01', '2026-02', '2026-03']) await w.period(m);
      const token = await w.tenantToken();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => t.get(`${CYCLES}?user_id=${p.open_id}`, token)),
      );
      assert.deepEqual(
        results.map((r) => r.body.code),
        Array(8).fill(0),
      );
      const rows = await cyclesOf(w);
      assert.equal(rows.length, 3);
      for (const r of results) {
        assert.deepEqual(r.body.data.items.map((c: { id: string }) => c.id).sort(), rows.map((x) => x.id).sort());
      }
    });

    it("shows anyone another person's cycles, but a restricted cycle's score only to those who may read it", async () => {
      const w = await newWorld(t);
      const boss = await w.person();
      const p = await w.person({ leader: boss });
      const outsider = await w.person();
      const jan = await w.period('2026-01');
      const cycle = await w.cycle(p, jan);
      await w.objective(cycle, { score: 100, weight_milli: 1000 });
      await writeTenant(t.db, w.tenantId, (tx) =>
        tx.run("UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?", [cycle, w.tenantId]),
      );
      const scoreSeenBy = async (who: Person | 'tenant') => {
        const token = who === 'tenant' ? await w.tenantToken() : await who.token();
        const { body } = await list(`user_id=${p.open_id}`, token);
        assert.equal(body.code, 0);
        assert.deepEqual(
          body.data.items.map((c: { id: string }) => c.id),
          [cycle],
        );
        return body.data.items[0].score;
      };
      assert.equal(await scoreSeenBy(outsider), undefined);
      assert.equal(await scoreSeenBy(p), 1);
      assert.equal(await scoreSeenBy(boss), 1);
      assert.equal(await scoreSeenBy('tenant'), 1);
    });

    describe('refuses, writing nothing', () => {
      let w: World;
      let p: Person;
      let token: string;
      before(async () => {
        w = await newWorld(t);
        p = await w.person();
        await w.period('2026-01');
        token = await w.tenantToken();
      });
      const both = 'give exactly one of user_id and department_id';
      const cases: [string, () => string, number, RegExp, object?][] = [
        [
          'neither user_id nor department_id',
          () => '',
          1001001,
          /user_id/,
          [
            { field: 'user_id', description: both },
            { field: 'department_id', description: both },
          ],
        ],
        [
          'both user_id and department_id',
          () => `user_id=${p.open_id}&department_id=od-1`,
          1001001,
          /department_id/,
          [
            { field: 'user_id', description: both },
            { field: 'department_id', description: both },
          ],
        ],
        ['an unknown user', () => 'user_id=ou_nobody', 1001003, /ou_nobody/],
        ['a user named in another id type', () => `user_id=${p.employee_id}`, 1001003, /user not found: p\d+_1/],
        ['an unknown department', () => 'department_id=od-nobody', 1001004, /department_id od-nobody/],
        [
          'a page_token this server did not issue',
          () => `user_id=${p.open_id}&page_token=bm9wZQ`,
          1001001,
          /page_token/,
        ],
        ['page_size 101', () => `user_id=${p.open_id}&page_size=101`, 1001001, /page_size/],
      ];
      for (const [label, query, code, message, violations] of cases) {
        it(label, async () => {
          const { status, body } = await t.get(`${CYCLES}?${query()}`, token);
          assert.equal(status, 400, JSON.stringify(body));
          assert.equal(body.code, code);
          assert.match(body.msg, message);
          if (violations) assert.deepEqual(body.error.field_violations, violations);
          assert.deepEqual(await cyclesOf(w), []);
        });
      }
    });

    describe('v1 lists a cycle only once it holds an objective (OQ-30)', () => {
      it('leaves a cycle made by GET /v2/cycles out of users/:id/okrs until it holds an objective; batch_get answers it', async () => {
        const w = await newWorld(t);
        const p = await w.person();
        const jan = await w.period('2026-01');
        const feb = await w.period('2026-02');
        const token = await w.tenantToken();
        const v1List = `/open-apis/okr/v1/users/${p.open_id}/okrs?offset=0&limit=10`;
        const { body } = await list(`user_id=${p.open_id}`, token);
        const [febCycle, janCycle] = body.data.items.map((c: { id: string }) => c.id) as [string, string];

        assert.deepEqual((await t.get(v1List, token)).body, {
          code: 0,
          msg: 'success',
          data: { total: 0, okr_list: [] },
        });
        const filtered = await t.get(`${v1List}&period_ids=${jan.id}`, token);
        assert.deepEqual(filtered.body.data, { total: 0, okr_list: [] });

        const batch = await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${janCycle}`, token);
        assert.equal(batch.body.code, 0);
        assert.deepEqual(
          batch.body.data.okr_list.map((o: { id: string; objective_list: unknown[] }) => [o.id, o.objective_list]),
          [[janCycle, []]],
        );

        const objective = await w.objective(janCycle);
        const listed = await t.get(v1List, token);
        assert.equal(listed.body.data.total, 1);
        assert.deepEqual(
          listed.body.data.okr_list.map((o: { id: string; period_id: string }) => [o.id, o.period_id]),
          [[janCycle, jan.id]],
        );
        assert.deepEqual(
          listed.body.data.okr_list[0].objective_list.map((o: { id: string }) => o.id),
          [objective],
        );
        assert.equal((await t.get(`${v1List}&period_ids=${feb.id}`, token)).body.data.total, 0);
        assert.ok(febCycle);
      });
    });
  });
}
