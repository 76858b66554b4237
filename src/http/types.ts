/** What okrd adds to Fastify's request and route-config types. */
import type { Access } from '../contract/scopes.js';
import type { Caller } from '../services/auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the auth hook on every guarded route. */
    caller: Caller;
  }
  interface FastifyContextConfig {
    /** Tokens and scopes the route accepts; routes without it are open (token endpoints). */
    access?: Access;
    /** HTTP status of 1001002 on this route when not 400 (decisions.md OQ-5). */
    noPermissionStatus?: number;
  }
}
