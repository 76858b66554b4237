/**
 * `GET /okrd/api/my_reviews` (okrd's own): the caller's own review links of one period, through the same service and
 * checks as v1's reviews/query (an unknown or hidden period is 1001004). Only one's own: v1 keeps everyone's behind
 * tenant tokens.
 */
import { MyReviewsData, MyReviewsQuery } from '../../../contract/okrd/my-reviews.js';
import { endpoint } from '../../endpoint.js';

export const myReviewEndpoints = [
  endpoint({
    method: 'GET',
    url: '/okrd/api/my_reviews',
    tag: 'okrd',
    summary: "The signed-in person's review documents and progress reports of a period, newest first",
    access: { tokens: ['user'], scopes: ['okr:okr', 'okr:okr:readonly', 'okr:okr.review:readonly'] },
    schema: { querystring: MyReviewsQuery, data: MyReviewsData },
    handler: async ({ caller, query, services }) => {
      const { open_id } = await services.oauth.me(caller);
      const { review_list } = await services.reviews.query(caller, [open_id], [query.period_id], 'open_id');
      return review_list[0]!.review_period_list[0]!;
    },
  }),
];
