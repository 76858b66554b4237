/**
 * v2 objectives (spec §4.3 position and weight, §4.4): create, list, get, patch, delete, and the cycle's order and
 * weights. One model behind v1 and v2 (decisions.md OQ-12): what v2 writes here is what v1 batch_get reads.
 */
import type { IdTypesQuery, PagedQuery, V2ContentBlock } from '../contract/v2/common.js';
import type { ObjectivesData } from '../contract/v2/cycle.js';
import type {
  CreateObjectiveBody,
  CreateObjectiveData,
  DeleteObjectiveData,
  ListObjectivesData,
  ObjectiveData,
  PatchObjectiveBody,
} from '../contract/v2/objective.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { MAX_POSITION, checkFullOrder } from '../domain/positions.js';
import { checkWeightSum, parseWeight, weightsAfterCreate, weightsAfterDelete } from '../domain/weights.js';
import { invalidParam, notFound } from '../errors.js';
import { findCycle, type CycleRow } from '../store/cycle.repository.js';
import type { Db, Tx } from '../store/db.js';
import { defaultIndicator } from '../store/indicator.repository.js';
import { keyResultIdsOf } from '../store/key-result.repository.js';
import { tenantDataVersion } from '../store/okr.repository.js';
import {
  deleteWithDependents,
  findObjective,
  isCategoryOfTenant,
  layOutSiblings,
  lockParent,
  objectivesOfCycle,
  pageByPosition,
  updateTracked,
  type PositionCursor,
  type SiblingLayout,
  type TrackedChanges,
} from '../store/objective.repository.js';
import type { ObjectiveRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { writeTenant, type TenantTx } from '../store/tenant-write.js';
import type { Caller } from './auth.service.js';
import { RenderCache, successAnswer } from './render-cache.js';
import { requireCycleReadable, requireCycleWritable } from './cycle-access.js';
import { decodeCursor, toPage } from './paging.js';
import { fromV2, isBlank } from './v2-rich-text.mapper.js';
import { mentionedUserRefs, objectiveView, type ObjectiveViewRow } from './views/objective.view.js';
import { WireNames, idTypesOf, type IdTypes, type OwnerRefs } from './wire-names.js';

const EMPTY_NOTES = JSON.stringify({ blocks: [] });

// ── Rules objectives and key results share (also used by key-result.service.ts) ───────────────────────────────────

/** Broken rules of one request, "field: rule" each, thrown together as one 1001001 (decisions.md OQ-36). */
export class Violations {
  private readonly found: string[] = [];

  add(violation: string): void {
    this.found.push(violation);
  }

  /** Throws 1001001 naming every broken rule, if any. */
  throwIfAny(): void {
    if (this.found.length > 0) throw invalidParam(this.found.join('; '));
  }
}

/** The stored score (0–100) of a v2 score: in [0, 1] with at most one decimal. */
export function checkScore(v: Violations, score: number, field = 'score'): number {
  if (!Number.isFinite(score) || score < 0 || score > 1) v.add(`${field}: must be between 0 and 1`);
  else if (Math.abs(score * 10 - Math.round(score * 10)) >= 1e-6) v.add(`${field}: at most one decimal`);
  return Math.round(score * 100);
}

/** The stored weight (thousandths) of a v2 weight: in [0, 1] with at most three decimals. */
export function checkWeight(v: Violations, weight: number, field = 'weight'): number {
  const milli = parseWeight(weight);
  if (milli !== undefined) return milli;
  v.add(
    Number.isFinite(weight) && weight >= 0 && weight <= 1
      ? `${field}: at most three decimals`
      : `${field}: must be between 0 and 1`,
  );
  return 0;
}

/** The stored deadline (epoch ms, 0 = none) of a wire deadline. */
export function checkDeadline(v: Violations, deadline: string, field = 'deadline'): number {
  const ms = Number(deadline);
  if (!/^\d+$/.test(deadline) || !Number.isSafeInteger(ms)) v.add(`${field}: must be epoch milliseconds, 0 or more`);
  return ms;
}

/** The stored content of a create body: required, and not blank (decisions.md OQ-13). */
export function requireContent(v: Violations, content: V2ContentBlock | undefined): void {
  if (content === undefined || isBlank(content)) v.add('content: is required');
}

/** Refuses a body field a PATCH does not change (the wire schema leaves it out, so it would be silently ignored). */
export function refuseField(v: Violations, body: object, field: string, instead: string): void {
  if ((body as Record<string, unknown>)[field] !== undefined) v.add(`${field}: is not patchable (set ${instead})`);
}

/** The page-token cursor of lists in position order. */
export function positionCursor(token: string | undefined): PositionCursor | undefined {
  if (!token) return undefined;
  const [position, id] = decodeCursor(token, ['number', 'string']);
  return { position, id };
}

/**
 * The siblings (in their new order) whose position or weight differs from positions 1..n and `weights` (thousandths,
 * same order; their own weights when left out), with every row as it is after the change.
 */
export function relayout<R extends { id: string; position: number; weight_milli: number; updated_at: number }>(
  ordered: readonly R[],
  weights: readonly number[] | undefined,
  now: number,
): { changed: SiblingLayout[]; rows: R[] } {
  const changed: SiblingLayout[] = [];
  const rows = ordered.map((row, i) => {
    const layout = { id: row.id, position: i + 1, weight_milli: weights ? weights[i]! : row.weight_milli };
    if (layout.position === row.position && layout.weight_milli === row.weight_milli) return row;
    changed.push(layout);
    return { ...row, position: layout.position, weight_milli: layout.weight_milli, updated_at: now };
  });
  return { changed, rows };
}

/**
 * Checks that a weight list names every sibling exactly once and sums to 1; `list` is the body field
 * (objective_weights), `idField` the id inside each entry (objective_id), `one` and `every` name siblings in messages
 * ("an objective of this cycle", "every objective of this cycle").
 */
export function checkWeightList(
  siblingIds: readonly string[],
  entries: readonly { id: string; milli: number }[],
  names: { list: string; idField: string; one: string; every: string },
): void {
  const known = new Set(siblingIds);
  const seen = new Set<string>();
  const v = new Violations();
  entries.forEach((e, i) => {
    const field = `${names.list}[${i}].${names.idField}`;
    if (seen.has(e.id)) v.add(`${field}: ${e.id} is listed more than once`);
    else if (!known.has(e.id)) v.add(`${field}: ${e.id} is not ${names.one}`);
    seen.add(e.id);
  });
  const missing = siblingIds.filter((id) => !seen.has(id));
  if (missing.length > 0) v.add(`${names.list}: must weigh ${names.every} (missing ${missing.join(', ')})`);
  v.throwIfAny();
  const sum = checkWeightSum(entries.map((e) => e.milli));
  if (sum !== undefined) throw invalidParam(`${names.list}: ${sum}`);
}

// ── Objectives ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** The wire names of an answer about `rows` of one cycle owned by `owner`: its owner and every user they mention. */
async function namesFor(tx: Tx, caller: Caller, types: IdTypes, owner: OwnerRefs, rows: readonly ObjectiveRow[]) {
  return new WireNames(caller, types).loadOwners(tx, [owner], mentionedUserRefs(rows));
}

/** A row of the cycle as the view takes it. */
const withOwner = (row: ObjectiveRow, owner: OwnerRefs): ObjectiveViewRow => ({
  ...row,
  owner_id: owner.owner_id,
  department_id: owner.department_id,
});

// Bytes of whole list answers kept per process (a page of 100 objectives is some 25 KB).
const PAGE_CACHE_BYTES = 64 * 1024 * 1024;
// At most this many pages, however many rendered OKRs the process keeps.
const MAX_PAGES = 1000;

// The last part of a page's key: who the page is the same for, beyond the app and the id types (see list).
const EVERYONE = '*';

/** Whether requireCycleReadable lets every caller read `cycle`: a team cycle, or one visible to the whole tenant. */
function readableByAll(cycle: CycleRow): boolean {
  return cycle.owner_id === null || cycle.visibility === 'tenant';
}

/**
 * Who a page of a cycle restricted to its owner's leader chain is the same for: the user of a user token (whom
 * requireCycleReadable let read it), or every caller of another kind (who read everything).
 */
function restrictedAudience(caller: Caller): string {
  return caller.kind === 'user' ? `user:${caller.userRef ?? ''}` : caller.kind;
}

/** Serves the v2 objective endpoints. */
export class ObjectiveService {
  private readonly pages: RenderCache<Buffer>;

  /** `cacheEntries`: how many rendered list pages to keep, at most 1,000 (0: render every time). */
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    cacheEntries = MAX_PAGES,
  ) {
    this.pages = new RenderCache(Math.min(cacheEntries, MAX_PAGES), PAGE_CACHE_BYTES);
  }

  /** POST /okr/v2/cycles/:cycle_id/objectives: appended last; the siblings' weights make room (OQ-32). */
  async create(
    caller: Caller,
    cycleId: string,
    body: CreateObjectiveBody,
    query: IdTypesQuery,
  ): Promise<CreateObjectiveData> {
    const types = idTypesOf(caller, query);
    const v = new Violations();
    requireContent(v, body.content);
    const score = body.score === undefined ? undefined : checkScore(v, body.score);
    const weight = body.weight === undefined ? undefined : checkWeight(v, body.weight);
    const deadline = body.deadline === undefined ? 0 : checkDeadline(v, body.deadline);
    v.throwIfAny();
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const cycle = await findCycle(tx, caller.tenantId, cycleId);
      if (!cycle) throw notFound('cycle_id', cycleId);
      await requireCycleWritable(tx, caller, cycle);
      const content = await fromV2(tx, caller, types.user_id_type, body.content!, 'content');
      const notes = body.notes ? await fromV2(tx, caller, types.user_id_type, body.notes, 'notes') : undefined;
      if (body.category_id !== undefined) await requireCategory(tx, caller, body.category_id);
      await lockParent(tx, 'okrs', cycle.id);
      const siblings = await objectivesOfCycle(tx, caller.tenantId, cycle.id);
      if (siblings.length >= MAX_POSITION) {
        throw invalidParam(`cycle_id: a cycle holds at most ${MAX_POSITION} objectives`);
      }
      const now = this.clock();
      const weights = weightsAfterCreate(
        siblings.map((s) => s.weight_milli),
        weight,
      );
      await layOutSiblings(tx, 'objectives', relayout(siblings, weights.siblings, now).changed, now);
      const id = this.ids();
      const row: ObjectiveRow = {
        id,
        tenant_id: caller.tenantId,
        okr_id: cycle.id,
        position: siblings.length + 1,
        content: JSON.stringify(content),
        notes: notes ? JSON.stringify(notes) : EMPTY_NOTES,
        score: score ?? 0,
        weight_milli: weights.created,
        progress_percent: 0,
        progress_status: -1,
        deadline,
        category_id: body.category_id ?? null,
        progress_rate_percent_last_updated_time: 0,
        progress_rate_status_last_updated_time: 0,
        progress_record_last_updated_time: 0,
        progress_report_last_updated_time: notes && !isBlank(body.notes!) ? now : 0,
        score_last_updated_time: score === undefined ? 0 : now,
        created_at: now,
        updated_at: now,
      };
      await insertRow(tx, 'objectives', row);
      await insertRow(tx, 'indicators', defaultIndicator(this.ids(), caller.tenantId, 2, id, now));
      return { objective_id: id };
    });
  }

  /**
   * GET /okr/v2/cycles/:cycle_id/objectives: a page in position order, as the bytes of the whole success answer.
   *
   * A page answered before at the tenant's current data version is sent again as it was, after one lookup of that
   * version: the cycle, its objectives, the caller's leader chain and every name in the page are tenant data whose
   * every change bumps the version. The key holds only bounded, normalised values: the tenant, the cycle id (an id
   * the route checked), the app (ids are per app), the id types, the page size and the cursor the token decodes to,
   * and last who the page is the same for: everyone of the app, or for a restricted cycle the caller alone.
   */
  async list(caller: Caller, cycleId: string, query: PagedQuery): Promise<Buffer> {
    const types = idTypesOf(caller, query);
    const pageSize = query.page_size ?? 10;
    const after = positionCursor(query.page_token);
    const page = `${caller.tenantId}|${cycleId}|${caller.appId}|${types.user_id_type}|${types.department_id_type}|${pageSize}|${after ? JSON.stringify([after.position, after.id]) : ''}|`;
    // The version alone, as one statement outside any transaction: on a hit, that is all the database does.
    const version = await this.db.read((tx) => tenantDataVersion(tx, caller.tenantId), { oneStatement: true });
    const cached = this.pages.get([page + EVERYONE, page + restrictedAudience(caller)], version);
    if (cached) return cached;
    return this.db.read(async (tx) => {
      const cycle = await findCycle(tx, caller.tenantId, cycleId);
      if (!cycle) throw notFound('cycle_id', cycleId);
      await requireCycleReadable(tx, caller, cycle);
      const rows = await pageByPosition<ObjectiveRow>(
        tx,
        'objectives',
        'okr_id',
        caller.tenantId,
        cycle.id,
        after,
        pageSize + 1,
      );
      const names = await namesFor(tx, caller, types, cycle, rows.slice(0, pageSize));
      const data: ListObjectivesData = toPage(
        rows,
        pageSize,
        (r) => [r.position, r.id],
        (r) => objectiveView(withOwner(r, cycle), names),
      );
      const bytes = successAnswer(JSON.stringify(data));
      this.pages.set(page + (readableByAll(cycle) ? EVERYONE : restrictedAudience(caller)), cycle.data_version, bytes);
      return bytes;
    });
  }

  /** GET /okr/v2/objectives/:objective_id. */
  async get(caller: Caller, id: string, query: IdTypesQuery): Promise<ObjectiveData> {
    const types = idTypesOf(caller, query);
    return this.db.read(async (tx) => {
      const row = await findObjective(tx, caller.tenantId, id);
      if (!row) throw notFound('objective_id', id);
      await requireCycleReadable(tx, caller, { ...row, id: row.okr_id });
      return { objective: objectiveView(row, await namesFor(tx, caller, types, row, [row])) };
    });
  }

  /** PATCH /okr/v2/objectives/:objective_id: content, score, notes, deadline, category (weights: objectives_weight). */
  async patch(caller: Caller, id: string, body: PatchObjectiveBody, query: IdTypesQuery): Promise<ObjectiveData> {
    const types = idTypesOf(caller, query);
    const v = new Violations();
    if (body.content !== undefined && isBlank(body.content)) v.add('content: must not be empty');
    const score = body.score === undefined ? undefined : checkScore(v, body.score);
    const deadline = body.deadline === undefined ? undefined : checkDeadline(v, body.deadline);
    refuseField(v, body, 'weight', 'weights with PUT /open-apis/okr/v2/cycles/:cycle_id/objectives_weight');
    v.throwIfAny();
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const row = await findObjective(tx, caller.tenantId, id);
      if (!row) throw notFound('objective_id', id);
      await requireCycleWritable(tx, caller, { ...row, id: row.okr_id });
      const now = this.clock();
      const changes: TrackedChanges = { updated_at: now };
      if (body.content !== undefined) {
        changes.content = JSON.stringify(await fromV2(tx, caller, types.user_id_type, body.content, 'content'));
      }
      if (body.notes !== undefined) {
        changes.notes = JSON.stringify(await fromV2(tx, caller, types.user_id_type, body.notes, 'notes'));
        // v1 shows the notes as progress_report, stamped when they change (spec §3.5).
        if (changes.notes !== row.notes) changes.progress_report_last_updated_time = now;
      }
      if (body.category_id !== undefined) {
        await requireCategory(tx, caller, body.category_id);
        changes.category_id = body.category_id;
      }
      if (score !== undefined) {
        changes.score = score;
        if (score !== row.score) changes.score_last_updated_time = now;
      }
      if (deadline !== undefined) changes.deadline = deadline;
      await updateTracked(tx, 'objectives', id, changes);
      const updated = { ...row, ...changes };
      return { objective: objectiveView(updated, await namesFor(tx, caller, types, row, [updated])) };
    });
  }

  /**
   * DELETE /okr/v2/objectives/:objective_id: with its key results and everything on both (OQ-33); the objectives
   * left keep positions 1..n and weights summing to 1 (OQ-32).
   */
  async delete(caller: Caller, id: string, query: IdTypesQuery): Promise<DeleteObjectiveData> {
    idTypesOf(caller, query);
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const row = await findObjective(tx, caller.tenantId, id);
      if (!row) throw notFound('objective_id', id);
      await requireCycleWritable(tx, caller, { ...row, id: row.okr_id });
      // Cycle before objective, the order every writer takes them in; a concurrent delete may have won meanwhile.
      await lockParent(tx, 'okrs', row.okr_id);
      if (!(await lockParent(tx, 'objectives', id))) throw notFound('objective_id', id);
      await deleteWithDependents(tx, [id], await keyResultIdsOf(tx, caller.tenantId, id));
      await this.closeRanks(tx, row.okr_id);
      return { objective_id: id };
    });
  }

  /** PUT /okr/v2/cycles/:cycle_id/objectives_position: every objective of the cycle, in the new order. */
  async reorder(caller: Caller, cycleId: string, objectiveIds: readonly string[], query: IdTypesQuery) {
    const types = idTypesOf(caller, query);
    return writeTenant(this.db, caller.tenantId, async (tx): Promise<ObjectivesData> => {
      const { cycle, siblings } = await this.writableCycle(tx, caller, cycleId);
      const rule = checkFullOrder(
        siblings.map((s) => s.id),
        objectiveIds,
      );
      if (rule !== undefined) throw invalidParam(`objective_ids: ${rule}`);
      const byId = new Map(siblings.map((s) => [s.id, s]));
      const now = this.clock();
      const { changed, rows } = relayout(
        objectiveIds.map((oid) => byId.get(oid)!),
        undefined,
        now,
      );
      await layOutSiblings(tx, 'objectives', changed, now);
      const names = await namesFor(tx, caller, types, cycle, rows);
      return { items: rows.map((r) => objectiveView(withOwner(r, cycle), names)) };
    });
  }

  /** PUT /okr/v2/cycles/:cycle_id/objectives_weight: every objective's weight, summing to 1 (OQ-2). */
  async reweigh(
    caller: Caller,
    cycleId: string,
    weights: readonly { objective_id: string; weight: number }[],
    query: IdTypesQuery,
  ): Promise<ObjectivesData> {
    const types = idTypesOf(caller, query);
    const v = new Violations();
    const entries = weights.map((w, i) => ({
      id: w.objective_id,
      milli: checkWeight(v, w.weight, `objective_weights[${i}].weight`),
    }));
    v.throwIfAny();
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const { cycle, siblings } = await this.writableCycle(tx, caller, cycleId);
      checkWeightList(
        siblings.map((s) => s.id),
        entries,
        {
          list: 'objective_weights',
          idField: 'objective_id',
          one: 'an objective of this cycle',
          every: 'every objective of this cycle',
        },
      );
      const milliOf = new Map(entries.map((e) => [e.id, e.milli]));
      const now = this.clock();
      const { changed, rows } = relayout(
        siblings,
        siblings.map((s) => milliOf.get(s.id)!),
        now,
      );
      await layOutSiblings(tx, 'objectives', changed, now);
      const names = await namesFor(tx, caller, types, cycle, rows);
      return { items: rows.map((r) => objectiveView(withOwner(r, cycle), names)) };
    });
  }

  /** The cycle the caller may change, and its objectives in position order. */
  private async writableCycle(tx: TenantTx, caller: Caller, cycleId: string) {
    const cycle = await findCycle(tx, caller.tenantId, cycleId);
    if (!cycle) throw notFound('cycle_id', cycleId);
    await requireCycleWritable(tx, caller, cycle);
    await lockParent(tx, 'okrs', cycle.id);
    return { cycle, siblings: await objectivesOfCycle(tx, caller.tenantId, cycle.id) };
  }

  /** After a delete: the cycle's objectives at positions 1..n, their weights again summing to 1. */
  private async closeRanks(tx: TenantTx, cycleId: string): Promise<void> {
    const siblings = await objectivesOfCycle(tx, tx.tenantId, cycleId);
    const now = this.clock();
    const weights = weightsAfterDelete(siblings.map((s) => s.weight_milli));
    await layOutSiblings(tx, 'objectives', relayout(siblings, weights, now).changed, now);
  }
}

/** 1001001 unless `id` is one of the tenant's categories. */
async function requireCategory(tx: Tx, caller: Caller, id: string): Promise<void> {
  if (!(await isCategoryOfTenant(tx, caller.tenantId, id))) {
    throw invalidParam(`category_id: ${id} is not a category of this tenant`);
  }
}
