/**
 * `/healthz` (the process is alive and serving; no database) and `/readyz` (send it traffic: database reachable,
 * migrations applied, not shutting down). Open, plain JSON, outside the endpoint registry: they are for load
 * balancers, not Feishu clients, so they take no token, count against no rate limit and answer no envelope.
 */
import type { FastifyInstance } from 'fastify';
import type { HealthService } from '../services/health.service.js';

/** Registers both probes; closing the app (SIGTERM) turns `/readyz` to 503 at once, before connections drain. */
export function installHealth(app: FastifyInstance, health: HealthService): void {
  app.addHook('preClose', (done) => {
    health.drain();
    done();
  });
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    const state = await health.readiness();
    if (state.ready) return { status: 'ready' };
    if (state.cause) request.log.warn({ err: state.cause }, 'not ready: the database check failed');
    return reply.code(503).send({ status: 'unavailable', reason: state.reason });
  });
}
