// The demo tenant document: its v2 additions (departments, categories, a team OKR, indicators with units,
// cross-team alignments, comments) follow the model's rules, and the rows it had before stay as they were (OQ-43).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEMO_TENANT_ID, SEED, demoTenantDocument } from '../../src/demo/demo-tenant.js';
import { alignmentRule } from '../../src/domain/alignment.js';
import { MAX_CUSTOM_UNIT_LENGTH, PUBLIC_UNITS, progressOf } from '../../src/domain/indicator.js';
import type {
  AlignmentRow,
  CategoryRow,
  CommentRow,
  DepartmentMemberRow,
  DepartmentRow,
  IndicatorRow,
  KeyResultRow,
  ObjectiveRow,
  OkrRow,
  PeriodRow,
  UserRow,
} from '../../src/store/rows.js';

const doc = demoTenantDocument();
const t = doc.tables as unknown as {
  users: UserRow[];
  periods: PeriodRow[];
  departments: DepartmentRow[];
  department_members: DepartmentMemberRow[];
  okrs: OkrRow[];
  categories: CategoryRow[];
  objectives: ObjectiveRow[];
  key_results: KeyResultRow[];
  indicators: IndicatorRow[];
  alignments: AlignmentRow[];
  comments: CommentRow[];
};
const user = (employeeId: string) => t.users.find((u) => u.employee_id === employeeId)!;
const department = (id: string) => t.departments.find((d) => d.department_id === id)!;
const okrOf = (objectiveId: string) =>
  t.okrs.find((o) => o.id === t.objectives.find((x) => x.id === objectiveId)!.okr_id)!;
const text = (json: string) =>
  (JSON.parse(json) as { blocks: { paragraph: { elements: { text_run?: { text: string } }[] } }[] }).blocks
    .flatMap((b) => b.paragraph.elements.map((e) => e.text_run?.text ?? ''))
    .join('');

