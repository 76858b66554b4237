// v1 as clients really call it (spec §10, decisions.md OQ-18…25): the URL and parameter forms, languages, token
// answers and document shapes that clients other than the generated SDK methods send.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_APP_ID, DEMO_APP_SECRET, DEMO_TENANT_ID } from '../../src/demo/demo-tenant.js';
import { parseMonth, periodBounds, periodNames } from '../../src/domain/period.js';
import { parseQuery, withoutTrailingSlash } from '../../src/http/lenient-url.js';
import { hashToken } from '../../src/services/secrets.js';
import { insertRow } from '../../src/store/table.repository.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoOkrsOf, demoTables, demoUser } from '../helpers/demo.js';
import { newWorld } from '../helpers/factories.js';

const SEED_OKR = '7072252816005349396';
const SEED_KR = '7073360471990140948';
const SEED_OBJECTIVE = '7073360513731690515';
const BATCH = '/open-apis/okr/v1/okrs/batch_get';
const RECORDS = '/open-apis/okr/v1/progress_records';
const [MARCH, APRIL, MAY] = demoTables.periods.map((p) => p.id) as [string, string, string];
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3c6d9d80000000049454e44ae426082',
  'hex',
);

describe('client URL forms, read once for every route (pure)', () => {
  it('drops one trailing slash of an Open API path, keeping the query', () => {
    assert.equal(withoutTrailingSlash('/open-apis/okr/v1/progress_records/'), '/open-apis/okr/v1/progress_records');
    assert.equal(
      withoutTrailingSlash('/open-apis/okr/v1/periods/?page_size=2'),
      '/open-apis/okr/v1/periods?page_size=2',
    );
    assert.equal(withoutTrailingSlash('//open-apis/okr/v1/periods/'), '//open-apis/okr/v1/periods');
    assert.equal(withoutTrailingSlash('/open-apis/okr/v1/periods?x=/'), '/open-apis/okr/v1/periods?x=/');
  });

  it('leaves other paths and doubled trailing slashes alone', () => {
    for (const url of ['/', '/okrd/openapi.json/', '/open-apis', '/open-apis/okr/v1/periods//', '/x/open-apis/a/']) {
      assert.equal(withoutTrailingSlash(url), url);
    }
  });

  it('reads key[]= as key=, in order, without splitting commas', () => {
    assert.deepEqual({ ...parseQuery('okr_ids[]=1&okr_ids[]=2') }, { okr_ids: ['1', '2'] });
    assert.deepEqual({ ...parseQuery('okr_ids=1&okr_ids=2') }, { okr_ids: ['1', '2'] });
    assert.deepEqual({ ...parseQuery('okr_ids%5B%5D=1&okr_ids=2&okr_ids[]=3') }, { okr_ids: ['1', '2', '3'] });
    assert.deepEqual({ ...parseQuery('okr_ids[]=1&lang=en_us') }, { okr_ids: '1', lang: 'en_us' });
    assert.deepEqual({ ...parseQuery('okr_ids=1,2') }, { okr_ids: '1,2' });
    assert.deepEqual({ ...parseQuery('a=x+y%20z&b=') }, { a: 'x y z', b: '' });
    assert.deepEqual({ ...parseQuery('') }, {});
    assert.equal(Object.getPrototypeOf(parseQuery('__proto__=1')), null);
  });
});

