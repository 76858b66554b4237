// The log: every line of a request carries its id (the one the client was given), secrets never reach it in any
// form a client can send them, a client going away is not an error, and an unexpected error is logged with its id.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import {
  DEMO_APP_ID,
  DEMO_APP_SECRET,
  DEMO_OWNER_PASSWORD,
  DEMO_REDIRECT_URI,
  DEMO_TENANT_ID,
} from '../../src/demo/demo-tenant.js';
import { solidPng } from '../../src/demo/png.js';
import { sequentialIds } from '../../src/domain/ids.js';
import { buildApp } from '../../src/http/app.js';
import { redactedUrl, scrubbed } from '../../src/http/request-log.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/form-browser.js';

const PNG = solidPng(2, 2, [10, 20, 30]);
const OKR_ID = '7072252816005349396';

/** One parsed log line. */
type Line = Record<string, unknown> & { level: number; msg?: string; reqId?: string };

describe('logging', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let log = '';
  const lines = (): Line[] =>
    log
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
  /** Request ids okrd answered with (X-Request-Id), checked against X-Tt-Logid and error.log_id on the way. */
  const answered = new Set<string>();
  const seen = (res: LightMyRequestResponse): LightMyRequestResponse => {
    const id = res.headers['x-request-id'] as string;
    assert.match(id, /^[0-9a-f]{24}$/);
    assert.equal(res.headers['x-tt-logid'], id);
    if (res.body.startsWith('{') && res.json().error) assert.equal(res.json().error.log_id, id);
    answered.add(id);
    return res;
  };
  const inject = async (opts: InjectOptions) => seen(await app.inject(opts));

  before(async () => {
    t = await testApp('sqlite');
    const stream = new Writable({
      write(chunk, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    app = await buildApp({
      config: { logLevel: 'info', tokenTtlSeconds: 7200, imageDir: t.imageDir },
      db: t.db,
      clock: () => t.clock.now,
      ids: sequentialIds(8_700_000_000_000_000_001n),
      logger: { stream },
    });
    // A handler slow enough for a client to hang up on it.
    app.get('/test/slow', async () => {
      await delay(150);
      return { ok: true };
    });
  });
  after(async () => {
    await app.close();
    await t.close();
  });

  it('keeps every secret out of the log, whatever form it is sent in', async () => {
    const secrets: string[] = [DEMO_APP_SECRET, DEMO_OWNER_PASSWORD];
    const tokenRes = await inject({
      method: 'POST',
      url: '/open-apis/auth/v3/tenant_access_token/internal',
      payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
    });
    const token = tokenRes.json().tenant_access_token as string;
    const appToken = (
      await inject({
        method: 'POST',
        url: '/open-apis/auth/v3/app_access_token/internal',
        payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
      })
    ).json().app_access_token as string;
    secrets.push(token, token.slice(2), appToken);
    const auth = { authorization: `Bearer ${token}` };
    await inject({ method: 'GET', url: `/open-apis/okr/v1/okrs/batch_get?okr_ids=${OKR_ID}`, headers: auth });
    const forged = `t-${randomBytes(32).toString('base64url')}`;
    secrets.push(forged, 't-forged');
    for (const bad of [forged, 't-forged']) {
      await inject({
        method: 'GET',
        url: '/open-apis/okr/v1/okrs/batch_get?okr_ids=1',
        headers: { authorization: `Bearer ${bad}` },
      });
    }
    // Tokens where no token belongs: in a query value, a path, a bad id.
    await inject({ method: 'GET', url: `/open-apis/okr/v1/okrs/batch_get?okr_ids=${forged}`, headers: auth });
    await inject({ method: 'GET', url: `/open-apis/okr/v1/users/${forged}/okrs`, headers: auth });

    // Image URLs: the signature alone, repeated, percent-encoded, as a list, hidden inside another value.
    const upload = await inject({
      method: 'POST',
      url: '/open-apis/okr/v1/images/upload',
      headers: { ...auth, 'content-type': 'multipart/form-data; boundary=b' },
      payload: Buffer.concat([
        Buffer.from(`--b\r\nContent-Disposition: form-data; name="data"\r\n\r\n`),
        PNG,
        Buffer.from(`\r\n--b\r\nContent-Disposition: form-data; name="target_id"\r\n\r\n7073360471990140948\r\n`),
        Buffer.from(`--b\r\nContent-Disposition: form-data; name="target_type"\r\n\r\n3\r\n--b--\r\n`),
      ]),
    });
    const url = new URL(upload.json().data.url);
    const sig = url.searchParams.get('sig')!;
    const expires = url.searchParams.get('expires')!;
    secrets.push(sig, sig.slice(0, 20), sig.slice(-20));
    assert.equal((await inject({ method: 'GET', url: `${url.pathname}${url.search}` })).statusCode, 200);
    const encoded = [...sig].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    for (const query of [
      `expires=${expires}&sig=${sig}&sig=${sig}`,
      `sig=${sig}&expires=${expires}&sig=x`,
      `expires=${expires}&%73ig=${sig}`,
      `expires=${expires}&%2573ig=${sig}`,
      `expires=${expires}&sig[]=${sig}&sig[]=${sig}`,
      `expires=${expires}&s%69g%5B%5D=${sig}`,
      `expires=${expires}&sig=${encoded}`,
      `expires=${expires}&SIG=${sig}`,
      `expires=${expires}&x=1%26sig%3D${sig}`,
      `expires=${expires}&x=1;sig=${sig}`,
      `expires=${expires}&x=1?sig=${sig}`,
      `expires=${expires}&sig=${sig.slice(0, 20)}&sig=${sig.slice(-20)}`,
    ]) {
      await inject({ method: 'GET', url: `${url.pathname}?${query}` });
    }

    // Signing in with a password, consenting, and the OAuth token endpoint with the code and the refresh token.
    const browser = new Browser({ ...t, app });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = `/open-apis/authen/v1/authorize?${new URLSearchParams({
      client_id: DEMO_APP_ID,
      response_type: 'code',
      redirect_uri: DEMO_REDIRECT_URI,
      state: 'st',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })}`;
    seen(await browser.get(authorize));
    const signedIn = seen(
      await browser.post('/okrd/sign-in', {
        login: 'okrd_demo_owner',
        password: DEMO_OWNER_PASSWORD,
        org: DEMO_TENANT_ID,
        return_to: authorize,
      }),
    );
    assert.equal(signedIn.statusCode, 303);
    const page = seen(await browser.get(authorize));
    const hidden = Object.fromEntries(
      [...page.body.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)"/g)].map((m) => [
        m[1]!,
        m[2]!.replace(/&amp;/g, '&'),
      ]),
    );
    const allowed = seen(await browser.post('/okrd/consent', { ...hidden, decision: 'allow' }));
    const code = new URL(allowed.headers.location as string).searchParams.get('code')!;
    assert.ok(code);
    secrets.push(code, verifier, ...browser.cookies.values());
    // The app's callback as a browser would follow it (a page okrd does not serve), and an OIDC callback.
    await inject({ method: 'GET', url: `/okrd/callback?code=${code}&state=st` });
    await inject({ method: 'GET', url: `/okrd/sign-in/oidc/callback?code=${code}&state=st` });
    const granted = await inject({
      method: 'POST',
      url: '/open-apis/authen/v2/oauth/token',
      payload: {
        grant_type: 'authorization_code',
        client_id: DEMO_APP_ID,
        client_secret: DEMO_APP_SECRET,
        code,
        redirect_uri: DEMO_REDIRECT_URI,
        code_verifier: verifier,
      },
    });
    assert.equal(granted.statusCode, 200, granted.body);
    const { access_token: userToken, refresh_token: refreshToken } = granted.json();
    secrets.push(userToken, refreshToken);
    const refreshed = await inject({
      method: 'POST',
      url: '/open-apis/authen/v2/oauth/token',
      payload: {
        grant_type: 'refresh_token',
        client_id: DEMO_APP_ID,
        client_secret: DEMO_APP_SECRET,
        refresh_token: refreshToken,
      },
    });
    secrets.push(refreshed.json().access_token, refreshed.json().refresh_token);
    // Refresh and user tokens sent where they do not belong are not logged either.
    await inject({
      method: 'GET',
      url: `/open-apis/authen/v1/user_info?refresh_token=${refreshToken}&token=${userToken}`,
    });
    await inject({
      method: 'GET',
      url: '/open-apis/authen/v1/user_info',
      headers: { authorization: `Bearer ${userToken}` },
    });

    // A password link: the page, and the form posting the new password.
    const link = await t.services.signIn.createLink(DEMO_TENANT_ID, 'okrd_demo_owner', 'reset');
    const linkToken = new URL(link.url).searchParams.get('token')!;
    const newPassword = `pw-${randomBytes(6).toString('hex')}`;
    secrets.push(linkToken, newPassword);
    const setter = new Browser({ ...t, app });
    assert.equal(seen(await setter.get(`/okrd/password?token=${linkToken}`)).statusCode, 200);
    const set = seen(
      await setter.post('/okrd/password', { token: linkToken, password: newPassword, password2: newPassword }),
    );
    assert.equal(set.statusCode, 200);
    secrets.push(...setter.cookies.values());

    assert.ok(
      log.includes(`"url":"/open-apis/okr/v1/okrs/batch_get?okr_ids=${OKR_ID}"`),
      'requests are logged with their URL',
    );
    assert.ok(log.includes('sig=[redacted]'));
    for (const secret of secrets) {
      assert.ok(secret.length >= 8, 'a secret long enough to mean something');
      assert.ok(!log.includes(secret), `the log holds a secret: ${secret.slice(0, 6)}…`);
      assert.ok(!log.includes(encodeURIComponent(secret)), `the log holds a secret, encoded: ${secret.slice(0, 6)}…`);
    }
  });

  it('puts the request id on every line of a request, the one the client was given', async () => {
    await inject({ method: 'GET', url: `/open-apis/okr/v1/okrs/batch_get?okr_ids=${OKR_ID}` });
    const all = lines();
    for (const line of all) {
      if (line.reqId === undefined) {
        // Only lines about the process itself come without a request: starting up, nothing else.
        assert.ok(
          !('req' in line) && !('res' in line) && !('err' in line),
          `a request line without its id: ${JSON.stringify(line)}`,
        );
        continue;
      }
      assert.ok(answered.has(line.reqId), `a line under an id no client was given: ${JSON.stringify(line)}`);
    }
    for (const id of answered) {
      const mine = all.filter((l) => l.reqId === id);
      assert.ok(
        mine.some((l) => l.msg === 'incoming request'),
        `${id} logged on arrival`,
      );
      assert.ok(
        mine.some((l) => l.msg === 'request completed'),
        `${id} logged when answered`,
      );
    }
  });

  it('logs a client going away at info, not as an error', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const hangUp = (raw: string, afterMs: number) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(raw);
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, afterMs);
        });
        socket.on('error', reject);
      });
    const from = log.length;
    // Gone while the handler works; gone in the middle of a body.
    await hangUp('GET /test/slow HTTP/1.1\r\nHost: x\r\n\r\n', 30);
    await hangUp(
      'POST /open-apis/auth/v3/tenant_access_token/internal HTTP/1.1\r\nHost: x\r\n' +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"app_id":',
      30,
    );
    await delay(300);
    const mine = log
      .slice(from)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
    assert.equal(mine.filter((l) => l.msg === 'incoming request').length, 2);
    assert.ok(
      mine.some((l) => l.msg === 'client went away' && l.level === 30),
      'the cut-off body is noted at info',
    );
    assert.deepEqual(
      mine.filter((l) => l.level >= 40),
      [],
      'nothing at warn or error',
    );
  });

  it('logs an unexpected error with the request id the client was given', async () => {
    const token = (
      await inject({
        method: 'POST',
        url: '/open-apis/auth/v3/tenant_access_token/internal',
        payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
      })
    ).json().tenant_access_token;
    await t.db.write((tx) => tx.exec('DROP TABLE reviews'));
    const broken = await inject({
      method: 'GET',
      url: '/open-apis/okr/v1/reviews/query?user_ids=okrd_demo_owner&period_ids=7067724095781142548&user_id_type=user_id',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(broken.statusCode, 500);
    const logId = broken.json().error.log_id as string;
    const line = lines().find((l) => l.level === 50 && l.reqId === logId);
    assert.ok(line, 'the error is logged under the request id');
    assert.match(JSON.stringify(line), /no such table: reviews/);
  });
});

