/** The rate limit of a guarded call (src/http/auth.ts runs it after auth, so the calling app is known). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rateLimited } from '../errors.js';
import type { RateLimitService } from '../services/rate-limit.service.js';
import './types.js';

/**
 * Counts the call against its app and `endpoint` (method and route pattern), and refuses it with 429 over the limit.
 * A person's token counts for that person (decisions.md OQ-37), a tenant token for its app.
 */
export async function countCall(
  limits: RateLimitService,
  request: FastifyRequest,
  reply: FastifyReply,
  endpoint: string,
): Promise<void> {
  const { caller } = request;
  const verdict = await limits.check(caller.appId, endpoint, caller.kind === 'user' ? caller.userRef : undefined);
  if (verdict.limited) {
    reply.header('x-ogw-ratelimit-limit', verdict.limit);
    reply.header('x-ogw-ratelimit-reset', verdict.resetSeconds);
    throw rateLimited();
  }
}
