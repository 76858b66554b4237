/** Reads of OKRs and everything under them, a fixed number of statements for any number of OKRs. */
import { inList, type Tx } from './db.js';
import type { KeyResultRow, ObjectiveRow } from './rows.js';

/** An OKR with the names and months of its period and its tenant's data version. */
export interface OkrHeadRow {
  id: string;
  owner_id: string;
  period_id: string;
  confirm_status: number;
  visibility: 'tenant' | 'leaders';
  zh_name: string;
  en_name: string;
  /** The period's first and last month, "YYYY-MM" (its Japanese name is computed from them). */
  start_month: string;
  end_month: string;
  data_version: number;
}

// Only what the v1 view shows: each column read costs (better-sqlite3 builds a JS value per column and row).
const TRACKED = `id, okr_id, content, score, weight_milli, progress_percent, progress_status, deadline,
  progress_rate_percent_last_updated_time, progress_rate_status_last_updated_time, progress_record_last_updated_time,
  progress_report_last_updated_time, score_last_updated_time`;
type TrackedColumn =
  | 'id'
  | 'okr_id'
  | 'content'
  | 'score'
  | 'weight_milli'
  | 'progress_percent'
  | 'progress_status'
  | 'deadline'
  | 'progress_rate_percent_last_updated_time'
  | 'progress_rate_status_last_updated_time'
  | 'progress_record_last_updated_time'
  | 'progress_report_last_updated_time'
  | 'score_last_updated_time';

/** An objective as the v1 view reads it. */
export type ObjectiveView = Pick<ObjectiveRow, TrackedColumn | 'notes'>;
/** A key result as the v1 view reads it. */
export type KeyResultView = Pick<KeyResultRow, TrackedColumn | 'objective_id'>;

/** One end of an alignment as seen from an objective of the OKRs read. */
export interface AlignmentEndRow {
  objective_id: string;
  /** 'aligning': objective_id aligns to other_id; 'aligned': other_id aligns to objective_id. */
  direction: 'aligning' | 'aligned';
  other_id: string;
  other_okr_id: string;
  other_owner_id: string;
}

/** A progress record's id and the objective or key result it belongs to. */
export interface ProgressRecordRefRow {
  id: string;
  target_id: string;
}

const HEAD = `SELECT o.id, o.owner_id, o.period_id, o.confirm_status, o.visibility, p.zh_name, p.en_name,
    p.start_month, p.end_month, t.data_version
  FROM okrs o JOIN periods p ON p.id = o.period_id JOIN tenants t ON t.id = o.tenant_id`;

/** The tenant's data version (bumped by every write that changes OKR reads): one primary-key lookup. */
export async function tenantDataVersion(tx: Tx, tenantId: string): Promise<number> {
  const row = await tx.get<{ data_version: number }>('SELECT data_version FROM tenants WHERE id = ?', [tenantId]);
  return Number(row?.data_version ?? -1);
}

/** The tenant's OKRs among `ids`, hidden periods included (batch_get answers them by id, decisions.md OQ-21). */
export async function findOkrs(tx: Tx, tenantId: string, ids: readonly string[]): Promise<OkrHeadRow[]> {
  return tx.all(`${HEAD} WHERE o.tenant_id = ? AND o.id IN (${inList(ids.length)})`, [tenantId, ...ids]);
}

// A cycle shows in v1 lists only once it holds an objective: v2 creates one per period on first access (OQ-30).
// Hidden periods are left out unless `periodIds` names them (decisions.md OQ-21).
function ownerFilter(periodIds: readonly string[] | undefined): string {
  return `o.owner_id = ?${periodIds?.length ? ` AND o.period_id IN (${inList(periodIds.length)})` : ' AND p.status <> 3'}
    AND EXISTS (SELECT 1 FROM objectives ob WHERE ob.okr_id = o.id)`;
}

/** How many OKRs holding an objective the user has in visible periods, or in `periodIds` (hidden ones too). */
export async function countUserOkrs(tx: Tx, ownerId: string, periodIds?: readonly string[]): Promise<number> {
  const row = await tx.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM okrs o JOIN periods p ON p.id = o.period_id WHERE ${ownerFilter(periodIds)}`,
    [ownerId, ...(periodIds ?? [])],
  );
  return Number(row?.n ?? 0);
}

/** A page of the user's OKRs holding an objective in visible periods (or in `periodIds`), newest period first. */
export async function listUserOkrs(
  tx: Tx,
  ownerId: string,
  periodIds: readonly string[] | undefined,
  offset: number,
  limit: number,
): Promise<OkrHeadRow[]> {
  return tx.all(
    `${HEAD} WHERE ${ownerFilter(periodIds)} ORDER BY p.period_start_time DESC, o.id DESC LIMIT ? OFFSET ?`,
    [ownerId, ...(periodIds ?? []), limit, offset],
  );
}

/** The objectives of the OKRs, in position order within each OKR. */
export async function objectivesOfOkrs(tx: Tx, okrIds: readonly string[]): Promise<ObjectiveView[]> {
  return tx.all(
    `SELECT ${TRACKED}, notes FROM objectives WHERE okr_id IN (${inList(okrIds.length)}) ORDER BY okr_id, position, id`,
    [...okrIds],
  );
}

/** The key results of the OKRs, in position order within each objective. */
export async function keyResultsOfOkrs(tx: Tx, okrIds: readonly string[]): Promise<KeyResultView[]> {
  return tx.all(
    `SELECT ${TRACKED}, objective_id FROM key_results WHERE okr_id IN (${inList(okrIds.length)}) ORDER BY objective_id, position, id`,
    [...okrIds],
  );
}

/** The progress records under the OKRs, most recently modified first. */
export async function progressRecordRefsOfOkrs(tx: Tx, okrIds: readonly string[]): Promise<ProgressRecordRefRow[]> {
  return tx.all(
    `SELECT id, target_id FROM progress_records WHERE okr_id IN (${inList(okrIds.length)})
      ORDER BY modify_time DESC, id DESC`,
    [...okrIds],
  );
}

/** Both directions of every alignment touching an objective of the OKRs, oldest alignment first. */
export async function alignmentsOfOkrs(tx: Tx, okrIds: readonly string[]): Promise<AlignmentEndRow[]> {
  const list = inList(okrIds.length);
  return tx.all(
    `SELECT a.from_objective_id AS objective_id, 'aligning' AS direction, a.to_objective_id AS other_id,
            t.okr_id AS other_okr_id, k.owner_id AS other_owner_id, a.created_at AS aligned_at, a.id AS alignment_id
       FROM alignments a
       JOIN objectives f ON f.id = a.from_objective_id
       JOIN objectives t ON t.id = a.to_objective_id
       JOIN okrs k ON k.id = t.okr_id
      WHERE f.okr_id IN (${list})
     UNION ALL
     SELECT a.to_objective_id, 'aligned', a.from_objective_id, f.okr_id, k.owner_id, a.created_at, a.id
       FROM alignments a
       JOIN objectives t ON t.id = a.to_objective_id
       JOIN objectives f ON f.id = a.from_objective_id
       JOIN okrs k ON k.id = f.okr_id
      WHERE t.okr_id IN (${list})
     ORDER BY aligned_at, alignment_id`,
    [...okrIds, ...okrIds],
  );
}
