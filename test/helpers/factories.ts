/**
 * Test data factories: each test builds the tenant, people, periods, cycles, objectives and key results it changes,
 * in a tenant of its own, so write tests neither touch the shared demo tenant nor depend on each other's order.
 */
import { ALL_SCOPES } from '../../src/contract/scopes.js';
import { sequentialIds } from '../../src/domain/ids.js';
import { paragraph, type Content } from '../../src/domain/rich-text.js';
import { parseMonth, periodBounds, periodNames } from '../../src/domain/period.js';
import { insertCycle } from '../../src/store/cycle.repository.js';
import { defaultIndicator } from '../../src/store/indicator.repository.js';
import type { DepartmentRow, KeyResultRow, ObjectiveRow, PeriodRow } from '../../src/store/rows.js';
import { insertRow } from '../../src/store/table.repository.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import type { TestApp } from './app.js';

let worlds = 0;

/** A person of a test tenant. */
export interface Person {
  ref: string;
  employee_id: string;
  union_id: string;
  /** The world's app's open_id of this person. */
  open_id: string;
  /** A fresh user access token of the world's app. */
  token: () => Promise<string>;
}

/** A tenant of its own for one test, with an app holding `scopes` (all by default) and builders for its data. */
export async function newWorld(t: TestApp, opts: { scopes?: readonly string[]; name?: string } = {}) {
  const n = ++worlds;
  const ids = sequentialIds(8_500_000_000_000_000_000n + BigInt(n) * 10_000_000n);
  const now = () => t.clock.now;
  const { admin, auth } = t.services;
  const tenant = await admin.createTenant(opts.name ?? `world ${n}`);
  const tenantId = tenant.id;
  const app = await admin.createApp(tenantId, 'test app', opts.scopes ?? ALL_SCOPES);
  const write = <T>(fn: Parameters<typeof writeTenant<T>>[2]) => writeTenant(t.db, tenantId, fn);
  let ruleId: string | undefined;
  let people = 0;

  const world = {
    tenantId,
    appId: app.app_id,
    appSecret: app.app_secret,
    /** A tenant access token of the world's app. */
    async tenantToken(): Promise<string> {
      const res = await t.app.inject({
        method: 'POST',
        url: '/open-apis/auth/v3/tenant_access_token/internal',
        payload: app,
      });
      return res.json().tenant_access_token as string;
    },

    /** A person, optionally led by `leader`. */
    async person(
      o: {
        employee_id?: string;
        name_zh?: string;
        name_en?: string;
        leader?: Person;
        email?: string;
        mobile?: string;
        active?: boolean;
      } = {},
    ): Promise<Person> {
      people++;
      const employee_id = o.employee_id ?? `p${n}_${people}`;
      const user = await admin.createUser(tenantId, {
        employee_id,
        name_zh: o.name_zh ?? `成员${people}`,
        name_en: o.name_en ?? `Member ${people}`,
        ...(o.leader ? { leader_employee_id: o.leader.employee_id } : {}),
      });
      if (o.email !== undefined || o.mobile !== undefined || o.active !== undefined) {
        await write((tx) =>
          tx.run('UPDATE users SET email = ?, mobile = ?, active = ? WHERE id = ? AND tenant_id = ?', [
            o.email ?? null,
            o.mobile ?? null,
            o.active === false ? 0 : 1,
            user.id,
            tx.tenantId,
          ]),
        );
      }
      const row = await t.db.read((tx) =>
        tx.get<{ open_id: string }>('SELECT open_id FROM app_users WHERE app_id = ? AND user_ref = ?', [
          app.app_id,
          user.id,
        ]),
      );
      return {
        ref: user.id,
        employee_id,
        union_id: user.union_id,
        open_id: row!.open_id,
        token: async () => (await auth.issueUserToken(tenantId, app.app_id, user.id, 7200)).token,
      };
    },

    /** A monthly period starting in `month` (YYYY-MM), under a one-month rule made on first use. */
    async period(month: string, status = 0): Promise<PeriodRow> {
      const start = parseMonth(month)!;
      return write(async (tx) => {
        if (!ruleId) {
          ruleId = ids();
          await insertRow(tx, 'period_rules', {
            id: ruleId,
            tenant_id: tenantId,
            type: 'month',
            length: 1,
            first_month: 1,
            created_at: now(),
          });
        }
        const row: PeriodRow = {
          id: ids(),
          tenant_id: tenantId,
          rule_id: ruleId,
          ...periodNames(start, start),
          status,
          start_month: month,
          end_month: month,
          ...periodBounds(start, start, 480),
          created_at: now(),
          updated_at: now(),
        };
        await insertRow(tx, 'periods', row);
        return row;
      });
    },

    /** A department under `parent` (default: the root "0"), led by `leader`, with `members`. */
    async department(
      o: { name?: string; department_id?: string; parent?: DepartmentRow; leader?: Person; members?: Person[] } = {},
    ): Promise<DepartmentRow> {
      const id = ids();
      const row: DepartmentRow = {
        id,
        tenant_id: tenantId,
        department_id: o.department_id ?? `d${id.slice(-6)}`,
        open_department_id: `od-${id.padStart(32, '0')}`,
        name_zh: o.name ?? `部门${id.slice(-3)}`,
        name_en: o.name ?? `Department ${id.slice(-3)}`,
        parent_id: o.parent?.id ?? null,
        leader_id: o.leader?.ref ?? null,
        created_at: now(),
        updated_at: now(),
      };
      await write(async (tx) => {
        await insertRow(tx, 'departments', row);
        for (const m of o.members ?? []) {
          await insertRow(tx, 'department_members', {
            tenant_id: tenantId,
            department_ref: id,
            user_ref: m.ref,
            created_at: now(),
          });
        }
      });
      return row;
    },

    /** The cycle (v1: OKR) of a person or a department in `period`. */
    async cycle(owner: Person | DepartmentRow, period: PeriodRow): Promise<string> {
      const id = ids();
      await write((tx) =>
        insertCycle(tx, id, 'ref' in owner ? { user: owner.ref } : { department: owner.id }, period.id, now()),
      );
      return id;
    },

    /** An objective (with its indicator) in `cycleId`, last in position, weight given in thousandths. */
    async objective(
      cycleId: string,
      o: { content?: Content; weight_milli?: number; score?: number; position?: number } = {},
    ): Promise<string> {
      const id = ids();
      await write(async (tx) => {
        const last = await tx.get<{ n: number }>(
          'SELECT COUNT(*) AS n FROM objectives WHERE okr_id = ? AND tenant_id = ?',
          [cycleId, tenantId],
        );
        const row: ObjectiveRow = {
          ...tracked(id, tenantId, cycleId, o.position ?? Number(last!.n) + 1, o, now()),
          notes: JSON.stringify({ blocks: [] }),
          category_id: null,
        };
        await insertRow(tx, 'objectives', row);
        await insertRow(tx, 'indicators', defaultIndicator(ids(), tenantId, 2, id, now()));
      });
      return id;
    },

    /** A key result (with its indicator) of `objectiveId`. */
    async keyResult(
      objectiveId: string,
      o: { content?: Content; weight_milli?: number; score?: number; position?: number } = {},
    ): Promise<string> {
      const id = ids();
      await write(async (tx) => {
        const parent = await tx.get<{ okr_id: string; n: number }>(
          `SELECT o.okr_id, (SELECT COUNT(*) FROM key_results k WHERE k.objective_id = o.id) AS n
             FROM objectives o WHERE o.id = ? AND o.tenant_id = ?`,
          [objectiveId, tenantId],
        );
        const row: KeyResultRow = {
          ...tracked(id, tenantId, parent!.okr_id, o.position ?? Number(parent!.n) + 1, o, now()),
          objective_id: objectiveId,
        };
        await insertRow(tx, 'key_results', row);
        await insertRow(tx, 'indicators', defaultIndicator(ids(), tenantId, 3, id, now()));
      });
      return id;
    },
  };
  return world;
}

/** A test tenant and its builders. */
export type World = Awaited<ReturnType<typeof newWorld>>;

function tracked(
  id: string,
  tenantId: string,
  okrId: string,
  position: number,
  o: { content?: Content; weight_milli?: number; score?: number },
  now: number,
) {
  return {
    id,
    tenant_id: tenantId,
    okr_id: okrId,
    position,
    content: JSON.stringify(o.content ?? paragraph(`item ${id.slice(-4)}`)),
    score: o.score ?? 0,
    weight_milli: o.weight_milli ?? 0,
    progress_percent: 0,
    progress_status: -1,
    deadline: 0,
    progress_rate_percent_last_updated_time: 0,
    progress_rate_status_last_updated_time: 0,
    progress_record_last_updated_time: 0,
    progress_report_last_updated_time: 0,
    score_last_updated_time: 0,
    created_at: now,
    updated_at: now,
  };
}
