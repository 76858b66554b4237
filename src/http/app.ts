/** Builds the okrd HTTP application from its effects (config, database, clock, ids); listening is the caller's job. */
import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { buildServices, type Services } from '../services/index.js';
import { RateLimitService } from '../services/rate-limit.service.js';
import type { Db } from '../store/db.js';
import { installAuth } from './auth.js';
import { registerEndpoints } from './endpoint.js';
import { formatValidation, installErrorHandling } from './error-handler.js';
import { parseQuery, withoutTrailingSlash } from './lenient-url.js';
import { signInPages } from './pages/sign-in.pages.js';
import { installRateLimit } from './rate-limit.js';
import { installOAuthErrorStatus } from './routes/authen/oauth.routes.js';
import { ENDPOINTS } from './routes/index.js';

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
}

/** What the log says of a request: never its headers (tokens), an image URL's signature nor a password link's token. */
function loggedRequest(req: FastifyRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: req.url.replace(/([?&](?:sig|token)=)[^&]*/g, '$1[redacted]'),
    host: req.host,
    remoteAddress: req.ip,
  };
}

/** The Fastify app with every route, hook and handler installed. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const config: Config = { ...loadConfig({}), ...deps.config };
  const app = Fastify({
    logger:
      deps.logger === false ? false : { level: config.logLevel, serializers: { req: loggedRequest }, ...deps.logger },
    // Feishu-style log ids: the request id goes back to the client in X-Tt-Logid and error.log_id.
    // randomUUID draws from a pooled buffer: about 0.3 µs against 4 µs for randomBytes(12) per request.
    genReqId: () => randomUUID().replace(/-/g, '').slice(0, 24),
    // Client URL forms (spec §1.1, §10): `//open-apis/...`, a trailing slash on an Open API path, `key[]=` lists.
    routerOptions: { ignoreDuplicateSlashes: true, querystringParser: parseQuery },
    rewriteUrl: (req) => withoutTrailingSlash(req.url ?? '/'),
    schemaErrorFormatter: formatValidation,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Set on arrival (a plain callback, no promise per request) so every answer carries them, errors and 404s too.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Tt-Logid', request.id);
    reply.header('X-Request-Id', request.id);
    done();
  });

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
  installAuth(app, services.auth);
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
  if (limits) {
    installRateLimit(app, limits);
    app.addHook('onClose', () => limits.close());
  }
  // Multipart (image upload) arrives buffered whole, bounded by the image limit plus room for the other fields.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: config.imageMaxBytes + 64 * 1024 },
    (_req, body, done) => done(null, body),
  );
  installOAuthErrorStatus(app);
  registerEndpoints(app, ENDPOINTS, services);
  // The sign-in and consent pages (HTML, not the JSON envelope), in a context of their own: cookies, forms, CSRF.
  await app.register(signInPages, { services, config });
  return app;
}