for (const dialect of DIALECTS) {
  describe(`v1 as clients call it [${dialect}]`, () => {
    let t: TestApp;
    let token: string;
    before(async () => {
      t = await testApp(dialect);
      token = await t.tenantToken();
    });
    after(() => t.close());

    const send = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, bearer = token) => {
      const res = await t.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
      });
      return { status: res.statusCode, body: res.body.startsWith('{') ? res.json() : res.body, res };
    };
    const recordCount = async () =>
      Number((await t.db.read((tx) => tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM progress_records')))!.n);
    const uploadPng = async () => {
      const boundary = 'okrdshapes';
      const part = (name: string, value: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const res = await t.app.inject({
        method: 'POST',
        url: '/open-apis/okr/v1/images/upload',
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: application/octet-stream\r\n\r\n`,
          ),
          PNG,
          Buffer.from(`\r\n${part('target_id', SEED_KR)}${part('target_type', '3')}--${boundary}--\r\n`),
        ]),
      });
      return res.json().data as { file_token: string; url: string };
    };

    describe('OQ-18 a trailing slash', () => {
      it('creates a progress record at POST .../progress_records/ as lark-cli sends it', async () => {
        const before = await recordCount();
        const { status, body } = await send('POST', `${RECORDS}/`, {
          source_title: 'lark-cli',
          source_url: 'https://okrd.example.com/cli',
          target_id: SEED_KR,
          target_type: 3,
          content: { blocks: [] },
        });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.code, 0);
        assert.equal(await recordCount(), before + 1);
        const row = await t.db.read((tx) =>
          tx.get<{ source_title: string; target_id: string }>(
            'SELECT source_title, target_id FROM progress_records WHERE id = ?',
            [body.data.progress_id],
          ),
        );
        assert.deepEqual(row, { source_title: 'lark-cli', target_id: SEED_KR });
        // Reading, replacing and deleting it with a trailing slash too.
        const path = `${RECORDS}/${body.data.progress_id}/`;
        assert.deepEqual((await send('GET', path)).body.data, body.data);
        assert.equal((await send('PUT', path, { content: { blocks: [] } })).body.code, 0);
        assert.equal((await send('DELETE', path, {})).body.code, 0);
        assert.equal(await recordCount(), before);
      });

      it('serves reads and the token endpoint with one, behind a doubled leading slash as well', async () => {
        for (const url of [
          '/open-apis/okr/v1/periods/',
          '//open-apis/okr/v1/periods/',
          '/open-apis/okr/v1/periods/?page_size=1',
          `${BATCH}/?okr_ids=${SEED_OKR}`,
          '/open-apis/okr/v1/period_rules/',
        ]) {
          const res = await t.get(url, token);
          assert.equal(res.status, 200, url);
          assert.equal(res.body.code, 0, url);
        }
        for (const url of [
          '/open-apis/auth/v3/tenant_access_token/internal/',
          '//open-apis/auth/v3/tenant_access_token/internal/',
        ]) {
          const res = await t.app.inject({
            method: 'POST',
            url,
            payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
          });
          assert.match(res.json().tenant_access_token, /^t-/, url);
        }
      });

      it('still answers unknown paths, doubled trailing slashes and wrong methods with the text 404', async () => {
        for (const [method, url] of [
          ['GET', '/open-apis/okr/v1/nothing/'],
          ['GET', '/open-apis/okr/v1/periods//'],
          ['GET', '/open-apis/'],
          ['DELETE', '/open-apis/okr/v1/periods/'],
          ['POST', `${BATCH}/?okr_ids=${SEED_OKR}`],
        ] as const) {
          const res = await send(method, url);
          assert.equal(res.status, 404, `${method} ${url}`);
          assert.match(res.res.headers['content-type'] as string, /^text\/plain/);
          assert.equal(res.body, '404 page not found');
        }
      });
    });

    describe('OQ-19 list parameters as key[]=', () => {
      const [other] = demoOkrsOf('lina');

      it('reads okr_ids[] as okr_ids on batch_get, in order, also URL-encoded and mixed', async () => {
        const repeat = await t.get(`${BATCH}?okr_ids=${SEED_OKR}&okr_ids=${other!.id}`, token);
        assert.equal(repeat.body.code, 0);
        assert.deepEqual(
          repeat.body.data.okr_list.map((o: { id: string }) => o.id),
          [SEED_OKR, other!.id],
        );
        for (const query of [
          `okr_ids[]=${SEED_OKR}&okr_ids[]=${other!.id}`,
          `okr_ids%5B%5D=${SEED_OKR}&okr_ids%5B%5D=${other!.id}`,
          `okr_ids=${SEED_OKR}&okr_ids[]=${other!.id}`,
        ]) {
          assert.deepEqual((await t.get(`${BATCH}?${query}`, token)).body, repeat.body, query);
        }
        const one = await t.get(`${BATCH}?okr_ids[]=${SEED_OKR}`, token);
        assert.deepEqual(
          one.body.data.okr_list.map((o: { id: string }) => o.id),
          [SEED_OKR],
        );
      });

      it('does not split comma-joined values', async () => {
        const { status, body } = await t.get(`${BATCH}?okr_ids=${SEED_OKR},${other!.id}`, token);
        assert.equal(status, 400);
        assert.equal(body.code, 1001001);
        assert.match(body.msg, /okr_ids\[0\]: must match pattern/);
      });

      it('counts okr_ids[] against the limit of 10', async () => {
        const eleven = Array.from({ length: 11 }, (_, i) => `okr_ids[]=${7000000000000000000n + BigInt(i)}`);
        const { body } = await t.get(`${BATCH}?${eleven.join('&')}`, token);
        assert.equal(body.code, 1001001);
        assert.match(body.msg, /okr_ids: must NOT have more than 10 items/);
      });

      it('reads period_ids[] on a user’s OKR list', async () => {
        const owner = demoUser('okrd_demo_owner').open_id;
        const base = `/open-apis/okr/v1/users/${owner}/okrs?offset=0&limit=10`;
        const repeat = await t.get(`${base}&period_ids=${MARCH}&period_ids=${APRIL}`, token);
        const brackets = await t.get(`${base}&period_ids[]=${MARCH}&period_ids[]=${APRIL}`, token);
        assert.equal(brackets.body.code, 0);
        assert.equal(brackets.body.data.total, 2);
        assert.deepEqual(brackets.body, repeat.body);
      });

      it('reads user_ids[] and period_ids[] on reviews/query', async () => {
        const [owner, lina] = [demoUser('okrd_demo_owner'), demoUser('lina')];
        const query = (k: string) =>
          `/open-apis/okr/v1/reviews/query?${k === '[]' ? 'user_ids[]' : 'user_ids'}=${owner.open_id}&${k === '[]' ? 'user_ids[]' : 'user_ids'}=${lina.open_id}&${k === '[]' ? 'period_ids[]' : 'period_ids'}=${MARCH}&${k === '[]' ? 'period_ids[]' : 'period_ids'}=${MAY}`;
        const repeat = await t.get(query(''), token);
        const brackets = await t.get(query('[]'), token);
        assert.equal(brackets.body.code, 0);
        assert.equal(brackets.body.data.review_list.length, 2);
        assert.equal(brackets.body.data.review_list[0].review_period_list.length, 2);
        assert.deepEqual(brackets.body, repeat.body);
      });
    });

    describe('OQ-20 lang as free text', () => {
      const name = async (lang: string) =>
        (await t.get(`${BATCH}?okr_ids=${SEED_OKR}&lang=${encodeURIComponent(lang)}`, token)).body.data.okr_list[0];

      it('renders English for en*, Chinese for anything else', async () => {
        for (const lang of ['en_us', 'en', 'en-GB', 'EN_US']) {
          const okr = await name(lang);
          assert.equal(okr.name, 'Mar 2022', lang);
          assert.equal(okr.objective_list[0].content, '需求@Liu San', lang);
        }
        for (const lang of ['zh_cn', 'zh_tw', 'fr_fr', '', 'x'.repeat(32)]) {
          const okr = await name(lang);
          assert.equal(okr.name, '2022 年 3 月', lang);
          assert.equal(okr.objective_list[0].content, '需求@刘三', lang);
        }
      });

      it('renders Japanese period names for ja*, and English names of people (they have no Japanese one)', async () => {
        for (const lang of ['ja_jp', 'ja', 'JA-jp']) {
          const okr = await name(lang);
          assert.equal(okr.name, '2022年3月', lang);
          assert.equal(okr.objective_list[0].content, '需求@Liu San', lang);
          assert.equal(okr.objective_list[0].kr_list[0].content, '1111@Zhang San 9', lang);
        }
        const owner = demoUser('okrd_demo_owner').open_id;
        const list = await t.get(`/open-apis/okr/v1/users/${owner}/okrs?offset=0&limit=10&lang=ja_JP`, token);
        assert.deepEqual(
          list.body.data.okr_list.map((o: { name: string }) => o.name),
          ['2022年5月', '2022年4月', '2022年3月'],
        );
      });

      it('names multi-month periods in each language', async () => {
        const world = await newWorld(t);
        const owner = await world.person();
        const [start, end] = [parseMonth('2022-01')!, parseMonth('2022-03')!];
        const quarter = {
          id: '8600000000000000777',
          tenant_id: world.tenantId,
          rule_id: null,
          ...periodNames(start, end),
          status: 0,
          start_month: '2022-01',
          end_month: '2022-03',
          ...periodBounds(start, end, 480),
          created_at: t.clock.now,
          updated_at: t.clock.now,
        };
        await writeTenant(t.db, world.tenantId, (tx) => insertRow(tx, 'periods', quarter));
        const cycle = await world.cycle(owner, quarter);
        await world.objective(cycle);
        const worldToken = await world.tenantToken();
        const names: Record<string, string> = {};
        for (const lang of ['zh_cn', 'en_us', 'ja_jp']) {
          names[lang] = (await t.get(`${BATCH}?okr_ids=${cycle}&lang=${lang}`, worldToken)).body.data.okr_list[0].name;
        }
        assert.deepEqual(names, { zh_cn: '2022 年 1 月 - 3 月', en_us: 'Jan - Mar 2022', ja_jp: '2022年1月～3月' });
      });

      it('keys the render cache by the resolved language, not the text sent', async () => {
        const statements = async (lang: string) => {
          t.statements.count = 0;
          const { body } = await t.get(`${BATCH}?okr_ids=${SEED_OKR}&lang=${lang}`, token);
          assert.equal(body.code, 0);
          return t.statements.count;
        };
        for (const [warm, others] of [
          ['en_us', ['en_gb', 'EN', 'en-AU-x-1']],
          ['ja_jp', ['ja', 'JA_JP']],
          ['zh_cn', ['fr_fr', 'de', '']],
        ] as const) {
          // A write the reads show: the next read renders afresh, the ones after it come from the cache.
          await writeTenant(t.db, DEMO_TENANT_ID, (tx) =>
            tx.run('UPDATE periods SET updated_at = updated_at + 1 WHERE id = ? AND tenant_id = ?', [
              MARCH,
              DEMO_TENANT_ID,
            ]),
          );
          const rendered = await statements(warm);
          const cached = await statements(warm);
          assert.ok(cached < rendered, `${warm}: ${cached} statements cached, ${rendered} rendered`);
          for (const lang of others) assert.equal(await statements(lang), cached, `${lang} is served as ${warm}`);
        }
      });

      it('refuses a lang longer than 32 characters', async () => {
        const { status, body } = await t.get(`${BATCH}?okr_ids=${SEED_OKR}&lang=${'e'.repeat(33)}`, token);
        assert.equal(status, 400);
        assert.equal(body.code, 1001001);
        assert.match(body.msg, /lang: must NOT have more than 32 characters/);
      });
    });

    describe('OQ-21 hidden periods', () => {
      it('lists every period, hidden ones with status 3, and serves a page_size above 100 as 100', async () => {
        const world = await newWorld(t);
        const periods = [];
        for (let i = 0; i < 105; i++) {
          const month = `${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
          periods.push(await world.period(month, i === 104 ? 3 : 0));
        }
        const worldToken = await world.tenantToken();
        const first = await t.get('/open-apis/okr/v1/periods?page_size=1000', worldToken);
        assert.equal(first.status, 200);
        assert.equal(first.body.data.items.length, 100);
        assert.equal(first.body.data.has_more, true);
        assert.deepEqual(first.body.data.items[0], {
          id: periods[104]!.id,
          zh_name: periods[104]!.zh_name,
          en_name: periods[104]!.en_name,
          status: 3,
          period_start_time: String(periods[104]!.period_start_time),
          period_end_time: String(periods[104]!.period_end_time),
        });
        const rest = await t.get(
          `/open-apis/okr/v1/periods?page_size=101&page_token=${first.body.data.page_token}`,
          worldToken,
        );
        assert.deepEqual(
          rest.body.data.items.map((p: { id: string }) => p.id),
          periods
            .slice(0, 5)
            .reverse()
            .map((p) => p.id),
        );
        assert.equal(rest.body.data.has_more, false);
        assert.equal((await t.get('/open-apis/okr/v1/periods?page_size=101', worldToken)).body.data.items.length, 100);
      });

      it('leaves hidden periods out of a user’s list unless period_ids names them; batch_get answers them', async () => {
        const world = await newWorld(t);
        const owner = await world.person();
        const [jan, feb] = [await world.period('2026-01'), await world.period('2026-02', 3)];
        const [janOkr, febOkr] = [await world.cycle(owner, jan), await world.cycle(owner, feb)];
        const kr = await world.keyResult(await world.objective(janOkr));
        await world.keyResult(await world.objective(febOkr));
        const worldToken = await world.tenantToken();
        const list = async (query = '') => {
          const { body } = await t.get(
            `/open-apis/okr/v1/users/${owner.open_id}/okrs?offset=0&limit=10${query}`,
            worldToken,
          );
          assert.equal(body.code, 0, JSON.stringify(body));
          return [body.data.total, body.data.okr_list.map((o: { id: string }) => o.id)];
        };
        assert.deepEqual(await list(), [1, [janOkr]]);
        assert.deepEqual(await list(`&period_ids=${feb.id}`), [1, [febOkr]]);
        assert.deepEqual(await list(`&period_ids=${jan.id}&period_ids=${feb.id}`), [2, [febOkr, janOkr]]);
        const batch = await t.get(`${BATCH}?okr_ids=${febOkr}&okr_ids=${janOkr}`, worldToken);
        assert.deepEqual(
          batch.body.data.okr_list.map((o: { id: string; period_id: string }) => [o.id, o.period_id]),
          [
            [febOkr, feb.id],
            [janOkr, jan.id],
          ],
        );
        // Unknown periods still fail the call.
        const unknown = await t.get(
          `/open-apis/okr/v1/users/${owner.open_id}/okrs?offset=0&limit=10&period_ids=42`,
          worldToken,
        );
        assert.deepEqual([unknown.status, unknown.body.code], [400, 1001004]);
        // Progress records on a hidden period's key results stay not found, as before.
        await writeTenant(t.db, world.tenantId, (tx) =>
          tx.run('UPDATE periods SET status = 3 WHERE id = ? AND tenant_id = ?', [jan.id, world.tenantId]),
        );
        const refused = await send(
          'POST',
          RECORDS,
          { source_title: 's', source_url: 'https://a.test/', target_id: kr, target_type: 3, content: {} },
          worldToken,
        );
        assert.deepEqual([refused.status, refused.body.code], [400, 1001004]);
        const rows = await t.db.read((tx) =>
          tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM progress_records WHERE tenant_id = ?', [world.tenantId]),
        );
        assert.equal(Number(rows!.n), 0);
      });
    });

    describe('OQ-22 a user token without the scope', () => {
      it('gets 99991679 with action_privilege_required; a tenant token of the same app keeps 99991672', async () => {
        const world = await newWorld(t, { scopes: ['okr:okr.review:readonly'] });
        const person = await world.person();
        const user = await t.get(`${BATCH}?okr_ids=${SEED_OKR}`, await person.token());
        assert.equal(user.status, 400);
        assert.deepEqual(Object.keys(user.body), ['code', 'msg', 'error']);
        assert.equal(user.body.code, 99991679);
        assert.equal(
          user.body.msg,
          'Unauthorized. You do not have permission to perform the requested operation on the resource. Please ' +
            'request user re-authorization and try again. required one of these privileges: ' +
            '[okr:okr:readonly, okr:okr, okr:okr.content:readonly]',
        );
        assert.deepEqual(user.body.error.permission_violations, [
          { type: 'action_privilege_required', subject: 'okr:okr:readonly' },
          { type: 'action_privilege_required', subject: 'okr:okr' },
          { type: 'action_privilege_required', subject: 'okr:okr.content:readonly' },
        ]);
        assert.match(user.body.error.log_id, /^[0-9a-f]{24}$/);

        const tenant = await t.get(`${BATCH}?okr_ids=${SEED_OKR}`, await world.tenantToken());
        assert.equal(tenant.status, 400);
        assert.equal(tenant.body.code, 99991672);
        assert.deepEqual(tenant.body.error.permission_violations, [
          { type: 'action_scope_required', subject: 'okr:okr:readonly' },
          { type: 'action_scope_required', subject: 'okr:okr' },
          { type: 'action_scope_required', subject: 'okr:okr.content:readonly' },
        ]);
      });

      it('refuses a write the same way and writes nothing', async () => {
        const world = await newWorld(t, { scopes: ['okr:okr:readonly'] });
        const person = await world.person();
        const before = await recordCount();
        const { status, body } = await send(
          'POST',
          RECORDS,
          { source_title: 's', source_url: 'https://a.test/', target_id: SEED_KR, target_type: 3, content: {} },
          await person.token(),
        );
        assert.deepEqual([status, body.code], [400, 99991679]);
        assert.deepEqual(
          body.error.permission_violations.map((v: { subject: string }) => v.subject),
          ['okr:okr', 'okr:okr.progress:writeonly'],
        );
        assert.equal(await recordCount(), before);
      });

      it('keeps 99991672 for user_id_type=user_id without the employee-id scope, user token or not (OQ-26)', async () => {
        const world = await newWorld(t, { scopes: ['okr:okr:readonly'] });
        const person = await world.person();
        const owner = await world.person();
        const cycle = await world.cycle(owner, await world.period('2026-01'));
        await world.objective(cycle);
        const ok = await t.get(`${BATCH}?okr_ids=${cycle}`, await person.token());
        assert.equal(ok.body.code, 0);
        const { status, body } = await t.get(`${BATCH}?okr_ids=${cycle}&user_id_type=user_id`, await person.token());
        assert.deepEqual([status, body.code], [400, 99991672]);
        assert.deepEqual(body.error.permission_violations, [
          { type: 'action_scope_required', subject: 'contact:user.employee_id:readonly' },
        ]);
      });
    });

    describe('OQ-23 app_access_token/internal', () => {
      const post = async (url: string) => {
        const res = await t.app.inject({
          method: 'POST',
          url,
          payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
        });
        return { status: res.statusCode, body: res.json() };
      };

      it('also answers a tenant token of the app, handed out again as the tenant endpoint does', async () => {
        t.clock.now += 10 * 3_600_000; // a fresh issuing window
        const tenant = (await post('/open-apis/auth/v3/tenant_access_token/internal')).body;
        t.clock.now += 5_000_000; // the tenant token has 2200 s left; no app token was issued in this window
        const { status, body } = await post('/open-apis/auth/v3/app_access_token/internal');
        assert.equal(status, 200);
        assert.deepEqual(Object.keys(body).sort(), [
          'app_access_token',
          'code',
          'expire',
          'msg',
          'tenant_access_token',
        ]);
        assert.equal(body.code, 0);
        assert.equal(body.msg, 'ok');
        assert.match(body.app_access_token, /^a-/);
        assert.equal(body.tenant_access_token, tenant.tenant_access_token);
        // The shorter remaining lifetime of the two, so neither is cached past its end.
        assert.equal(body.expire, 2200);
        const rows = await t.db.read((tx) =>
          tx.all<{ kind: string; tenant_id: string; app_id: string }>(
            'SELECT kind, tenant_id, app_id FROM access_tokens WHERE token_hash IN (?, ?) ORDER BY kind',
            [hashToken(body.app_access_token), hashToken(body.tenant_access_token)],
          ),
        );
        assert.deepEqual(rows, [
          { kind: 'app', tenant_id: DEMO_TENANT_ID, app_id: DEMO_APP_ID },
          { kind: 'tenant', tenant_id: DEMO_TENANT_ID, app_id: DEMO_APP_ID },
        ]);
        assert.equal((await t.get('/open-apis/okr/v1/periods', body.tenant_access_token)).body.code, 0);
        assert.equal((await t.get('/open-apis/okr/v1/periods', body.app_access_token)).body.code, 99991663);

        // Under 30 minutes left: both endpoints move to the same new tenant token.
        t.clock.now += 500_000;
        const again = (await post('/open-apis/auth/v3/app_access_token/internal')).body;
        assert.notEqual(again.tenant_access_token, tenant.tenant_access_token);
        assert.equal(again.app_access_token, body.app_access_token);
        assert.equal(again.expire, 6700); // the app token's remaining 6700 s, the new tenant token's 7200
        const fromTenant = (await post('/open-apis/auth/v3/tenant_access_token/internal')).body;
        assert.equal(fromTenant.tenant_access_token, again.tenant_access_token);
        assert.equal(fromTenant.expire, 7200);
      });

      it('answers bad credentials with HTTP 200 and 10003, issuing nothing', async () => {
        const count = async () =>
          Number((await t.db.read((tx) => tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM access_tokens')))!.n);
        const before = await count();
        const res = await t.app.inject({
          method: 'POST',
          url: '/open-apis/auth/v3/app_access_token/internal',
          payload: { app_id: DEMO_APP_ID, app_secret: 'nope' },
        });
        assert.equal(res.statusCode, 200);
        assert.deepEqual(res.json(), { code: 10003, msg: 'invalid param', data: {} });
        assert.equal(await count(), before);
      });
    });

    describe('§3.12 the docs’ example documents', () => {
      before(async () => {
        token = await t.tenantToken(); // the clock moved on past the suite's token
      });

      it('accepts the example’s text-run styles, empty styles and person.userId, and keeps the model', async () => {
        const image = await uploadPng();
        const liusan = demoUser('liusan');
        const styled = (text: string, style: object) => ({ type: 'textRun', textRun: { text, style } });
        const red = { red: 216, green: 57, blue: 49, alpha: 1 };
        const pink = { red: 251, green: 191, blue: 188, alpha: 1 };
        // As the create/update pages' examples send them (their gallery token is replaced by one uploaded here).
        const sent = {
          blocks: [
            { type: 'paragraph', paragraph: { elements: [styled('粗体验证', { bold: true })] } },
            {
              type: 'paragraph',
              paragraph: {
                elements: [styled('*', { bold: true }), styled('删除线验证', { strikeThrough: true })],
              },
            },
            {
              type: 'paragraph',
              paragraph: {
                elements: [
                  styled('粗体+删除+字体颜色+背景颜色验证', {
                    bold: true,
                    strikeThrough: true,
                    backColor: pink,
                    textColor: red,
                  }),
                ],
              },
            },
            {
              type: 'paragraph',
              paragraph: {
                elements: [styled('有序标题1验证，', {}), styled('粗体验证', { bold: true })],
                style: { list: { type: 'number', indentLevel: 1, number: 1 } },
              },
            },
            {
              type: 'paragraph',
              paragraph: {
                elements: [
                  styled('https://example.cn/docx/doxcn#part', { link: { url: 'https://example.cn/docx/doxcn#part' } }),
                  // A mention as the record's answer example shows it: openId and userId.
                  { type: 'person', person: { openId: liusan.open_id, userId: '6969855501744834092' } },
                ],
              },
            },
            {
              type: 'gallery',
              gallery: { imageList: [{ src: image.url, fileToken: image.file_token, width: 458, height: 372 }] },
            },
            {
              type: 'paragraph',
              paragraph: {
                elements: [styled('任务列表已勾选验证', {})],
                style: { list: { type: 'checkedBox', indentLevel: 1 } },
              },
            },
          ],
        };
        const before = await recordCount();
        const { status, body } = await send('POST', RECORDS, {
          source_title: '测试周报系统',
          source_url: 'https://www.example.com/',
          target_id: SEED_OBJECTIVE,
          target_type: 2,
          content: sent,
        });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(await recordCount(), before + 1);
        // The answer is the document as sent, less the userId the server does not take on input.
        const expected = structuredClone(sent);
        expected.blocks[4]!.paragraph!.elements[1] = { type: 'person', person: { openId: liusan.open_id } } as never;
        assert.deepEqual(body.data.content, expected);
        // Stored as the schema model: snake_case, the mention by internal user id, empty styles kept.
        const row = await t.db.read((tx) =>
          tx.get<{ content: string }>('SELECT content FROM progress_records WHERE id = ?', [body.data.progress_id]),
        );
        const stored = JSON.parse(row!.content);
        assert.deepEqual(stored.blocks[4].paragraph.elements[1], {
          paragraph_element_type: 'mention',
          mention: { user_id: liusan.id },
        });
        assert.deepEqual(stored.blocks[2].paragraph.elements[0].text_run.style, {
          bold: true,
          strike_through: true,
          back_color: pink,
          text_color: red,
        });
        assert.deepEqual(stored.blocks[3].paragraph.elements[0], {
          paragraph_element_type: 'textRun',
          text_run: { text: '有序标题1验证，', style: {} },
        });
        // userId on the way out is the mentioned user's id in the requested type, never what was sent.
        const got = await send('GET', `${RECORDS}/${body.data.progress_id}?user_id_type=union_id`);
        assert.deepEqual(got.body.data.content.blocks[4].paragraph.elements[1].person, {
          openId: liusan.open_id,
          userId: liusan.union_id,
        });
        // PUT takes the same shapes.
        const put = await send('PUT', `${RECORDS}/${body.data.progress_id}`, { content: sent });
        assert.equal(put.status, 200, JSON.stringify(put.body));
        assert.deepEqual(put.body.data.content, expected);
      });

      it('drops text-run style keys outside the model (italic, underline) instead of refusing them', async () => {
        const { status, body } = await send('POST', RECORDS, {
          source_title: 's',
          source_url: 'https://a.test/',
          target_id: SEED_KR,
          target_type: 3,
          content: {
            blocks: [
              {
                type: 'paragraph',
                paragraph: {
                  elements: [
                    {
                      type: 'textRun',
                      textRun: { text: 'BIUS', style: { bold: true, italic: true, underline: true } },
                    },
                    { type: 'person', person: { userId: 'only-a-user-id' } },
                  ],
                },
              },
            ],
          },
        });
        assert.equal(status, 200, JSON.stringify(body));
        assert.deepEqual(body.data.content.blocks[0].paragraph.elements, [
          { type: 'textRun', textRun: { text: 'BIUS', style: { bold: true } } },
          { type: 'person', person: {} },
        ]);
      });
    });
  });
}
