/**
 * SQL of `okrd pull`: where a tenant was pulled from, the rows and units of work each run saw (pull_marks), writing a
 * pulled row whatever it held before, and removing what a finished run no longer saw at the source.
 */
import { inList, type Param, type Tx } from './db.js';
import type { TenantTx } from './tenant-write.js';

/** A row of `pull_sources`. */
export interface PullSourceRow {
  tenant_id: string;
  source_url: string;
  app_id: string;
  run: number;
  started_at: number;
  finished_at: number | null;
  summary: string | null;
}

/** Tables a pull writes rows of, keyed by `id`, children after parents. */
export const PULLED_TABLES = [
  'users',
  'departments',
  'period_rules',
  'periods',
  'categories',
  'okrs',
  'objectives',
  'key_results',
  'indicators',
  'alignments',
  'progress_records',
  'comments',
  'images',
  'reviews',
] as const;
export type PulledTable = (typeof PULLED_TABLES)[number];

export async function findPullSource(tx: Tx, tenantId: string): Promise<PullSourceRow | undefined> {
  return tx.get('SELECT * FROM pull_sources WHERE tenant_id = ?', [tenantId]);
}

/** The tenant pulled before from this source with this app, if any. */
export async function findPullSourceOf(tx: Tx, sourceUrl: string, appId: string): Promise<PullSourceRow | undefined> {
  return tx.get('SELECT * FROM pull_sources WHERE source_url = ? AND app_id = ? ORDER BY started_at LIMIT 1', [
    sourceUrl,
    appId,
  ]);
}

/** Records (or advances) the tenant's pull state. */
export async function savePullSource(tx: TenantTx, row: PullSourceRow): Promise<void> {
  await tx.run(
    `INSERT INTO pull_sources (tenant_id, source_url, app_id, run, started_at, finished_at, summary)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id) DO UPDATE SET run = excluded.run, started_at = excluded.started_at,
       finished_at = excluded.finished_at, summary = excluded.summary`,
    [row.tenant_id, row.source_url, row.app_id, row.run, row.started_at, row.finished_at, row.summary],
  );
}

/** True when the tenant holds people or OKR data (apps alone do not count: one is needed to use the tenant). */
export async function tenantHoldsData(tx: Tx, tenantId: string): Promise<boolean> {
  for (const table of ['users', 'departments', 'period_rules', 'periods', 'okrs', 'categories']) {
    if (await tx.get(`SELECT 1 AS x FROM ${table} WHERE tenant_id = ? LIMIT 1`, [tenantId])) return true;
  }
  return false;
}

/** Marks `id` of `kind` as seen (a row) or finished (a task) in `run`. */
export async function mark(tx: TenantTx, kind: string, id: string, run: number): Promise<void> {
  await tx.run(
    `INSERT INTO pull_marks (tenant_id, kind, id, run) VALUES (?, ?, ?, ?)
     ON CONFLICT (tenant_id, kind, id) DO UPDATE SET run = excluded.run`,
    [tx.tenantId, kind, id, run],
  );
}

/** The ids of `kind` marked in `run`. */
export async function markedIn(tx: Tx, tenantId: string, kind: string, run: number): Promise<Set<string>> {
  const rows = await tx.all<{ id: string }>('SELECT id FROM pull_marks WHERE tenant_id = ? AND kind = ? AND run = ?', [
    tenantId,
    kind,
    run,
  ]);
  return new Set(rows.map((r) => r.id));
}

