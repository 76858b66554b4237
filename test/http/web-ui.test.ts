/**
 * Serving the web UI (decisions.md OQ-40) from a build folder made here (the real build is not needed): hashed
 * assets cached for a year, index.html never cached and served for any other GET that accepts HTML (deep links), the
 * favicon; under /open-apis/ and for clients that do not ask for HTML, the platform's text 404; and without a build
 * the API is served all the same.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const INDEX = '<!doctype html><title>okrd</title><div id="root"></div>';

describe('the web UI is served beside the API', () => {
  let dir: string;
  let t: TestApp;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'okrd-web-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
    t = await testApp('sqlite', { webDir: dir });
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('answers the UI paths, deep links and / with index.html, never cached', async () => {
    for (const url of [
      '/',
      '/okrs',
      '/okrs?cycle=7',
      '/auth/callback?code=c&state=s',
      '/people/a/b',
      '/okrd/nothing',
    ]) {
      const res = await get(url, HTML);
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.body, INDEX, url);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.match(res.headers['content-security-policy'] as string, /default-src 'self'/);
      assert.equal(res.headers['x-frame-options'], 'DENY');
    }
  });

  it('serves hashed assets for a year and the favicon', async () => {
    const js = await get('/assets/index-AbC123.js');
    assert.equal(js.statusCode, 200);
    assert.equal(js.body, 'console.log(1)');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(js.headers['content-type'] as string, /javascript/);
    const icon = await get('/favicon.svg');
    assert.equal(icon.statusCode, 200);
    assert.match(icon.headers['content-type'] as string, /^image\/svg\+xml/);
    assert.equal(icon.headers['cache-control'], 'no-cache');
    const ico = await get('/favicon.ico');
    assert.equal(ico.statusCode, 200);
    assert.match(ico.headers['content-type'] as string, /^image\/svg\+xml/);
  });

  it('keeps the text 404 under /open-apis/, for unknown assets, and for clients not asking for HTML', async () => {
    for (const [url, headers] of [
      ['/open-apis/okr/v1/nothing', HTML],
      ['/open-apis/', HTML],
      ['/assets/missing-1.js', HTML],
      ['/', {}],
      ['/okrs', { accept: '*/*' }],
      ['/okrs', { accept: 'application/json' }],
    ] as const) {
      const res = await get(url, headers);
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.body, '404 page not found');
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
    }
    const post = await t.app.inject({ method: 'POST', url: '/okrs', headers: HTML });
    assert.equal(post.statusCode, 404);
    assert.equal(post.body, '404 page not found');
  });

  it('leaves the other routes alone: the API, the OpenAPI document, the sign-in page', async () => {
    const periods = await t.get('/open-apis/okr/v1/periods', await t.tenantToken());
    assert.equal(periods.body.code, 0);
    const openapi = await get('/okrd/openapi.json', HTML);
    assert.match(openapi.headers['content-type'] as string, /^application\/json/);
    const signIn = await get('/okrd/sign-in', HTML);
    assert.match(signIn.body, /action="\/okrd\/sign-in"/);
  });
});

describe('without a built web UI', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp('sqlite', { webDir: join(tmpdir(), 'okrd-no-such-build') });
  });
  after(() => t.close());

  it('serves the API and says in plain text that the UI is not built', async () => {
    assert.equal((await t.get('/open-apis/okr/v1/periods', await t.tenantToken())).body.code, 0);
    const page = await t.app.inject({ method: 'GET', url: '/okrs', headers: HTML });
    assert.equal(page.statusCode, 503);
    assert.match(page.body, /not built: run npm run build/);
    const other = await t.app.inject({ method: 'GET', url: '/open-apis/x', headers: HTML });
    assert.equal(other.body, '404 page not found');
  });
});