describe('redaction', () => {
  it('redacts every spelling of a secret query key and keeps the rest', () => {
    assert.equal(redactedUrl('/a?okr_ids=1&okr_ids=2&page_token=p'), '/a?okr_ids=1&okr_ids=2&page_token=p');
    assert.equal(redactedUrl('/a?sig=1&sig=2'), '/a?sig=[redacted]&sig=[redacted]');
    assert.equal(
      redactedUrl('/a?%73ig=1&%2573ig=2&sig%5B%5D=3'),
      '/a?%73ig=[redacted]&%2573ig=[redacted]&sig%5B%5D=[redacted]',
    );
    assert.equal(redactedUrl('/a?x=1%26sig%3D2&y=1;token=3'), '/a?x=[redacted]&y=[redacted]');
    assert.equal(
      redactedUrl('/a?Client_Secret=1&password2=2&code=3'),
      '/a?Client_Secret=[redacted]&password2=[redacted]&code=[redacted]',
    );
    assert.equal(redactedUrl('/a?sig'), '/a?[redacted]');
    assert.ok(redactedUrl(`/a?x=${'y'.repeat(10_000)}`).length < 2100, 'a long URL is cut');
  });

  it('scrubs credential shapes from any logged text', () => {
    const token = `u-${randomBytes(32).toString('base64url')}`;
    const line = JSON.stringify({
      msg: `bad ${token} and Bearer abc.def, hex ${'ab'.repeat(32)}`,
      reqId: 'ab'.repeat(12),
    });
    const out = scrubbed(line);
    assert.ok(!out.includes(token.slice(2)) && !out.includes('abc.def') && !out.includes('ab'.repeat(32)));
    assert.match(out, /u-\[redacted\]/);
    assert.ok(out.includes(`"reqId":"${'ab'.repeat(12)}"`), 'request ids stay');
    assert.equal(scrubbed('okr 7072252816005349396 of ou_123'), 'okr 7072252816005349396 of ou_123');
    assert.equal(
      scrubbed('password=hunter22 and app_secret: s3cr3t!'),
      'password=[redacted] and app_secret: [redacted]',
    );
  });
});
