/**
 * Checks over the endpoint registry (src/http/routes/index.ts), so every endpoint — those to come included — is
 * covered without anyone listing it: each requires a token unless deliberately open, each is in the OpenAPI
 * document under its tag, and every 1001001 names its fields. (That writes keep the render cache right is checked
 * on every write of every test by the checked database of test/helpers/app.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENDPOINTS } from '../../src/http/routes/index.js';
import { testApp, type TestApp } from '../helpers/app.js';

// Open by nature: credentials are exchanged for tokens here, and a signed URL is its own credential.
const OPEN = [
  'POST /open-apis/auth/v3/tenant_access_token/internal',
  'POST /open-apis/auth/v3/app_access_token/internal',
  'GET /okrd/images/:file_token',
  // User tokens for an authorization code or refresh token: the client authenticates in the body (OAuth 2) or
  // with its app token, checked by the handler (the older OIDC flavour, spec §9.2).
  'POST /open-apis/authen/v2/oauth/token',
  'POST /open-apis/authen/v1/oidc/access_token',
  'POST /open-apis/authen/v1/oidc/refresh_access_token',
];

const name = (e: { method: string; url: string }) => `${e.method} ${e.url}`;
const concrete = (url: string) => url.replace(/:[a-z_]+/g, '7000000000000000001');

describe('the endpoint registry', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp('sqlite');
  });
  after(() => t.close());

  it('has one entry per method and path', () => {
    const names = ENDPOINTS.map(name);
    assert.equal(new Set(names).size, names.length);
  });

  it('leaves open only the endpoints that must be', () => {
    assert.deepEqual(
      ENDPOINTS.filter((e) => !e.access)
        .map(name)
        .sort(),
      [...OPEN].sort(),
    );
  });

  it('answers every guarded endpoint without a token with 99991661 before looking at the request', async () => {
    for (const e of ENDPOINTS.filter((x) => x.access)) {
      const res = await t.app.inject({ method: e.method, url: concrete(e.url), payload: {} });
      assert.equal(res.statusCode, 400, name(e));
      assert.equal(res.json().code, 99991661, name(e));
      assert.equal(res.json().error.log_id, res.headers['x-tt-logid'], name(e));
    }
  });

  it('documents every endpoint in the OpenAPI document under its tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/okrd/openapi.json' })).json();
    assert.deepEqual(
      doc.tags.map((tag: { name: string }) => tag.name),
      ['auth', 'v1', 'v2', 'contact', 'okrd'],
    );
    for (const e of ENDPOINTS) {
      const path = e.url.replace(/:([a-z_]+)/g, '{$1}');
      const op = doc.paths[path]?.[e.method.toLowerCase()];
      assert.ok(op, `${name(e)} is documented`);
      assert.deepEqual(op.tags, [e.tag], name(e));
      assert.ok(op.summary, `${name(e)} has a summary`);
      if (!e.access) assert.deepEqual(op.security, [], `${name(e)} is documented as open`);
    }
  });

  it('names every broken rule in error.field_violations (decisions.md OQ-36)', async () => {
    const token = await t.tenantToken();
    const ids = Array.from({ length: 11 }, (_, i) => `okr_ids=${7000000000000000001n + BigInt(i)}`).join('&');
    const { status, body } = await t.get(`/open-apis/okr/v1/okrs/batch_get?${ids}`, token);
    assert.equal(status, 400);
    assert.equal(body.code, 1001001);
    assert.deepEqual(body.error.field_violations, [
      { field: 'okr_ids', description: 'must NOT have more than 10 items' },
    ]);
  });
});
