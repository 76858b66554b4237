// GET /okr/v2/categories (spec §4.2, decisions.md OQ-4) and CategoryService.create, the way categories are made.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OkrdError } from '../../../src/errors.js';
import type { CategoryRow } from '../../../src/store/rows.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/db.js';
import { newWorld, type World } from '../../helpers/factories.js';

const CATEGORIES = '/open-apis/okr/v2/categories';

for (const dialect of DIALECTS) {
  describe(`v2 categories [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect);
    });
    after(() => t.close());

    const rowsOf = (w: World) =>
      t.db.read((tx) =>
        tx.all<CategoryRow>('SELECT * FROM categories WHERE tenant_id = ? ORDER BY created_at, id', [w.tenantId]),
      );
    const list = async (query: string, token: string) => {
      const res = await t.get(`${CATEGORIES}?${query}`, token);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    it('creates categories and lists them oldest first, with every field and only the names that are set', async () => {
      const w = await newWorld(t);
      const other = await newWorld(t);
      await t.services.categories.create(other.tenantId, { category_type: 'person', color: 'blue', name_en: 'Theirs' });
      t.clock.now += 1000;
      const growth = await t.services.categories.create(w.tenantId, {
        category_type: 'person',
        color: 'blue',
        name_zh: ' 增长 ',
      });
      assert.deepEqual(growth, {
        id: growth.id,
        tenant_id: w.tenantId,
        category_type: 'person',
        enabled: 1,
        color: 'blue',
        name_zh: '增长',
        name_en: '',
        name_ja: '',
        created_at: t.clock.now,
        updated_at: t.clock.now,
      });
      t.clock.now += 1000;
      const team = await t.services.categories.create(w.tenantId, {
        category_type: 'team',
        color: 'wathet',
        name_en: 'Delivery',
        name_ja: '納品',
      });
      t.clock.now += 1000;
      const retired = await t.services.categories.create(w.tenantId, {
        category_type: 'person',
        color: 'orange',
        name_zh: '旧的',
        name_en: 'Old',
        name_ja: '古い',
        enabled: false,
      });
      assert.deepEqual(await rowsOf(w), [growth, team, retired]);

      const body = await list('', await w.tenantToken());
      assert.deepEqual(body, {
        code: 0,
        msg: 'success',
        data: {
          has_more: false,
          items: [
            {
              id: growth.id,
              create_time: String(growth.created_at),
              update_time: String(growth.updated_at),
              category_type: 'person',
              enabled: true,
              color: 'blue',
              name: { zh: '增长' },
            },
            {
              id: team.id,
              create_time: String(team.created_at),
              update_time: String(team.updated_at),
              category_type: 'team',
              enabled: true,
              color: 'wathet',
              name: { en: 'Delivery', ja: '納品' },
            },
            {
              id: retired.id,
              create_time: String(retired.created_at),
              update_time: String(retired.updated_at),
              category_type: 'person',
              enabled: false,
              color: 'orange',
              name: { zh: '旧的', en: 'Old', ja: '古い' },
            },
          ],
        },
      });

      // owner_type keeps one kind: user → person, department → team.
      const person = await list('owner_type=user', await w.tenantToken());
      assert.deepEqual(
        person.data.items.map((c: { id: string }) => c.id),
        [growth.id, retired.id],
      );
      const department = await list('owner_type=department', await (await w.person()).token());
      assert.deepEqual(department.data, { has_more: false, items: [body.data.items[1]] });
    });

    it('pages until the end (ties on time ordered by id) in a fixed number of statements per page', async () => {
      const w = await newWorld(t);
      const made: string[] = [];
      for (let i = 0; i < 12; i++) {
        if (i % 4 === 0) t.clock.now += 1000;
        const type = i % 3 === 0 ? 'team' : 'person';
        made.push(
          (await t.services.categories.create(w.tenantId, { category_type: type, color: 'indigo', name_en: `c${i}` }))
            .id,
        );
      }
      const token = await w.tenantToken();
      await list('', token);
      const seen: string[] = [];
      const statements: number[] = [];
      let pageToken: string | undefined;
      for (;;) {
        const before = t.statements.count;
        const body = await list(`page_size=5${pageToken ? `&page_token=${pageToken}` : ''}`, token);
        statements.push(t.statements.count - before);
        seen.push(...body.data.items.map((c: { id: string }) => c.id));
        if (!body.data.has_more) {
          assert.equal(body.data.page_token, undefined);
          break;
        }
        assert.equal(body.data.items.length, 5);
        pageToken = body.data.page_token;
      }
      assert.deepEqual(seen, made);
      assert.equal(statements.length, 3);
      assert.equal(new Set(statements).size, 1, `statements per page: ${statements.join(', ')}`);

      // Paging within one kind.
      const teams: string[] = [];
      pageToken = undefined;
      do {
        const body = await list(
          `owner_type=department&page_size=2${pageToken ? `&page_token=${pageToken}` : ''}`,
          token,
        );
        teams.push(...body.data.items.map((c: { id: string }) => c.id));
        pageToken = body.data.page_token;
      } while (pageToken);
      assert.deepEqual(
        teams,
        made.filter((_, i) => i % 3 === 0),
      );
    });

    it('answers an empty tenant with an empty page', async () => {
      const w = await newWorld(t);
      assert.deepEqual(await list('', await w.tenantToken()), {
        code: 0,
        msg: 'success',
        data: { has_more: false, items: [] },
      });
    });

    for (const [label, query, field] of [
      ['an owner_type that does not exist', 'owner_type=team', /owner_type/],
      ['a page_token this server did not issue', 'page_token=eA', /page_token/],
      ['page_size 0', 'page_size=0', /page_size/],
    ] as const) {
      it(`refuses ${label} with 1001001`, async () => {
        const w = await newWorld(t);
        const { status, body } = await t.get(`${CATEGORIES}?${query}`, await w.tenantToken());
        assert.equal(status, 400);
        assert.equal(body.code, 1001001);
        assert.match(body.msg, field);
      });
    }

    it('needs a category read scope', async () => {
      const w = await newWorld(t, { scopes: ['okr:okr.content:readonly'] });
      const { status, body } = await t.get(CATEGORIES, await w.tenantToken());
      assert.deepEqual([status, body.code], [400, 99991672]);
      const allowed = await newWorld(t, { scopes: ['okr:okr.setting:read'] });
      assert.equal((await t.get(CATEGORIES, await allowed.tenantToken())).body.code, 0);
    });

    describe('create refuses, naming the field, writing nothing', () => {
      const long = 'x'.repeat(65);
      const cases: [string, Parameters<TestApp['services']['categories']['create']>[1], object[]][] = [
        [
          'a type that does not exist',
          { category_type: 'user', color: 'blue', name_zh: 'a' },
          [{ field: 'category_type', description: 'must be person or team' }],
        ],
        [
          'a colour outside the enum',
          { category_type: 'person', color: 'red', name_zh: 'a' },
          [{ field: 'color', description: 'must be one of blue, purple, wathet, turquoise, indigo, orange' }],
        ],
        [
          'no name (blank ones do not count)',
          { category_type: 'team', color: 'blue', name_en: '  ' },
          [{ field: 'name', description: 'at least one of name_zh, name_en, name_ja is required' }],
        ],
        [
          'a name of 65 characters',
          { category_type: 'team', color: 'blue', name_ja: 'あ'.repeat(65) },
          [{ field: 'name_ja', description: 'must be at most 64 characters' }],
        ],
        [
          'several rules at once',
          { category_type: 'x', color: 'x', name_zh: long, name_en: long },
          [
            { field: 'category_type', description: 'must be person or team' },
            { field: 'color', description: 'must be one of blue, purple, wathet, turquoise, indigo, orange' },
            { field: 'name_zh', description: 'must be at most 64 characters' },
            { field: 'name_en', description: 'must be at most 64 characters' },
          ],
        ],
      ];
      for (const [label, input, violations] of cases) {
        it(label, async () => {
          const w = await newWorld(t);
          await assert.rejects(t.services.categories.create(w.tenantId, input), (err: unknown) => {
            assert.ok(err instanceof OkrdError);
            assert.equal(err.code, 1001001);
            assert.deepEqual(err.fieldViolations, violations);
            return true;
          });
          assert.deepEqual(await rowsOf(w), []);
        });
      }

      it('accepts 64 characters', async () => {
        const w = await newWorld(t);
        const row = await t.services.categories.create(w.tenantId, {
          category_type: 'team',
          color: 'turquoise',
          name_zh: '目'.repeat(64),
        });
        assert.deepEqual(await rowsOf(w), [row]);
      });

      it('an unknown tenant is 1001004', async () => {
        await assert.rejects(
          t.services.categories.create('4242', { category_type: 'team', color: 'blue', name_zh: 'a' }),
          (err: unknown) => err instanceof OkrdError && err.code === 1001004 && /4242/.test(err.message),
        );
      });
    });
  });
}