describe('demo tenant document', () => {
  it('keeps the rows it had before the v2 additions exactly (only some objectives gained a category)', () => {
    // Row counts and a fingerprint of the rows as they were (decisions.md OQ-43: the demo changes only by adding).
    const before: Record<string, number> = {
      tenants: 1,
      apps: 1,
      users: 11,
      app_users: 11,
      period_rules: 1,
      periods: 3,
      okrs: 33,
      objectives: 81,
      key_results: 241,
      indicators: 322,
      alignments: 27,
      progress_records: 36,
      images: 0,
      reviews: 7,
    };
    const tables = doc.tables as Record<string, Record<string, unknown>[]>;
    // Rows may gain columns (identity, migration 0010) and the demo app scopes; the fingerprint covers the rest (the
    // same projection of the document at commit 0f2cd3d, before those additions, hashes to the same value).
    const added: Record<string, string[]> = {
      tenants: ['password_sign_in', 'oidc_issuer', 'oidc_client_id', 'oidc_client_secret', 'oidc_create_users'],
      // The demo app holds every scope: its list grows as scopes are added (checked below to keep the old ones).
      apps: ['client_type', 'scopes'],
      users: ['email', 'mobile', 'active', 'is_admin'],
    };
    const asBefore = (table: string, row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).filter(([column]) => !added[table]?.includes(column)));
    const old = Object.entries(before).map(([table, n]) => [
      table,
      tables[table]!.slice(0, n).map((row) =>
        table === 'objectives' ? { ...row, category_id: null } : asBefore(table, row),
      ),
    ]);
    assert.equal(
      createHash('sha256').update(JSON.stringify(old)).digest('hex'),
      '32691b18050c9918ba4ddee819664206547da63263e199dd65cc46ccb2c434f6',
      'a row the demo had before changed: the demo may only gain rows (decisions.md OQ-43)',
    );
    const scopes = String(tables.apps![0]!.scopes).split(' ');
    for (const scope of [
      'okr:okr',
      'okr:okr:readonly',
      'okr:okr.content:readonly',
      'contact:user.employee_id:readonly',
    ])
      assert.ok(scopes.includes(scope), `the demo app still holds ${scope}`);
  });

  it('leaves the reference example without category, alignment or comment', () => {
    const seed = t.objectives.find((o) => o.id === SEED.objectiveId)!;
    assert.equal(seed.category_id, null);
    const seedIds = new Set<string>([SEED.okrId, SEED.objectiveId, SEED.keyResultId]);
    assert.ok(!t.alignments.some((a) => seedIds.has(a.from_objective_id) || seedIds.has(a.to_objective_id)));
    assert.ok(!t.comments.some((c) => seedIds.has(c.target_id) || c.okr_id === SEED.okrId));
    for (const id of [SEED.objectiveId, SEED.keyResultId]) {
      const ind = t.indicators.find((i) => i.entity_id === id)!;
      assert.deepEqual([ind.unit_type, ind.unit_value, ind.target_value], [0, 'NONE', null]);
    }
  });

  it('has the company under the root, led by 王伟, and a team under it per 李娜, 赵磊 and 黄梅', () => {
    const company = department('okrd_demo');
    assert.equal(company.parent_id, null);
    assert.equal(company.leader_id, user('wangwei').id);
    const teams = t.departments.filter((d) => d.parent_id === company.id);
    assert.deepEqual(
      teams.map((d) => t.users.find((u) => u.id === d.leader_id)!.employee_id),
      ['lina', 'zhaolei', 'huangmei'],
    );
    for (const d of t.departments) {
      assert.match(d.open_department_id, /^od-[0-9a-f]{32}$/);
      assert.equal(d.tenant_id, DEMO_TENANT_ID);
    }
    assert.equal(new Set(t.departments.map((d) => d.open_department_id)).size, t.departments.length);
  });

  it('puts everyone in the department of the nearest leader up their chain who leads one', () => {
    const deptOf = new Map(t.department_members.map((m) => [m.user_ref, m.department_ref]));
    assert.equal(t.department_members.length, t.users.length, 'one department each');
    const leads = new Map(t.departments.map((d) => [d.leader_id, d.id]));
    for (const u of t.users) {
      let chain: UserRow | undefined = u;
      while (!leads.has(chain!.id)) chain = t.users.find((x) => x.id === chain!.leader_id);
      assert.equal(deptOf.get(u.id), leads.get(chain!.id), u.employee_id);
    }
    const team = (id: string) =>
      t.department_members
        .filter((m) => m.department_ref === department(id).id)
        .map((m) => t.users.find((u) => u.id === m.user_ref)!.employee_id)
        .sort();
    assert.deepEqual(team('sales'), ['sunli', 'zhaolei', 'zhoujie']);
    assert.deepEqual(team('marketing'), ['huangmei']);
  });

  it('has a team OKR of 李娜’s team in April with weights summing to 1000 and units on its key results', () => {
    const team = t.okrs.filter((o) => o.department_id !== null);
    assert.equal(team.length, 1);
    const [cycle] = team as [OkrRow];
    assert.equal(cycle.owner_id, null);
    assert.equal(cycle.department_id, department('product').id);
    assert.equal(department('product').leader_id, user('lina').id);
    assert.equal(t.periods.find((p) => p.id === cycle.period_id)!.start_month, '2022-04');
    const objectives = t.objectives.filter((o) => o.okr_id === cycle.id);
    assert.equal(objectives.length, 2);
    assert.deepEqual(
      objectives.map((o) => o.position),
      [1, 2],
    );
    assert.equal(
      objectives.reduce((s, o) => s + o.weight_milli, 0),
      1000,
    );
    const units = new Set<string>();
    for (const o of objectives) {
      const krs = t.key_results.filter((k) => k.objective_id === o.id);
      assert.ok(krs.length >= 2);
      assert.equal(
        krs.reduce((s, k) => s + k.weight_milli, 0),
        1000,
      );
      assert.deepEqual(
        krs.map((k) => k.position),
        krs.map((_, i) => i + 1),
      );
      for (const k of krs) {
        assert.equal(k.okr_id, cycle.id);
        const ind = t.indicators.find((i) => i.entity_type === 3 && i.entity_id === k.id)!;
        units.add(ind.unit_value);
        assert.equal(progressOf(ind, -1), k.progress_percent, 'the KR progress is what its values give');
      }
      // The objective's progress is its key results' weighted progress.
      assert.equal(
        krs.reduce((s, k) => s + (k.progress_percent * k.weight_milli) / 1000, 0),
        o.progress_percent,
      );
    }
    assert.deepEqual([...units].sort(), ['PERCENT', 'YUAN', '个']);
  });

  it('gives every objective and key result exactly one indicator, with a valid unit', () => {
    const keys = t.indicators.map((i) => `${i.entity_type}:${i.entity_id}`);
    assert.equal(new Set(keys).size, keys.length);
    assert.deepEqual(
      [...keys].sort(),
      [...t.objectives.map((o) => `2:${o.id}`), ...t.key_results.map((k) => `3:${k.id}`)].sort(),
    );
    for (const i of t.indicators) {
      if (i.unit_type === 0) assert.ok(PUBLIC_UNITS.includes(i.unit_value), i.unit_value);
      else assert.ok([...i.unit_value].length <= MAX_CUSTOM_UNIT_LENGTH, i.unit_value);
    }
  });

  it('files objectives under enabled categories of the owner’s kind, never the reference example', () => {
    assert.deepEqual([...new Set(t.categories.map((c) => c.category_type))].sort(), ['person', 'team']);
    for (const c of t.categories) assert.ok(c.name_zh && c.name_en && c.name_ja, c.id);
    const filed = t.objectives.filter((o) => o.category_id !== null);
    assert.ok(filed.length >= 4);
    for (const o of filed) {
      const c = t.categories.find((x) => x.id === o.category_id)!;
      assert.equal(c.enabled, 1);
      assert.equal(c.category_type, okrOf(o.id).department_id ? 'team' : 'person');
    }
    assert.ok(
      filed.some((o) => okrOf(o.id).owner_id !== null),
      'a person objective has a category',
    );
  });

  it('holds alignments that the v2 rules accept, one from 赵磊’s team to 李娜’s', () => {
    const end = (objectiveId: string) => {
      const okr = okrOf(objectiveId);
      const p = t.periods.find((x) => x.id === okr.period_id)!;
      return {
        objectiveId,
        ownerKey: okr.owner_id ?? `department:${okr.department_id}`,
        start: p.period_start_time,
        end: p.period_end_time,
      };
    };
    for (const [i, a] of t.alignments.entries()) {
      const others = t.alignments
        .filter((_, j) => j !== i)
        .map((x) => ({ from: x.from_objective_id, to: x.to_objective_id }));
      assert.equal(alignmentRule(end(a.from_objective_id), end(a.to_objective_id), others), undefined, a.id);
    }
    const sales = new Set(
      t.department_members.filter((m) => m.department_ref === department('sales').id).map((m) => m.user_ref),
    );
    assert.ok(
      t.alignments.some(
        (a) => sales.has(okrOf(a.from_objective_id).owner_id!) && okrOf(a.to_objective_id).owner_id === user('lina').id,
      ),
    );
  });

  it('holds a comment with a reply, a selection thread and a solved thread on one objective', () => {
    assert.ok(t.comments.length >= 5);
    const target = t.objectives.find((o) => o.id === t.comments[0]!.target_id)!;
    const byId = new Map(t.comments.map((c) => [c.id, c]));
    for (const c of t.comments) {
      assert.equal(c.target_type, 'objective');
      assert.equal(c.target_id, target.id);
      assert.equal(c.okr_id, target.okr_id);
      const start = byId.get(c.thread_id)!;
      assert.equal(start.thread_id, start.id, 'a thread is named by its first comment');
      assert.equal(start.ref_comment_id, null);
      if (c.ref_comment_id !== null) assert.equal(byId.get(c.ref_comment_id)!.thread_id, c.thread_id);
      if (c.selection_id !== null) {
        assert.equal(c.id, c.thread_id, 'only a thread’s first comment quotes a selection');
        assert.ok(text(target.content).includes(c.selected_text!));
      }
      assert.equal(c.status, start.status, 'a thread is solved as a whole');
      assert.equal(c.status === 'solved', c.solver_id !== null && c.solved_time !== null);
    }
    const threads = t.comments.filter((c) => c.id === c.thread_id);
    assert.ok(threads.some((s) => t.comments.some((c) => c.ref_comment_id === s.id && s.status === 'open')));
    assert.ok(threads.some((s) => s.selection_id !== null));
    const solved = threads.filter((s) => s.status === 'solved');
    assert.equal(solved.length, 1);
    assert.equal(solved[0]!.solver_id, okrOf(target.id).owner_id, 'solved by the OKR’s owner');
  });
});
