/** Builds the okrd HTTP application from its effects (config, database, clock, ids); listening is the caller's job. */
import { randomBytes } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { AuthService } from '../services/auth.service.js';
import { OkrService } from '../services/okr.service.js';
import { PeriodService } from '../services/period.service.js';
import type { Db } from '../store/db.js';
import { installAuth } from './auth.js';
import { formatValidation, installErrorHandling } from './error-handler.js';
import { okrRoutes } from './routes/okr.routes.js';
import { periodRoutes } from './routes/period.routes.js';
import { tokenRoutes } from './routes/token.routes.js';

/** What buildApp needs; everything with an effect is passed in. */
export interface AppDeps {
  config: Pick<Config, 'logLevel' | 'tokenTtlSeconds'>;
  db: Db;
  clock: Clock;
  ids: IdSource;
  /** Pino options or false; defaults to JSON logs at config.logLevel. */
  logger?: boolean | object;
}

/** The Fastify app with every route, hook and handler installed. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? { level: deps.config.logLevel },
    // Feishu-style log ids: the request id goes back to the client in X-Tt-Logid and error.log_id.
    genReqId: () => randomBytes(12).toString('hex'),
    routerOptions: { ignoreDuplicateSlashes: true },
    schemaErrorFormatter: formatValidation,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Tt-Logid', request.id);
    reply.header('X-Request-Id', request.id);
  });

  const auth = new AuthService(deps.db, deps.clock, deps.config.tokenTtlSeconds);
  installErrorHandling(app);
  installAuth(app, auth);
  await app.register(tokenRoutes, { auth });
  await app.register(periodRoutes, { periods: new PeriodService(deps.db) });
  await app.register(okrRoutes, { okrs: new OkrService(deps.db) });
  return app;
}
