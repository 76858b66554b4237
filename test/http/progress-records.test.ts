import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoOkrsOf, demoTables, demoUser } from '../helpers/demo.js';

const PATH = '/open-apis/okr/v1/progress_records';
const SEED_OKR = '7072252816005349396';
const SEED_KR = '7073360471990140948';
const SEED_OBJECTIVE = '7073360513731690515';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3c6d9d80000000049454e44ae426082',
  'hex',
);

/** A v1 document using every feature of the rich-text model. */
function richContent(mentionOpenId: string, fileToken: string, src: string) {
  return {
    blocks: [
      {
        type: 'paragraph',
        paragraph: {
          style: { list: { type: 'number', indentLevel: 2, number: 3 } },
          elements: [
            {
              type: 'textRun',
              textRun: {
                text: '完成接口联调 ',
                style: {
                  bold: true,
                  strikeThrough: false,
                  backColor: { red: 255, green: 240, blue: 0, alpha: 0.5 },
                  textColor: { red: 0, green: 0, blue: 0, alpha: 1 },
                  link: { url: 'https://example.com/pr/1' },
                },
              },
            },
            { type: 'docsLink', docsLink: { url: 'https://example.feishu.cn/docx/abc', title: '联调文档' } },
            { type: 'person', person: { openId: mentionOpenId } },
          ],
        },
      },
      {
        type: 'paragraph',
        paragraph: {
          style: { list: { type: 'checkedBox' } },
          elements: [{ type: 'textRun', textRun: { text: '上线' } }],
        },
      },
      { type: 'gallery', gallery: { imageList: [{ fileToken, src, width: 640.5, height: 480 }] } },
    ],
  };
}

