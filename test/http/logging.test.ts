// Secrets and tokens never reach the log, and an unexpected error is logged with the request id it was answered with.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEMO_APP_ID, DEMO_APP_SECRET } from '../../src/demo/demo-tenant.js';
import { sequentialIds } from '../../src/domain/ids.js';
import { buildApp } from '../../src/http/app.js';
import { testApp, type TestApp } from '../helpers/app.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('logging', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let log = '';
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
  });
  after(async () => {
    await app.close();
    await t.close();
  });

  it('keeps app secrets, tokens and image signatures out of the log', async () => {
    const tokenRes = await app.inject({
      method: 'POST',
      url: '/open-apis/auth/v3/tenant_access_token/internal',
      payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
    });
    const token = tokenRes.json().tenant_access_token as string;
    const auth = { authorization: `Bearer ${token}` };
    await app.inject({
      method: 'GET',
      url: '/open-apis/okr/v1/okrs/batch_get?okr_ids=7072252816005349396',
      headers: auth,
    });
    await app.inject({
      method: 'GET',
      url: '/open-apis/okr/v1/okrs/batch_get?okr_ids=1',
      headers: { authorization: 'Bearer t-forged' },
    });
    const boundary = 'b';
    const upload = await app.inject({
      method: 'POST',
      url: '/open-apis/okr/v1/images/upload',
      headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(`--b\r\nContent-Disposition: form-data; name="data"\r\n\r\n`),
        PNG,
        Buffer.from(`\r\n--b\r\nContent-Disposition: form-data; name="target_id"\r\n\r\n7073360471990140948\r\n`),
        Buffer.from(`--b\r\nContent-Disposition: form-data; name="target_type"\r\n\r\n3\r\n--b--\r\n`),
      ]),
    });
    const url = new URL(upload.json().data.url);
    assert.equal((await app.inject({ method: 'GET', url: `${url.pathname}${url.search}` })).statusCode, 200);

    assert.ok(
      log.includes('"url":"/open-apis/okr/v1/okrs/batch_get?okr_ids=7072252816005349396"'),
      'requests are logged',
    );
    for (const secret of [DEMO_APP_SECRET, token, token.slice(2), url.searchParams.get('sig')!, 't-forged']) {
      assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 8)}…`);
    }
    assert.ok(log.includes('sig=[redacted]'));
  });

  it('logs an unexpected error with the request id the client was given', async () => {
    const token = (
      await app.inject({
        method: 'POST',
        url: '/open-apis/auth/v3/tenant_access_token/internal',
        payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
      })
    ).json().tenant_access_token;
    await t.db.write((tx) => tx.exec('DROP TABLE reviews'));
    const broken = await app.inject({
      method: 'GET',
      url: '/open-apis/okr/v1/reviews/query?user_ids=okrd_demo_owner&period_ids=7067724095781142548&user_id_type=user_id',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(broken.statusCode, 500);
    const logId = broken.json().error.log_id as string;
    const line = log.split('\n').find((l) => l.includes('"level":50') && l.includes(logId));
    assert.ok(line, 'the error is logged under the request id');
    assert.match(line!, /no such table: reviews/);
  });
});
