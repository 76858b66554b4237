/**
 * The guard of every route with `config.access`: its caller from the bearer token (or a Feishu error), then the call
 * counted against its rate limit. One hook per guarded route, its access rule and rate-limit endpoint fixed when the
 * route is registered: nothing is looked up per request (Fastify builds a fresh object for each read of
 * `request.routeOptions`).
 */
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { AuthService } from '../services/auth.service.js';
import type { RateLimitService } from '../services/rate-limit.service.js';
import { countCall } from './rate-limit.js';
import './types.js';

/** Marks okrd's guard hooks, so that a HEAD twin copying its GET route's hooks gets its own guard, not two. */
const GUARD = Symbol('okrd.guard');

/** Adds `request.caller` to routes that declare `config.access`, and rate-limits them when `limits` is given. */
export function installAuth(app: FastifyInstance, auth: AuthService, limits: RateLimitService | undefined): void {
  app.decorateRequest('caller', null as never);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) return;
    // The route pattern, not the URL: every OKR id shares its endpoint's count, as on Feishu.
    const endpoint = `${String(route.method)} ${route.url}`;
    const guard: onRequestAsyncHookHandler = async (request, reply) => {
      request.caller = await auth.authorize(request.headers.authorization, access);
      if (limits) await countCall(limits, request, reply, endpoint);
    };
    const hooks = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [...hooks.filter((h) => !(GUARD in h)), Object.assign(guard, { [GUARD]: true })];
  });
}
