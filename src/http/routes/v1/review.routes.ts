/** v1 review query (spec §3.13). */
import { ReviewQueryQuery, ReviewQueryResponse } from '../../../contract/review.js';
import { ACCESS } from '../../../contract/scopes.js';
import { endpoint } from '../../endpoint.js';

export const reviewEndpoints = [
  endpoint({
    method: 'GET',
    url: '/open-apis/okr/v1/reviews/query',
    tag: 'v1',
    summary: "Query users' review documents and progress reports per period",
    access: ACCESS.reviewQuery,
    schema: { querystring: ReviewQueryQuery, data: ReviewQueryResponse.properties.data },
    handler: ({ caller, query, services }) =>
      services.reviews.query(caller, query.user_ids, query.period_ids, query.user_id_type ?? 'open_id'),
  }),
];
