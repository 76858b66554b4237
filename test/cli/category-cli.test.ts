// `okrd category create`: the real command on a database holding the demo tenant, then the category over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_APP_ID, DEMO_APP_SECRET, DEMO_TENANT_ID, demoTenantDocument } from '../../src/demo/demo-tenant.js';
import { systemClock } from '../../src/domain/clock.js';
import { isEntityId, snowflakeIds } from '../../src/domain/ids.js';
import { buildApp } from '../../src/http/app.js';
import { TransferService } from '../../src/services/transfer.service.js';
import type { Db } from '../../src/store/db.js';
import { cliDatabase, killOkrdChildren, okrdEnv, runOkrd, type CliDatabase, type CliResult } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';

after(killOkrdChildren);

/** Asserts a failed run: the exit code, nothing on stdout, one line on stderr matching `pattern`. */
function assertOneLineError(r: CliResult, exitCode: number, pattern: RegExp): void {
  assert.equal(r.code, exitCode, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^okrd: [^\n]+\n$/, 'exactly one line on stderr');
  assert.match(r.stderr, pattern);
}

const categoryRows = (db: Db) =>
  db.read((tx) => tx.all<Record<string, unknown>>('SELECT * FROM categories ORDER BY created_at, id'));

for (const dialect of DIALECTS) {
  describe(`okrd category create [${dialect}]`, () => {
    let target: CliDatabase;
    const create = (...args: string[]) => runOkrd(['category', 'create', ...args], okrdEnv(target.url));
    before(async () => {
      target = await cliDatabase(dialect);
      await target.use((db) => new TransferService(db).importTenant(demoTenantDocument()));
    });
    after(() => target.drop());

    it('stores a category, prints its row, and GET /okr/v2/categories lists it', async () => {
      const before = await target.use(categoryRows);
      const started = Date.now();
      const r = await create(
        ...['--tenant', DEMO_TENANT_ID, '--type', 'team', '--color', 'turquoise'],
        ...['--name-zh', '交付', '--name-en', 'Delivery'],
      );
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      const printed = JSON.parse(r.stdout);
      assert.ok(isEntityId(printed.id), printed.id);
      assert.ok(printed.created_at >= started - 1000 && printed.created_at <= Date.now() + 1000);
      const row = {
        id: printed.id,
        tenant_id: DEMO_TENANT_ID,
        category_type: 'team',
        enabled: 1,
        color: 'turquoise',
        name_zh: '交付',
        name_en: 'Delivery',
        name_ja: '',
        created_at: printed.created_at,
        updated_at: printed.created_at,
      };
      assert.deepEqual(printed, row);
      assert.deepEqual(await target.use(categoryRows), [...before, row]);

      await target.use(async (db) => {
        const http = await buildApp({
          config: { logLevel: 'silent', tokenTtlSeconds: 7200 },
          db,
          clock: systemClock,
          ids: snowflakeIds(systemClock, 1),
          logger: false,
        });
        try {
          const token = await http.inject({
            method: 'POST',
            url: '/open-apis/auth/v3/tenant_access_token/internal',
            payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
          });
          const res = await http.inject({
            method: 'GET',
            url: '/open-apis/okr/v2/categories?owner_type=department&page_size=100',
            headers: { authorization: `Bearer ${token.json().tenant_access_token}` },
          });
          assert.equal(res.statusCode, 200, res.body);
          const { data } = res.json();
          // The newest category comes last, after the team categories the tenant had.
          assert.deepEqual(
            data.items.slice(0, -1).map((c: { id: string }) => c.id),
            before.filter((c) => c.category_type === 'team').map((c) => c.id),
          );
          assert.deepEqual(data, {
            has_more: false,
            items: [
              ...data.items.slice(0, -1),
              {
                id: printed.id,
                create_time: String(printed.created_at),
                update_time: String(printed.created_at),
                category_type: 'team',
                enabled: true,
                color: 'turquoise',
                name: { zh: '交付', en: 'Delivery' },
              },
            ],
          });
        } finally {
          await http.close();
        }
      });
    });

    it('takes a Japanese name alone', async () => {
      const r = await create('--tenant', DEMO_TENANT_ID, '--type', 'person', '--color', 'indigo', '--name-ja', '成長');
      assert.equal(r.code, 0, r.stderr);
      const printed = JSON.parse(r.stdout);
      assert.deepEqual(
        [printed.category_type, printed.name_zh, printed.name_en, printed.name_ja],
        ['person', '', '', '成長'],
      );
    });

    it('refuses bad input with one line and exit 1 (2 for usage), writing nothing', async () => {
      const before = await target.use(categoryRows);
      const base = ['--tenant', DEMO_TENANT_ID];
      const cases: [string[], number, RegExp][] = [
        [[...base, '--type', 'user', '--color', 'blue', '--name-zh', 'a'], 1, /category_type: must be person or team/],
        [
          [...base, '--type', 'person', '--color', 'red', '--name-zh', 'a'],
          1,
          /color: must be one of blue, purple, wathet, turquoise, indigo, orange/,
        ],
        [
          [...base, '--type', 'person', '--color', 'blue'],
          1,
          /name: at least one of name_zh, name_en, name_ja is required/,
        ],
        [
          [...base, '--type', 'person', '--color', 'blue', '--name-en', 'x'.repeat(65)],
          1,
          /name_en: must be at most 64 characters/,
        ],
        [
          ['--tenant', '7000000000000000009', '--type', 'person', '--color', 'blue', '--name-en', 'x'],
          1,
          /tenant not found: 7000000000000000009/,
        ],
        [[...base, '--color', 'blue', '--name-en', 'x'], 2, /--type is required/],
        [[...base, '--type', 'team', '--name-en', 'x'], 2, /--color is required/],
        [['--type', 'team', '--color', 'blue', '--name-en', 'x'], 2, /--tenant is required/],
      ];
      const results = await Promise.all(cases.map(([args]) => create(...args)));
      results.forEach((r, i) => assertOneLineError(r, cases[i]![1], cases[i]![2]));
      assert.deepEqual(await target.use(categoryRows), before);
    });

    it('is listed in --help', async () => {
      const r = await runOkrd(['--help'], okrdEnv(target.url));
      assert.match(r.stdout, /^ {2}category create --tenant ID --type person\|team --color COLOR /m);
    });
  });
}
