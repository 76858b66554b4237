// One schema source: the OpenAPI document lists every endpoint with the schemas that validate it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../helpers/app.js';

describe('GET /okrd/openapi.json', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp('sqlite', { demo: false });
  });
  after(() => t.close());

  it('describes every Feishu endpoint okrd serves, with request and response schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/okrd/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.match(doc.openapi, /^3\./);
    const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const op of [
      'POST /open-apis/auth/v3/tenant_access_token/internal',
      'POST /open-apis/auth/v3/app_access_token/internal',
      'GET /open-apis/okr/v1/periods',
      'POST /open-apis/okr/v1/periods',
      'PATCH /open-apis/okr/v1/periods/{period_id}',
      'GET /open-apis/okr/v1/period_rules',
      'GET /open-apis/okr/v1/okrs/batch_get',
      'GET /open-apis/okr/v1/users/{user_id}/okrs',
      'POST /open-apis/okr/v1/progress_records',
      'GET /open-apis/okr/v1/progress_records/{progress_id}',
      'PUT /open-apis/okr/v1/progress_records/{progress_id}',
      'DELETE /open-apis/okr/v1/progress_records/{progress_id}',
      'POST /open-apis/okr/v1/images/upload',
      'GET /open-apis/okr/v1/reviews/query',
    ]) {
      assert.ok(ops.includes(op), `${op} is documented`);
    }
    const batchGet = doc.paths['/open-apis/okr/v1/okrs/batch_get'].get;
    assert.ok(batchGet.parameters.some((p: { name: string }) => p.name === 'okr_ids'));
    const okr = batchGet.responses['200'].content['application/json'].schema.properties.data.properties.okr_list.items;
    assert.ok(okr.properties.objective_list, 'the OKR schema is in the document');
  });
});
