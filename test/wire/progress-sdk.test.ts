// Progress records, period administration and image upload through the official Node SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as lark from '@larksuiteoapi/node-sdk';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoTables, demoUser } from '../helpers/demo.js';
import { listenForSdk, rejection, sdkClient } from '../helpers/sdk.js';
import { PNG } from '../fixtures/images.js';

const SEED_OKR = '7072252816005349396';
const SEED_KR = '7073360471990140948';

for (const dialect of DIALECTS) {
  describe(`official Node SDK: progress, images, periods [${dialect}]`, () => {
    let t: TestApp;
    let client: lark.Client;
    before(async () => {
      t = await testApp(dialect);
      client = sdkClient(await listenForSdk(t));
    });
    after(() => t.close());

    it('uploads an image, writes a record with it, reads, updates and deletes the record', async () => {
      const image = await client.okr.image.upload({ data: { data: PNG, target_id: SEED_KR, target_type: 3 } });
      assert.ok(image?.file_token && image.url);
      const bytes = Buffer.from(await (await fetch(image.url)).arrayBuffer());
      assert.deepEqual(bytes, PNG);

      const content = {
        blocks: [
          {
            type: 'paragraph' as const,
            paragraph: {
              elements: [
                { type: 'textRun' as const, textRun: { text: '进展 ', style: { bold: true } } },
                { type: 'person' as const, person: { openId: demoUser('liusan').open_id } },
              ],
            },
          },
          {
            type: 'gallery' as const,
            gallery: { imageList: [{ fileToken: image.file_token, src: image.url, width: 1, height: 1 }] },
          },
        ],
      };
      const created = await client.okr.progressRecord.create({
        data: {
          source_title: 'SDK',
          source_url: 'https://example.com/sdk',
          target_id: SEED_KR,
          target_type: 3,
          content,
          progress_rate: { percent: 88.8, status: 0 },
        },
      });
      assert.equal(created.code, 0);
      const id = created.data!.progress_id!;
      assert.deepEqual(created.data?.content, content);

      const got = await client.okr.progressRecord.get({ path: { progress_id: id } });
      assert.deepEqual(got.data, created.data);

      const updated = await client.okr.progressRecord.update({
        path: { progress_id: id },
        data: { content: { blocks: [] }, progress_rate: { percent: 90, status: 1 } },
      });
      assert.deepEqual(updated.data?.progress_rate, { percent: 90, status: 1 });

      const okr = await client.okr.okr.batchGet({ params: { okr_ids: [SEED_OKR] } });
      const kr = okr.data!.okr_list![0]!.objective_list![0]!.kr_list![0]!;
      assert.equal(kr.progress_record_list![0]!.id, id);
      assert.deepEqual(kr.progress_rate, { percent: 90, status: '1' });

      const deleted = await client.okr.progressRecord.delete({ path: { progress_id: id } });
      assert.deepEqual(deleted, { code: 0, msg: 'success' });
      const gone = await rejection(client.okr.progressRecord.get({ path: { progress_id: id } }));
      assert.deepEqual([gone.status, gone.data.code], [400, 1001004]);
    });

    it('rejects a refused image upload with the Feishu envelope', async () => {
      const refused = await rejection(
        client.okr.image.upload({ data: { data: Buffer.from('not an image'), target_id: SEED_KR, target_type: 3 } }),
      );
      assert.deepEqual([refused.status, refused.data.code], [400, 1001001]);
    });

    it('creates and patches periods', async () => {
      const rule = (demoTables as unknown as { periods: { rule_id: string }[] }).periods[0]!.rule_id;
      const created = await client.okr.period.create({ data: { period_rule_id: rule, start_month: '2023-01' } });
      assert.deepEqual(created.data, {
        period_id: created.data!.period_id,
        start_month: '2023-01',
        end_month: '2023-01',
      });
      const conflict = await rejection(
        client.okr.period.create({ data: { period_rule_id: rule, start_month: '2023-01' } }),
      );
      assert.deepEqual([conflict.status, conflict.data.code], [400, 1001008]);
      const patched = await client.okr.period.patch({
        path: { period_id: created.data!.period_id! },
        data: { status: 3 },
      });
      assert.deepEqual(patched.data, { period_id: created.data!.period_id, status: 3 });
    });
  });
}
