// GET /okrd/api/team and GET /okrd/api/alignment_map: okrd's read views for the web UI's team page and alignment
// map. Every field a client sees, v1 visibility (a hidden OKR comes without content), tenant isolation, paging and
// the map's bound, bad parameters (1001001 naming the field) and unknown ones (1001004).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAP_OKRS_MAX } from '../../src/contract/okrd/org-views.js';
import { paragraph } from '../../src/domain/rich-text.js';
import { insertRow } from '../../src/store/table.repository.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person, type World } from '../helpers/factories.js';

for (const dialect of DIALECTS) {
  describe(`okrd team and alignment map views [${dialect}]`, () => {
    let t: TestApp;
    let w: World;
    let boss: Person, alice: Person, carl: Person, dana: Person, erin: Person, frank: Person, gina: Person;
    let march: string;
    let april: string;
    let sales: string;
    let east: string;
    const o = {} as Record<'a1' | 'a2' | 'c1' | 'd1' | 'e1' | 'f1' | 'g1', string>;
    const okr = {} as Record<'alice' | 'carl' | 'dana' | 'erin' | 'gina', string>;

    const get = async (path: string, token: string) => {
      const res = await t.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
      return { status: res.statusCode, body: res.json() };
    };
    const sql = (statement: string, params: (string | number)[]) =>
      writeTenant(t.db, w.tenantId, (tx) => tx.run(statement, [...params, tx.tenantId]));
    const progress = (id: string, percent: number, status: number) =>
      sql('UPDATE objectives SET progress_percent = ?, progress_status = ? WHERE id = ? AND tenant_id = ?', [
        percent,
        status,
        id,
      ]);
    let alignments = 0;
    const align = (from: string, to: string) =>
      writeTenant(t.db, w.tenantId, (tx) =>
        insertRow(tx, 'alignments', {
          id: `${9_100_000_000_000_000_000n + BigInt(++alignments)}`,
          tenant_id: tx.tenantId,
          from_objective_id: from,
          to_objective_id: to,
          created_at: t.clock.now + alignments,
          updated_at: t.clock.now,
        }),
      );

    before(async () => {
      t = await testApp(dialect);
      w = await newWorld(t);
      boss = await w.person({ employee_id: 'boss', name_zh: '老板', name_en: 'Boss' });
      alice = await w.person({ employee_id: 'alice', name_zh: '爱丽丝', name_en: 'Alice', leader: boss });
      carl = await w.person({ employee_id: 'carl', name_zh: '卡尔', name_en: 'Carl', leader: alice });
      dana = await w.person({ employee_id: 'dana', name_zh: '达娜', name_en: 'Dana' });
      erin = await w.person({ employee_id: 'erin', name_zh: '艾琳', name_en: 'Erin' });
      frank = await w.person({ employee_id: 'frank', name_en: 'Frank', leader: boss, active: false });
      gina = await w.person({ employee_id: 'gina', name_zh: '吉娜', name_en: 'Gina' });
      const salesRow = await w.department({
        department_id: 'sales',
        name: 'Sales',
        leader: boss,
        members: [alice, dana],
      });
      const eastRow = await w.department({ department_id: 'east', name: 'East', parent: salesRow, members: [erin] });
      sales = salesRow.department_id;
      east = eastRow.department_id;
      const marchRow = await w.period('2026-03');
      march = marchRow.id;
      april = (await w.period('2026-04')).id;

      okr.alice = await w.cycle(alice, marchRow);
      o.a1 = await w.objective(okr.alice, { content: paragraph('Grow sales'), weight_milli: 600 });
      o.a2 = await w.objective(okr.alice, { content: paragraph('Hire'), weight_milli: 400 });
      await w.keyResult(o.a1);
      await w.keyResult(o.a1);
      await progress(o.a1, 50, 0);
      await progress(o.a2, 100, 1);
      okr.carl = await w.cycle(carl, marchRow);
      o.c1 = await w.objective(okr.carl, {
        content: paragraph('Close ', { mention: alice.ref }),
        weight_milli: 1000,
        score: 80,
      });
      await progress(o.c1, 30.4, 2);
      okr.dana = await w.cycle(dana, marchRow);
      o.d1 = await w.objective(okr.dana, { content: paragraph('Secret plan') });
      await sql("UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?", [okr.dana]);
      okr.erin = await w.cycle(erin, marchRow);
      o.e1 = await w.objective(okr.erin, { content: paragraph('East first') });
      okr.gina = await w.cycle(gina, marchRow);
      o.g1 = await w.objective(okr.gina, { content: paragraph('Help Alice') });
      // frank (inactive) has an OKR too, and boss one without objectives: neither shows.
      o.f1 = await w.objective(await w.cycle(frank, marchRow));
      await w.cycle(boss, marchRow);
      await align(o.c1, o.a1);
      await align(o.g1, o.a1);
      await align(o.d1, o.a1); // from a hidden OKR: not an edge for those who may not see it
    });
    after(() => t.close());

    it("answers the people I lead, chain first then my departments', each OKR at a glance", async () => {
      const { status, body } = await get(`/okrd/api/team?period_id=${march}&lang=en_us`, await boss.token());
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: {
          departments: [{ department_id: 'sales', name_zh: 'Sales', name_en: 'Sales', member_count: 2 }],
          has_more: false,
          items: [
            {
              open_id: alice.open_id,
              name_zh: '爱丽丝',
              name_en: 'Alice',
              depth: 1,
              department_ids: ['sales'],
              okr: {
                okr_id: okr.alice,
                permission: 1,
                visibility: 'tenant',
                objective_count: 2,
                progress_percent: 70, // 50 × 0.6 + 100 × 0.4
                status: 1,
                objectives: [
                  { id: o.a1, content: 'Grow sales', progress_percent: 50, status: 0, score: 0, kr_count: 2 },
                  { id: o.a2, content: 'Hire', progress_percent: 100, status: 1, score: 0, kr_count: 0 },
                ],
              },
            },
            {
              open_id: carl.open_id,
              name_zh: '卡尔',
              name_en: 'Carl',
              depth: 2,
              department_ids: [],
              okr: {
                okr_id: okr.carl,
                permission: 1,
                visibility: 'tenant',
                objective_count: 1,
                progress_percent: 30,
                status: 2,
                score: 0.8,
                objectives: [
                  { id: o.c1, content: 'Close @Alice', progress_percent: 30, status: 2, score: 80, kr_count: 0 },
                ],
              },
            },
            // dana is in my department but not on my leader chain: her restricted OKR comes without content.
            {
              open_id: dana.open_id,
              name_zh: '达娜',
              name_en: 'Dana',
              department_ids: ['sales'],
              okr: { okr_id: okr.dana, permission: 0 },
            },
            // erin is in a department below mine.
            {
              open_id: erin.open_id,
              name_zh: '艾琳',
              name_en: 'Erin',
              department_ids: [],
              okr: {
                okr_id: okr.erin,
                permission: 1,
                visibility: 'tenant',
                objective_count: 1,
                progress_percent: 0,
                status: -1,
                objectives: [
                  { id: o.e1, content: 'East first', progress_percent: 0, status: -1, score: 0, kr_count: 0 },
                ],
              },
            },
          ],
        },
      });
      // Chinese mentions; a period without OKRs; someone who leads nobody.
      const zh = await get(`/okrd/api/team?period_id=${march}`, await alice.token());
      assert.deepEqual(
        zh.body.data.items.map((m: { name_en: string; okr: { objectives: { content: string }[] } }) => [
          m.name_en,
          m.okr.objectives[0]!.content,
        ]),
        [['Carl', 'Close @爱丽丝']],
      );
      assert.deepEqual(zh.body.data.departments, []);
      const empty = await get(`/okrd/api/team?period_id=${april}`, await boss.token());
      assert.deepEqual(
        empty.body.data.items.map((m: { name_en: string; okr?: unknown }) => [m.name_en, m.okr]),
        [
          ['Alice', undefined],
          ['Carl', undefined],
          ['Dana', undefined],
          ['Erin', undefined],
        ],
      );
      const nobody = await get(`/okrd/api/team?period_id=${march}`, await gina.token());
      assert.deepEqual(nobody.body.data, { departments: [], has_more: false, items: [] });
    });

    it('a leader up the chain sees a restricted OKR the department route does not show', async () => {
      await sql("UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?", [okr.carl]);
      try {
        const { body } = await get(`/okrd/api/team?period_id=${march}`, await boss.token());
        const carls = body.data.items.find((m: { open_id: string }) => m.open_id === carl.open_id);
        assert.equal(carls.okr.permission, 1);
        assert.equal(carls.okr.visibility, 'leaders');
        const map = await get(`/okrd/api/alignment_map?period_id=${march}`, await gina.token());
        assert.deepEqual(
          map.body.data.nodes.filter((n: { okr_id: string }) => n.okr_id === okr.carl),
          [{ okr_id: okr.carl, owner_open_id: carl.open_id, permission: 0 }],
        );
      } finally {
        await sql("UPDATE okrs SET visibility = 'tenant' WHERE id = ? AND tenant_id = ?", [okr.carl]);
      }
    });

    it('pages through the team without repeats or gaps', async () => {
      const token = await boss.token();
      const seen: string[] = [];
      let pageToken = '';
      for (let pages = 0; ; pages++) {
        assert.ok(pages < 10);
        const { status, body } = await get(
          `/okrd/api/team?period_id=${march}&page_size=1${pageToken ? `&page_token=${pageToken}` : ''}`,
          token,
        );
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.data.items.length, 1);
        assert.equal(body.data.departments.length, 1);
        seen.push(body.data.items[0].name_en);
        if (!body.data.has_more) {
          assert.equal(body.data.page_token, undefined);
          break;
        }
        pageToken = body.data.page_token;
      }
      assert.deepEqual(seen, ['Alice', 'Carl', 'Dana', 'Erin']);
    });

    it("draws the organisation's objectives as nodes and alignments as edges, hidden OKRs without content", async () => {
      const { status, body } = await get(`/okrd/api/alignment_map?period_id=${march}&lang=en_us`, await gina.token());
      assert.equal(status, 200, JSON.stringify(body));
      const node = (
        okrId: string,
        owner: Person,
        id: string,
        position: number,
        content: string,
        p: number,
        s: number,
      ) => ({
        okr_id: okrId,
        owner_open_id: owner.open_id,
        permission: 1,
        id,
        position,
        content,
        progress_percent: p,
        status: s,
      });
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: {
          people: [
            { open_id: alice.open_id, name_zh: '爱丽丝', name_en: 'Alice', leader_open_id: boss.open_id },
            { open_id: carl.open_id, name_zh: '卡尔', name_en: 'Carl', leader_open_id: alice.open_id },
            { open_id: dana.open_id, name_zh: '达娜', name_en: 'Dana' },
            { open_id: erin.open_id, name_zh: '艾琳', name_en: 'Erin' },
            { open_id: gina.open_id, name_zh: '吉娜', name_en: 'Gina' },
          ],
          nodes: [
            node(okr.alice, alice, o.a1, 1, 'Grow sales', 50, 0),
            node(okr.alice, alice, o.a2, 2, 'Hire', 100, 1),
            node(okr.carl, carl, o.c1, 1, 'Close @Alice', 30, 2),
            { okr_id: okr.dana, owner_open_id: dana.open_id, permission: 0 },
            node(okr.erin, erin, o.e1, 1, 'East first', 0, -1),
            node(okr.gina, gina, o.g1, 1, 'Help Alice', 0, -1),
          ],
          edges: [
            { from: o.c1, to: o.a1 },
            { from: o.g1, to: o.a1 },
          ],
          truncated: false,
          departments: [
            { department_id: 'east', parent_department_id: 'sales', name_zh: 'East', name_en: 'East' },
            { department_id: 'sales', name_zh: 'Sales', name_en: 'Sales' },
          ],
        },
      });
      // Dana's leader chain does not reach boss either, but boss leads her department: v1 visibility stays by chain.
      const asDana = await get(`/okrd/api/alignment_map?period_id=${march}`, await dana.token());
      assert.ok(asDana.body.data.edges.some((e: { from: string }) => e.from === o.d1));
      assert.ok(asDana.body.data.nodes.some((n: { id?: string }) => n.id === o.d1));
    });

    it('scopes the map to a department and those below it', async () => {
      const { body } = await get(
        `/okrd/api/alignment_map?period_id=${march}&department_id=${sales}`,
        await gina.token(),
      );
      assert.deepEqual(
        body.data.people.map((p: { name_en: string }) => p.name_en),
        ['Alice', 'Dana', 'Erin'],
      );
      assert.deepEqual(body.data.edges, []);
      const east_ = await get(`/okrd/api/alignment_map?period_id=${march}&department_id=${east}`, await gina.token());
      assert.deepEqual(
        east_.body.data.nodes.map((n: { id: string }) => n.id),
        [o.e1],
      );
    });

    it(`bounds the map at ${MAP_OKRS_MAX} OKRs and says it truncated`, async () => {
      const big = await newWorld(t);
      const period = await big.period('2026-05');
      for (let i = 0; i <= MAP_OKRS_MAX; i++) {
        const p = await big.person({ employee_id: `p${String(i).padStart(4, '0')}` });
        await big.objective(await big.cycle(p, period));
      }
      const viewer = await big.person({ employee_id: 'zz-viewer' });
      const { status, body } = await get(`/okrd/api/alignment_map?period_id=${period.id}`, await viewer.token());
      assert.equal(status, 200, JSON.stringify(body).slice(0, 300));
      assert.equal(body.data.truncated, true);
      assert.equal(body.data.people.length, MAP_OKRS_MAX);
      assert.equal(body.data.nodes.length, MAP_OKRS_MAX);
      assert.equal(
        body.data.people.at(-1).open_id,
        (await t.db.read((tx) =>
          tx.get<{ open_id: string }>(
            `SELECT au.open_id FROM users u JOIN app_users au ON au.user_ref = u.id AND au.app_id = ?
            WHERE u.tenant_id = ? AND u.employee_id = ?`,
            [big.appId, big.tenantId, `p${String(MAP_OKRS_MAX - 1).padStart(4, '0')}`],
          ),
        ))!.open_id,
      );
    });

    it("keeps to the caller's tenant: another tenant's period and department are unknown", async () => {
      const other = await newWorld(t);
      const stranger = await other.person();
      const token = await stranger.token();
      for (const path of [`/okrd/api/team?period_id=${march}`, `/okrd/api/alignment_map?period_id=${march}`]) {
        const { status, body } = await get(path, token);
        assert.equal(status, 400, JSON.stringify(body));
        assert.equal(body.code, 1001004);
      }
      const theirs = (await other.period('2026-03')).id;
      const dept = await get(`/okrd/api/alignment_map?period_id=${theirs}&department_id=${sales}`, token);
      assert.equal(dept.body.code, 1001004, JSON.stringify(dept.body));
      const map = await get(`/okrd/api/alignment_map?period_id=${theirs}`, token);
      assert.deepEqual(map.body.data, { people: [], nodes: [], edges: [], truncated: false, departments: [] });
    });

    it('refuses tenant tokens and bad parameters, naming the field', async () => {
      const token = await boss.token();
      const tenant = await get(`/okrd/api/team?period_id=${march}`, await w.tenantToken());
      assert.equal(tenant.body.code, 99991663);
      const cases: [string, string][] = [
        ['/okrd/api/team', 'period_id'],
        ['/okrd/api/team?period_id=abc', 'period_id'],
        [`/okrd/api/team?period_id=${march}&page_size=0`, 'page_size'],
        [`/okrd/api/team?period_id=${march}&page_size=101`, 'page_size'],
        [`/okrd/api/team?period_id=${march}&page_token=nope`, 'page_token'],
        ['/okrd/api/alignment_map?period_id=', 'period_id'],
        [`/okrd/api/alignment_map?period_id=${march}&department_id=`, 'department_id'],
      ];
      for (const [path, field] of cases) {
        const { status, body } = await get(path, token);
        assert.equal(status, 400, `${path}: ${JSON.stringify(body)}`);
        assert.equal(body.code, 1001001, path);
        assert.ok(
          body.error.field_violations.some((v: { field: string }) => v.field === field),
          `${path}: ${JSON.stringify(body.error)}`,
        );
      }
      const unknown = await get(`/okrd/api/alignment_map?period_id=${march}&department_id=nowhere`, token);
      assert.equal(unknown.body.code, 1001004);
    });
  });
}
