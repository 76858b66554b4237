/**
 * A proxy in front of a source okrd that behaves like a bad day at the source: every answer is delayed, and by a fixed
 * rotation (so runs are repeatable) requests are rate-limited (429 99991400 with x-ogw-ratelimit-reset), fail (500
 * 1009999) or have their connection dropped.
 */
import { createServer, request, type Server } from 'node:http';

export interface HostileProxy {
  url: string;
  /** Requests seen, and how many of them were answered badly on purpose. */
  stats: { requests: number; limited: number; failed: number; dropped: number };
  close: () => Promise<void>;
}

export interface Hostility {
  delayMs?: number;
  /** Every n-th request of each kind (0: never). */
  rateLimitEvery?: number;
  failEvery?: number;
  dropEvery?: number;
  /**
   * OKRs the app may not read, as Feishu answers them to an app whose availability leaves their owner out: v1 lists
   * and batch_get give `{id, permission: 0}` instead (an okrd source lets a tenant token read everything).
   */
  unreadableOkrs?: readonly string[];
}

/** A v1 OKR answer with the OKRs in `hidden` cut down to `{id, permission: 0}`. */
function withUnreadable(body: Buffer, hidden: ReadonlySet<string>): Buffer {
  const answer = JSON.parse(body.toString('utf8'));
  const list: { id: string }[] | undefined = answer.data?.okr_list;
  if (!list) return body;
  answer.data.okr_list = list.map((okr) => (hidden.has(okr.id) ? { id: okr.id, permission: 0 } : okr));
  return Buffer.from(JSON.stringify(answer));
}

export async function hostileProxy(target: string, h: Hostility = {}): Promise<HostileProxy> {
  const to = new URL(target);
  const stats = { requests: 0, limited: 0, failed: 0, dropped: 0 };
  const hidden = new Set(h.unreadableOkrs ?? []);
  const every = (n: number | undefined, i: number) => n !== undefined && n > 0 && i % n === 0;
  const server: Server = createServer((req, res) => {
    const i = ++stats.requests;
    setTimeout(() => {
      if (every(h.dropEvery, i)) {
        stats.dropped++;
        req.socket.destroy();
        return;
      }
      if (every(h.rateLimitEvery, i)) {
        stats.limited++;
        res.writeHead(429, {
          'content-type': 'application/json',
          'x-ogw-ratelimit-limit': '100',
          'x-ogw-ratelimit-reset': '1',
        });
        res.end(JSON.stringify({ code: 99991400, msg: 'request trigger frequency limit' }));
        return;
      }
      if (every(h.failEvery, i)) {
        stats.failed++;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 1009999, msg: 'internal server error' }));
        return;
      }
      const upstream = request(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          if (!hidden.size || !/^\/open-apis\/okr\/v1\/(users\/[^/]+\/okrs|okrs\/batch_get)\?/.test(req.url ?? '')) {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
            return;
          }
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () => {
            const body = withUnreadable(Buffer.concat(chunks), hidden);
            res.writeHead(up.statusCode ?? 502, { ...up.headers, 'content-length': String(body.length) });
            res.end(body);
          });
        },
      );
      upstream.on('error', () => req.socket.destroy());
      req.pipe(upstream);
    }, h.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
