/**
 * `GET /okrd/api/my_reviews` (okrd's own): the signed-in person's review documents and progress reports of a period —
 * what v1's reviews/query answers, which takes tenant tokens only, for the web UI's review page.
 */
import { Type } from '@sinclair/typebox';
import { EntityId } from '../common.js';
import { ReviewPeriod } from '../review.js';

export const MyReviewsQuery = Type.Object({ period_id: EntityId });
export const MyReviewsData = ReviewPeriod;
