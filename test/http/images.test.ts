import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoUser } from '../helpers/demo.js';
import { BMP, GIF, HEIC, ICO, JPEG, PNG, WEBP, ftyp, tiff, truncated } from '../fixtures/images.js';

const SEED_KR = '7073360471990140948';
const SEED_OBJECTIVE = '7073360513731690515';
const IMAGES: Record<string, Buffer> = {
  'image/png': PNG,
  'image/jpeg': JPEG,
  'image/gif': GIF,
  'image/webp': WEBP,
};

// The formats added after a second audit (spec §10, decisions.md OQ-24): label, content type served, bytes.
const MORE_IMAGES: [string, string, Buffer][] = [
  ['a BMP', 'image/bmp', BMP],
  ['an ICO', 'image/x-icon', ICO],
  ['a little-endian TIFF', 'image/tiff', tiff()],
  ['a big-endian TIFF', 'image/tiff', tiff(true)],
  ['a HEIC', 'image/heic', HEIC],
  ['a HEIF with the generic mif1 brand', 'image/heic', ftyp('mif1', 'heic')],
];

/** A multipart body laid out as the Node SDK sends it (the file part has no filename). */
function form(fields: Record<string, string | Buffer>, boundary = 'b0undary') {
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const type = Buffer.isBuffer(value) ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n${type}\r\n`),
      Buffer.from(value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const dialect of DIALECTS) {
  describe(`image upload [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    const upload = async (fields: Record<string, string | Buffer>, bearer = token) => {
      const { payload, contentType } = form(fields);
      const res = await t.app.inject({
        method: 'POST',
        url: '/open-apis/okr/v1/images/upload',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': contentType, host: 'okr.test:8080' },
        payload,
      });
      return { status: res.statusCode, body: res.json() };
    };
    const imageCount = async () =>
      Number((await t.db.read((tx) => tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM images')))!.n);

    before(async () => {
      t = await testApp(dialect, { config: { imageMaxBytes: 4096, imageUrlTtlSeconds: 600 } });
      token = await t.tenantToken();
    });
    after(() => t.close());

    for (const [type, bytes] of Object.entries(IMAGES)) {
      it(`stores a ${type} and serves it back through the signed URL`, async () => {
        const { status, body } = await upload({ data: bytes, target_id: SEED_KR, target_type: '3' });
        assert.equal(status, 200, JSON.stringify(body));
        const { file_token, url } = body.data;
        assert.match(file_token, /^box[A-Za-z0-9_-]{24}$/);
        const parsed = new URL(url);
        assert.equal(parsed.origin, 'http://okr.test:8080');
        assert.equal(parsed.pathname, `/okrd/images/${file_token}`);
        // It expires at the end of the half-TTL bucket after the current one (image.service.ts urlSigner).
        assert.equal(parsed.searchParams.get('expires'), String((Math.floor(t.clock.now / 300_000) + 2) * 300_000));
        assert.deepEqual(readFileSync(join(t.imageDir, file_token)), bytes);
        const row = await t.db.read((tx) =>
          tx.get<Record<string, unknown>>('SELECT * FROM images WHERE file_token = ?', [file_token]),
        );
        assert.deepEqual(row, {
          file_token,
          tenant_id: DEMO_TENANT_ID,
          target_type: 3,
          target_id: SEED_KR,
          content_type: type,
          size: bytes.length,
          created_by: null,
          created_at: t.clock.now,
        });
        const res = await t.app.inject({ method: 'GET', url: `${parsed.pathname}${parsed.search}` });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], type);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.deepEqual(res.rawPayload, bytes);
      });
    }

    for (const [label, type, bytes] of MORE_IMAGES) {
      it(`stores ${label} by its magic bytes and serves it as ${type}, nosniff`, async () => {
        const before = await imageCount();
        const { status, body } = await upload({ data: bytes, target_id: SEED_OBJECTIVE, target_type: '2' });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(await imageCount(), before + 1);
        const row = await t.db.read((tx) =>
          tx.get<{ content_type: string; size: number; target_id: string }>(
            'SELECT content_type, size, target_id FROM images WHERE file_token = ?',
            [body.data.file_token],
          ),
        );
        assert.deepEqual(row, { content_type: type, size: bytes.length, target_id: SEED_OBJECTIVE });
        const url = new URL(body.data.url);
        const res = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], type);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.deepEqual(res.rawPayload, bytes);
      });
    }

    it('refuses an AVIF (it shares the mif1 brand with HEIF) and a cursor, storing nothing', async () => {
      const avif = Buffer.concat([
        Buffer.from('0000001c', 'hex'),
        Buffer.from('ftypavif\0\0\0\0avifmif1miaf', 'latin1'),
        Buffer.alloc(16),
      ]);
      const cursor = Buffer.concat([Buffer.from('0000020001000101000001002000', 'hex'), Buffer.alloc(8)]);
      for (const data of [avif, cursor]) {
        const before = await imageCount();
        const { status, body } = await upload({ data, target_id: SEED_KR, target_type: '3' });
        assert.deepEqual([status, body.code], [400, 1001001]);
        assert.match(body.msg, /data: must be a PNG, JPEG, GIF, WebP, BMP, ICO, TIFF or HEIC image/);
        assert.equal(await imageCount(), before);
      }
    });

    it('refuses an expired or tampered URL with 403', async () => {
      const { body } = await upload({ data: IMAGES['image/png']!, target_id: SEED_OBJECTIVE, target_type: '2' });
      const url = new URL(body.data.url);
      const tampered = `${url.pathname}?expires=${url.searchParams.get('expires')}&sig=${'A'.repeat(43)}`;
      const res = await t.app.inject({ method: 'GET', url: tampered });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 1001002);
      const longer = `${url.pathname}?expires=${Number(url.searchParams.get('expires')) + 1}&sig=${url.searchParams.get('sig')}`;
      assert.equal((await t.app.inject({ method: 'GET', url: longer })).statusCode, 403);
      t.clock.now += 600_001;
      const expired = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      assert.equal(expired.statusCode, 403);
    });

    for (const [label, fields, message, code] of [
      [
        'a file that is not an image',
        { data: Buffer.from('%PDF-1.4 not an image'), target_id: SEED_KR, target_type: '3' },
        /data: must be a PNG, JPEG, GIF, WebP, BMP, ICO, TIFF or HEIC image/,
        1001001,
      ],
      [
        'a file that only begins like an image (a PNG cut short)',
        { data: truncated(PNG), target_id: SEED_KR, target_type: '3' },
        /data: must be a PNG, JPEG, GIF, WebP, BMP, ICO, TIFF or HEIC image/,
        1001001,
      ],
      [
        'an image over the limit',
        { data: Buffer.concat([IMAGES['image/png']!, Buffer.alloc(5000)]), target_id: SEED_KR, target_type: '3' },
        /data: image is larger than 4096 bytes/,
        1001001,
      ],
      ['a missing file', { target_id: SEED_KR, target_type: '3' }, /data: is required/, 1001001],
      [
        'target_type 1',
        { data: IMAGES['image/png']!, target_id: SEED_KR, target_type: '1' },
        /target_type: must be 2/,
        1001001,
      ],
      [
        'a malformed target_id',
        { data: IMAGES['image/png']!, target_id: 'x; DROP TABLE images', target_type: '3' },
        /target_id/,
        1001001,
      ],
      ['an unknown target', { data: IMAGES['image/png']!, target_id: '42', target_type: '3' }, /target_id 42/, 1001004],
    ] as const) {
      it(`refuses ${label}, storing nothing`, async () => {
        const before = await imageCount();
        const { status, body } = await upload(fields as Record<string, string | Buffer>);
        assert.equal(status, 400, JSON.stringify(body));
        assert.equal(body.code, code);
        assert.match(body.msg, message);
        assert.equal(await imageCount(), before);
      });
    }

    it('refuses a body that is not multipart', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/open-apis/okr/v1/images/upload',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: '{}',
      });
      assert.deepEqual([res.statusCode, res.json().code], [400, 1001001]);
    });

    it('lets a user upload only for their own objectives and key results', async () => {
      const auth = t.services.auth;
      const stranger = (await auth.issueUserToken(DEMO_TENANT_ID, 'cli_okrd_demo', demoUser('liusan').id, 600)).token;
      const before = await imageCount();
      const denied = await upload({ data: IMAGES['image/png']!, target_id: SEED_KR, target_type: '3' }, stranger);
      assert.deepEqual([denied.status, denied.body.code], [400, 1001002]);
      assert.equal(await imageCount(), before);
      const owner = (await auth.issueUserToken(DEMO_TENANT_ID, 'cli_okrd_demo', demoUser('okrd_demo_owner').id, 600))
        .token;
      const ok = await upload({ data: IMAGES['image/png']!, target_id: SEED_KR, target_type: '3' }, owner);
      assert.equal(ok.body.code, 0);
      assert.ok(existsSync(join(t.imageDir, ok.body.data.file_token)));
    });
  });
}
