// v2 progress lists (spec §4.7): the v1 progress records of an objective or key result, newest-modified first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PeriodRow } from '../../../src/store/rows.js';
import { writeTenant } from '../../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/db.js';
import { newWorld, type Person, type World } from '../../helpers/factories.js';

const V2 = '/open-apis/okr/v2';
const RECORDS = '/open-apis/okr/v1/progress_records';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3c6d9d80000000049454e44ae426082',
  'hex',
);

for (const dialect of DIALECTS) {
  describe(`v2 progress lists [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    const send = async (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload ?? {}),
      });
      return { status: res.statusCode, body: res.json() };
    };
    /** A v1 progress record on an objective (2) or key result (3); its id. */
    const record = async (
      w: World,
      type: 2 | 3,
      targetId: string,
      o: { content?: object; progress_rate?: object } = {},
    ): Promise<string> => {
      const { body } = await send('POST', RECORDS, await w.tenantToken(), {
        source_title: 'weekly',
        source_url: 'https://okrd.example.com/w',
        target_id: targetId,
        target_type: type,
        content: o.content ?? { blocks: [] },
        ...(o.progress_rate ? { progress_rate: o.progress_rate } : {}),
      });
      assert.equal(body.code, 0, JSON.stringify(body));
      return body.data.progress_id;
    };
    const setup = async () => {
      const w = await newWorld(t);
      const owner = await w.person();
      const period: PeriodRow = await w.period('2026-01');
      const cycle = await w.cycle(owner, period);
      const objective = await w.objective(cycle);
      const kr = await w.keyResult(objective);
      return { w, owner, period, cycle, objective, kr };
    };
    const progresses = (kind: 'objectives' | 'key_results', id: string, token: string, query = '') =>
      t.get(`${V2}/${kind}/${id}/progresses${query}`, token);
    const mentioning = (p: Person, text: string) => ({
      blocks: [
        {
          type: 'paragraph',
          paragraph: {
            elements: [
              { type: 'textRun', textRun: { text } },
              { type: 'person', person: { openId: p.open_id } },
            ],
          },
        },
      ],
    });

    it('shows a record written through v1 with the same content in v2 shape, mentions in user_id_type', async () => {
      const { w, owner, objective, kr } = await setup();
      const colleague = await w.person();
      const token = await w.tenantToken();
      const boundary = 'okrdv2progress';
      const upload = await t.app.inject({
        method: 'POST',
        url: '/open-apis/okr/v1/images/upload',
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: application/octet-stream\r\n\r\n`,
          ),
          PNG,
          Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="target_id"\r\n\r\n${kr}`),
          Buffer.from(
            `\r\n--${boundary}\r\nContent-Disposition: form-data; name="target_type"\r\n\r\n3\r\n--${boundary}--\r\n`,
          ),
        ]),
      });
      const image = upload.json().data as { file_token: string; url: string };
      assert.ok(image.file_token, upload.body);

      t.clock.now += 60_000;
      const created = t.clock.now;
      const v1Content = {
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
                { type: 'person', person: { openId: colleague.open_id } },
              ],
            },
          },
          {
            type: 'gallery',
            gallery: { imageList: [{ fileToken: image.file_token, src: image.url, width: 640.5, height: 480 }] },
          },
        ],
      };
      const id = await record(w, 3, kr, { content: v1Content, progress_rate: { percent: 72.5, status: 2 } });
      const v2Content = (mention: string) => ({
        blocks: [
          {
            block_element_type: 'paragraph',
            paragraph: {
              style: { list: { list_type: 'number', indent_level: 2, number: 3 } },
              elements: [
                {
                  paragraph_element_type: 'textRun',
                  text_run: {
                    text: '完成接口联调 ',
                    style: {
                      bold: true,
                      strike_through: false,
                      back_color: { red: 255, green: 240, blue: 0, alpha: 0.5 },
                      text_color: { red: 0, green: 0, blue: 0, alpha: 1 },
                      link: { url: 'https://example.com/pr/1' },
                    },
                  },
                },
                {
                  paragraph_element_type: 'docsLink',
                  docs_link: { url: 'https://example.feishu.cn/docx/abc', title: '联调文档' },
                },
                { paragraph_element_type: 'mention', mention: { user_id: mention } },
              ],
            },
          },
          {
            block_element_type: 'gallery',
            gallery: { images: [{ file_token: image.file_token, src: image.url, width: 640.5, height: 480 }] },
          },
        ],
      });

      const { status, body } = await progresses('key_results', kr, token);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: {
          has_more: false,
          items: [
            {
              id,
              create_time: String(created),
              update_time: String(created),
              owner: { owner_type: 'user', user_id: owner.open_id },
              entity_type: 3,
              entity_id: kr,
              content: v2Content(colleague.open_id),
              progress_rate: { progress_percent: 72.5, progress_status: 2 },
            },
          ],
        },
      });
      const byUnion = await progresses('key_results', kr, token, '?user_id_type=union_id');
      assert.deepEqual(byUnion.body.data.items[0].content, v2Content(colleague.union_id));
      assert.deepEqual(byUnion.body.data.items[0].owner, { owner_type: 'user', user_id: owner.union_id });
      const byEmployee = await progresses('key_results', kr, token, '?user_id_type=user_id');
      assert.deepEqual(byEmployee.body.data.items[0].content, v2Content(colleague.employee_id));

      // v1 still reads it back as written.
      const v1 = await send('GET', `${RECORDS}/${id}`, token);
      assert.deepEqual(v1.body.data.content, v1Content);

      // An update moves it to update_time; the objective's list holds only the objective's records.
      t.clock.now += 60_000;
      await send('PUT', `${RECORDS}/${id}`, token, { content: mentioning(colleague, 'again ') });
      const onObjective = await record(w, 2, objective, { progress_rate: { status: 0 } });
      const updated = await progresses('key_results', kr, token);
      assert.deepEqual(updated.body.data.items[0], {
        id,
        create_time: String(created),
        update_time: String(t.clock.now),
        owner: { owner_type: 'user', user_id: owner.open_id },
        entity_type: 3,
        entity_id: kr,
        content: {
          blocks: [
            {
              block_element_type: 'paragraph',
              paragraph: {
                elements: [
                  { paragraph_element_type: 'textRun', text_run: { text: 'again ' } },
                  { paragraph_element_type: 'mention', mention: { user_id: colleague.open_id } },
                ],
              },
            },
          ],
        },
        progress_rate: { progress_percent: 72.5, progress_status: 2 },
      });
      const objectiveList = await progresses('objectives', objective, token);
      assert.deepEqual(objectiveList.body.data, {
        has_more: false,
        items: [
          {
            id: onObjective,
            create_time: String(t.clock.now),
            update_time: String(t.clock.now),
            owner: { owner_type: 'user', user_id: owner.open_id },
            entity_type: 2,
            entity_id: objective,
            content: { blocks: [] },
            progress_rate: { progress_status: 0 },
          },
        ],
      });
    });

    it('leaves progress_rate out of a record without one', async () => {
      const { w, kr } = await setup();
      await record(w, 3, kr);
      const { body } = await progresses('key_results', kr, await w.tenantToken());
      assert.equal(body.data.items.length, 1);
      assert.ok(!('progress_rate' in body.data.items[0]));
    });

    it('pages newest-modified first (ties by id) until the end, in a fixed number of statements per page', async () => {
      const { w, kr, objective } = await setup();
      const people: Person[] = [];
      for (let i = 0; i < 4; i++) people.push(await w.person());
      const made: string[] = [];
      for (let i = 0; i < 12; i++) {
        if (i % 3 === 0) t.clock.now += 1000;
        made.push(
          await record(w, 3, kr, { content: mentioning(people[i % 4]!, `r${i}`), progress_rate: { percent: i } }),
        );
      }
      await record(w, 2, objective);
      const token = await w.tenantToken();
      await progresses('key_results', kr, token, '?page_size=5');
      const seen: string[] = [];
      const statements: number[] = [];
      let pageToken: string | undefined;
      for (;;) {
        const before = t.statements.count;
        const { body } = await progresses(
          'key_results',
          kr,
          token,
          `?page_size=5${pageToken ? `&page_token=${pageToken}` : ''}`,
        );
        statements.push(t.statements.count - before);
        assert.equal(body.code, 0);
        seen.push(...body.data.items.map((r: { id: string }) => r.id));
        if (!body.data.has_more) {
          assert.equal(body.data.page_token, undefined);
          break;
        }
        assert.equal(body.data.items.length, 5);
        pageToken = body.data.page_token;
      }
      // Created in id order, several per millisecond: newest time first, and within one time the larger id first.
      assert.deepEqual(seen, [...made].reverse());
      assert.equal(statements.length, 3);
      assert.equal(new Set(statements).size, 1, `statements per page: ${statements.join(', ')}`);
      const before = t.statements.count;
      const all = await progresses('key_results', kr, token, '?page_size=100');
      assert.equal(all.body.data.items.length, 12);
      assert.equal(t.statements.count - before, statements[0], 'as many for 12 records and 4 people as for 5');
    });

    describe('refuses', () => {
      it('a reader who may not see the OKR (1001002), and a token without a progress read scope', async () => {
        const { w, owner, cycle, kr, objective } = await setup();
        await record(w, 3, kr);
        const boss = await w.person();
        const outsider = await w.person();
        await writeTenant(t.db, w.tenantId, async (tx) => {
          await tx.run('UPDATE users SET leader_id = ? WHERE id = ? AND tenant_id = ?', [
            boss.ref,
            owner.ref,
            w.tenantId,
          ]);
          await tx.run("UPDATE okrs SET visibility = 'leaders' WHERE id = ? AND tenant_id = ?", [cycle, w.tenantId]);
        });
        for (const [kind, id] of [
          ['key_results', kr],
          ['objectives', objective],
        ] as const) {
          const denied = await progresses(kind, id, await outsider.token());
          assert.deepEqual([denied.status, denied.body.code], [400, 1001002]);
          assert.equal((await progresses(kind, id, await boss.token())).body.code, 0);
          assert.equal((await progresses(kind, id, await owner.token())).body.code, 0);
        }
        const reader = await newWorld(t, { scopes: ['okr:okr.content:readonly'] });
        const noScope = await progresses('key_results', kr, await reader.tenantToken());
        assert.deepEqual([noScope.status, noScope.body.code], [400, 99991672]);
      });

      it('unknown ids, ids of the other kind and hidden periods (1001004)', async () => {
        const { w, owner, kr, objective } = await setup();
        const hidden = await w.period('2026-02', 3);
        const hiddenObjective = await w.objective(await w.cycle(owner, hidden));
        const token = await w.tenantToken();
        for (const [kind, id, field] of [
          ['objectives', '4242', 'objective_id'],
          ['key_results', '4242', 'key_result_id'],
          ['objectives', kr, 'objective_id'],
          ['key_results', objective, 'key_result_id'],
          ['objectives', hiddenObjective, 'objective_id'],
        ] as const) {
          const { status, body } = await progresses(kind, id, token);
          assert.deepEqual([status, body.code], [400, 1001004], `${kind} ${id}`);
          assert.match(body.msg, new RegExp(`${field} ${id}`));
        }
        const stranger = await newWorld(t);
        assert.equal((await progresses('objectives', objective, await stranger.tenantToken())).body.code, 1001004);
      });

      it('a page_token this server did not issue, and page_size 101 (1001001)', async () => {
        const { w, kr } = await setup();
        const token = await w.tenantToken();
        for (const [query, field] of [
          ['?page_token=abc', /page_token/],
          ['?page_size=101', /page_size/],
        ] as const) {
          const { status, body } = await progresses('key_results', kr, token, query);
          assert.deepEqual([status, body.code], [400, 1001001]);
          assert.match(body.msg, field);
          assert.equal(body.error.field_violations.length, 1);
        }
      });
    });
  });
}
