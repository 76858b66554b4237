/**
 * okrd's read views of the organisation for the web UI (issue 9 items 5 and 6): the team page and the alignment map,
 * each in a fixed number of statements however many people and objectives it shows. Visibility is v1's
 * (`unreadable`): an OKR the caller may not read is given as `{okr_id, permission: 0}` and nothing under it is read.
 */
import {
  MAP_DEPARTMENTS_MAX,
  MAP_OBJECTIVES_MAX,
  MAP_OKRS_MAX,
  type AlignmentMapData,
  type MapNode,
  type TeamData,
  type TeamOkr,
} from '../contract/okrd/org-views.js';
import type { Lang } from '../domain/lang.js';
import { MAX_POSITION } from '../domain/positions.js';
import { mentionedUsers, plainText, type Content } from '../domain/rich-text.js';
import { invalidUserToken, notFound } from '../errors.js';
import type { Db, Tx } from '../store/db.js';
import { findDepartmentsByWireIds } from '../store/department.repository.js';
import {
  alignmentsAmong,
  departmentTree,
  keyResultCounts,
  ledDepartments,
  mapOkrs,
  memberships,
  NOT_IN_CHAIN,
  objectivesOf,
  okrsOfOwners,
  teamMembers,
  type PeriodOkrRow,
  type ViewObjectiveRow,
} from '../store/org-views.repository.js';
import { findPeriods } from '../store/period.repository.js';
import { findUsersByRefs } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';
import { cycleScore } from './cycle.service.js';
import { decodeCursor, toPage } from './paging.js';
import { unreadable } from './visibility.js';

/** The caller as a person: the views are of the signed-in person's organisation (the routes take user tokens only). */
function person(caller: Caller): Caller & { userRef: string } {
  if (!caller.userRef) throw invalidUserToken();
  return { ...caller, userRef: caller.userRef };
}

export class OrgViewService {
  constructor(private readonly db: Db) {}

  /** GET /okrd/api/team: a page of the people `caller` leads, each with their OKR of the period at a glance. */
  async team(
    asked: Caller,
    q: { period_id: string; page_size: number; page_token: string | undefined; lang: Lang },
  ): Promise<TeamData> {
    const caller = person(asked);
    const [depth, employeeId] = q.page_token ? decodeCursor(q.page_token, ['number', 'string']) : [0, ''];
    return this.db.read(async (tx) => {
      await requirePeriod(tx, caller, q.period_id);
      const rows = await teamMembers(
        tx,
        caller.tenantId,
        caller.appId,
        caller.userRef,
        { depth, employee_id: employeeId },
        q.page_size + 1,
      );
      const shown = rows.slice(0, q.page_size);
      const departments = await ledDepartments(tx, caller.tenantId, caller.userRef);
      const refs = shown.map((m) => m.id);
      const inDepartments = new Map<string, string[]>();
      const departmentIdOf = new Map(departments.map((d) => [d.id, d.department_id]));
      for (const m of await memberships(tx, [...departmentIdOf.keys()], refs)) {
        inDepartments.set(m.user_ref, [
          ...(inDepartments.get(m.user_ref) ?? []),
          departmentIdOf.get(m.department_ref)!,
        ]);
      }
      const okrs = await okrsOfOwners(tx, caller.tenantId, q.period_id, refs);
      const { hidden, objectives, texts } = await readObjectives(tx, caller, okrs, q.lang, refs.length * MAX_POSITION);
      const krCounts = await keyResultCounts(
        tx,
        okrs.filter((o) => !hidden.has(o.id)).map((o) => o.id),
      );
      const okrOf = new Map(okrs.map((o) => [o.owner_id, o]));
      const teamOkr = (okr: PeriodOkrRow): TeamOkr => {
        if (hidden.has(okr.id)) return { okr_id: okr.id, permission: 0 };
        const list = objectives.get(okr.id) ?? [];
        const score = list.some((o) => o.score > 0)
          ? cycleScore(list.reduce((sum, o) => sum + o.score * o.weight_milli, 0))
          : undefined;
        return {
          okr_id: okr.id,
          permission: 1,
          visibility: okr.visibility,
          objective_count: list.length,
          progress_percent: overallPercent(list),
          status: worstStatus(list),
          ...(score !== undefined ? { score } : {}),
          objectives: list.map((o) => ({
            id: o.id,
            content: texts.get(o.id)!,
            progress_percent: Math.round(o.progress_percent),
            status: o.progress_status as -1 | 0 | 1 | 2,
            score: o.score,
            kr_count: krCounts.get(o.id) ?? 0,
          })),
        };
      };
      const page = toPage(
        rows,
        q.page_size,
        (m) => [m.depth, m.employee_id],
        (m) => {
          const okr = okrOf.get(m.id);
          return {
            open_id: m.open_id,
            name_zh: m.name_zh,
            name_en: m.name_en,
            ...(m.depth !== NOT_IN_CHAIN ? { depth: m.depth } : {}),
            department_ids: inDepartments.get(m.id) ?? [],
            ...(okr ? { okr: teamOkr(okr) } : {}),
          };
        },
      );
      return {
        departments: departments.map((d) => ({
          department_id: d.department_id,
          name_zh: d.name_zh,
          name_en: d.name_en,
          member_count: d.member_count,
        })),
        ...page,
      };
    });
  }

