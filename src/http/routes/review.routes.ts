/** GET /open-apis/okr/v1/reviews/query (spec §3.13). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReviewQueryQuery, ReviewQueryResponse } from '../../contract/review.js';
import { ACCESS } from '../../contract/scopes.js';
import type { ReviewService } from '../../services/review.service.js';

export const reviewRoutes: FastifyPluginAsyncTypebox<{ reviews: ReviewService }> = async (app, { reviews }) => {
  app.get(
    '/open-apis/okr/v1/reviews/query',
    {
      config: { access: ACCESS.reviewQuery },
      schema: { querystring: ReviewQueryQuery, response: { 200: ReviewQueryResponse } },
    },
    async (request) => {
      const { user_ids, period_ids, user_id_type = 'open_id' } = request.query;
      return {
        code: 0,
        msg: 'success',
        data: await reviews.query(request.caller, user_ids, period_ids, user_id_type),
      };
    },
  );
};