for (const dialect of DIALECTS) {
  describe(`progress records [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    let image: { file_token: string; url: string };
    const liusan = demoUser('liusan');

    const send = async (method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, payload: unknown, bearer = token) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload ?? {}),
      });
      return { status: res.statusCode, body: res.json() };
    };
    const recordCount = async () =>
      Number((await t.db.read((tx) => tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM progress_records')))!.n);
    const krRow = async (id = SEED_KR) =>
      t.db.read((tx) =>
        tx.get<Record<string, number>>(
          `SELECT progress_percent, progress_status, progress_rate_percent_last_updated_time AS percent_time,
                  progress_rate_status_last_updated_time AS status_time, progress_record_last_updated_time AS record_time
             FROM key_results WHERE id = ?`,
          [id],
        ),
      );
    const userToken = async (employeeId: string) => {
      const auth = t.services.auth;
      return (await auth.issueUserToken(DEMO_TENANT_ID, 'cli_okrd_demo', demoUser(employeeId).id, 3600)).token;
    };

    before(async () => {
      t = await testApp(dialect);
      token = await t.tenantToken();
      const boundary = 'okrdtestboundary';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        PNG,
        Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="target_id"\r\n\r\n${SEED_KR}`),
        Buffer.from(
          `\r\n--${boundary}\r\nContent-Disposition: form-data; name="target_type"\r\n\r\n3\r\n--${boundary}--\r\n`,
        ),
      ]);
      const res = await t.app.inject({
        method: 'POST',
        url: '/open-apis/okr/v1/images/upload',
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
      image = res.json().data;
    });
    after(() => t.close());

    it('creates a record with every rich-text feature, returns it exactly, and updates the key result', async () => {
      t.clock.now += 60_000;
      const content = richContent(liusan.open_id, image.file_token, image.url);
      const { status, body } = await send('POST', PATH, {
        source_title: '周报系统',
        source_url: 'https://okrd.example.com/weekly/1',
        source_url_pc: 'https://okrd.example.com/pc/1',
        source_url_mobile: 'https://okrd.example.com/m/1',
        target_id: SEED_KR,
        target_type: 3,
        content,
        progress_rate: { percent: 72.5, status: 2 },
      });
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(Object.keys(body), ['code', 'msg', 'data']);
      assert.equal(body.code, 0);
      const id = body.data.progress_id;
      assert.match(id, /^[1-9]\d{18}$/);
      assert.deepEqual(body.data, {
        progress_id: id,
        modify_time: String(t.clock.now),
        content,
        progress_rate: { percent: 72.5, status: 2 },
      });

      const row = await t.db.read((tx) =>
        tx.get<Record<string, unknown>>('SELECT * FROM progress_records WHERE id = ?', [id]),
      );
      assert.equal(row!.okr_id, SEED_OKR);
      assert.equal(row!.target_type, 3);
      assert.equal(row!.source_url_pc, 'https://okrd.example.com/pc/1');
      assert.equal(row!.progress_percent, 72.5);
      assert.ok(String(row!.content).includes(`"user_id":"${liusan.id}"`), 'mentions are stored by internal user id');
      assert.deepEqual(await krRow(), {
        progress_percent: 72.5,
        progress_status: 2,
        percent_time: t.clock.now,
        status_time: t.clock.now,
        record_time: t.clock.now,
      });

      const got = await send('GET', `${PATH}/${id}`, {});
      assert.deepEqual(got.body.data, body.data);

      const okr = (await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${SEED_OKR}`, token)).body.data.okr_list[0];
      const kr = okr.objective_list[0].kr_list[0];
      assert.equal(kr.progress_record_list[0].id, id);
      assert.equal(kr.progress_record_list.length, 5);
      assert.deepEqual(kr.progress_rate, { percent: 73, status: '2' });
      assert.equal(kr.progress_record_last_updated_time, String(t.clock.now));
      assert.equal(kr.progress_rate_percent_last_updated_time, String(t.clock.now));
    });

    it('gives person.userId in the requested id type', async () => {
      const { body } = await send('POST', `${PATH}?user_id_type=union_id`, {
        source_title: 't',
        source_url: 'http://x.test/',
        target_id: SEED_OBJECTIVE,
        target_type: 2,
        content: {
          blocks: [
            { type: 'paragraph', paragraph: { elements: [{ type: 'person', person: { openId: liusan.open_id } }] } },
          ],
        },
      });
      assert.deepEqual(body.data.content.blocks[0].paragraph.elements[0].person, {
        openId: liusan.open_id,
        userId: liusan.union_id,
      });
      assert.equal(body.data.progress_rate, undefined);
    });

    it('replaces content and progress with PUT, keeping the source', async () => {
      const created = await send('POST', PATH, {
        source_title: 'src',
        source_url: 'https://a.test/',
        target_id: SEED_KR,
        target_type: 3,
        content: { blocks: [] },
        progress_rate: { percent: 10, status: 0 },
      });
      const id = created.body.data.progress_id;
      t.clock.now += 60_000;
      const content = {
        blocks: [{ type: 'paragraph', paragraph: { elements: [{ type: 'textRun', textRun: { text: '新内容' } }] } }],
      };
      const { status, body } = await send('PUT', `${PATH}/${id}`, { content, progress_rate: { percent: -12.25 } });
      assert.equal(status, 200);
      assert.deepEqual(body.data, {
        progress_id: id,
        modify_time: String(t.clock.now),
        content,
        progress_rate: { percent: -12.25 },
      });
      const row = await t.db.read((tx) =>
        tx.get<Record<string, unknown>>(
          'SELECT source_title, progress_percent, progress_status, modify_time FROM progress_records WHERE id = ?',
          [id],
        ),
      );
      assert.deepEqual(row, {
        source_title: 'src',
        progress_percent: -12.25,
        progress_status: null,
        modify_time: t.clock.now,
      });
      const kr = await krRow();
      assert.equal(kr!.progress_percent, -12.25);
      assert.equal(kr!.progress_status, 0, 'status untouched when not given');
      assert.equal(kr!.record_time, t.clock.now);
    });

    it('deletes a record, and batch_get no longer lists it', async () => {
      const created = await send('POST', PATH, {
        source_title: 's',
        source_url: 'https://a.test/',
        target_id: SEED_KR,
        target_type: 3,
        content: {},
      });
      const id = created.body.data.progress_id;
      t.clock.now += 60_000;
      const { status, body } = await send('DELETE', `${PATH}/${id}`, {});
      assert.equal(status, 200);
      assert.deepEqual(body, { code: 0, msg: 'success' });
      assert.equal(await t.db.read((tx) => tx.get('SELECT id FROM progress_records WHERE id = ?', [id])), undefined);
      assert.equal((await krRow())!.record_time, t.clock.now);
      const kr = (await t.get(`/open-apis/okr/v1/okrs/batch_get?okr_ids=${SEED_OKR}`, token)).body.data.okr_list[0]
        .objective_list[0].kr_list[0];
      assert.ok(!kr.progress_record_list.some((r: { id: string }) => r.id === id));
      const again = await send('GET', `${PATH}/${id}`, {});
      assert.deepEqual([again.status, again.body.code], [400, 1001004]);
      assert.match(again.body.msg, new RegExp(id));
    });

    describe('refuses bad input with 1001001 naming the field, writing nothing', () => {
      const base = () => ({
        source_title: 's',
        source_url: 'https://a.test/',
        target_id: SEED_KR,
        target_type: 3,
        content: { blocks: [] },
      });
      const cases: [string, () => unknown, RegExp, number?][] = [
        [
          'a source_url without http(s)',
          () => ({ ...base(), source_url: 'ftp://a.test/' }),
          /source_url: must match pattern/,
        ],
        ['a javascript: source_url_pc', () => ({ ...base(), source_url_pc: 'javascript:alert(1)' }), /source_url_pc/],
        ['a missing source_title', () => ({ ...base(), source_title: undefined }), /source_title: is required/],
        ['an empty source_title', () => ({ ...base(), source_title: '' }), /source_title/],
        ['a missing content', () => ({ ...base(), content: undefined }), /content: is required/],
        [
          'target_type 4',
          () => ({ ...base(), target_type: 4 }),
          /target_type: must be equal to one of the allowed values \(2, 3\)/,
        ],
        ['a malformed target_id', () => ({ ...base(), target_id: '12ab' }), /target_id/],
        ['an unknown target', () => ({ ...base(), target_id: '1234' }), /target_id 1234/, 1001004],
        ['a key result id sent as an objective', () => ({ ...base(), target_type: 2 }), /target_id/, 1001004],
        [
          'three decimals of percent',
          () => ({ ...base(), progress_rate: { percent: 1.234 } }),
          /progress_rate.percent: at most two decimal places/,
        ],
        ['a percent out of range', () => ({ ...base(), progress_rate: { percent: 1e12 } }), /progress_rate.percent/],
        ['status 5', () => ({ ...base(), progress_rate: { status: 5 } }), /progress_rate.status/],
        ['a string status', () => ({ ...base(), progress_rate: { status: 'late' } }), /progress_rate.status/],
        [
          'indentLevel 17',
          () => ({ ...base(), content: { blocks: [{ paragraph: { style: { list: { indentLevel: 17 } } } }] } }),
          /content.blocks\[0\].paragraph.style.list.indentLevel/,
        ],
        [
          'a list type that does not exist',
          () => ({ ...base(), content: { blocks: [{ paragraph: { style: { list: { type: 'roman' } } } }] } }),
          /list.type/,
        ],
        [
          'a colour of 256',
          () => ({
            ...base(),
            content: { blocks: [{ paragraph: { elements: [{ textRun: { style: { textColor: { red: 256 } } } }] } }] },
          }),
          /textColor.red: must be <= 255/,
        ],
        [
          'an unknown person',
          () => ({
            ...base(),
            content: { blocks: [{ paragraph: { elements: [{ type: 'person', person: { openId: 'ou_nobody' } }] } }] },
          }),
          /person.openId ou_nobody/,
        ],
        [
          'an image not uploaded here',
          () => ({
            ...base(),
            content: { blocks: [{ type: 'gallery', gallery: { imageList: [{ fileToken: 'boxNOPE' }] } }] },
          }),
          /fileToken boxNOPE/,
        ],
        [
          'blocks that are not a list',
          () => ({ ...base(), content: { blocks: 'x' } }),
          /content.blocks\[0\]: must be object/,
        ],
      ];
      for (const [label, body, message, code = 1001001] of cases) {
        it(label, async () => {
          const before = await recordCount();
          const kr = await krRow();
          const { status, body: res } = await send('POST', PATH, body());
          assert.equal(status, 400, JSON.stringify(res));
          assert.equal(res.code, code);
          assert.match(res.msg, message);
          assert.equal(await recordCount(), before);
          assert.deepEqual(await krRow(), kr);
        });
      }
    });

    describe('permissions', () => {
      it('lets a user write records on their own key results only', async () => {
        const mine = await userToken('okrd_demo_owner');
        const ok = await send(
          'POST',
          PATH,
          { source_title: 's', source_url: 'https://a.test/', target_id: SEED_KR, target_type: 3, content: {} },
          mine,
        );
        assert.equal(ok.body.code, 0);
        const row = await t.db.read((tx) =>
          tx.get<{ created_by: string }>('SELECT created_by FROM progress_records WHERE id = ?', [
            ok.body.data.progress_id,
          ]),
        );
        assert.equal(row!.created_by, demoUser('okrd_demo_owner').id);

        const other = await userToken('liusan');
        const before = await recordCount();
        const denied = await send(
          'POST',
          PATH,
          { source_title: 's', source_url: 'https://a.test/', target_id: SEED_KR, target_type: 3, content: {} },
          other,
        );
        assert.deepEqual([denied.status, denied.body.code], [400, 1001002]);
        const put = await send('PUT', `${PATH}/${ok.body.data.progress_id}`, { content: {} }, other);
        assert.deepEqual([put.status, put.body.code], [400, 1001002]);
        const del = await send('DELETE', `${PATH}/${ok.body.data.progress_id}`, {}, other);
        assert.deepEqual([del.status, del.body.code], [400, 1001002]);
        assert.equal(await recordCount(), before);
        // Reading is allowed: the OKR is visible to the whole tenant.
        assert.equal((await send('GET', `${PATH}/${ok.body.data.progress_id}`, {}, other)).body.code, 0);
      });

      it('hides records of OKRs restricted to the leader chain', async () => {
        const restricted = demoOkrsOf('huangmei')[1]!;
        const kr = demoTables.key_results.find((k) => k.okr_id === restricted.id)!;
        const owner = await userToken('huangmei');
        const created = await send(
          'POST',
          PATH,
          { source_title: 's', source_url: 'https://a.test/', target_id: kr.id, target_type: 3, content: {} },
          owner,
        );
        assert.equal(created.body.code, 0);
        const denied = await send('GET', `${PATH}/${created.body.data.progress_id}`, {}, await userToken('liusan'));
        assert.deepEqual([denied.status, denied.body.code], [400, 1001002]);
        assert.equal(
          (await send('GET', `${PATH}/${created.body.data.progress_id}`, {}, await userToken('wangwei'))).body.code,
          0,
        );
      });

      it('needs a write scope for a tenant token', async () => {
        const admin = t.services.admin;
        const app = await admin.createApp(DEMO_TENANT_ID, 'reader', ['okr:okr:readonly']);
        const res = await t.app.inject({
          method: 'POST',
          url: '/open-apis/auth/v3/tenant_access_token/internal',
          payload: app,
        });
        const reader = res.json().tenant_access_token;
        const before = await recordCount();
        const denied = await send(
          'POST',
          PATH,
          { source_title: 's', source_url: 'https://a.test/', target_id: SEED_KR, target_type: 3, content: {} },
          reader,
        );
        assert.deepEqual([denied.status, denied.body.code], [400, 99991672]);
        assert.equal(await recordCount(), before);
      });
    });
  });
}
