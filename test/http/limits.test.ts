/**
 * One test per limit of src/http/limits.ts and the contracts (docs/operations.md "Limits"): the exact answer a client
 * gets, and nothing written. Framework refusals (body size, content type, bad JSON, percent-encoding, parameter
 * length, header size) answer in okrd's shapes, not Fastify's.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  BODY_MAX_BYTES,
  HEADER_MAX_BYTES,
  JSON_MAX_DEPTH,
  LIST_MAX_ITEMS,
  NUMBER_MAX_ABS,
  PARAM_MAX_LENGTH,
  STRING_MAX_LENGTH,
} from '../../src/http/limits.js';
import { MAX_DOCUMENT_IMAGES } from '../../src/services/rich-text.mapper.js';
import { WINDOW_MS } from '../../src/services/rate-limit-buckets.js';
import { MemoryRateLimiter } from '../../src/services/rate-limit.service.js';
import { STATEMENT_CACHE_MAX } from '../../src/store/postgres.driver.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS, freshDb } from '../helpers/db.js';
import { newWorld } from '../helpers/factories.js';

const SEED_KR = '7073360471990140948';
const RECORDS = '/open-apis/okr/v1/progress_records';
const TENANT_TOKEN_URL = '/open-apis/auth/v3/tenant_access_token/internal';

/** Asserts the whole 1001001 envelope of `res`: status, message, the one field violation, the log id. */
function refused(res: LightMyRequestResponse, status: number, field: string, description: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json; charset=utf-8/);
  assert.deepEqual(res.json(), {
    code: 1001001,
    msg: `invalid parameters: ${field}: ${description}`,
    error: { log_id: res.headers['x-tt-logid'], field_violations: [{ field, description }] },
  });
}

/** A minimal valid v1 progress record body around `content` (raw JSON text). */
const recordBody = (content: string) =>
  `{"source_title":"t","source_url":"https://a.test/1","target_id":"${SEED_KR}","target_type":3,"content":${content}}`;

