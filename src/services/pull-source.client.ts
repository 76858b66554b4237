/**
 * The HTTP client `okrd pull` reads a Feishu-compatible source with: a tenant token of the app, bounded concurrency,
 * Feishu's per-endpoint rate limit kept on our side and honoured when the source answers 99991400
 * (`x-ogw-ratelimit-reset`), and transient failures (5xx, 1009999/1009998, dropped connections, time-outs) retried
 * with exponential backoff and jitter.
 */

/** An answer of the source that is not success and not worth retrying (the code and message are the source's). */
export class SourceError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** How the client behaves; the defaults suit open.feishu.cn. */
export interface SourceOptions {
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Calls per endpoint and minute we allow ourselves (Feishu's documented 100); 0: only the source's answers pace us. */
  perEndpointPerMinute?: number;
  /** Tries of one call before a transient failure is given up on. */
  maxAttempts?: number;
  /** One request's time limit, ms. */
  timeoutMs?: number;
  /** First backoff, ms (doubled each try, up to 30 s, with jitter). */
  backoffMs?: number;
}

/** What the client did, for the summary. */
export interface SourceStats {
  requests: number;
  retries: number;
  rate_limited: number;
}

type QueryValue = string | number | boolean | readonly string[] | undefined;

const TRANSIENT_CODES = new Set([1009999, 1009998]);
const TOKEN_CODES = new Set([99991661, 99991663, 99991671, 99991677]);
const RATE_LIMITED = 99991400;
// Rate-limit answers are the source asking us to wait, not failures: many are tolerated before giving up.
const MAX_RATE_LIMITED = 60;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A transient failure: retried. */
class Transient extends Error {}

/** Reads one source as one app. */
export class SourceClient {
  readonly stats: SourceStats = { requests: 0, retries: 0, rate_limited: 0 };
  private readonly base: string;
  private token: { value: Promise<string>; until: number } | undefined;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Per endpoint: the time the source told us to wait until, and our own recent call times. */
  private readonly endpoints = new Map<string, { pausedUntil: number; recent: number[] }>();
  private readonly concurrency: number;
  private readonly perMinute: number;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;

  constructor(private readonly options: SourceOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.concurrency = options.concurrency ?? 8;
    this.perMinute = options.perEndpointPerMinute ?? 100;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.backoffMs = options.backoffMs ?? 250;
  }