/** How many rows of each kind `run` saw. */
export async function markCounts(tx: Tx, tenantId: string, run: number): Promise<Record<string, number>> {
  const rows = await tx.all<{ kind: string; n: number | string }>(
    'SELECT kind, COUNT(*) AS n FROM pull_marks WHERE tenant_id = ? AND run = ? GROUP BY kind',
    [tenantId, run],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
}

/**
 * Writes `row` into `table` whatever the target held under its key: inserted when new, its columns replaced when
 * present (columns not in `row` keep their values; `insertOnly` columns are written on insert only), and marks it seen
 * in `run`. A key held by another tenant of this database is refused rather than overwritten.
 */
export async function upsertPulled(
  tx: TenantTx,
  table: PulledTable,
  row: Record<string, Param>,
  run: number,
  insertOnly: readonly string[] = [],
): Promise<void> {
  const key = table === 'images' ? 'file_token' : 'id';
  const cols = Object.keys(row);
  const updates = cols.filter((c) => c !== key && c !== 'tenant_id' && !insertOnly.includes(c));
  const changed = await tx.run(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${inList(cols.length)})
     ON CONFLICT (${key}) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}
     WHERE ${table}.tenant_id = excluded.tenant_id`,
    Object.values(row),
  );
  if (changed === 0) throw new Error(`${table} ${String(row[key])} belongs to another tenant of this database`);
  await mark(tx, table, String(row[key]), run);
}

/** The tenant's people as matching keys: internal id by union_id and by employee id. */
export async function peopleKeys(
  tx: Tx,
  tenantId: string,
): Promise<{ id: string; union_id: string; employee_id: string; people_admin_id: string; created_at: number }[]> {
  return tx.all('SELECT id, union_id, employee_id, people_admin_id, created_at FROM users WHERE tenant_id = ?', [
    tenantId,
  ]);
}

/** Which of `unionIds` belong to people of other tenants (a union_id is unique in the whole database). */
export async function unionIdsElsewhere(tx: Tx, tenantId: string, unionIds: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (let i = 0; i < unionIds.length; i += 500) {
    const part = unionIds.slice(i, i + 500);
    const rows = await tx.all<{ union_id: string }>(
      `SELECT union_id FROM users WHERE tenant_id <> ? AND union_id IN (${inList(part.length)})`,
      [tenantId, ...part],
    );
    found.push(...rows.map((r) => r.union_id));
  }
  return found;
}

/** Internal ids of the tenant's departments by their own department id. */
export async function departmentKeys(tx: Tx, tenantId: string): Promise<{ id: string; department_id: string }[]> {
  return tx.all('SELECT id, department_id FROM departments WHERE tenant_id = ?', [tenantId]);
}

/** The app ids of the tenant (each needs an open_id of every person). */
export async function appIdsOf(tx: Tx, tenantId: string): Promise<string[]> {
  return (await tx.all<{ app_id: string }>('SELECT app_id FROM apps WHERE tenant_id = ?', [tenantId])).map(
    (r) => r.app_id,
  );
}

/** Sets a person's leader after every pulled person exists. */
export async function setLeader(tx: TenantTx, userRef: string, leaderRef: string | null): Promise<void> {
  await tx.run('UPDATE users SET leader_id = ? WHERE tenant_id = ? AND id = ?', [leaderRef, tx.tenantId, userRef]);
}

/** Replaces the department memberships of `userRef` by `departmentRefs`. */
export async function setMemberships(
  tx: TenantTx,
  userRef: string,
  departmentRefs: readonly string[],
  now: number,
): Promise<void> {
  await tx.run('DELETE FROM department_members WHERE tenant_id = ? AND user_ref = ?', [tx.tenantId, userRef]);
  for (const d of departmentRefs) {
    await tx.run(
      'INSERT INTO department_members (tenant_id, department_ref, user_ref, created_at) VALUES (?, ?, ?, ?)',
      [tx.tenantId, d, userRef, now],
    );
  }
}

/** The tenant's UTC offset (periods are pulled as the source's times; their months follow from it). */
export async function setUtcOffset(tx: TenantTx, minutes: number): Promise<void> {
  await tx.run('UPDATE tenants SET utc_offset_minutes = ? WHERE id = ?', [minutes, tx.tenantId]);
}

/** Drops an indicator the target made itself for an entity whose pulled indicator has another id. */
export async function dropOtherIndicator(
  tx: TenantTx,
  entityType: number,
  entityId: string,
  keep: string,
): Promise<void> {
  await tx.run('DELETE FROM indicators WHERE tenant_id = ? AND entity_type = ? AND entity_id = ? AND id <> ?', [
    tx.tenantId,
    entityType,
    entityId,
    keep,
  ]);
}

/** Progress percents and statuses of the records of each target, newest first: an objective's exact percent. */
export async function recordRatesOf(
  tx: Tx,
  tenantId: string,
  okrId: string,
): Promise<{ target_id: string; progress_percent: number | null; progress_status: number | null }[]> {
  return tx.all(
    `SELECT target_id, progress_percent, progress_status FROM progress_records
      WHERE tenant_id = ? AND okr_id = ? ORDER BY modify_time DESC, id DESC`,
    [tenantId, okrId],
  );
}

/** Sets the exact progress percent of an objective or key result (v1 payloads round it). */
export async function setProgressPercent(
  tx: TenantTx,
  table: 'objectives' | 'key_results',
  id: string,
  percent: number,
): Promise<void> {
  await tx.run(`UPDATE ${table} SET progress_percent = ? WHERE tenant_id = ? AND id = ?`, [percent, tx.tenantId, id]);
}

/** Rich-text documents of the tenant that may hold gallery images, with the objective or key result they belong to. */
export async function documentsWithImages(
  tx: Tx,
  tenantId: string,
): Promise<{ target_type: number; target_id: string; content: string; created_at: number }[]> {
  const like = '%"file_token"%';
  return tx.all(
    `SELECT target_type, target_id, content, created_at FROM progress_records WHERE tenant_id = ? AND content LIKE ?
     UNION ALL SELECT 2, id, content, created_at FROM objectives WHERE tenant_id = ? AND content LIKE ?
     UNION ALL SELECT 2, id, notes, created_at FROM objectives WHERE tenant_id = ? AND notes LIKE ?`,
    [tenantId, like, tenantId, like, tenantId, like],
  );
}

/** The subquery of ids of `kind` that a run before `run` saw and `run` did not (binds tenant, run). */
const gone = (kind: PulledTable) => `SELECT id FROM pull_marks WHERE tenant_id = ? AND kind = '${kind}' AND run < ?`;

/**
 * Removes every row of a pulled table that an earlier run saw and `run` (finished) did not, with what hangs under it,
 * children first; people are deactivated rather than removed (tokens, sessions and history name them). Resolves to
 * how many rows of each kind went.
 */
export async function sweep(tx: TenantTx, run: number): Promise<Record<string, number>> {
  const t = tx.tenantId;
  const removed: Record<string, number> = {};
  const step = async (kind: string, sql: string, goneKinds: number) => {
    const params: Param[] = [t];
    for (let i = 0; i < goneKinds; i++) params.push(t, run);
    removed[kind] = (removed[kind] ?? 0) + (await tx.run(sql, params));
  };
  await tx.run(
    `UPDATE comments SET ref_comment_id = NULL WHERE tenant_id = ? AND ref_comment_id IN (${gone('comments')})`,
    [t, t, run],
  );
  await step(
    'comments',
    `DELETE FROM comments WHERE tenant_id = ? AND (id IN (${gone('comments')}) OR okr_id IN (${gone('okrs')})
       OR target_id IN (${gone('objectives')}) OR target_id IN (${gone('key_results')})
       OR target_id IN (${gone('progress_records')}))`,
    5,
  );
  await step(
    'alignments',
    `DELETE FROM alignments WHERE tenant_id = ? AND (id IN (${gone('alignments')})
       OR from_objective_id IN (${gone('objectives')}) OR to_objective_id IN (${gone('objectives')}))`,
    3,
  );
  await step(
    'progress_records',
    `DELETE FROM progress_records WHERE tenant_id = ? AND (id IN (${gone('progress_records')})
       OR okr_id IN (${gone('okrs')}) OR target_id IN (${gone('objectives')}) OR target_id IN (${gone('key_results')}))`,
    4,
  );
  await step(
    'indicators',
    `DELETE FROM indicators WHERE tenant_id = ? AND (id IN (${gone('indicators')})
       OR entity_id IN (${gone('objectives')}) OR entity_id IN (${gone('key_results')}))`,
    3,
  );
  await step(
    'key_results',
    `DELETE FROM key_results WHERE tenant_id = ? AND (id IN (${gone('key_results')})
       OR objective_id IN (${gone('objectives')}) OR okr_id IN (${gone('okrs')}))`,
    3,
  );
  await step(
    'objectives',
    `DELETE FROM objectives WHERE tenant_id = ? AND (id IN (${gone('objectives')}) OR okr_id IN (${gone('okrs')}))`,
    2,
  );
  await tx.run(
    `UPDATE objectives SET category_id = NULL WHERE tenant_id = ? AND category_id IN (${gone('categories')})`,
    [t, t, run],
  );
  await step('categories', `DELETE FROM categories WHERE tenant_id = ? AND id IN (${gone('categories')})`, 1);
  await step(
    'okrs',
    `DELETE FROM okrs WHERE tenant_id = ? AND (id IN (${gone('okrs')}) OR period_id IN (${gone('periods')}))`,
    2,
  );
  await step(
    'reviews',
    `DELETE FROM reviews WHERE tenant_id = ? AND (id IN (${gone('reviews')}) OR period_id IN (${gone('periods')}))`,
    2,
  );
  await step('periods', `DELETE FROM periods WHERE tenant_id = ? AND id IN (${gone('periods')})`, 1);
  await tx.run(`UPDATE periods SET rule_id = NULL WHERE tenant_id = ? AND rule_id IN (${gone('period_rules')})`, [
    t,
    t,
    run,
  ]);
  await step('period_rules', `DELETE FROM period_rules WHERE tenant_id = ? AND id IN (${gone('period_rules')})`, 1);
  await tx.run(`DELETE FROM department_members WHERE tenant_id = ? AND department_ref IN (${gone('departments')})`, [
    t,
    t,
    run,
  ]);
  await tx.run(
    `UPDATE departments SET parent_id = NULL WHERE tenant_id = ? AND parent_id IN (${gone('departments')})`,
    [t, t, run],
  );
  await step('departments', `DELETE FROM departments WHERE tenant_id = ? AND id IN (${gone('departments')})`, 1);
  await tx.run(`DELETE FROM department_members WHERE tenant_id = ? AND user_ref IN (${gone('users')})`, [t, t, run]);
  await step('users', `UPDATE users SET active = 0 WHERE tenant_id = ? AND active = 1 AND id IN (${gone('users')})`, 1);
  // What went is no longer anyone's to remove (a person who comes back is marked and activated again); what stays is
  // marked by this run already.
  await tx.run('DELETE FROM pull_marks WHERE tenant_id = ? AND run < ?', [t, run]);
  return removed;
}

/** The cycles a run pulled, grouped with their objectives and key results, and which of them are in hidden periods. */
export async function pulledCycles(
  tx: Tx,
  tenantId: string,
  run: number,
): Promise<{
  cycles: string[];
  objectives: Map<string, string[]>;
  keyResults: Map<string, string[]>;
  hidden: Set<string>;
}> {
  const cycles = await markedIn(tx, tenantId, 'okrs', run);
  const rows = await tx.all<{ id: string; okr_id: string; kind: string }>(
    // Only what this run saw: a row gone at the source is still here until the run ends, but not to be asked about.
    `SELECT id, okr_id, 'objective' AS kind FROM objectives WHERE tenant_id = ?
       AND id IN (SELECT id FROM pull_marks WHERE tenant_id = ? AND kind = 'objectives' AND run = ?)
     UNION ALL SELECT id, okr_id, 'key_result' AS kind FROM key_results WHERE tenant_id = ?
       AND id IN (SELECT id FROM pull_marks WHERE tenant_id = ? AND kind = 'key_results' AND run = ?)`,
    [tenantId, tenantId, run, tenantId, tenantId, run],
  );
  const objectives = new Map<string, string[]>();
  const keyResults = new Map<string, string[]>();
  for (const r of rows) {
    if (!cycles.has(r.okr_id)) continue;
    const into = r.kind === 'objective' ? objectives : keyResults;
    into.set(r.okr_id, [...(into.get(r.okr_id) ?? []), r.id]);
  }
  const hidden = await tx.all<{ id: string }>(
    'SELECT o.id FROM okrs o JOIN periods p ON p.id = o.period_id WHERE o.tenant_id = ? AND p.status = 3',
    [tenantId],
  );
  return { cycles: [...cycles], objectives, keyResults, hidden: new Set(hidden.map((r) => r.id)) };
}

/** The progress percents of a cycle's objectives and key results. */
export async function progressPercentsOf(
  tx: Tx,
  tenantId: string,
  okrId: string,
): Promise<{ id: string; progress_percent: number; kind: 'objectives' | 'key_results' }[]> {
  return tx.all(
    `SELECT id, progress_percent, 'objectives' AS kind FROM objectives WHERE tenant_id = ? AND okr_id = ?
     UNION ALL SELECT id, progress_percent, 'key_results' AS kind FROM key_results WHERE tenant_id = ? AND okr_id = ?`,
    [tenantId, okrId, tenantId, okrId],
  );
}
