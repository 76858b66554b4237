/**
 * Reads of okrd's own views of the organisation (the web UI's team page and alignment map): a fixed number of
 * statements per request, each reaching its rows through an index.
 */
import { inList, type Tx } from './db.js';

/** A person as the views show them, with the calling app's open_id. */
export interface ViewPersonRow {
  id: string;
  employee_id: string;
  name_zh: string;
  name_en: string;
  open_id: string;
}

/** A person of my team: `depth` is how far down my leader chain (1: reports to me), NOT_IN_CHAIN when only in a
 * department I lead. */
export interface TeamMemberRow extends ViewPersonRow {
  depth: number;
}

/** The sort depth of people reached only through a department I lead: after everyone on my leader chain. */
export const NOT_IN_CHAIN = 1_000_000;

/**
 * A page of the active people `leaderRef` leads, after the key (depth, employee id): everyone whose leader chain
 * reaches them, then the members of the departments they lead and of the departments below those. Bounded walks
 * (64 levels of people, 1000 of departments) stop a loop a bad import could have stored.
 */
export async function teamMembers(
  tx: Tx,
  tenantId: string,
  appId: string,
  leaderRef: string,
  after: { depth: number; employee_id: string },
  limit: number,
): Promise<TeamMemberRow[]> {
  const rows = await tx.all<TeamMemberRow>(
    `WITH RECURSIVE chain (id, depth) AS (
       SELECT id, 1 FROM users WHERE leader_id = ? AND tenant_id = ?
       UNION ALL
       SELECT u.id, c.depth + 1 FROM chain c JOIN users u ON u.leader_id = c.id WHERE c.depth < 64
     ),
     led (id, depth) AS (
       SELECT id, 0 FROM departments WHERE tenant_id = ? AND leader_id = ?
       UNION ALL
       SELECT d.id, led.depth + 1 FROM led JOIN departments d ON d.tenant_id = ? AND d.parent_id = led.id
        WHERE led.depth < 1000
     ),
     team (id, depth) AS (
       SELECT id, MIN(depth) FROM (
         SELECT id, depth FROM chain
         UNION ALL
         SELECT m.user_ref, ${NOT_IN_CHAIN} FROM department_members m WHERE m.department_ref IN (SELECT id FROM led)
       ) reached GROUP BY id
     )
     SELECT u.id, u.employee_id, u.name_zh, u.name_en, au.open_id, team.depth
       FROM team JOIN users u ON u.id = team.id JOIN app_users au ON au.user_ref = u.id AND au.app_id = ?
      WHERE u.active = 1 AND u.id <> ? AND (team.depth > ? OR (team.depth = ? AND u.employee_id > ?))
      ORDER BY team.depth, u.employee_id LIMIT ?`,
    [
      leaderRef,
      tenantId,
      tenantId,
      leaderRef,
      tenantId,
      appId,
      leaderRef,
      after.depth,
      after.depth,
      after.employee_id,
      limit,
    ],
  );
  return rows.map((r) => ({ ...r, depth: Number(r.depth) }));
}

/** A department someone leads, with its number of members. */
export interface LedDepartmentRow {
  id: string;
  department_id: string;
  name_zh: string;
  name_en: string;
  member_count: number;
}

/** The departments `leaderRef` leads directly, by the tenant's own id, with how many members each has. */
export async function ledDepartments(tx: Tx, tenantId: string, leaderRef: string): Promise<LedDepartmentRow[]> {
  const rows = await tx.all<LedDepartmentRow>(
    `SELECT d.id, d.department_id, d.name_zh, d.name_en,
            (SELECT COUNT(*) FROM department_members m WHERE m.department_ref = d.id) AS member_count
       FROM departments d WHERE d.tenant_id = ? AND d.leader_id = ? ORDER BY d.department_id`,
    [tenantId, leaderRef],
  );
  return rows.map((r) => ({ ...r, member_count: Number(r.member_count) }));
}

/** Which of `userRefs` belong to which of `departmentRefs`. */
export async function memberships(
  tx: Tx,
  departmentRefs: readonly string[],
  userRefs: readonly string[],
): Promise<{ department_ref: string; user_ref: string }[]> {
  if (departmentRefs.length === 0 || userRefs.length === 0) return [];
  return tx.all(
    `SELECT department_ref, user_ref FROM department_members
      WHERE department_ref IN (${inList(departmentRefs.length)}) AND user_ref IN (${inList(userRefs.length)})`,
    [...departmentRefs, ...userRefs],
  );
}

/** An OKR of a period, as the views need it to decide what the caller may see. */
export interface PeriodOkrRow {
  id: string;
  owner_id: string;
  visibility: 'tenant' | 'leaders';
}

// As in v1 lists, an OKR shows only once it holds an objective (v2 creates one per period on first access, OQ-30).
const HOLDS_OBJECTIVE = 'EXISTS (SELECT 1 FROM objectives ob WHERE ob.okr_id = o.id)';

/** The OKRs of `ownerRefs` in the period that hold an objective. */
export async function okrsOfOwners(
  tx: Tx,
  tenantId: string,
  periodId: string,
  ownerRefs: readonly string[],
): Promise<PeriodOkrRow[]> {
  if (ownerRefs.length === 0) return [];
  return tx.all(
    `SELECT o.id, o.owner_id, o.visibility FROM okrs o
      WHERE o.owner_id IN (${inList(ownerRefs.length)}) AND o.period_id = ? AND o.tenant_id = ? AND ${HOLDS_OBJECTIVE}`,
    [...ownerRefs, periodId, tenantId],
  );
}

