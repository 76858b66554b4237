/**
 * v2 alignments (spec §4.1, decisions.md OQ-29, OQ-33): an objective aligns to (supports) another objective. The
 * rules are domain/alignment.ts's; the v1 aligned / aligning lists of batch_get read the same rows.
 */
import type {
  Alignment,
  AlignmentData,
  AlignmentIdData,
  CreateAlignmentBody,
  ListAlignmentsData,
  ListAlignmentsQuery,
} from '../contract/v2/alignment.js';
import type { IdTypesQuery } from '../contract/v2/common.js';
import { alignmentRule, type AlignmentEnd } from '../domain/alignment.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { invalidParam, notFound } from '../errors.js';
import {
  alignmentEdgesFor,
  deleteAlignment,
  findAlignment,
  insertAlignment,
  listAlignments,
  lockAlignments,
  type AlignmentWithEnds,
} from '../store/alignment.repository.js';
import type { Db, Tx } from '../store/db.js';
import { findObjective, type ObjectiveWithCycle } from '../store/objective.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import type { Caller } from './auth.service.js';
import { requireCycleReadable, requireCycleWritable } from './cycle-access.js';
import { decodeCursor, toPage } from './paging.js';
import { WireNames, idTypesOf, type IdTypes, type OwnerRefs } from './wire-names.js';

/** Serves the v2 alignment endpoints. */
export class AlignmentService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /**
   * POST /okr/v2/objectives/:objective_id/alignments: `objectiveId` aligns to the body's objective. The caller must
   * be able to change the aligning objective's cycle and read the target's.
   */
  async create(caller: Caller, objectiveId: string, body: CreateAlignmentBody): Promise<AlignmentIdData> {
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const from = await findObjective(tx, caller.tenantId, objectiveId);
      if (!from) throw notFound('objective_id', objectiveId);
      await requireCycleWritable(tx, caller, cycleOf(from));
      const to = await findObjective(tx, caller.tenantId, body.to_entity_id);
      if (!to) throw notFound('to_entity_id', body.to_entity_id);
      await requireCycleReadable(tx, caller, cycleOf(to));

      await lockAlignments(tx);
      const edges = await alignmentEdgesFor(tx, caller.tenantId, from.id, to.id);
      const rule = alignmentRule(
        end(from),
        end(to),
        edges.map((e) => ({ from: e.from_id, to: e.to_id })),
      );
      if (rule !== undefined) throw invalidParam(`to_entity_id: ${rule}`);
      const now = this.clock();
      const id = this.ids();
      const row = {
        id,
        tenant_id: caller.tenantId,
        from_objective_id: from.id,
        to_objective_id: to.id,
        created_at: now,
        updated_at: now,
      };
      if (!(await insertAlignment(tx, row))) throw invalidParam(`to_entity_id: already aligned to objective ${to.id}`);
      return { alignment_id: id };
    });
  }

  /**
   * GET /okr/v2/objectives/:objective_id/alignments: the objective's alignments (`aligned`: others aligned to it,
   * `aligning`: those it aligns to, absent: both), oldest first. An alignment whose other end the caller may not read
   * is listed too: objective ids and owners are not secret (v1 lists them the same way).
   */
  async list(caller: Caller, objectiveId: string, query: ListAlignmentsQuery): Promise<ListAlignmentsData> {
    const types = idTypesOf(caller, query);
    const pageSize = query.page_size ?? 10;
    const after = query.page_token ? decodeCursor(query.page_token, ['number', 'string'] as const) : undefined;
    return this.db.read(async (tx) => {
      const objective = await findObjective(tx, caller.tenantId, objectiveId);
      if (!objective) throw notFound('objective_id', objectiveId);
      await requireCycleReadable(tx, caller, cycleOf(objective));
      const rows = await listAlignments(
        tx,
        caller.tenantId,
        objective.id,
        query.align_type ?? 'both',
        after && { created_at: after[0], id: after[1] },
        pageSize + 1,
      );
      const names = await namesFor(tx, caller, types, rows.slice(0, pageSize));
      return toPage(
        rows,
        pageSize,
        (r) => [r.created_at, r.id],
        (r) => view(r, names),
      );
    });
  }

  /** GET /okr/v2/alignments/:alignment_id: for a caller who may read either end's cycle. */
  async get(caller: Caller, id: string, query: IdTypesQuery): Promise<AlignmentData> {
    const types = idTypesOf(caller, query);
    return this.db.read(async (tx) => {
      const row = await findAlignment(tx, caller.tenantId, id);
      if (!row) throw notFound('alignment_id', id);
      await requireEitherEnd(row, (cycle) => requireCycleReadable(tx, caller, cycle));
      return { alignment: view(row, await namesFor(tx, caller, types, [row])) };
    });
  }

  /**
   * DELETE /okr/v2/alignments/:alignment_id: by whoever may change either end's cycle — the one who aligned (the
   * `from` side) or the owner of the objective aligned to; a tenant token any. Both objectives stay.
   */
  async delete(caller: Caller, id: string): Promise<AlignmentIdData> {
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const row = await findAlignment(tx, caller.tenantId, id);
      if (!row) throw notFound('alignment_id', id);
      await requireEitherEnd(row, (cycle) => requireCycleWritable(tx, caller, cycle));
      await deleteAlignment(tx, row.id);
      return { alignment_id: row.id };
    });
  }
}

