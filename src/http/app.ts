/** Builds the okrd HTTP application from its effects (config, database, clock, ids); listening is the caller's job. */
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { buildServices, type Services } from '../services/index.js';
import { HealthService } from '../services/health.service.js';
import { RateLimitService } from '../services/rate-limit.service.js';
import type { Db } from '../store/db.js';
import { installAuth } from './auth.js';
import { registerEndpoints } from './endpoint.js';
import { clientError, formatValidation, frameworkError, installErrorHandling } from './error-handler.js';
import { parseQuery, withoutTrailingSlash } from './lenient-url.js';
import { installMetrics } from './metrics.js';
import { BODY_MAX_BYTES, HEADER_MAX_BYTES, ROUTER_PARAM_MAX_LENGTH, installLimits } from './limits.js';
import { installHealth } from './health.js';
import { signInPages } from './pages/sign-in.pages.js';
import { loggerOptions, RequestLogController, requestLogger } from './request-log.js';
import { installOAuthErrorStatus } from './routes/authen/oauth.routes.js';
import { ENDPOINTS } from './routes/index.js';
import { fastifyTimeouts, nodeTimeouts } from './timeouts.js';
import { webUi } from './web-ui.js';

/** What buildApp needs; everything with an effect is passed in. */
export interface AppDeps {
  /** Settings left out take the defaults of an empty environment (config.ts). */
  config: Partial<Config>;
  db: Db;
  clock: Clock;
  ids: IdSource;
  /** false for no logs; otherwise pino options laid over the defaults (JSON lines at config.logLevel on stdout). */
  logger?: false | object;
  /** Services built by the caller (tests share them); by default built here from the other dependencies. */
  services?: Services;
  /** The built web UI's folder; by default this checkout's web/dist/ (missing: the API alone is served). */
  webDir?: string;
}

/** The Fastify app with every route, hook and handler installed. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const config: Config = { ...loadConfig({}), ...deps.config };
  const app = Fastify({
    // JSON lines with the request id on each, secrets redacted; a client going away is not an error (request-log.ts).
    logger: deps.logger === false ? false : loggerOptions(config.logLevel, deps.logger),
    logController: new RequestLogController(),
    ...(deps.logger === false ? {} : { childLoggerFactory: requestLogger }),
    // Feishu-style log ids: the request id goes back to the client in X-Tt-Logid and error.log_id.
    // randomUUID draws from a pooled buffer: about 0.3 µs against 4 µs for randomBytes(12) per request. Its first
    // 24 hex digits are picked out by position (`xxxxxxxx-xxxx-xxxx-xxxx-…`): a regular expression cost more.
    genReqId: () => {
      const u = randomUUID();
      return u.slice(0, 8) + u.slice(9, 13) + u.slice(14, 18) + u.slice(19, 23) + u.slice(24, 28);
    },
    // Client URL forms (spec §1.1, §10): `//open-apis/...`, a trailing slash on an Open API path, `key[]=` lists.
    routerOptions: {
      ignoreDuplicateSlashes: true,
      querystringParser: parseQuery,
      maxParamLength: ROUTER_PARAM_MAX_LENGTH,
    },
    // Size limits (limits.ts, docs/operations.md "Limits"); what is refused before routing answers in okrd's shapes.
    bodyLimit: BODY_MAX_BYTES,
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    rewriteUrl: (req) => withoutTrailingSlash(req.url ?? '/'),
    schemaErrorFormatter: formatValidation,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } },
    // Slow clients, stalled bodies, idle connections and draining on shutdown (src/http/timeouts.ts).
    ...fastifyTimeouts(config),
    http: { maxHeaderSize: HEADER_MAX_BYTES, ...nodeTimeouts(config) },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Set on arrival (a plain callback, no promise per request) so every answer carries them, errors and 404s too.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Tt-Logid', request.id);
    reply.header('X-Request-Id', request.id);
    done();
  });
  // Counts every answer by route, status and code, and serves /metrics (src/http/metrics.ts); before any route.
  installMetrics(app, { db: deps.db, token: config.metricsToken });

  // Collects every route's TypeBox schemas into one OpenAPI document, served at /okrd/openapi.json.
  await app.register(swagger, {
    openapi: {
      info: { title: 'okrd: the Feishu/Lark OKR Open API', version: '1' },
      tags: [
        { name: 'auth', description: 'App credentials to access tokens' },
        { name: 'v1', description: 'Feishu OKR v1' },
        { name: 'v2', description: 'Feishu OKR v2 and comments' },
        { name: 'contact', description: 'Feishu contact and person-search look-ups' },
        { name: 'okrd', description: "okrd's own endpoints (not part of Feishu's API)" },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  app.get('/okrd/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const services = deps.services ?? buildServices({ db: deps.db, clock: deps.clock, ids: deps.ids, config });
  installErrorHandling(app);
  installLimits(app);
  const limits = await RateLimitService.create(
    {
      perMinute: config.rateLimitPerMinute,
      store: config.rateLimitStore,
      redisUrl: config.redisUrl,
      redisKeyPrefix: config.redisKeyPrefix,
    },
    deps.db,
    deps.clock,
    (err) => app.log.error({ err }, 'rate limit store failed: requests are let through unlimited while it fails'),
  );
  if (limits) app.addHook('onClose', () => limits.close());
  installAuth(app, services.auth, limits);
  // Multipart (image upload) arrives buffered whole, bounded by the image limit plus room for the other fields.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: config.imageMaxBytes + 64 * 1024 },
    (_req, body, done) => done(null, body),
  );
  installOAuthErrorStatus(app);
  registerEndpoints(app, ENDPOINTS, services);
  installHealth(app, new HealthService(deps.db));
  app.addHook('onReady', () => services.images.prepare());
  // The sign-in and consent pages (HTML, not the JSON envelope), in a context of their own: cookies, forms, CSRF.
  await app.register(signInPages, { services, config });
  // The web UI and deep links into it (OQ-40); last, so that its catch-all GET takes only what nothing else did.
  await app.register(webUi, { dir: deps.webDir });
  return app;
}
