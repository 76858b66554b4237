/** v1 OKR reads: batch_get and a user's OKR list (spec §3.5, §3.6). */
import { Type, type Static } from '@sinclair/typebox';
import { EntityId, Envelope, LangParam, MsString, UserIdTypeParam, UserRef } from './common.js';

export const BatchGetQuery = Type.Object({
  okr_ids: Type.Array(EntityId, { minItems: 1, maxItems: 10 }),
  user_id_type: UserIdTypeParam,
  lang: LangParam,
});
export type BatchGetQuery = Static<typeof BatchGetQuery>;

export const UserOkrsParams = Type.Object({ user_id: Type.String({ minLength: 1, maxLength: 100 }) });

export const UserOkrsQuery = Type.Object({
  offset: Type.String({ pattern: '^(0|[1-9][0-9]{0,8})$', description: 'offset into the list, ≥ 0' }),
  limit: Type.String({ pattern: '^([0-9]|10)$', description: '0–10' }),
  user_id_type: UserIdTypeParam,
  lang: LangParam,
  period_ids: Type.Optional(Type.Array(EntityId, { maxItems: 10 })),
});
export type UserOkrsQuery = Static<typeof UserOkrsQuery>;

const ProgressRate = Type.Object({
  percent: Type.Integer(),
  status: Type.String({ description: '"-1" none, "0" normal, "1" at risk, "2" delayed' }),
});
const RecordRef = Type.Object({ id: Type.String() });

/** The five change times and the deadline objectives and key results both carry. */
const Tracked = {
  progress_rate: ProgressRate,
  progress_record_list: Type.Array(RecordRef),
  progress_rate_percent_last_updated_time: MsString,
  progress_rate_status_last_updated_time: MsString,
  progress_record_last_updated_time: MsString,
  progress_report_last_updated_time: MsString,
  score_last_updated_time: MsString,
  deadline: MsString,
  mentioned_user_list: Type.Array(UserRef),
};

export const KeyResult = Type.Object({
  id: Type.String(),
  content: Type.String(),
  score: Type.Integer(),
  weight: Type.Integer({ description: 'deprecated: kr_weight rounded' }),
  kr_weight: Type.Number(),
  ...Tracked,
});

export const AlignedObjective = Type.Object({ id: Type.String(), okr_id: Type.String(), owner: UserRef });

/** An objective; one the caller may not see carries only `id` and `permission: 0`. */
export const Objective = Type.Composite([
  Type.Object({ id: Type.String(), permission: Type.Integer() }),
  Type.Partial(
    Type.Object({
      content: Type.String(),
      progress_report: Type.String(),
      score: Type.Integer(),
      weight: Type.Number(),
      kr_list: Type.Array(KeyResult),
      aligned_objective_list: Type.Array(AlignedObjective),
      aligning_objective_list: Type.Array(AlignedObjective),
      ...Tracked,
    }),
  ),
]);
export type Objective = Static<typeof Objective>;
export type KeyResult = Static<typeof KeyResult>;
export type AlignedObjective = Static<typeof AlignedObjective>;

export const Okr = Type.Object({
  id: Type.String(),
  permission: Type.Integer({ description: '0: the caller may not see it and only id is returned; 1: all fields' }),
  period_id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  confirm_status: Type.Optional(Type.Integer()),
  objective_list: Type.Optional(Type.Array(Objective)),
});
export type Okr = Static<typeof Okr>;

export const BatchGetResponse = Envelope(Type.Object({ okr_list: Type.Array(Okr) }));
export type BatchGetData = Static<typeof BatchGetResponse>['data'];

export const UserOkrsResponse = Envelope(Type.Object({ total: Type.Integer(), okr_list: Type.Array(Okr) }));
export type UserOkrsData = Static<typeof UserOkrsResponse>['data'];

/**
 * The same two responses for routes that send them as ready JSON text (rendered OKRs joined into the envelope):
 * the schema documents the shape, the static type says the handler sends a string, which Fastify passes through.
 */
export const BatchGetResponseText = Type.Unsafe<string>(BatchGetResponse);
export const UserOkrsResponseText = Type.Unsafe<string>(UserOkrsResponse);