/** The cycle an objective lies in, as the access checks take it. */
function cycleOf(o: ObjectiveWithCycle) {
  return { id: o.okr_id, owner_id: o.owner_id, department_id: o.department_id, visibility: o.visibility };
}

/** One end of a prospective alignment for the domain rules: owner key `u:<user>` or `d:<department>`. */
function end(o: ObjectiveWithCycle): AlignmentEnd {
  return {
    objectiveId: o.id,
    ownerKey: o.department_id !== null ? `d:${o.department_id}` : `u:${o.owner_id ?? ''}`,
    start: o.period_start_time,
    end: o.period_end_time,
  };
}

type EndCycle = Parameters<typeof requireCycleReadable>[2];

/** Passes when `check` passes for the `from` end's cycle or the `to` end's; else throws the `from` end's refusal. */
async function requireEitherEnd(row: AlignmentWithEnds, check: (cycle: EndCycle) => Promise<void>): Promise<void> {
  const [from, to] = ends(row);
  try {
    await check(from);
  } catch (refused) {
    try {
      await check(to);
    } catch {
      throw refused;
    }
  }
}

/** The cycles of both ends of an alignment. */
function ends(row: AlignmentWithEnds): [EndCycle, EndCycle] {
  return [
    {
      id: row.from_okr_id,
      owner_id: row.from_owner_id,
      department_id: row.from_department_id,
      visibility: row.from_visibility,
    },
    {
      id: row.to_okr_id,
      owner_id: row.to_owner_id,
      department_id: row.to_department_id,
      visibility: row.to_visibility,
    },
  ];
}

/** The owners of both ends of `rows`, looked up in one query per kind. */
function namesFor(tx: Tx, caller: Caller, types: IdTypes, rows: readonly AlignmentWithEnds[]): Promise<WireNames> {
  const owners: OwnerRefs[] = rows.flatMap((r) => [
    { owner_id: r.from_owner_id, department_id: r.from_department_id },
    { owner_id: r.to_owner_id, department_id: r.to_department_id },
  ]);
  return new WireNames(caller, types).loadOwners(tx, owners);
}

/** The wire form of an alignment. */
function view(r: AlignmentWithEnds, names: WireNames): Alignment {
  return {
    id: r.id,
    create_time: String(r.created_at),
    update_time: String(r.updated_at),
    from_owner: names.owner({ owner_id: r.from_owner_id, department_id: r.from_department_id }),
    to_owner: names.owner({ owner_id: r.to_owner_id, department_id: r.to_department_id }),
    from_entity_type: 2,
    from_entity_id: r.from_objective_id,
    to_entity_type: 2,
    to_entity_id: r.to_objective_id,
  };
}
