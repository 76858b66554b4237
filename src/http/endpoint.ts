/**
 * The one way to declare an endpoint: method, path, OpenAPI tag, access rule (tokens and scopes), the TypeBox schemas
 * of its parameters, query, body and response `data`, and a handler that returns the `data`. Registering wraps it in
 * the Feishu envelope, installs auth and rate limiting through `access`, and documents it in the OpenAPI document.
 * Every endpoint lives in one registry (routes/index.ts) that tests loop over.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from '../contract/scopes.js';
import type { Caller } from '../services/auth.service.js';
import type { Services } from '../services/index.js';
import './types.js';

/** How the OpenAPI document groups endpoints. */
export type Tag = 'auth' | 'v1' | 'v2' | 'contact' | 'okrd';

/** The schemas of an endpoint; `data` is the response's `data` (left out: the answer is `{code, msg}` alone). */
export interface EndpointSchemas {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  data?: TSchema;
}

type StaticOr<S, Fallback> = S extends TSchema ? Static<S> : Fallback;

/** What a handler gets. */
export interface EndpointContext<S extends EndpointSchemas> {
  /** Who is calling (endpoints with `access`; open endpoints must not read it). */
  caller: Caller;
  params: StaticOr<S['params'], Record<string, never>>;
  query: StaticOr<S['querystring'], Record<string, never>>;
  body: StaticOr<S['body'], undefined>;
  services: Services;
  request: FastifyRequest;
}

/** `data` already serialised (e.g. joined from cached renderings): sent inside the envelope as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * A whole success answer, envelope included, already serialised as UTF-8 bytes (kept by a cache): sent as it is,
 * without being joined, copied or encoded again.
 */
export class JsonBytes {
  constructor(readonly bytes: Buffer) {}
}

/** A file answered as its bytes instead of an envelope. */
export class FileBody {
  constructor(
    readonly contentType: string,
    readonly bytes: Buffer,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

/** What a handler may return: the `data`, ready JSON text of it, the whole answer's bytes, or a file. */
export type EndpointResult<S extends EndpointSchemas> = StaticOr<S['data'], void> | JsonText | JsonBytes | FileBody;

/** One endpoint. */
export interface Endpoint<S extends EndpointSchemas = EndpointSchemas> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  tag: Tag;
  /** One line for the OpenAPI document. */
  summary: string;
  /** Tokens and scopes it takes; left out only for endpoints that are open by nature (token endpoints, signed URLs). */
  access?: Access;
  /** HTTP status of 1001002 when Feishu's table says 403 (decisions.md OQ-5). */
  noPermissionStatus?: 403;
  /** Largest accepted body in bytes, when not Fastify's default. */
  bodyLimit?: number;
  schema: S;
  /** `data` is the whole response body, sent without an envelope around it (the token endpoints). */
  bare?: true;
  handler: (ctx: EndpointContext<S>) => Promise<EndpointResult<S>>;
}

/** Declares an endpoint; the result goes into the registry. */
export function endpoint<const S extends EndpointSchemas>(e: Endpoint<S>): Endpoint {
  return e as unknown as Endpoint;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The success envelope around `data` (or without data). */
function envelope(data: TSchema | undefined): TSchema {
  return Type.Object({ code: Type.Integer(), msg: Type.String(), ...(data ? { data } : {}) });
}

/** Registers every endpoint on `app`, each handler reaching the services. */
export function registerEndpoints(app: FastifyInstance, endpoints: readonly Endpoint[], services: Services): void {
  for (const e of endpoints) {
    app.route({
      method: e.method,
      url: e.url,
      ...(e.bodyLimit !== undefined ? { bodyLimit: e.bodyLimit } : {}),
      config: {
        ...(e.access ? { access: e.access } : {}),
        ...(e.noPermissionStatus ? { noPermissionStatus: e.noPermissionStatus } : {}),
      },
      schema: {
        tags: [e.tag],
        summary: e.summary,
        ...(e.access ? {} : { security: [] }),
        ...(e.schema.params ? { params: e.schema.params } : {}),
        ...(e.schema.querystring ? { querystring: e.schema.querystring } : {}),
        ...(e.schema.body ? { body: e.schema.body } : {}),
        response: { 200: e.bare && e.schema.data ? e.schema.data : envelope(e.schema.data) },
      },
      handler: async (request, reply) => {
        const result = await e.handler({
          caller: request.caller,
          params: request.params as never,
          query: request.query as never,
          body: request.body as never,
          services,
          request,
        });
        if (result instanceof FileBody)
          return reply.type(result.contentType).headers(result.headers).send(result.bytes);
        if (result instanceof JsonBytes) {
          return reply.type(JSON_TYPE).send(result.bytes);
        }
        if (result instanceof JsonText) {
          return reply.type(JSON_TYPE).send(`{"code":0,"msg":"success","data":${result.text}}`);
        }
        if (e.bare) return result;
        return result === undefined ? { code: 0, msg: 'success' } : { code: 0, msg: 'success', data: result };
      },
    });
  }
}
