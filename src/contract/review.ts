/** v1 review query (spec §3.13): per user and period, the review documents and progress reports. */
import { Type, type Static } from '@sinclair/typebox';
import { EntityId, Envelope, MsString, StringEnum, UserIdTypeParam, UserRef } from './common.js';

/** What a review is: a review document of the whole period, or a progress report within it. */
export const ReviewKind = StringEnum(['cycle_review', 'progress_report']);
export type ReviewKind = Static<typeof ReviewKind>;

export const ReviewQueryQuery = Type.Object({
  user_ids: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 5 }),
  period_ids: Type.Array(EntityId, { minItems: 1, maxItems: 5 }),
  user_id_type: UserIdTypeParam,
});
export type ReviewQueryQuery = Static<typeof ReviewQueryQuery>;

/** One document: where it is and when it was written. */
export const ReviewDocument = Type.Object({ url: Type.String(), create_time: MsString });

export const ReviewPeriod = Type.Object({
  period_id: Type.String(),
  cycle_review_list: Type.Array(ReviewDocument, { description: 'review documents, newest first' }),
  progress_report_list: Type.Array(ReviewDocument, { description: 'progress reports, newest first' }),
});

export const UserReviews = Type.Object({ user_id: UserRef, review_period_list: Type.Array(ReviewPeriod) });
export type UserReviews = Static<typeof UserReviews>;

export const ReviewQueryResponse = Envelope(Type.Object({ review_list: Type.Array(UserReviews) }));
export type ReviewQueryData = Static<typeof ReviewQueryResponse>['data'];
