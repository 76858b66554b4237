/** v2 user cycles (spec §4.0, §4.3): the object, the list query, and the objective order and weight bodies. */
import { Type, type Static } from '@sinclair/typebox';
import { EntityId, IntEnum, MsString, Owner, Page, PagedQuery, V2Score, V2Weight } from './common.js';
import { Objective } from './objective.js';

/** A user's (or, in okrd, a department's) cycle: one per tenant period. */
export const Cycle = Type.Object({
  id: Type.String(),
  create_time: MsString,
  update_time: MsString,
  tenant_cycle_id: Type.String({ description: 'the tenant period shared by every owner (= v1 period_id)' }),
  owner: Owner,
  start_time: Type.String({ description: 'epoch milliseconds of the first day of a month' }),
  end_time: Type.String({ description: 'epoch milliseconds of the last day of a month' }),
  cycle_status: Type.Optional(IntEnum([0, 1, 2, 3], '0 default, 1 normal, 2 invalid, 3 hidden')),
  score: Type.Optional(V2Score),
});
export type Cycle = Static<typeof Cycle>;

/** Query of GET /cycles; the service requires exactly one of `user_id` and `department_id` (decisions.md OQ-34). */
export const ListCyclesQuery = Type.Object({
  ...PagedQuery.properties,
  user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'id type per user_id_type' })),
  department_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'team cycles; id type per department_id_type' }),
  ),
});
export type ListCyclesQuery = Static<typeof ListCyclesQuery>;

/** The `:cycle_id` path parameter. */
export const CycleParams = Type.Object({ cycle_id: EntityId });
export type CycleParams = Static<typeof CycleParams>;

/** Body of PUT /cycles/:cycle_id/objectives_position: every objective of the cycle, in the new order. */
export const ObjectivesPositionBody = Type.Object({
  objective_ids: Type.Array(EntityId, { minItems: 1, maxItems: 100 }),
});
export type ObjectivesPositionBody = Static<typeof ObjectivesPositionBody>;

/** Body of PUT /cycles/:cycle_id/objectives_weight: every objective's weight, summing to 1. */
export const ObjectivesWeightBody = Type.Object({
  objective_weights: Type.Array(Type.Object({ objective_id: EntityId, weight: V2Weight }), {
    minItems: 1,
    maxItems: 100,
  }),
});
export type ObjectivesWeightBody = Static<typeof ObjectivesWeightBody>;

/** `data` of the cycle list. */
export const ListCyclesData = Page(Cycle);
export type ListCyclesData = Static<typeof ListCyclesData>;

/** `data` of objectives_position and objectives_weight: the cycle's objectives after the change. */
export const ObjectivesData = Type.Object({ items: Type.Array(Objective) });
export type ObjectivesData = Static<typeof ObjectivesData>;
