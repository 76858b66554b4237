/** The rate-limit hook: after auth, counts the call against its app, endpoint (and person) and answers 429 over the limit. */
import type { FastifyInstance } from 'fastify';
import { rateLimited } from '../errors.js';
import type { RateLimitService } from '../services/rate-limit.service.js';
import './types.js';

/** Limits every route with `config.access`; install it after installAuth so the calling app is known. */
export function installRateLimit(app: FastifyInstance, limits: RateLimitService): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.routeOptions.config.access) return;
    // The route pattern, not the URL: every OKR id shares its endpoint's count, as on Feishu.
    // A person's token counts for that person (decisions.md OQ-37), a tenant token for its app.
    const verdict = await limits.check(
      request.caller.appId,
      `${request.method} ${request.routeOptions.url}`,
      request.caller.kind === 'user' ? request.caller.userRef : undefined,
    );
    if (verdict.limited) {
      reply.header('x-ogw-ratelimit-limit', verdict.limit);
      reply.header('x-ogw-ratelimit-reset', verdict.resetSeconds);
      throw rateLimited();
    }
  });
}
