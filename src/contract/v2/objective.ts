/** v2 objectives (spec §4.0, §4.4): the object, create/patch bodies, and the key-result order and weight bodies. */
import { Type, type Static } from '@sinclair/typebox';
import { DeadlineInput, EntityId, MsString, Owner, Page, V2ContentBlock, V2Score, V2Weight } from './common.js';

/** An objective as the API returns it. */
export const Objective = Type.Object({
  id: Type.String(),
  create_time: MsString,
  update_time: MsString,
  owner: Owner,
  cycle_id: Type.String({ description: 'the user cycle the objective belongs to' }),
  position: Type.Integer({ minimum: 1, maximum: 100, description: '1-based order within the cycle' }),
  content: Type.Optional(V2ContentBlock),
  score: Type.Optional(V2Score),
  notes: Type.Optional(V2ContentBlock),
  weight: Type.Optional(V2Weight),
  deadline: Type.Optional(MsString),
  category_id: Type.Optional(Type.String()),
});
export type Objective = Static<typeof Objective>;

/** The `:objective_id` path parameter. */
export const ObjectiveParams = Type.Object({ objective_id: EntityId });
export type ObjectiveParams = Static<typeof ObjectiveParams>;

/** Body of POST /cycles/:cycle_id/objectives; the service requires `content` (decisions.md OQ-13). */
export const CreateObjectiveBody = Type.Object({
  content: Type.Optional(V2ContentBlock),
  notes: Type.Optional(V2ContentBlock),
  deadline: Type.Optional(DeadlineInput),
  weight: Type.Optional(V2Weight),
  category_id: Type.Optional(EntityId),
  score: Type.Optional(V2Score),
});
export type CreateObjectiveBody = Static<typeof CreateObjectiveBody>;

/** Body of PATCH /objectives/:objective_id; weight changes go through key_results_weight / objectives_weight. */
export const PatchObjectiveBody = Type.Object({
  content: Type.Optional(V2ContentBlock),
  score: Type.Optional(V2Score),
  notes: Type.Optional(V2ContentBlock),
  deadline: Type.Optional(DeadlineInput),
  category_id: Type.Optional(EntityId),
});
export type PatchObjectiveBody = Static<typeof PatchObjectiveBody>;

/** Body of PUT /objectives/:objective_id/key_results_position: every key result, in the new order. */
export const KeyResultsPositionBody = Type.Object({
  key_result_ids: Type.Array(EntityId, { minItems: 1, maxItems: 100 }),
});
export type KeyResultsPositionBody = Static<typeof KeyResultsPositionBody>;

/** Body of PUT /objectives/:objective_id/key_results_weight: every key result's weight, summing to 1. */
export const KeyResultsWeightBody = Type.Object({
  key_result_weights: Type.Array(Type.Object({ key_result_id: EntityId, weight: V2Weight }), {
    minItems: 1,
    maxItems: 100,
  }),
});
export type KeyResultsWeightBody = Static<typeof KeyResultsWeightBody>;

/** `data` of an objective create. */
export const CreateObjectiveData = Type.Object({ objective_id: Type.String() });
export type CreateObjectiveData = Static<typeof CreateObjectiveData>;

/** `data` of an objective get or patch. */
export const ObjectiveData = Type.Object({ objective: Objective });
export type ObjectiveData = Static<typeof ObjectiveData>;

/** `data` of an objective delete. */
export const DeleteObjectiveData = Type.Object({ objective_id: Type.String() });
export type DeleteObjectiveData = Static<typeof DeleteObjectiveData>;

/** `data` of a cycle's objective list. */
export const ListObjectivesData = Page(Objective);
export type ListObjectivesData = Static<typeof ListObjectivesData>;
