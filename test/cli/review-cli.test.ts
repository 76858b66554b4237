// `okrd review add`: the real command on a database holding the demo tenant, then the review over HTTP.
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
import { demoTables, demoUser } from '../helpers/demo.js';

after(killOkrdChildren);

const [MARCH, , MAY] = demoTables.periods.map((p) => p.id) as [string, string, string];

/** Asserts a failed run: the exit code, nothing on stdout, one line on stderr matching `pattern`. */
function assertOneLineError(r: CliResult, exitCode: number, pattern: RegExp): void {
  assert.equal(r.code, exitCode, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^okrd: [^\n]+\n$/, 'exactly one line on stderr');
  assert.match(r.stderr, pattern);
}

const reviewRows = (db: Db) => db.read((tx) => tx.all<Record<string, unknown>>('SELECT * FROM reviews ORDER BY id'));

for (const dialect of DIALECTS) {
  describe(`okrd review add [${dialect}]`, () => {
    let target: CliDatabase;
    const add = (...args: string[]) => runOkrd(['review', 'add', ...args], okrdEnv(target.url));
    before(async () => {
      target = await cliDatabase(dialect);
      await target.use((db) => new TransferService(db).importTenant(demoTenantDocument()));
    });
    after(() => target.drop());

    it('stores a review, prints it, and reviews/query returns it after the older ones', async () => {
      const started = Date.now();
      const r = await add(
        ...['--tenant', DEMO_TENANT_ID, '--user', 'wangwei', '--period', MARCH],
        ...['--kind', 'progress_report', '--url', 'https://docs.example.com/wangwei/march'],
      );
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      const printed = JSON.parse(r.stdout);
      assert.deepEqual(Object.keys(printed), ['id', 'user_id', 'period_id', 'kind', 'url', 'create_time']);
      assert.ok(isEntityId(printed.id), printed.id);
      assert.ok(printed.create_time >= started - 1000 && printed.create_time <= Date.now() + 1000);
      assert.deepEqual(printed, {
        id: printed.id,
        user_id: 'wangwei',
        period_id: MARCH,
        kind: 'progress_report',
        url: 'https://docs.example.com/wangwei/march',
        create_time: printed.create_time,
      });

      const rows = await target.use(reviewRows);
      assert.deepEqual(
        rows.filter((row) => row.id !== printed.id),
        demoTables.reviews,
      );
      assert.deepEqual(
        rows.find((row) => row.id === printed.id),
        {
          id: printed.id,
          tenant_id: DEMO_TENANT_ID,
          user_ref: demoUser('wangwei').id,
          period_id: MARCH,
          kind: 'progress_report',
          url: 'https://docs.example.com/wangwei/march',
          create_time: printed.create_time,
        },
      );

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
            url: `/open-apis/okr/v1/reviews/query?user_ids=wangwei&period_ids=${MARCH}&user_id_type=user_id`,
            headers: { authorization: `Bearer ${token.json().tenant_access_token}` },
          });
          assert.equal(res.statusCode, 200, res.body);
          assert.deepEqual(res.json().data.review_list[0].review_period_list, [
            {
              period_id: MARCH,
              cycle_review_list: [
                { url: 'https://okrd.example.com/docs/review-2022-03-wangwei', create_time: '1648620000000' },
              ],
              progress_report_list: [
                { url: 'https://docs.example.com/wangwei/march', create_time: String(printed.create_time) },
              ],
            },
          ]);
        } finally {
          await http.close();
        }
      });
    });

    it('takes http URLs and cycle reviews too', async () => {
      const r = await add(
        ...['--tenant', DEMO_TENANT_ID, '--user', 'lina', '--period', MAY],
        ...['--kind', 'cycle_review', '--url', 'http://intranet.local:8080/review?id=7'],
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).kind, 'cycle_review');
    });

    it('refuses bad input with one line and exit 1 (2 for usage), writing nothing', async () => {
      const before = await target.use(reviewRows);
      const base = ['--tenant', DEMO_TENANT_ID, '--user', 'lina', '--period', MARCH, '--kind', 'cycle_review'];
      const cases: [string[], number, RegExp][] = [
        [[...base, '--url', 'ftp://example.com/review'], 1, /url: must be an http\(s\) URL/],
        [[...base, '--url', 'javascript:alert(1)'], 1, /url: must be an http\(s\) URL/],
        [[...base, '--url', 'docs.example.com/review'], 1, /url: must be an http\(s\) URL/],
        [[...base, '--url', `https://example.com/${'x'.repeat(2100)}`], 1, /url: must be an http\(s\) URL/],
        [
          ['--tenant', DEMO_TENANT_ID, '--user', 'lina', '--period', MARCH, '--kind', 'retro', '--url', 'https://x.y'],
          1,
          /kind: must be one of cycle_review, progress_report/,
        ],
        [
          [
            '--tenant',
            DEMO_TENANT_ID,
            '--user',
            'ghost',
            '--period',
            MARCH,
            '--kind',
            'cycle_review',
            '--url',
            'https://x.y',
          ],
          1,
          /user not found: ghost/,
        ],
        [
          [
            '--tenant',
            DEMO_TENANT_ID,
            '--user',
            'lina',
            '--period',
            '42',
            '--kind',
            'cycle_review',
            '--url',
            'https://x.y',
          ],
          1,
          /okr data not found: period_id 42/,
        ],
        [
          [
            '--tenant',
            '7000000000000000009',
            '--user',
            'lina',
            '--period',
            MARCH,
            '--kind',
            'cycle_review',
            '--url',
            'https://x.y',
          ],
          1,
          /tenant not found: 7000000000000000009/,
        ],
        [base, 2, /--url is required/],
        [
          ['--tenant', DEMO_TENANT_ID, '--user', 'lina', '--kind', 'cycle_review', '--url', 'https://x.y'],
          2,
          /--period is required/,
        ],
      ];
      const results = await Promise.all(cases.map(([args]) => add(...args)));
      results.forEach((r, i) => assertOneLineError(r, cases[i]![1], cases[i]![2]));
      assert.deepEqual(await target.use(reviewRows), before);
    });

    it('is listed in --help', async () => {
      const r = await runOkrd(['--help'], okrdEnv(target.url));
      assert.match(r.stdout, /^ {2}review add --tenant ID --user EMPLOYEE_ID --period PERIOD_ID --kind /m);
    });
  });
}
