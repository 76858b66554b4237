/** The auth hook: every route with `config.access` gets its caller from the bearer token, or a Feishu error. */
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../services/auth.service.js';
import './types.js';

/** Adds `request.caller` to routes that declare `config.access`. */
export function installAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('caller', null as never);
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access) request.caller = await auth.authorize(request.headers.authorization, access);
  });
}
