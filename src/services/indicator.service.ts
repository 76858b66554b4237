/**
 * v2 indicators (spec §4.0, §4.6, decisions.md OQ-31): one per objective and key result. What depends on other rows
 * or on the time — an automatic status, a current value from key results or from progress — is computed when read,
 * with the service's clock, and never stored.
 *
 * How v1 progress relates: progress records (v1) set the entity's progress_percent and progress_status; the indicator
 * reads them (automatic status and current value) but never writes them, so a manual PATCH of current_value does not
 * change v1 `progress_rate`.
 */
import type { IdTypesQuery } from '../contract/v2/common.js';
import type { Indicator, IndicatorData, PatchIndicatorBody } from '../contract/v2/indicator.js';
import type { Clock } from '../domain/clock.js';
import {
  checkIndicatorPatch,
  progressOf,
  riskiest,
  statusFromTime,
  weightedProgress,
  type IndicatorStatus,
} from '../domain/indicator.js';
import { invalidParam, notFound } from '../errors.js';
import type { Db, Tx } from '../store/db.js';
import {
  findIndicator,
  indicatorOf,
  keyResultIndicators,
  updateIndicator,
  type IndicatorChanges,
  type KeyResultIndicatorRow,
} from '../store/indicator.repository.js';
import { findKeyResult, findObjective, type CycleColumns } from '../store/objective.repository.js';
import type { IndicatorRow } from '../store/rows.js';
import { writeTenant } from '../store/tenant-write.js';
import type { Caller } from './auth.service.js';
import { requireCycleReadable, requireCycleWritable } from './cycle-access.js';
import { WireNames, idTypesOf, type IdTypes } from './wire-names.js';

/** An objective or key result as the indicator needs it: its progress, deadline and cycle. */
type Entity = CycleColumns & { id: string; okr_id: string; progress_percent: number; deadline: number };

/** The calculation columns of an indicator (those of a key result's indicator may be null when it has none). */
interface Calc {
  indicator_status: number | null;
  status_calculate_type: number | null;
  start_value: number | null;
  target_value: number | null;
  current_value: number | null;
  current_value_calculate_type: number | null;
}

/** Serves the indicator reads and PATCH. */
export class IndicatorService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** GET /okr/v2/objectives/:id/indicators and /key_results/:id/indicators. */
  async get(caller: Caller, entityType: 2 | 3, entityId: string, query: IdTypesQuery): Promise<IndicatorData> {
    const types = idTypesOf(caller, query);
    return this.db.read(async (tx) => {
      const entity = await findEntity(tx, caller.tenantId, entityType, entityId);
      if (!entity) throw notFound(entityType === 2 ? 'objective_id' : 'key_result_id', entityId);
      await requireCycleReadable(tx, caller, { ...entity, id: entity.okr_id });
      const indicator = await indicatorOf(tx, caller.tenantId, entityType, entityId);
      // Every objective and key result has one from its creation (OQ-31); a row imported without one would be a bug.
      if (!indicator) throw notFound(entityType === 2 ? 'indicator of objective' : 'indicator of key result', entityId);
      return { indicator: await this.view(tx, caller, types, indicator, entity) };
    });
  }

  /** PATCH /okr/v2/indicators/:id: the rules of domain/indicator.ts, then the indicator as it reads now. */
  async patch(caller: Caller, id: string, body: PatchIndicatorBody, query: IdTypesQuery): Promise<IndicatorData> {
    const types = idTypesOf(caller, query);
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const indicator = await findIndicator(tx, caller.tenantId, id);
      const entity = indicator && (await findEntity(tx, caller.tenantId, indicator.entity_type, indicator.entity_id));
      if (!indicator || !entity) throw notFound('indicator_id', id);
      await requireCycleWritable(tx, caller, { ...entity, id: entity.okr_id });
      const kind = indicator.entity_type === 2 ? 'objective' : 'key_result';
      const problem = checkIndicatorPatch(kind, indicator, body);
      if (problem !== undefined) throw invalidParam(problem);

      const changes: IndicatorChanges = {
        indicator_status: body.indicator_status,
        status_calculate_type: body.status_calculate_type,
        start_value: body.start_value,
        target_value: body.target_value,
        current_value: body.current_value,
        current_value_calculate_type: body.current_value_calculate_type,
        unit_type: body.unit?.unit_type,
        unit_value: body.unit?.unit_value,
      };
      const changed = Object.fromEntries(
        Object.entries(changes).filter(([, v]) => v !== undefined),
      ) as IndicatorChanges;
      if (Object.keys(changed).length === 0)
        return { indicator: await this.view(tx, caller, types, indicator, entity) };
      const now = this.clock();
      await updateIndicator(tx, indicator.id, changed, now);
      const updated: IndicatorRow = { ...indicator, ...changed, updated_at: now };
      return { indicator: await this.view(tx, caller, types, updated, entity) };
    });
  }

  /** The wire form of `indicator`, its computed status and value as of now (an objective's reads its key results). */
  private async view(
    tx: Tx,
    caller: Caller,
    types: IdTypes,
    indicator: IndicatorRow,
    entity: Entity,
  ): Promise<Indicator> {
    const now = this.clock();
    const krs = indicator.entity_type === 2 ? await keyResultIndicators(tx, caller.tenantId, entity.id) : [];
    const names = await new WireNames(caller, types).loadOwners(tx, [entity]);
    const current = currentValue(indicator, entity, krs);
    return {
      id: indicator.id,
      create_time: String(indicator.created_at),
      update_time: String(indicator.updated_at),
      owner: names.owner(entity),
      entity_type: indicator.entity_type,
      entity_id: indicator.entity_id,
      indicator_status: indicatorStatus(indicator, entity, krs, now),
      status_calculate_type: indicator.status_calculate_type as Indicator['status_calculate_type'],
      ...(indicator.start_value !== null ? { start_value: indicator.start_value } : {}),
      ...(indicator.target_value !== null ? { target_value: indicator.target_value } : {}),
      ...(current !== null ? { current_value: current } : {}),
      current_value_calculate_type: indicator.current_value_calculate_type as 0 | 1 | 2,
      unit: { unit_type: indicator.unit_type as 0 | 1, unit_value: indicator.unit_value },
    };
  }
}

