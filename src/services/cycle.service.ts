/**
 * v2 cycles (spec §4.3, decisions.md OQ-30, OQ-34): a person or a department has one cycle per tenant period that is
 * not hidden, created on first access with a stable id (= the v1 OKR id).
 */
import type { Cycle, ListCyclesData, ListCyclesQuery } from '../contract/v2/cycle.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { invalidParam } from '../errors.js';
import type { Db, Tx } from '../store/db.js';
import {
  cycleScores,
  insertCycle,
  listCycles,
  periodsWithoutCycle,
  type CycleOwner,
  type CycleRow,
} from '../store/cycle.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import type { Caller } from './auth.service.js';
import { decodeCursor, toPage } from './paging.js';
import { unreadable } from './visibility.js';
import { WireNames, departmentFromWire, idTypesOf, userFromWire, type IdTypes } from './wire-names.js';

const ONE_OWNER = 'give exactly one of user_id and department_id';

/** Serves GET /okr/v2/cycles. */
export class CycleService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /**
   * GET /okr/v2/cycles: the cycles of the person `user_id` or the department `department_id`, newest period first.
   * Periods the owner has no cycle in yet get one first, all in one transaction; concurrent first accesses create
   * each cycle once (the insert skips a cycle another transaction just made).
   */
  async list(caller: Caller, query: ListCyclesQuery): Promise<ListCyclesData> {
    const types = idTypesOf(caller, query);
    if ((query.user_id === undefined) === (query.department_id === undefined)) {
      throw invalidParam(`user_id: ${ONE_OWNER}; department_id: ${ONE_OWNER}`);
    }
    const pageSize = query.page_size ?? 10;
    const token = query.page_token ? decodeCursor(query.page_token, ['number', 'string']) : undefined;
    const cursor = token && { start_time: token[0], id: token[1] };

    const first = await this.db.read(async (tx) => {
      const owner = await ownerOf(tx, caller, types, query);
      if ((await periodsWithoutCycle(tx, caller.tenantId, owner)).length > 0) return { owner, page: undefined };
      return { owner, page: await page(tx, caller, types, owner, cursor, pageSize) };
    });
    if (first.page) return first.page;

    await writeTenant(this.db, caller.tenantId, async (tx) => {
      const now = this.clock();
      for (const periodId of await periodsWithoutCycle(tx, tx.tenantId, first.owner)) {
        await insertCycle(tx, this.ids(), first.owner, periodId, now);
      }
    });
    return this.db.read((tx) => page(tx, caller, types, first.owner, cursor, pageSize));
  }
}

/** The person (1001003 when unknown) or department (1001004) a cycle list names. */
async function ownerOf(tx: Tx, caller: Caller, types: IdTypes, query: ListCyclesQuery): Promise<CycleOwner> {
  if (query.user_id !== undefined) {
    return { user: (await userFromWire(tx, caller, types.user_id_type, query.user_id)).id };
  }
  return { department: (await departmentFromWire(tx, caller, types.department_id_type, query.department_id!)).id };
}

/** One page of the owner's cycles, in a fixed number of queries. */
async function page(
  tx: Tx,
  caller: Caller,
  types: IdTypes,
  owner: CycleOwner,
  cursor: { start_time: number; id: string } | undefined,
  pageSize: number,
): Promise<ListCyclesData> {
  const rows = await listCycles(tx, caller.tenantId, owner, cursor, pageSize + 1);
  const shown = rows.slice(0, pageSize);
  const scores = await cycleScores(
    tx,
    shown.map((r) => r.id),
  );
  // A cycle carries no content, so anyone may list it; its score comes from the objectives, which a cycle restricted
  // to the owner's leader chain does not show to others.
  const hidden = await unreadable(
    tx,
    caller,
    shown.flatMap((r) => (r.owner_id === null ? [] : [{ id: r.id, owner_id: r.owner_id, visibility: r.visibility }])),
  );
  const names = await new WireNames(caller, types).loadOwners(tx, shown);
  return toPage(
    rows,
    pageSize,
    (r) => [r.period_start_time, r.id],
    (r) => cycleView(r, names, hidden.has(r.id) ? undefined : scores.get(r.id)),
  );
}

/**
 * The v2 score of a cycle from Σ objective score (0–100) × weight (thousandths): 0–1, one decimal. Undefined (left
 * out) for a cycle without objectives.
 */
export function cycleScore(total: number | undefined): number | undefined {
  if (total === undefined) return undefined;
  return Math.min(10, Math.max(0, Math.round(total / 10_000))) / 10;
}

/** The wire form of a cycle. */
function cycleView(row: CycleRow, names: WireNames, scoreTotal: number | undefined): Cycle {
  const score = cycleScore(scoreTotal);
  return {
    id: row.id,
    create_time: String(row.created_at),
    update_time: String(row.updated_at),
    tenant_cycle_id: row.period_id,
    owner: names.owner(row),
    start_time: String(row.period_start_time),
    end_time: String(row.period_end_time),
    cycle_status: row.period_status as 0 | 1 | 2 | 3,
    ...(score !== undefined ? { score } : {}),
  };
}
