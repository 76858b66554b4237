import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';

// Protocol behaviour does not depend on the database: SQLite only.
describe('HTTP protocol details', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await testApp('sqlite');
    token = await t.tenantToken();
  });
  after(() => t.close());

  const BATCH = '/open-apis/okr/v1/okrs/batch_get?okr_ids=7072252816005349396';

  it('answers unknown paths and wrong methods with a plain-text 404', async () => {
    for (const [method, url] of [
      ['GET', '/open-apis/okr/v1/nothing'],
      ['GET', '/'],
      ['POST', BATCH],
      ['DELETE', '/open-apis/okr/v1/periods'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
      assert.equal(res.body, '404 page not found');
    }
  });

  it('accepts the {} body the Node SDK sends on GET', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: BATCH,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().code, 0);
  });

  it('serves a doubled leading slash as the single-slash path', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/${BATCH}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().code, 0);
    const tokenRes = await t.app.inject({
      method: 'POST',
      url: '//open-apis/auth/v3/tenant_access_token/internal',
      payload: { app_id: 'cli_okrd_demo', app_secret: 'okrd_demo_secret' },
    });
    assert.equal(tokenRes.json().code, 0);
  });

  it('answers malformed JSON with 1001001 (the token endpoints in their style: HTTP 200, 10003), not a 5xx', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/open-apis/okr/v1/periods',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.tenantToken()}` },
      payload: '{"period_rule_id": ',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 1001001);
    const token = await t.app.inject({
      method: 'POST',
      url: '/open-apis/auth/v3/tenant_access_token/internal',
      headers: { 'content-type': 'application/json' },
      payload: '{"app_id": ',
    });
    assert.equal(token.statusCode, 200);
    assert.deepEqual(token.json(), { code: 10003, msg: 'invalid param: body: is not valid JSON', data: {} });
  });

  it('hides internal errors behind 1009999 with a log id, and keeps serving', async () => {
    const broken = await testApp('sqlite');
    const brokenToken = await broken.tenantToken();
    await broken.db.write((tx) => tx.exec('DROP TABLE alignments'));
    const res = await broken.get(BATCH, brokenToken);
    assert.equal(res.status, 500);
    assert.deepEqual(Object.keys(res.body), ['code', 'msg', 'error']);
    assert.equal(res.body.code, 1009999);
    assert.equal(res.body.msg, 'internal server error');
    assert.doesNotMatch(JSON.stringify(res.body), /alignments|SQLITE|sqlite/i);
    assert.equal(res.body.error.log_id, res.res.headers['x-tt-logid']);
    assert.equal((await broken.get('/open-apis/okr/v1/periods', brokenToken)).body.code, 0);
    await broken.close();
  });
});
