/** v2 key results (spec §4.0, §4.5): the object and its create/patch bodies. */
import { Type, type Static } from '@sinclair/typebox';
import { DeadlineInput, EntityId, MsString, Owner, Page, V2ContentBlock, V2Score, V2Weight } from './common.js';

/** A key result as the API returns it (no `notes`, unlike objectives). */
export const KeyResult = Type.Object({
  id: Type.String(),
  create_time: MsString,
  update_time: MsString,
  owner: Owner,
  objective_id: Type.String(),
  position: Type.Integer({ minimum: 1, maximum: 100, description: '1-based order within the objective' }),
  content: Type.Optional(V2ContentBlock),
  score: Type.Optional(V2Score),
  weight: Type.Optional(V2Weight),
  deadline: Type.Optional(MsString),
});
export type KeyResult = Static<typeof KeyResult>;

/** The `:key_result_id` path parameter. */
export const KeyResultParams = Type.Object({ key_result_id: EntityId });
export type KeyResultParams = Static<typeof KeyResultParams>;

/** Body of POST /objectives/:objective_id/key_results; the service requires `content` (decisions.md OQ-13). */
export const CreateKeyResultBody = Type.Object({
  content: Type.Optional(V2ContentBlock),
  deadline: Type.Optional(DeadlineInput),
  score: Type.Optional(V2Score),
  weight: Type.Optional(V2Weight),
});
export type CreateKeyResultBody = Static<typeof CreateKeyResultBody>;

/** Body of PATCH /key_results/:key_result_id; weight changes go through key_results_weight. */
export const PatchKeyResultBody = Type.Object({
  content: Type.Optional(V2ContentBlock),
  score: Type.Optional(V2Score),
  deadline: Type.Optional(DeadlineInput),
});
export type PatchKeyResultBody = Static<typeof PatchKeyResultBody>;

/** `data` of a key-result create. */
export const CreateKeyResultData = Type.Object({ key_result_id: Type.String() });
export type CreateKeyResultData = Static<typeof CreateKeyResultData>;

/** `data` of a key-result get or patch. */
export const KeyResultData = Type.Object({ key_result: KeyResult });
export type KeyResultData = Static<typeof KeyResultData>;

/** `data` of a key-result delete. */
export const DeleteKeyResultData = Type.Object({ key_result_id: Type.String() });
export type DeleteKeyResultData = Static<typeof DeleteKeyResultData>;

/** `data` of an objective's key-result list. */
export const ListKeyResultsData = Page(KeyResult);
export type ListKeyResultsData = Static<typeof ListKeyResultsData>;

/** `data` of key_results_position and key_results_weight: the objective's key results after the change. */
export const KeyResultsData = Type.Object({ items: Type.Array(KeyResult) });
export type KeyResultsData = Static<typeof KeyResultsData>;
