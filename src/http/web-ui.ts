/**
 * Serves the web UI (web/, built by `npm run build` into web/dist/) beside the API, in the same process (decisions.md
 * OQ-40): hashed assets with year-long cache headers, index.html never cached, and index.html for any other GET that
 * accepts HTML and matches no route, so deep links work. Under /open-apis/ unknown paths keep the platform's text 404.
 * Without a build (tests of the API run without one) the server starts all the same and says so in its log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** web/dist/ of this checkout: two folders up from src/http/ and from dist/http/ alike. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

// Vite puts every content-hashed file here: a new build gives new names, so browsers may keep these forever.
const HASHED = '/assets/';

const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob: https: http:",
  // React sets style attributes (widths of progress bars); no inline scripts at all.
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain').send('404 page not found');

/** True for a browser navigation: an explicit text/html in Accept (curl's and SDKs' `*\/*` is not). */
const wantsHtml = (request: FastifyRequest) => /\btext\/html\b/.test(request.headers.accept ?? '');

/** Registers the web UI's files and the deep-link fallback; `dir` defaults to this checkout's web/dist/. */
export async function webUi(app: FastifyInstance, opts: { dir?: string }): Promise<void> {
  const dir = opts.dir ?? DEFAULT_WEB_DIR;
  const indexFile = join(dir, 'index.html');
  const assetsDir = join(dir, HASHED) + (HASHED.endsWith(sep) ? '' : sep);
  const index = existsSync(indexFile) ? readFileSync(indexFile) : undefined;
  if (!index) {
    app.log.warn({ dir }, 'the web UI is not built (run npm run build): the API is served without it');
  } else {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      // One route per file found now (the build does not change under a running server), so unknown paths fall
      // through to the fallback below rather than to the plugin's own 404.
      wildcard: false,
      index: false,
      cacheControl: false,
      setHeaders: (res, path) => {
        res.header('Cache-Control', path.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.header('X-Content-Type-Options', 'nosniff');
      },
    });
  }

  // Browsers ask for /favicon.ico on pages that name no icon (the sign-in pages): the UI's SVG icon answers.
  if (index && existsSync(join(dir, 'favicon.svg'))) {
    app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
      reply.header('Cache-Control', 'public, max-age=86400').sendFile('favicon.svg'),
    );
  }

  const sendIndex = (reply: FastifyReply) =>
    reply
      .header('Cache-Control', 'no-cache')
      .header('Content-Security-Policy', CSP)
      .header('X-Frame-Options', 'DENY')
      .header('Referrer-Policy', 'no-referrer')
      .header('X-Content-Type-Options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(index);

  // Every GET no other route took: the UI's own paths (/okrs/…, /auth/callback) get index.html; the rest a 404.
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path.startsWith('/open-apis/') || path === '/open-apis' || path.startsWith(HASHED) || !wantsHtml(request)) {
      return notFound(reply);
    }
    if (!index) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The okrd web UI is not built: run npm run build, then restart okrd.');
    }
    return sendIndex(reply);
  });
}