/** An OKR on the alignment map with its owner. */
export interface MapOkrRow extends PeriodOkrRow, Omit<ViewPersonRow, 'id'> {
  /** The app's open_id of the owner's leader, when they have one. */
  leader_open_id: string | null;
}

/**
 * Up to `limit` OKRs of the period holding an objective, of active people (as the contact API lists them) ordered by
 * employee id: the organisation's, or, with `departmentRef`, those of the members of that department and of every
 * department below it.
 */
export async function mapOkrs(
  tx: Tx,
  tenantId: string,
  appId: string,
  periodId: string,
  departmentRef: string | undefined,
  limit: number,
): Promise<MapOkrRow[]> {
  const scope = departmentRef
    ? `AND o.owner_id IN (
         WITH RECURSIVE tree (id, depth) AS (
           SELECT id, 0 FROM departments WHERE id = ? AND tenant_id = ?
           UNION ALL
           SELECT d.id, tree.depth + 1 FROM tree JOIN departments d ON d.tenant_id = ? AND d.parent_id = tree.id
            WHERE tree.depth < 1000
         )
         SELECT m.user_ref FROM department_members m WHERE m.department_ref IN (SELECT id FROM tree))`
    : '';
  return tx.all(
    `SELECT o.id, o.owner_id, o.visibility, u.employee_id, u.name_zh, u.name_en, au.open_id,
            lau.open_id AS leader_open_id
       FROM okrs o
       JOIN users u ON u.id = o.owner_id
       JOIN app_users au ON au.user_ref = u.id AND au.app_id = ?
       LEFT JOIN app_users lau ON lau.user_ref = u.leader_id AND lau.app_id = ?
      WHERE o.period_id = ? AND o.tenant_id = ? AND u.tenant_id = ? AND u.active = 1 AND ${HOLDS_OBJECTIVE} ${scope}
      ORDER BY u.employee_id LIMIT ?`,
    // u.tenant_id lets the engines walk the tenant's people in employee-id order and stop at the bound.
    [appId, appId, periodId, tenantId, tenantId, ...(departmentRef ? [departmentRef, tenantId, tenantId] : []), limit],
  );
}

/** An objective as the views show it. */
export interface ViewObjectiveRow {
  id: string;
  okr_id: string;
  content: string;
  score: number;
  weight_milli: number;
  progress_percent: number;
  progress_status: number;
}

/** Up to `limit` objectives of the OKRs, in position order within each OKR. */
export async function objectivesOf(tx: Tx, okrIds: readonly string[], limit: number): Promise<ViewObjectiveRow[]> {
  if (okrIds.length === 0) return [];
  return tx.all(
    `SELECT id, okr_id, content, score, weight_milli, progress_percent, progress_status FROM objectives
      WHERE okr_id IN (${inList(okrIds.length)}) ORDER BY okr_id, position, id LIMIT ?`,
    [...okrIds, limit],
  );
}

/** How many key results each objective of the OKRs has. */
export async function keyResultCounts(tx: Tx, okrIds: readonly string[]): Promise<Map<string, number>> {
  if (okrIds.length === 0) return new Map();
  const rows = await tx.all<{ objective_id: string; n: number }>(
    // Grouped in the order of key_results_okr, so the engines read it by okr_id instead of walking another index.
    `SELECT objective_id, COUNT(*) AS n FROM key_results WHERE okr_id IN (${inList(okrIds.length)})
      GROUP BY okr_id, objective_id`,
    [...okrIds],
  );
  return new Map(rows.map((r) => [r.objective_id, Number(r.n)]));
}

/** The alignments from one of `objectiveIds` to another of them. */
export async function alignmentsAmong(
  tx: Tx,
  objectiveIds: readonly string[],
): Promise<{ from_objective_id: string; to_objective_id: string }[]> {
  if (objectiveIds.length === 0) return [];
  // The target is checked here, not in SQL: with both ends in IN lists SQLite probes the (from, to) key for every
  // pair of ids (a thousand objectives: a million probes), where one end walks the index once per objective.
  const ids = new Set(objectiveIds);
  const rows = await tx.all<{ from_objective_id: string; to_objective_id: string }>(
    `SELECT from_objective_id, to_objective_id FROM alignments WHERE from_objective_id IN (${inList(ids.size)})
      ORDER BY created_at, id`,
    [...ids],
  );
  return rows.filter((r) => ids.has(r.to_objective_id));
}

/** The tenant's departments (at most `limit`), by the tenant's own id, with their parent's own id. */
export async function departmentTree(
  tx: Tx,
  tenantId: string,
  limit: number,
): Promise<
  { id: string; department_id: string; parent_department_id: string | null; name_zh: string; name_en: string }[]
> {
  return tx.all(
    `SELECT d.id, d.department_id, p.department_id AS parent_department_id, d.name_zh, d.name_en
       FROM departments d LEFT JOIN departments p ON p.id = d.parent_id
      WHERE d.tenant_id = ? ORDER BY d.department_id LIMIT ?`,
    [tenantId, limit],
  );
}
