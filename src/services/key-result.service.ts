/**
 * v2 key results (spec §4.4 order and weights, §4.5): create, list, get, patch, delete, and the objective's order and
 * weights. The same rows v1 shows in each objective's kr_list (decisions.md OQ-12).
 */
import type { IdTypesQuery, PagedQuery } from '../contract/v2/common.js';
import type {
  CreateKeyResultBody,
  CreateKeyResultData,
  DeleteKeyResultData,
  KeyResultData,
  KeyResultsData,
  ListKeyResultsData,
  PatchKeyResultBody,
} from '../contract/v2/key-result.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { MAX_POSITION, checkFullOrder } from '../domain/positions.js';
import { weightsAfterCreate, weightsAfterDelete } from '../domain/weights.js';
import { invalidParam, notFound } from '../errors.js';
import type { Db, Tx } from '../store/db.js';
import { defaultIndicator } from '../store/indicator.repository.js';
import { keyResultsOfObjective } from '../store/key-result.repository.js';
import {
  deleteWithDependents,
  findKeyResult,
  findObjective,
  layOutSiblings,
  lockParent,
  pageByPosition,
  updateTracked,
  type TrackedChanges,
} from '../store/objective.repository.js';
import type { KeyResultRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { writeTenant, type TenantTx } from '../store/tenant-write.js';
import type { Caller } from './auth.service.js';
import { requireCycleReadable, requireCycleWritable } from './cycle-access.js';
import {
  Violations,
  checkDeadline,
  checkScore,
  checkWeight,
  checkWeightList,
  positionCursor,
  refuseField,
  relayout,
  requireContent,
} from './objective.service.js';
import { toPage } from './paging.js';
import { fromV2, isBlank } from './v2-rich-text.mapper.js';
import { keyResultView, mentionedUserRefs, type KeyResultViewRow } from './views/objective.view.js';
import { WireNames, idTypesOf, type IdTypes, type OwnerRefs } from './wire-names.js';

/** The wire names of an answer about key results owned by `owner`: the owner and every user they mention. */
async function namesFor(tx: Tx, caller: Caller, types: IdTypes, owner: OwnerRefs, rows: readonly KeyResultRow[]) {
  return new WireNames(caller, types).loadOwners(tx, [owner], mentionedUserRefs(rows));
}

/** A key result of a cycle owned by `owner`, as the view takes it. */
const withOwner = (row: KeyResultRow, owner: OwnerRefs): KeyResultViewRow => ({
  ...row,
  owner_id: owner.owner_id,
  department_id: owner.department_id,
});

/** Serves the v2 key-result endpoints. */
export class KeyResultService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** POST /okr/v2/objectives/:objective_id/key_results: appended last; the siblings' weights make room (OQ-32). */
  async create(
    caller: Caller,
    objectiveId: string,
    body: CreateKeyResultBody,
    query: IdTypesQuery,
  ): Promise<CreateKeyResultData> {
    const types = idTypesOf(caller, query);
    const v = new Violations();
    requireContent(v, body.content);
    const score = body.score === undefined ? undefined : checkScore(v, body.score);
    const weight = body.weight === undefined ? undefined : checkWeight(v, body.weight);
    const deadline = body.deadline === undefined ? 0 : checkDeadline(v, body.deadline);
    v.throwIfAny();
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const objective = await findObjective(tx, caller.tenantId, objectiveId);
      if (!objective) throw notFound('objective_id', objectiveId);
      await requireCycleWritable(tx, caller, { ...objective, id: objective.okr_id });
      const content = await fromV2(tx, caller, types.user_id_type, body.content!, 'content');
      if (!(await lockParent(tx, 'objectives', objective.id))) throw notFound('objective_id', objectiveId);
      const siblings = await keyResultsOfObjective(tx, caller.tenantId, objective.id);
      if (siblings.length >= MAX_POSITION) {
        throw invalidParam(`objective_id: an objective holds at most ${MAX_POSITION} key results`);
      }
      const now = this.clock();
      const weights = weightsAfterCreate(
        siblings.map((s) => s.weight_milli),
        weight,
      );
      await layOutSiblings(tx, 'key_results', relayout(siblings, weights.siblings, now).changed, now);
      const id = this.ids();
      const row: KeyResultRow = {
        id,
        tenant_id: caller.tenantId,
        okr_id: objective.okr_id,
        objective_id: objective.id,
        position: siblings.length + 1,
        content: JSON.stringify(content),
        score: score ?? 0,
        weight_milli: weights.created,
        progress_percent: 0,
        progress_status: -1,
        deadline,
        progress_rate_percent_last_updated_time: 0,
        progress_rate_status_last_updated_time: 0,
        progress_record_last_updated_time: 0,
        progress_report_last_updated_time: 0,
        score_last_updated_time: score === undefined ? 0 : now,
        created_at: now,
        updated_at: now,
      };
      await insertRow(tx, 'key_results', row);
      await insertRow(tx, 'indicators', defaultIndicator(this.ids(), caller.tenantId, 3, id, now));
      return { key_result_id: id };
    });
  }

  /** GET /okr/v2/objectives/:objective_id/key_results: a page in position order. */
  async list(caller: Caller, objectiveId: string, query: PagedQuery): Promise<ListKeyResultsData> {
    const types = idTypesOf(caller, query);
    const pageSize = query.page_size ?? 10;
    const after = positionCursor(query.page_token);
    return this.db.read(async (tx) => {
      const objective = await findObjective(tx, caller.tenantId, objectiveId);
      if (!objective) throw notFound('objective_id', objectiveId);
      await requireCycleReadable(tx, caller, { ...objective, id: objective.okr_id });
      const rows = await pageByPosition<KeyResultRow>(
        tx,
        'key_results',
        'objective_id',
        caller.tenantId,
        objective.id,
        after,
        pageSize + 1,
      );
      const names = await namesFor(tx, caller, types, objective, rows.slice(0, pageSize));
      return toPage(
        rows,
        pageSize,
        (r) => [r.position, r.id],
        (r) => keyResultView(withOwner(r, objective), names),
      );
    });
  }

  /** GET /okr/v2/key_results/:key_result_id. */
  async get(caller: Caller, id: string, query: IdTypesQuery): Promise<KeyResultData> {
    const types = idTypesOf(caller, query);
    return this.db.read(async (tx) => {
      const row = await findKeyResult(tx, caller.tenantId, id);
      if (!row) throw notFound('key_result_id', id);
      await requireCycleReadable(tx, caller, { ...row, id: row.okr_id });
      return { key_result: keyResultView(row, await namesFor(tx, caller, types, row, [row])) };
    });
  }

  /** PATCH /okr/v2/key_results/:key_result_id: content, score, deadline (weights: key_results_weight). */
  async patch(caller: Caller, id: string, body: PatchKeyResultBody, query: IdTypesQuery): Promise<KeyResultData> {
    const types = idTypesOf(caller, query);
    const v = new Violations();
    if (body.content !== undefined && isBlank(body.content)) v.add('content: must not be empty');
    const score = body.score === undefined ? undefined : checkScore(v, body.score);
    const deadline = body.deadline === undefined ? undefined : checkDeadline(v, body.deadline);
    refuseField(v, body, 'weight', 'weights with PUT /open-apis/okr/v2/objectives/:objective_id/key_results_weight');
    v.throwIfAny();
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const row = await findKeyResult(tx, caller.tenantId, id);
      if (!row) throw notFound('key_result_id', id);
      await requireCycleWritable(tx, caller, { ...row, id: row.okr_id });
      const now = this.clock();
      const changes: TrackedChanges = { updated_at: now };
      if (body.content !== undefined) {
        changes.content = JSON.stringify(await fromV2(tx, caller, types.user_id_type, body.content, 'content'));
      }
      if (score !== undefined) {
        changes.score = score;
        if (score !== row.score) changes.score_last_updated_time = now;
      }
      if (deadline !== undefined) changes.deadline = deadline;
      await updateTracked(tx, 'key_results', id, changes);
      const updated = { ...row, ...changes };
      return { key_result: keyResultView(updated, await namesFor(tx, caller, types, row, [updated])) };
    });
  }

  /**
   * DELETE /okr/v2/key_results/:key_result_id: with its indicator, progress records and comments (OQ-33); the key
   * results left keep positions 1..n and weights summing to 1 (OQ-32).
   */
  async delete(caller: Caller, id: string, query: IdTypesQuery): Promise<DeleteKeyResultData> {
    idTypesOf(caller, query);
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const row = await findKeyResult(tx, caller.tenantId, id);
      if (!row) throw notFound('key_result_id', id);
      await requireCycleWritable(tx, caller, { ...row, id: row.okr_id });
      // Read after the lock: a concurrent delete of the same key result may have won meanwhile.
      await lockParent(tx, 'objectives', row.objective_id);
      const all = await keyResultsOfObjective(tx, caller.tenantId, row.objective_id);
      if (!all.some((s) => s.id === id)) throw notFound('key_result_id', id);
      await deleteWithDependents(tx, [], [id]);
      const siblings = all.filter((s) => s.id !== id);
      const now = this.clock();
      const weights = weightsAfterDelete(siblings.map((s) => s.weight_milli));
      await layOutSiblings(tx, 'key_results', relayout(siblings, weights, now).changed, now);
      return { key_result_id: id };
    });
  }

  /** PUT /okr/v2/objectives/:objective_id/key_results_position: every key result, in the new order. */
  async reorder(
    caller: Caller,
    objectiveId: string,
    keyResultIds: readonly string[],
    query: IdTypesQuery,
  ): Promise<KeyResultsData> {
    const types = idTypesOf(caller, query);
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const { objective, siblings } = await this.writableObjective(tx, caller, objectiveId);
      const rule = checkFullOrder(
        siblings.map((s) => s.id),
        keyResultIds,
      );
      if (rule !== undefined) throw invalidParam(`key_result_ids: ${rule}`);
      const byId = new Map(siblings.map((s) => [s.id, s]));
      const now = this.clock();
      const { changed, rows } = relayout(
        keyResultIds.map((kid) => byId.get(kid)!),
        undefined,
        now,
      );
      await layOutSiblings(tx, 'key_results', changed, now);
      const names = await namesFor(tx, caller, types, objective, rows);
      return { items: rows.map((r) => keyResultView(withOwner(r, objective), names)) };
    });
  }

  /** PUT /okr/v2/objectives/:objective_id/key_results_weight: every key result's weight, summing to 1 (OQ-2). */
  async reweigh(
    caller: Caller,
    objectiveId: string,
    weights: readonly { key_result_id: string; weight: number }[],
    query: IdTypesQuery,
  ): Promise<KeyResultsData> {
    const types = idTypesOf(caller, query);
    const v = new Violations();
    const entries = weights.map((w, i) => ({
      id: w.key_result_id,
      milli: checkWeight(v, w.weight, `key_result_weights[${i}].weight`),
    }));
    v.throwIfAny();
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const { objective, siblings } = await this.writableObjective(tx, caller, objectiveId);
      checkWeightList(
        siblings.map((s) => s.id),
        entries,
        {
          list: 'key_result_weights',
          idField: 'key_result_id',
          one: 'a key result of this objective',
          every: 'every key result of this objective',
        },
      );
      const milliOf = new Map(entries.map((e) => [e.id, e.milli]));
      const now = this.clock();
      const { changed, rows } = relayout(
        siblings,
        siblings.map((s) => milliOf.get(s.id)!),
        now,
      );
      await layOutSiblings(tx, 'key_results', changed, now);
      const names = await namesFor(tx, caller, types, objective, rows);
      return { items: rows.map((r) => keyResultView(withOwner(r, objective), names)) };
    });
  }

  /** The objective whose cycle the caller may change, and its key results in position order. */
  private async writableObjective(tx: TenantTx, caller: Caller, objectiveId: string) {
    const objective = await findObjective(tx, caller.tenantId, objectiveId);
    if (!objective) throw notFound('objective_id', objectiveId);
    await requireCycleWritable(tx, caller, { ...objective, id: objective.okr_id });
    if (!(await lockParent(tx, 'objectives', objective.id))) throw notFound('objective_id', objectiveId);
    return { objective, siblings: await keyResultsOfObjective(tx, caller.tenantId, objective.id) };
  }
}
