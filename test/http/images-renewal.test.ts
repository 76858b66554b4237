// A signed image URL expires (IMAGE_URL_TTL_SECONDS), the image in a progress record does not: every read of rich
// text answers the tenant's gallery images with a freshly signed src, on the origin the client reached, that fetches
// the bytes days after the record was written.
import assert from 'node:assert/strict';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { PNG } from '../fixtures/images.js';

const SEED_KR = '7073360471990140948';
const TTL_MS = 600_000;
const HOST = 'okr.test:8080';

for (const dialect of DIALECTS) {
  describe(`rich-text images after their URL expired [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, host: HOST },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      const body = res.json();
      assert.deepEqual([res.statusCode, body.code], [200, 0], res.body);
      return body.data;
    };
    const upload = async () => {
      const boundary = 'renewalboundary';
      const part = (name: string, value: string | Buffer) =>
        Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
          Buffer.from(value),
          Buffer.from('\r\n'),
        ]);
      const res = await t.app.inject({
        method: 'POST',
        url: '/open-apis/okr/v1/images/upload',
        headers: {
          authorization: `Bearer ${token}`,
          host: HOST,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: Buffer.concat([
          part('data', PNG),
          part('target_id', SEED_KR),
          part('target_type', '3'),
          Buffer.from(`--${boundary}--\r\n`),
        ]),
      });
      return res.json().data as { file_token: string; url: string };
    };
    /** GETs `src` as a browser would (no token): its status and bytes. */
    const fetchImage = async (src: string) => {
      const url = new URL(src);
      assert.equal(url.origin, `http://${HOST}`);
      const res = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      return { status: res.statusCode, bytes: res.rawPayload };
    };
    /** Asserts `src` is a URL of `fileToken` valid for at least half the TTL and at most the TTL from now. */
    const assertFresh = async (src: string, fileToken: string) => {
      const url = new URL(src);
      assert.equal(url.pathname, `/okrd/images/${fileToken}`);
      const left = Number(url.searchParams.get('expires')) - t.clock.now;
      assert.ok(left >= TTL_MS / 2 && left <= TTL_MS, `valid for ${left} ms`);
      const fetched = await fetchImage(src);
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.bytes, PNG);
    };

    before(async () => {
      t = await testApp(dialect, { config: { imageUrlTtlSeconds: TTL_MS / 1000, tokenTtlSeconds: 30 * 86_400 } });
      token = await t.tenantToken();
    });
    after(() => t.close());

    it('answers v1 GET, the v2 progress lists and PUT with a fresh src, long after the written one expired', async () => {
      const image = await upload();
      const written = await call('POST', '/open-apis/okr/v1/progress_records', {
        source_title: 'renewal',
        source_url: 'https://example.com/renewal',
        target_id: SEED_KR,
        target_type: 3,
        content: {
          blocks: [
            { type: 'gallery', gallery: { imageList: [{ fileToken: image.file_token, src: image.url, width: 3 }] } },
          ],
        },
      });
      // Right after writing, the answer carries the src as written: the same bucket signs the same URL.
      assert.deepEqual(written.content.blocks[0].gallery.imageList, [
        { fileToken: image.file_token, src: image.url, width: 3 },
      ]);
      // Two days later the written URL is refused...
      t.clock.now += 2 * 86_400_000 + 12_345;
      assert.equal((await fetchImage(image.url)).status, 403);

      // ...and every read answers one that works.
      const v1 = await call('GET', `/open-apis/okr/v1/progress_records/${written.progress_id}`);
      const [v1Image] = v1.content.blocks[0].gallery.imageList;
      assert.deepEqual({ ...v1Image, src: '' }, { fileToken: image.file_token, src: '', width: 3 });
      await assertFresh(v1Image.src, image.file_token);

      const list = await call('GET', `/open-apis/okr/v2/key_results/${SEED_KR}/progresses?page_size=100`);
      const v2 = list.items.find((p: { id: string }) => p.id === written.progress_id);
      const [v2Image] = v2.content.blocks[0].gallery.images;
      assert.deepEqual({ ...v2Image, src: '' }, { file_token: image.file_token, src: '', width: 3 });
      assert.equal(v2Image.src, v1Image.src, 'one bucket, one URL: browsers keep the image cached');
      await assertFresh(v2Image.src, image.file_token);

      // A URL handed out late in its bucket still has half the TTL to live, and the next bucket signs a new one.
      t.clock.now += TTL_MS / 2 - ((t.clock.now % (TTL_MS / 2)) + 1);
      const late = (await call('GET', `/open-apis/okr/v1/progress_records/${written.progress_id}`)).content.blocks[0]
        .gallery.imageList[0].src;
      assert.equal(late, v1Image.src);
      await assertFresh(late, image.file_token);
      t.clock.now += 1;
      const next = (await call('GET', `/open-apis/okr/v1/progress_records/${written.progress_id}`)).content.blocks[0]
        .gallery.imageList[0].src;
      assert.notEqual(next, late);
      await assertFresh(next, image.file_token);
    });

    it('answers 1001004, not a 500, for a URL whose file is not in IMAGE_DIR', async () => {
      const image = await upload();
      unlinkSync(join(t.imageDir, image.file_token));
      const url = new URL(image.url);
      const res = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
      assert.deepEqual([res.statusCode, res.json().code], [400, 1001004], res.body);
      assert.match(res.json().msg, new RegExp(image.file_token));
    });

    it('keeps the written src of an image the tenant does not hold', async () => {
      const image = await upload();
      const written = await call('POST', '/open-apis/okr/v1/progress_records', {
        source_title: 'gone',
        source_url: 'https://example.com/gone',
        target_id: SEED_KR,
        target_type: 3,
        content: { blocks: [{ type: 'gallery', gallery: { imageList: [{ fileToken: image.file_token, src: 'x' }] } }] },
      });
      // As after a pull whose download failed: the rich text names a token this okrd has no image for.
      await writeTenant(t.db, DEMO_TENANT_ID, (tx) =>
        tx.run('DELETE FROM images WHERE tenant_id = ? AND file_token = ?', [DEMO_TENANT_ID, image.file_token]),
      );
      t.clock.now += 2 * TTL_MS;
      const v1 = await call('GET', `/open-apis/okr/v1/progress_records/${written.progress_id}`);
      assert.deepEqual(v1.content.blocks[0].gallery.imageList, [{ fileToken: image.file_token, src: 'x' }]);
      const list = await call('GET', `/open-apis/okr/v2/key_results/${SEED_KR}/progresses?page_size=100`);
      const v2 = list.items.find((p: { id: string }) => p.id === written.progress_id);
      assert.deepEqual(v2.content.blocks[0].gallery.images, [{ file_token: image.file_token, src: 'x' }]);
    });
  });
}