  /** GET `template` (`:name` filled from `params`) with `query`; resolves to the answer's `data`. */
  async get<T>(template: string, params: Record<string, string>, query: Record<string, QueryValue> = {}): Promise<T> {
    const path = template.replace(/:([a-z_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v as readonly string[]) search.append(k, item);
      else search.append(k, String(v));
    }
    const qs = search.toString();
    const url = `${this.base}${path}${qs ? `?${qs}` : ''}`;
    let rateLimited = 0;
    let tokenRetried = false;
    for (let attempt = 1; ; attempt++) {
      await this.pace(template);
      let body: { code?: number; msg?: string; data?: T };
      let status: number;
      let resetSeconds: number | undefined;
      try {
        const token = await this.tenantToken();
        const res = await this.slot(() =>
          fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(this.timeoutMs) }),
        );
        status = res.status;
        const reset = res.headers.get('x-ogw-ratelimit-reset');
        resetSeconds = reset !== null && /^\d+(\.\d+)?$/.test(reset) ? Number(reset) : undefined;
        const text = await res.text();
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          if (status >= 500) throw new Transient(`HTTP ${status}`);
          throw new SourceError(status, `${template}: HTTP ${status}, not a JSON answer`);
        }
        if (status >= 500 || TRANSIENT_CODES.has(body.code ?? -1)) throw new Transient(`HTTP ${status} ${body.code}`);
      } catch (err) {
        if (err instanceof SourceError) throw err;
        // Network errors, time-outs and 5xx: try again after a while, unless that has happened too often.
        if (attempt >= this.maxAttempts) {
          throw new SourceError(-1, `${template}: gave up after ${attempt} tries: ${(err as Error).message}`);
        }
        this.stats.retries++;
        await sleep(this.backoff(attempt));
        continue;
      }
      if (body.code === RATE_LIMITED || status === 429) {
        this.stats.rate_limited++;
        if (++rateLimited > MAX_RATE_LIMITED) throw new SourceError(RATE_LIMITED, `${template}: still rate limited`);
        const waitMs = (resetSeconds ?? 1) * 1000 + Math.random() * 250;
        const ep = this.endpoint(template);
        ep.pausedUntil = Math.max(ep.pausedUntil, Date.now() + waitMs);
        attempt--; // not a failure of the call
        continue;
      }
      if (TOKEN_CODES.has(body.code ?? -1) && !tokenRetried) {
        // The token may have expired or been revoked under us: fetch a new one, once.
        tokenRetried = true;
        this.token = undefined;
        attempt--;
        continue;
      }
      if (body.code !== 0) throw new SourceError(body.code ?? status, `${template}: ${body.msg ?? 'failed'}`);
      return (body.data ?? {}) as T;
    }
  }

  /** Downloads an image (no credentials are sent: the URL is signed, and may point anywhere). */
  async download(url: string, maxBytes: number): Promise<Buffer> {
    if (!/^https?:\/\//i.test(url)) throw new SourceError(-1, 'not an http(s) URL');
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.slot(() => fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) }));
        if (res.status >= 500) throw new Transient(`HTTP ${res.status}`);
        if (res.status !== 200) throw new SourceError(res.status, `HTTP ${res.status}`);
        return await readCapped(res, maxBytes);
      } catch (err) {
        if (err instanceof SourceError) throw err;
        if (attempt >= this.maxAttempts) throw new SourceError(-1, `gave up after ${attempt} tries`);
        this.stats.retries++;
        await sleep(this.backoff(attempt));
      }
    }
  }

  private backoff(attempt: number): number {
    const ms = Math.min(30_000, this.backoffMs * 2 ** (attempt - 1));
    return ms / 2 + Math.random() * (ms / 2);
  }

  private endpoint(template: string) {
    let ep = this.endpoints.get(template);
    if (!ep) this.endpoints.set(template, (ep = { pausedUntil: 0, recent: [] }));
    return ep;
  }

  /** Waits while the source asked us to, and while this endpoint had its minute's worth of calls. */
  private async pace(template: string): Promise<void> {
    const ep = this.endpoint(template);
    for (;;) {
      const now = Date.now();
      if (ep.pausedUntil > now) {
        await sleep(ep.pausedUntil - now);
        continue;
      }
      if (this.perMinute > 0) {
        while (ep.recent.length > 0 && ep.recent[0]! <= now - 60_000) ep.recent.shift();
        if (ep.recent.length >= this.perMinute) {
          await sleep(ep.recent[0]! + 60_000 - now);
          continue;
        }
        ep.recent.push(now);
      }
      this.stats.requests++;
      return;
    }
  }

  /** Runs `fn` once fewer than `concurrency` requests are in flight. */
  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  /** The app's tenant token, fetched once and again 3 minutes before it expires (as the official SDK does). */
  private tenantToken(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const value = this.fetchToken();
    this.token = { value, until: Number.POSITIVE_INFINITY };
    value.then(
      () => undefined,
      () => (this.token = undefined),
    );
    return value;
  }

  private async fetchToken(): Promise<string> {
    const res = await this.slot(() =>
      fetch(`${this.base}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: this.options.appId, app_secret: this.options.appSecret }),
        signal: AbortSignal.timeout(this.timeoutMs),
      }),
    );
    if (res.status >= 500) throw new Transient(`token: HTTP ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as {
      code?: number;
      msg?: string;
      tenant_access_token?: string;
      expire?: number;
    };
    if (body.code === RATE_LIMITED || res.status === 429) throw new Transient('token: rate limited');
    if (!body.tenant_access_token) {
      throw new SourceError(body.code ?? res.status, `the source refused the app's credentials: ${body.msg ?? ''}`);
    }
    if (this.token) this.token.until = Date.now() + Math.max(0, (body.expire ?? 0) - 180) * 1000;
    return body.tenant_access_token;
  }
}

/** The body of `res`, refused once it passes `maxBytes` (memory stays bounded whatever the source sends). */
async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new SourceError(-1, `larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += (chunk as Uint8Array).length;
    if (size > maxBytes) throw new SourceError(-1, `larger than ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}