for (const dialect of DIALECTS) {
  describe(`request limits [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    const records = () => t.db.read((tx) => tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM progress_records'));
    const post = (url: string, payload: string, type = 'application/json') =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        payload,
      });
    /** Posts a record and asserts it was refused with exactly this field and rule, and that nothing was stored. */
    const recordRefused = async (content: string, field: string, description: string, status = 400) => {
      const before = await records();
      refused(await post(RECORDS, recordBody(content)), status, field, description);
      assert.deepEqual(await records(), before);
    };

    before(async () => {
      t = await testApp(dialect, { config: { rateLimitPerMinute: 0 } });
      token = await t.tenantToken();
    });
    after(() => t.close());

    it(`refuses a JSON body over ${BODY_MAX_BYTES} bytes with 413`, async () => {
      const res = await post(RECORDS, recordBody(JSON.stringify({ blocks: [] }).padEnd(BODY_MAX_BYTES + 1, ' ')));
      refused(res, 413, 'body', 'is larger than this endpoint accepts');
    });

    it('refuses bad JSON, an empty JSON body and other content types, naming the body or content-type', async () => {
      refused(await post(RECORDS, '{"a":'), 400, 'body', 'is not valid JSON');
      refused(await post(RECORDS, ''), 400, 'body', 'must not be empty when content-type is application/json');
      refused(
        await post(RECORDS, '<a/>', 'application/xml'),
        415,
        'content-type',
        'must be application/json (multipart/form-data for uploads)',
      );
    });

    it(`refuses nesting deeper than ${JSON_MAX_DEPTH} levels, even in keys the contract does not know`, async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      await recordRefused(
        `{"blocks":[],"extra":${deep}}`,
        `content.extra${'[0]'.repeat(JSON_MAX_DEPTH - 2)}`,
        `must not be nested more than ${JSON_MAX_DEPTH} levels deep`,
      );
    });

    it(`refuses strings over ${STRING_MAX_LENGTH} characters and lists over ${LIST_MAX_ITEMS} items anywhere`, async () => {
      await recordRefused(
        `{"blocks":[],"x":${JSON.stringify('a'.repeat(STRING_MAX_LENGTH + 1))}}`,
        'content.x',
        `must NOT have more than ${STRING_MAX_LENGTH} characters`,
      );
      await recordRefused(
        `{"blocks":[${'{},'.repeat(LIST_MAX_ITEMS)}{}]}`,
        'content.blocks',
        `must NOT have more than ${LIST_MAX_ITEMS} items`,
      );
    });

    it('refuses non-finite and huge numbers, naming the field, also where a string is coerced to one', async () => {
      for (const n of ['1e400', '-1e400', '1e20', '"1e400"']) {
        const before = await records();
        const body = recordBody('{"blocks":[]}').replace(/}$/, `,"progress_rate":{"percent":${n}}}`);
        refused(
          await post(RECORDS, body),
          400,
          'progress_rate.percent',
          `must be a finite number of magnitude at most ${NUMBER_MAX_ABS}`,
        );
        assert.deepEqual(await records(), before);
      }
      const query = await t.app.inject({
        method: 'GET',
        url: '/open-apis/okr/v2/categories?page_size=1e400',
        headers: { authorization: `Bearer ${token}` },
      });
      refused(query, 400, 'page_size', `must be a finite number of magnitude at most ${NUMBER_MAX_ABS}`);
    });

    it('refuses unpaired surrogates (half a UTF-16 pair, which UTF-8 cannot store), naming the field', async () => {
      const rule = 'must not contain an unpaired surrogate (half of a \\uD800-\\uDFFF pair)';
      for (const text of ['\\ud800', 'a\\udfff b', '\\udc00\\ud800']) {
        await recordRefused(
          `{"blocks":[{"paragraph":{"elements":[{"textRun":{"text":"${text}"}}]}}]}`,
          'content.blocks[0].paragraph.elements[0].textRun.text',
          rule,
        );
      }
      // A whole pair (an emoji) is a character like any other.
      const before = (await records())!.n;
      const ok = await post(
        RECORDS,
        recordBody('{"blocks":[{"paragraph":{"elements":[{"textRun":{"text":"\\ud83d\\ude00"}}]}}]}'),
      );
      assert.equal(ok.statusCode, 200, ok.body);
      assert.ok(ok.body.includes('\u{1F600}'), `the emoji comes back: ${ok.body}`);
      assert.equal((await records())!.n, before + 1, 'the record with an emoji is stored');
    });

    it('refuses NUL characters in bodies, queries and path parameters, on open endpoints too', async () => {
      await recordRefused(
        '{"blocks":[{"paragraph":{"elements":[{"textRun":{"text":"a\\u0000b"}}]}}]}',
        'content.blocks[0].paragraph.elements[0].textRun.text',
        'must not contain NUL (\\u0000) characters',
      );
      const auth = { authorization: `Bearer ${token}` };
      const query = await t.app.inject({
        method: 'GET',
        url: '/open-apis/okr/v1/periods?page_token=a%00',
        headers: auth,
      });
      refused(query, 400, 'page_token', 'must not contain NUL (\\u0000) characters');
      const path = await t.app.inject({ method: 'GET', url: '/open-apis/okr/v1/users/a%00/okrs', headers: auth });
      refused(path, 400, 'user_id', 'must not contain NUL (\\u0000) characters');
      // Open endpoints: the signed image URL, the token endpoints (HTTP 200, 10003), OAuth, the sign-in page.
      refused(
        await t.app.inject({ method: 'GET', url: '/okrd/images/a%00?sig=x' }),
        400,
        'file_token',
        'must not contain NUL (\\u0000) characters',
      );
      const tokenRes = await t.app.inject({
        method: 'POST',
        url: TENANT_TOKEN_URL,
        payload: { app_id: 'cli\u0000', app_secret: 'x' },
      });
      assert.equal(tokenRes.statusCode, 200);
      assert.deepEqual(tokenRes.json(), {
        code: 10003,
        msg: 'invalid param: app_id: must not contain NUL (\\u0000) characters',
        data: {},
      });
      const oauth = await t.app.inject({
        method: 'POST',
        url: '/open-apis/authen/v2/oauth/token',
        payload: { grant_type: 'authorization_code', code: 'c\u0000' },
      });
      assert.equal(oauth.statusCode, 400);
      assert.deepEqual(oauth.json(), {
        code: 20001,
        error: 'invalid_request',
        error_description: 'code: must not contain NUL (\\u0000) characters',
      });
      const page = await t.app.inject({ method: 'GET', url: '/okrd/sign-in?return_to=%00' });
      assert.equal(page.statusCode, 400);
      assert.match(String(page.headers['content-type']), /^text\/html/);
    });

    it('answers bad percent-encoding and over-long path parameters in the envelope, not Fastify’s format', async () => {
      const auth = { authorization: `Bearer ${token}` };
      const bad = await t.app.inject({ method: 'GET', url: '/open-apis/okr/v1/users/%E0%A4%A/okrs', headers: auth });
      refused(bad, 400, 'path', 'is not valid percent-encoded UTF-8');
      const long = await t.app.inject({
        method: 'GET',
        url: `/open-apis/okr/v1/users/${'a'.repeat(PARAM_MAX_LENGTH + 1)}/okrs`,
        headers: auth,
      });
      refused(long, 400, 'user_id', `must NOT have more than ${PARAM_MAX_LENGTH} characters`);
      const tokenRes = await t.app.inject({ method: 'POST', url: `${TENANT_TOKEN_URL}%E0%A4%A` });
      refused(tokenRes, 400, 'path', 'is not valid percent-encoded UTF-8'); // not the token endpoint's path
    });

    it(`refuses headers over ${HEADER_MAX_BYTES} bytes with 431 and the envelope, on a real socket`, async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as { port: number }).port;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.on('data', (c) => chunks.push(c));
        socket.on('error', reject);
        socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
        socket.write(
          `GET /open-apis/okr/v1/periods HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(HEADER_MAX_BYTES)}\r\n\r\n`,
        );
      });
      const [head, body] = answer.split('\r\n\r\n');
      assert.match(head!, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
      const id = /\r\nX-Tt-Logid: (\w+)/.exec(head!)![1];
      const description = `must NOT have more than ${HEADER_MAX_BYTES} bytes (request line included)`;
      assert.deepEqual(JSON.parse(body!), {
        code: 1001001,
        msg: `invalid parameters: headers: ${description}`,
        error: { log_id: id, field_violations: [{ field: 'headers', description }] },
      });
    });

    it(`refuses documents showing more than ${MAX_DOCUMENT_IMAGES} different images (v1 and v2)`, async () => {
      // Galleries of 50 (the contract's bound per gallery), different tokens throughout.
      const images = (n: number, v1: boolean) =>
        JSON.stringify({
          blocks: Array.from({ length: Math.ceil(n / 50) }, (_, b) => {
            const tokens = Array.from({ length: Math.min(50, n - 50 * b) }, (_, i) => `f${50 * b + i}`);
            return {
              gallery: v1
                ? { imageList: tokens.map((fileToken) => ({ fileToken })) }
                : { images: tokens.map((file_token) => ({ file_token })) },
            };
          }),
        });
      await recordRefused(
        images(MAX_DOCUMENT_IMAGES + 1, true),
        'content',
        `at most ${MAX_DOCUMENT_IMAGES} different images may be shown`,
      );
      const w = await newWorld(t);
      const boss = await w.person({ employee_id: 'boss' });
      const cycle = await w.cycle(boss, await w.period('2026-01'));
      const res = await t.app.inject({
        method: 'POST',
        url: `/open-apis/okr/v2/cycles/${cycle}/objectives`,
        headers: { authorization: `Bearer ${await boss.token()}`, 'content-type': 'application/json' },
        payload: `{"content":${images(MAX_DOCUMENT_IMAGES + 1, false)}}`,
      });
      refused(res, 400, 'content', `at most ${MAX_DOCUMENT_IMAGES} different images may be shown`);
    });

    it('drops keys outside the rich-text model, inside links and colours too (v1 and v2)', async () => {
      const v1 = await post(
        RECORDS,
        recordBody(
          '{"blocks":[{"type":"paragraph","paragraph":{"elements":[{"type":"textRun","textRun":{"text":"a",' +
            '"style":{"link":{"url":"https://a.test","evil":"x"},"textColor":{"red":1,"evil":2}}}},' +
            '{"type":"docsLink","docsLink":{"url":"https://d.test","title":"d","evil":"x"}}]}}]}',
        ),
      );
      assert.equal(v1.json().code, 0, v1.body);
      const stored = await t.db.read((tx) =>
        tx.get<{ content: string }>('SELECT content FROM progress_records WHERE id = ?', [v1.json().data.progress_id]),
      );
      assert.deepEqual(JSON.parse(stored!.content), {
        blocks: [
          {
            block_element_type: 'paragraph',
            paragraph: {
              elements: [
                {
                  paragraph_element_type: 'textRun',
                  text_run: { text: 'a', style: { link: { url: 'https://a.test' }, text_color: { red: 1 } } },
                },
                { paragraph_element_type: 'docsLink', docs_link: { url: 'https://d.test', title: 'd' } },
              ],
            },
          },
        ],
      });
      const w = await newWorld(t);
      const boss = await w.person({ employee_id: 'boss' });
      const cycle = await w.cycle(boss, await w.period('2026-02'));
      const v2 = await t.app.inject({
        method: 'POST',
        url: `/open-apis/okr/v2/cycles/${cycle}/objectives`,
        headers: { authorization: `Bearer ${await boss.token()}` },
        payload: {
          content: {
            blocks: [
              {
                block_element_type: 'paragraph',
                evil: 1,
                paragraph: {
                  elements: [
                    {
                      paragraph_element_type: 'textRun',
                      text_run: { text: 'b', evil: 2, style: { link: { url: 'https://b.test', evil: 'x' } } },
                    },
                  ],
                },
              },
            ],
          },
        },
      });
      assert.equal(v2.json().code, 0, v2.body);
      const objective = await t.db.read((tx) =>
        tx.get<{ content: string }>('SELECT content FROM objectives WHERE okr_id = ?', [cycle]),
      );
      assert.deepEqual(JSON.parse(objective!.content), {
        blocks: [
          {
            block_element_type: 'paragraph',
            paragraph: {
              elements: [
                {
                  paragraph_element_type: 'textRun',
                  text_run: { text: 'b', style: { link: { url: 'https://b.test' } } },
                },
              ],
            },
          },
        ],
      });
    });
  });
}

describe('bounded memory of request-shaped keys', () => {
  it('keeps at most maxBuckets rate-limit buckets in memory, past windows going first', async () => {
    const limiter = new MemoryRateLimiter(10);
    await limiter.hit('kept', 0);
    await limiter.hit('kept', 1);
    for (let i = 0; i < 9; i++) await limiter.hit(`old ${i}`, 2);
    // A new window: the past one's buckets make room, the new one's count is its own.
    for (let i = 0; i < 100; i++) await limiter.hit(`new ${i}`, WINDOW_MS + i);
    assert.ok(limiter.size <= 10, `${limiter.size} buckets`);
    assert.deepEqual(await limiter.hit('new 99', WINDOW_MS + 200), { count: 2, resetAt: 2 * WINDOW_MS });
  });

  if (DIALECTS.includes('postgres')) {
    it(`prepares at most ${STATEMENT_CACHE_MAX} named statements per PostgreSQL connection, whatever the IN lists`, async () => {
      const { db, drop } = await freshDb('postgres');
      try {
        const prepared = await db.read(async (tx) => {
          for (let n = 1; n <= STATEMENT_CACHE_MAX + 300; n++) {
            const rows = await tx.all<{ n: number }>(
              `SELECT COUNT(*) AS n FROM tenants WHERE id IN (${Array(n).fill('?').join(', ')})`,
              Array.from({ length: n }, (_, i) => String(i)),
            );
            assert.equal(Number(rows[0]!.n), 0);
          }
          return tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM pg_prepared_statements');
        });
        assert.ok(Number(prepared!.n) <= STATEMENT_CACHE_MAX, `${prepared!.n} prepared`);
      } finally {
        await drop();
      }
    });
  }
});
