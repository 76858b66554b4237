/**
 * The typed API client: every call is an operation of operations.ts, whose path parameters, query, body and answer
 * types come from the server's TypeBox contract (src/contract). Every call carries the person's user token (none goes
 * out without one: accessToken() sends the person to sign in instead); a token the server turns down is refreshed
 * once and the call repeated. Failures become ApiError with the Feishu envelope's code, msg and field_violations.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { ErrorEnvelope } from '../../../src/contract/common.js';
import { accessToken } from '../auth/session';

/** The schemas of one operation (as the server's endpoint({...}) declares them). */
export interface OperationSchemas {
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
  data?: TSchema;
}

/** One endpoint: its method and path (`:name` segments filled from params); `S` carries only types. */
export interface Operation<S extends OperationSchemas> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Never set: holds the schemas' types for inference. */
  readonly schemas?: S;
}

/** Declares an operation; the type argument names its contract schemas. */
export const op = <S extends OperationSchemas>(method: Operation<S>['method'], path: string): Operation<S> => ({
  method,
  path,
});

type StaticOf<T> = T extends TSchema ? Static<T> : never;
type Part<S, K extends keyof OperationSchemas, Name extends string> = S extends { [P in K]: TSchema }
  ? { [P in Name]: StaticOf<S[K]> }
  : { [P in Name]?: never };

/** What a call takes: `params`, `query` and `body`, each required exactly when the operation has it. */
export type Input<S extends OperationSchemas> = Part<S, 'params', 'params'> &
  Part<S, 'query', 'query'> &
  Part<S, 'body', 'body'>;
/** What a call resolves to: the envelope's `data`. */
export type Output<S extends OperationSchemas> = S extends { data: TSchema } ? Static<S['data']> : undefined;

type Envelope = Static<typeof ErrorEnvelope> & { data?: unknown };
export type FieldViolation = { field: string; description: string };

/** A call the server refused (or that never reached it: code 0, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
    readonly fieldViolations: readonly FieldViolation[] = [],
    readonly logId?: string,
  ) {
    super(`${code}: ${msg}`);
    this.name = 'ApiError';
  }

  /** The violation of `field` (or of a field inside it, e.g. `content.blocks[0]`), for showing beside that field. */
  violation(field: string): FieldViolation | undefined {
    return this.fieldViolations.find(
      (v) => v.field === field || v.field.startsWith(`${field}.`) || v.field.startsWith(`${field}[`),
    );
  }
}

// The server's "invalid user token" codes: refresh once and try again.
const TOKEN_REFUSED = new Set([99991668, 99991677, 99991663]);

function urlOf(path: string, params: Record<string, string> | undefined, query: object | undefined): string {
  const filled = path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params?.[name] ?? ''));
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (Array.isArray(v)) for (const item of v) search.append(k, String(item));
    else if (v !== undefined && v !== null) search.set(k, String(v));
  }
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

/** Calls `operation` as the signed-in person. */
export async function call<S extends OperationSchemas>(operation: Operation<S>, input: Input<S>): Promise<Output<S>> {
  const { params, query, body } = input as { params?: Record<string, string>; query?: object; body?: unknown };
  const url = urlOf(operation.path, params, query);
  const send = async (token: string) => {
    try {
      return await fetch(url, {
        method: operation.method,
        headers: {
          authorization: `Bearer ${token}`,
          // A FormData body (image upload) sets its own multipart content type.
          ...(body === undefined || body instanceof FormData
            ? {}
            : { 'content-type': 'application/json; charset=utf-8' }),
        },
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 0, 'network');
    }
  };
  const token = await accessToken();
  let res = await send(token);
  let answer = await envelopeOf(res);
  if (TOKEN_REFUSED.has(answer.code)) {
    res = await send(await accessToken(token));
    answer = await envelopeOf(res);
  }
  if (answer.code !== 0) {
    throw new ApiError(res.status, answer.code, answer.msg, answer.error?.field_violations, answer.error?.log_id);
  }
  return answer.data as Output<S>;
}

async function envelopeOf(res: Response): Promise<Envelope> {
  const text = await res.text();
  try {
    return JSON.parse(text) as Envelope;
  } catch {
    return { code: res.status || -1, msg: text.slice(0, 200) };
  }
}
