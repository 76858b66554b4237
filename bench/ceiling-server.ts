/**
 * The ceiling: a bare node:http server answering each known URL with bytes captured from okrd beforehand.
 * It does no parsing, no auth, no database and no serialization, so its req/s is what this machine's Node
 * HTTP stack can do for a body of that size; okrd's req/s divided by it is the share of the budget okrd keeps.
 *
 * Usage: node --import tsx bench/ceiling-server.ts RESPONSES.json PORT
 * RESPONSES.json maps a request URL (path and query) to { contentType, body } with the body in base64.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/** One captured response, as the benchmark writes it. */
export interface CapturedResponse {
  contentType: string;
  /** base64 of the exact body bytes. */
  body: string;
}

const [file, port] = process.argv.slice(2);
if (!file || !port) {
  process.stderr.write('usage: ceiling-server.ts RESPONSES.json PORT\n');
  process.exit(2);
}

// Headers and body are prepared once; a request only looks its URL up.
const routes = new Map<string, { headers: Record<string, string | number>; body: Buffer }>();
for (const [url, r] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, CapturedResponse>)) {
  const body = Buffer.from(r.body, 'base64');
  routes.set(url, { headers: { 'content-type': r.contentType, 'content-length': body.length }, body });
}

const server = createServer((req, res) => {
  const route = routes.get(req.url ?? '');
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, route.headers);
  res.end(route.body);
});
// Same keep-alive behaviour as Fastify's defaults so neither side pays for reconnects the other does not.
server.keepAliveTimeout = 72_000;
server.listen(Number(port), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