  /**
   * GET /okrd/api/alignment_map: the period's objectives of the organisation (or of a department and those below it)
   * as nodes, and the alignments between them as edges; bounded by MAP_OKRS_MAX OKRs and MAP_OBJECTIVES_MAX
   * objectives (`truncated` says when more were left out).
   */
  async alignmentMap(
    asked: Caller,
    q: { period_id: string; department_id: string | undefined; lang: Lang },
  ): Promise<AlignmentMapData> {
    const caller = person(asked);
    return this.db.read(async (tx) => {
      await requirePeriod(tx, caller, q.period_id);
      let departmentRef: string | undefined;
      if (q.department_id !== undefined) {
        const [department] = await findDepartmentsByWireIds(tx, caller.tenantId, 'department_id', [q.department_id]);
        if (!department) throw notFound('department_id', q.department_id);
        departmentRef = department.id;
      }
      const okrRows = await mapOkrs(tx, caller.tenantId, caller.appId, q.period_id, departmentRef, MAP_OKRS_MAX + 1);
      const okrs = okrRows.slice(0, MAP_OKRS_MAX);
      const { hidden, objectives, texts, truncated } = await readObjectives(
        tx,
        caller,
        okrs,
        q.lang,
        MAP_OBJECTIVES_MAX,
      );
      const nodes: MapNode[] = okrs.flatMap((okr): MapNode[] =>
        hidden.has(okr.id)
          ? [{ okr_id: okr.id, owner_open_id: okr.open_id, permission: 0 }]
          : (objectives.get(okr.id) ?? []).map((o, i) => ({
              okr_id: okr.id,
              owner_open_id: okr.open_id,
              permission: 1,
              id: o.id,
              position: i + 1,
              content: texts.get(o.id)!,
              progress_percent: Math.round(o.progress_percent),
              status: o.progress_status as -1 | 0 | 1 | 2,
            })),
      );
      const edges = await alignmentsAmong(
        tx,
        nodes.flatMap((n) => (n.id ? [n.id] : [])),
      );
      const departments = await departmentTree(tx, caller.tenantId, MAP_DEPARTMENTS_MAX);
      return {
        people: okrs.map((o) => ({
          open_id: o.open_id,
          name_zh: o.name_zh,
          name_en: o.name_en,
          ...(o.leader_open_id ? { leader_open_id: o.leader_open_id } : {}),
        })),
        nodes,
        edges: edges.map((e) => ({ from: e.from_objective_id, to: e.to_objective_id })),
        truncated: okrRows.length > MAP_OKRS_MAX || truncated,
        departments: departments.map((d) => ({
          department_id: d.department_id,
          ...(d.parent_department_id ? { parent_department_id: d.parent_department_id } : {}),
          name_zh: d.name_zh,
          name_en: d.name_en,
        })),
      };
    });
  }
}

/** Throws 1001004 unless the period is the caller's tenant's (hidden periods too: a view names it by id, OQ-21). */
async function requirePeriod(tx: Tx, caller: Caller, periodId: string): Promise<void> {
  if ((await findPeriods(tx, caller.tenantId, [periodId])).length === 0) throw notFound('period_id', periodId);
}

/**
 * Which of the OKRs the caller may not read, and the objectives of the others (at most `limit`; `truncated` when
 * there were more) with their content as plain text in `lang`: three statements at most.
 */
async function readObjectives(tx: Tx, caller: Caller, okrs: readonly PeriodOkrRow[], lang: Lang, limit: number) {
  const hidden = await unreadable(tx, caller, okrs);
  const rows = await objectivesOf(
    tx,
    okrs.filter((o) => !hidden.has(o.id)).map((o) => o.id),
    limit + 1,
  );
  const shown = rows.slice(0, limit);
  const contents = new Map(shown.map((o) => [o.id, JSON.parse(o.content) as Content]));
  const names = new Map(
    (await findUsersByRefs(tx, caller.appId, [...new Set([...contents.values()].flatMap(mentionedUsers))])).map((u) => [
      u.id,
      u,
    ]),
  );
  const objectives = new Map<string, ViewObjectiveRow[]>();
  for (const o of shown) objectives.set(o.okr_id, [...(objectives.get(o.okr_id) ?? []), o]);
  return {
    hidden,
    objectives,
    texts: new Map([...contents].map(([id, content]) => [id, plainText(content, names, lang)])),
    truncated: rows.length > limit,
  };
}

/** An OKR's progress: its objectives' weighted by their weights, or their mean when no weight is set. */
function overallPercent(objectives: readonly ViewObjectiveRow[]): number {
  const weights = objectives.reduce((sum, o) => sum + o.weight_milli, 0);
  const total =
    weights > 0
      ? objectives.reduce((sum, o) => sum + o.progress_percent * o.weight_milli, 0) / weights
      : objectives.reduce((sum, o) => sum + o.progress_percent, 0) / Math.max(1, objectives.length);
  return Math.round(total);
}

/** The most worrying status among the objectives (delayed 2 > at risk 1 > normal 0 > none -1). */
function worstStatus(objectives: readonly ViewObjectiveRow[]): -1 | 0 | 1 | 2 {
  return Math.max(-1, ...objectives.map((o) => o.progress_status)) as -1 | 0 | 1 | 2;
}