/** The tenant's objective (2) or key result (3) with its cycle's columns, unless its period is hidden. */
async function findEntity(tx: Tx, tenantId: string, type: 2 | 3, id: string): Promise<Entity | undefined> {
  return type === 2 ? findObjective(tx, tenantId, id) : findKeyResult(tx, tenantId, id);
}

/**
 * The progress percent an indicator stands at: from its own start, target and current values while the current value
 * is manual (progressOf), else — and when those are not all set — the percent the progress records set.
 */
function progress(ind: Calc, recordPercent: number): number {
  return (ind.current_value_calculate_type ?? 0) === 0 ? progressOf(ind, recordPercent) : recordPercent;
}

/** The status of an indicator whose status is manual (0) or from progress and time (1). */
function ownStatus(
  ind: Calc,
  entity: { progress_percent: number; deadline: number },
  cycle: CycleColumns,
  now: number,
): IndicatorStatus {
  if (ind.status_calculate_type !== 1) return (ind.indicator_status ?? -1) as IndicatorStatus;
  const end = entity.deadline || cycle.period_end_time;
  return statusFromTime(progress(ind, entity.progress_percent), now, cycle.period_start_time, end);
}

/** The indicator's status now; 2 (objectives) is the riskiest of its key results' statuses. */
function indicatorStatus(
  ind: IndicatorRow,
  entity: Entity,
  krs: readonly KeyResultIndicatorRow[],
  now: number,
): IndicatorStatus {
  if (ind.entity_type === 2 && ind.status_calculate_type === 2) {
    return riskiest(krs.map((kr) => ownStatus(kr, kr, entity, now)));
  }
  return ownStatus(ind, entity, entity, now);
}

/** The current value: manual (0, null when unset), the key results' weighted progress (1), or own progress (2). */
function currentValue(ind: IndicatorRow, entity: Entity, krs: readonly KeyResultIndicatorRow[]): number | null {
  if (ind.entity_type === 2 && ind.current_value_calculate_type === 1) {
    return weightedProgress(
      krs.map((kr) => ({ progress: progress(kr, kr.progress_percent), weightMilli: kr.weight_milli })),
    );
  }
  if (ind.entity_type === 3 && ind.current_value_calculate_type === 2) return entity.progress_percent;
  return ind.current_value;
}
