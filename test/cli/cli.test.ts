import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALL_SCOPES } from '../../src/contract/scopes.js';
import { DEMO_APP_ID, DEMO_APP_SECRET, DEMO_TENANT_ID, demoTenantDocument } from '../../src/demo/demo-tenant.js';
import { systemClock } from '../../src/domain/clock.js';
import { isEntityId, snowflakeIds } from '../../src/domain/ids.js';
import { buildApp } from '../../src/http/app.js';
import { hashSecret, hashToken, secretMatches } from '../../src/services/secrets.js';
import { TransferService, type TenantDocument } from '../../src/services/transfer.service.js';
import type { Db } from '../../src/store/db.js';
import { TENANT_TABLES, tenantRows } from '../../src/store/table.repository.js';
import {
  cliDatabase,
  freePort,
  httpCall,
  killOkrdChildren,
  okrdEnv,
  printed,
  runOkrd,
  startOkrd,
  waitUntilServing,
  type CliDatabase,
  type CliResult,
} from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';

// Whatever happens in a test, no okrd process outlives this file.
after(killOkrdChildren);

const files = mkdtempSync(join(tmpdir(), 'okrd-cli-files-'));
after(() => rmSync(files, { recursive: true, force: true }));
let fileCount = 0;
/** Writes `text` to a new temp file; returns its path. */
const tempFile = (text: string) => {
  const path = join(files, `${++fileCount}.json`);
  writeFileSync(path, text);
  return path;
};

/** The migration files, as `migrate` names them ("0001_core"). */
// Names as `migrate` prints them: a change written per engine (`NNNN_x.sqlite.sql`, `NNNN_x.postgres.sql`) is one.
const MIGRATIONS = [
  ...new Set(
    readdirSync(new URL('../../src/store/migrations/', import.meta.url))
      .filter((f) => /^\d{4}_.+\.sql$/.test(f))
      .sort()
      .map((f) => f.replace(/(\.sqlite|\.postgres)?\.sql$/, '')),
  ),
];

/** Asserts a failed run: the exit code, nothing on stdout, and one line on stderr matching `pattern`, no stack. */
function assertOneLineError(r: CliResult, exitCode: number, pattern: RegExp): void {
  assert.equal(r.code, exitCode, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^okrd: [^\n]+\n$/, 'exactly one line on stderr');
  assert.doesNotMatch(r.stderr, /\sat \S+ \(|\sat \S+:\d+:\d+|node:internal|\.ts:\d+/, 'no stack frames');
  assert.match(r.stderr, pattern);
}

/** Asserts a successful run and returns its stdout parsed as JSON. */
function jsonOutput(r: CliResult): any {
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  return JSON.parse(r.stdout);
}

/** Rows per table: every tenant table and access_tokens. */
async function countRows(db: Db): Promise<Record<string, number>> {
  return db.read(async (tx) => {
    const counts: Record<string, number> = {};
    for (const table of [...TENANT_TABLES, 'access_tokens']) {
      counts[table] = (await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;
    }
    return counts;
  });
}

/** Row counts of an empty database. */
function emptyCounts(): Record<string, number> {
  return Object.fromEntries([...TENANT_TABLES, 'access_tokens'].map((t) => [t, 0]));
}

/** Row counts of the demo tenant document, plus no tokens. */
function demoCounts(): Record<string, number> {
  const doc = demoTenantDocument();
  return { ...Object.fromEntries(TENANT_TABLES.map((t) => [t, doc.tables[t].length])), access_tokens: 0 };
}

/** A tenant document with each table's rows sorted by key, to compare documents whatever their row order. */
function inStableOrder(doc: TenantDocument): TenantDocument {
  const key = (row: Record<string, unknown>) => String(row.id ?? `${row.app_id} ${row.user_ref ?? ''}`);
  const tables = Object.fromEntries(
    Object.entries(doc.tables).map(([table, rows]) => [table, [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1))]),
  );
  return { ...doc, tables: tables as TenantDocument['tables'] };
}

/** The okrd HTTP app on an in-process connection to `db`, with the real clock. */
const httpApp = (db: Db) =>
  buildApp({
    config: { logLevel: 'silent', tokenTtlSeconds: 7200 },
    db,
    clock: systemClock,
    ids: snowflakeIds(systemClock, 1),
    logger: false,
  });

// The groups below use separate databases, so they run side by side; inside a group, tests run in order.
describe('okrd CLI', { concurrency: true }, () => {
  describe('help, usage and configuration errors', { concurrency: true }, () => {
    let target: CliDatabase;
    before(async () => (target = await cliDatabase('sqlite')));
    after(() => target.drop());

    it('--help lists the commands and every environment variable', async () => {
      const r = await runOkrd(['--help'], okrdEnv(target.url));
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
      for (const name of ['PORT', 'HOST', 'DATABASE_URL', 'LOG_LEVEL', 'TOKEN_TTL_SECONDS']) {
        assert.match(r.stdout, new RegExp(`^  ${name} +\\S.*\\(default .+\\)$`, 'm'), name);
      }
      for (const command of ['serve', 'migrate', 'demo', 'tenant create', 'app create', 'user create', 'token user']) {
        assert.match(r.stdout, new RegExp(`^  ${command}\\b`, 'm'), command);
      }
    });

    const usageErrors: [string, string[], Record<string, string>, RegExp][] = [
      ['an unknown command', ['frobnicate', 'now'], {}, /unknown command "frobnicate now"/],
      ['an unknown option', ['migrate', '--frobnicate'], {}, /Unknown option '--frobnicate'/],
      ['tenant create without --name', ['tenant', 'create'], {}, /--name is required/],
      [
        'a --utc-offset that is not minutes',
        ['tenant', 'create', '--name', 'x', '--utc-offset', '8h'],
        {},
        /--utc-offset/,
      ],
      [
        'a --utc-offset looking like an option',
        ['tenant', 'create', '--name', 'x', '--utc-offset', '-60'],
        {},
        /=-XYZ/,
      ],
      ['import of a missing file', ['import', '/nonexistent/okrd-tenant.json'], {}, /cannot read .*ENOENT/],
      ['DATABASE_URL of another engine', ['migrate'], { DATABASE_URL: 'mysql://x' }, /DATABASE_URL .*"mysql:\/\/x"/],
      ['PORT not a number (serve)', ['serve'], { PORT: 'abc' }, /PORT .*"abc"/],
    ];
    for (const [what, args, env, pattern] of usageErrors) {
      it(`exits 2 with one line for ${what}`, async () => {
        assertOneLineError(await runOkrd(args, okrdEnv(target.url, env)), 2, pattern);
      });
    }

    it('exits 2 with one line for a file that is not JSON', async () => {
      const r = await runOkrd(['import', tempFile('not json\n{')], okrdEnv(target.url));
      assertOneLineError(r, 2, /cannot read .*not valid JSON/);
    });

    it('exits 1 with one line for a document of the wrong format, and writes nothing', async () => {
      const wrong = [{ format: 'okrd-tenant', version: 2, tables: {} }, [1, 2, 3]];
      const results = await Promise.all(
        wrong.map((doc) => runOkrd(['import', tempFile(JSON.stringify(doc))], okrdEnv(target.url))),
      );
      for (const r of results) assertOneLineError(r, 1, /document: not an okrd-tenant version 1 export/);
      assert.deepEqual(await target.use(countRows), emptyCounts());
    });
  });

  for (const dialect of DIALECTS) {
    describe(`[${dialect}]`, { concurrency: false }, () => {
      it('migrate applies the schema, and a second run finds it up to date', async () => {
        const target = await cliDatabase(dialect, { migrated: false });
        try {
          const env = okrdEnv(target.url);
          assert.deepEqual(await runOkrd(['migrate'], env), {
            code: 0,
            signal: null,
            stdout: `applied ${MIGRATIONS.join(', ')}\n`,
            stderr: '',
          });
          assert.deepEqual(await runOkrd(['migrate'], env), {
            code: 0,
            signal: null,
            stdout: 'database is up to date\n',
            stderr: '',
          });
          const versions = await target.use((db) =>
            db.read((tx) => tx.all('SELECT version, name FROM schema_migrations ORDER BY version')),
          );
          assert.deepEqual(
            versions,
            MIGRATIONS.map((m) => ({ version: Number(m.slice(0, 4)), name: m.slice(5) })),
          );
        } finally {
          await target.drop();
        }
      });

      describe('tenant, app, user and token administration', () => {
        let target: CliDatabase;
        let env: NodeJS.ProcessEnv;
        let tenantId: string;
        let app: { app_id: string; app_secret: string };
        let secondAppId: string;
        const okrsOf = (employeeId: string) =>
          `/open-apis/okr/v1/users/${employeeId}/okrs?offset=0&limit=10&user_id_type=user_id`;
        const okrd = (...args: string[]) => runOkrd(args, env);
        before(async () => {
          target = await cliDatabase(dialect);
          env = okrdEnv(target.url);
        });
        after(() => target.drop());

        it('tenant create prints the tenant it stored', async () => {
          const tenant = jsonOutput(
            await okrd('tenant', 'create', '--name', '  Acme Robotics ', '--utc-offset', '330'),
          );
          // The output only grows (decisions OQ-43): the first five keys are as they always were.
          assert.deepEqual(Object.keys(tenant), [
            'id',
            'name',
            'utc_offset_minutes',
            'created_at',
            'data_version',
            'password_sign_in',
            'oidc_issuer',
            'oidc_client_id',
            'oidc_client_secret',
            'oidc_create_users',
          ]);
          assert.equal(tenant.password_sign_in, 1);
          assert.equal(tenant.data_version, 0);
          assert.ok(isEntityId(tenant.id), tenant.id);
          assert.equal(tenant.name, 'Acme Robotics');
          assert.equal(tenant.utc_offset_minutes, 330);
          assert.ok(Math.abs(tenant.created_at - Date.now()) < 60_000);
          const rows = await target.use((db) => db.read((tx) => tx.all('SELECT * FROM tenants')));
          assert.deepEqual(rows, [tenant]);
          tenantId = tenant.id;
        });

        it('app create prints app_id and app_secret once; the database keeps only a salted hash', async () => {
          app = jsonOutput(await okrd('app', 'create', '--tenant', tenantId, '--name', 'okr bot'));
          assert.deepEqual(Object.keys(app), ['app_id', 'app_secret']);
          assert.match(app.app_id, /^cli_[0-9a-f]{16}$/);
          assert.match(app.app_secret, /^[A-Za-z0-9_-]{43}$/);

          const row = await target.use((db) =>
            db.read((tx) => tx.get<Record<string, string>>('SELECT * FROM apps WHERE app_id = ?', [app.app_id])),
          );
          assert.ok(row);
          assert.equal(row.tenant_id, tenantId);
          assert.equal(row.name, 'okr bot');
          assert.equal(row.scopes, ALL_SCOPES.join(' '));
          const [, salt, digest] = /^([0-9a-f]{32})\$([0-9a-f]{64})$/.exec(row.secret_hash!) ?? [];
          assert.ok(salt && digest, `salted hash, got ${row.secret_hash}`);
          assert.notEqual(digest, createHash('sha256').update(app.app_secret).digest('hex'), 'not an unsalted hash');
          assert.equal(row.secret_hash, hashSecret(app.app_secret, salt));
          assert.ok(secretMatches(app.app_secret, row.secret_hash!));
          assert.ok(!secretMatches(`${app.app_secret}x`, row.secret_hash!));

          // The secret is nowhere in the tenant's rows (which are also what an export holds).
          const everything = await target.use((db) =>
            db.read(async (tx) => {
              const dump: unknown[] = [];
              for (const table of TENANT_TABLES) dump.push(await tenantRows(tx, table, tenantId));
              return JSON.stringify(dump);
            }),
          );
          assert.ok(everything.includes(app.app_id));
          assert.ok(!everything.includes(app.app_secret));

          // A second app gets another secret under another salt.
          const second = jsonOutput(await okrd('app', 'create', '--tenant', tenantId, '--scopes', 'okr:okr:readonly'));
          assert.notEqual(second.app_secret, app.app_secret);
          secondAppId = second.app_id;
          const secondRow = await target.use((db) =>
            db.read((tx) => tx.get<Record<string, string>>('SELECT * FROM apps WHERE app_id = ?', [second.app_id])),
          );
          assert.equal(secondRow!.scopes, 'okr:okr:readonly');
          assert.notEqual(secondRow!.secret_hash!.slice(0, 32), salt);
        });

        it('user create stores users with their leader and an open_id in every app', async () => {
          const boss = jsonOutput(
            await okrd(
              'user',
              'create',
              '--tenant',
              tenantId,
              '--user-id',
              'boss',
              '--name-zh',
              '老板',
              '--name-en',
              'Boss',
            ),
          );
          assert.equal(boss.user_id, 'boss');
          assert.match(boss.union_id, /^on_[0-9a-f]{32}$/);
          assert.ok(isEntityId(boss.people_admin_id));
          const dev = jsonOutput(
            await okrd(
              'user',
              'create',
              '--tenant',
              tenantId,
              '--user-id',
              'dev.1',
              '--name-en',
              'Dev',
              '--leader',
              'boss',
            ),
          );

          const { users, openIds } = await target.use((db) =>
            db.read(async (tx) => ({
              users: await tx.all(
                `SELECT u.employee_id, u.union_id, u.people_admin_id, u.name_zh, u.name_en, l.employee_id AS leader
               FROM users u LEFT JOIN users l ON l.id = u.leader_id ORDER BY u.employee_id`,
              ),
              openIds: await tx.all<{ app_id: string; employee_id: string; open_id: string }>(
                'SELECT a.app_id, u.employee_id, a.open_id FROM app_users a JOIN users u ON u.id = a.user_ref',
              ),
            })),
          );
          assert.deepEqual(users, [
            {
              employee_id: 'boss',
              union_id: boss.union_id,
              people_admin_id: boss.people_admin_id,
              name_zh: '老板',
              name_en: 'Boss',
              leader: null,
            },
            {
              employee_id: 'dev.1',
              union_id: dev.union_id,
              people_admin_id: dev.people_admin_id,
              name_zh: '',
              name_en: 'Dev',
              leader: 'boss',
            },
          ]);
          // Both apps of the tenant see both users, each pair under its own open_id.
          assert.deepEqual(
            openIds.map((o) => `${o.app_id} ${o.employee_id}`).sort(),
            [`${app.app_id} boss`, `${app.app_id} dev.1`, `${secondAppId} boss`, `${secondAppId} dev.1`].sort(),
          );
          assert.equal(new Set(openIds.map((o) => o.open_id)).size, 4);
          for (const o of openIds) assert.match(o.open_id, /^ou_[0-9a-f]{32}$/);
        });

        it('user create refuses an unknown leader or a taken user id, and writes nothing', async () => {
          const before = await target.use(countRows);
          const [ghostLeader, taken] = await Promise.all([
            okrd('user', 'create', '--tenant', tenantId, '--user-id', 'x', '--leader', 'ghost'),
            okrd('user', 'create', '--tenant', tenantId, '--user-id', 'boss', '--name-en', 'Again'),
          ]);
          assertOneLineError(ghostLeader!, 1, /user not found: ghost/);
          assertOneLineError(taken!, 1, /user_id: boss already exists/);
          assert.deepEqual(await target.use(countRows), before);
        });

        it('token user prints a user token that the API accepts', async () => {
          const issued = jsonOutput(
            await okrd('token', 'user', '--app', app.app_id, '--user', 'dev.1', '--ttl', '600'),
          );
          assert.deepEqual(Object.keys(issued), ['user_access_token', 'expire']);
          assert.match(issued.user_access_token, /^u-[A-Za-z0-9_-]{43}$/);
          assert.equal(issued.expire, 600);

          await target.use(async (db) => {
            const row = await db.read((tx) =>
              tx.get<Record<string, string | number>>(
                'SELECT t.*, u.employee_id FROM access_tokens t JOIN users u ON u.id = t.user_ref WHERE t.token_hash = ?',
                [hashToken(issued.user_access_token)],
              ),
            );
            assert.ok(row, 'the token is stored by its hash');
            assert.equal(row.kind, 'user');
            assert.equal(row.app_id, app.app_id);
            assert.equal(row.tenant_id, tenantId);
            assert.equal(row.employee_id, 'dev.1');
            assert.equal(Number(row.expires_at) - Number(row.created_at), 600_000);
            const tokens = await db.read((tx) =>
              tx.all<{ token_hash: string }>('SELECT token_hash FROM access_tokens'),
            );
            assert.ok(!JSON.stringify(tokens).includes(issued.user_access_token), 'the token itself is not stored');

            const http = await httpApp(db);
            try {
              const res = await http.inject({
                method: 'GET',
                url: okrsOf('dev.1'),
                headers: { authorization: `Bearer ${issued.user_access_token}` },
              });
              assert.equal(res.statusCode, 200, res.body);
              assert.equal(res.json().code, 0);
              assert.equal(res.json().data.total, 0);
            } finally {
              await http.close();
            }
          });
        });

        it('the printed app credentials get a tenant token that the API accepts', async () => {
          await target.use(async (db) => {
            const http = await httpApp(db);
            try {
              const token = await http.inject({
                method: 'POST',
                url: '/open-apis/auth/v3/tenant_access_token/internal',
                payload: { app_id: app.app_id, app_secret: app.app_secret },
              });
              assert.equal(token.statusCode, 200);
              assert.equal(token.json().code, 0, token.body);
              assert.match(token.json().tenant_access_token, /^t-/);
              const okrs = await http.inject({
                method: 'GET',
                url: okrsOf('boss'),
                headers: { authorization: `Bearer ${token.json().tenant_access_token}` },
              });
              assert.equal(okrs.statusCode, 200, okrs.body);
              assert.equal(okrs.json().code, 0);
              assert.equal(okrs.json().data.total, 0);

              const wrong = await http.inject({
                method: 'POST',
                url: '/open-apis/auth/v3/tenant_access_token/internal',
                // Change the last character (to a different one: a fixed replacement would match 1 secret in 64).
                payload: {
                  app_id: app.app_id,
                  app_secret: `${app.app_secret.slice(0, -1)}${app.app_secret.endsWith('A') ? 'B' : 'A'}`,
                },
              });
              assert.equal(wrong.json().code, 10003);
            } finally {
              await http.close();
            }
          });
        });

        it('unknown scope, tenant, app or user: one line on stderr, exit 1, nothing written', async () => {
          const before = await target.use(countRows);
          const results = await Promise.all([
            okrd('app', 'create', '--tenant', tenantId, '--scopes', 'okr:okr,okr:everything'),
            okrd('app', 'create', '--tenant', '7000000000000000009'),
            okrd('token', 'user', '--app', 'cli_0000000000000000', '--user', 'dev.1'),
            okrd('token', 'user', '--app', app.app_id, '--user', 'ghost'),
          ]);
          const expected = [
            /scopes: unknown scope okr:everything/,
            /tenant not found: 7000000000000000009/,
            /no app cli_0000000000000000/,
            /user not found: ghost/,
          ];
          results.forEach((r, i) => assertOneLineError(r, 1, expected[i]!));
          assert.deepEqual(await target.use(countRows), before);
        });
      });

      describe('export and import', () => {
        let source: CliDatabase;
        let target: CliDatabase;
        let exported: string;
        before(async () => {
          [source, target] = await Promise.all([cliDatabase(dialect), cliDatabase(dialect)]);
          await source.use((db) => new TransferService(db).importTenant(demoTenantDocument()));
        });
        after(() => Promise.all([source.drop(), target.drop()]));

        it('export → import into an empty database → export gives byte-identical JSON (demo tenant)', async () => {
          const first = await runOkrd(['export', '--tenant', DEMO_TENANT_ID], okrdEnv(source.url));
          assert.equal(first.code, 0, first.stderr);
          exported = first.stdout;
          // The export is the demo document itself, row for row (in the export's own order).
          assert.deepEqual(inStableOrder(JSON.parse(exported)), inStableOrder(demoTenantDocument()));

          const imported = await runOkrd(['import', tempFile(exported)], okrdEnv(target.url));
          assert.deepEqual(imported, {
            code: 0,
            signal: null,
            stdout: `imported tenant ${DEMO_TENANT_ID}\n`,
            stderr: '',
          });
          assert.deepEqual(await target.use(countRows), demoCounts());

          const again = await runOkrd(['export', '--tenant', DEMO_TENANT_ID], okrdEnv(target.url));
          assert.equal(again.code, 0, again.stderr);
          assert.equal(again.stdout, exported);
        });

        it('importing the same document twice fails with one line and writes nothing', async () => {
          const r = await runOkrd(['import', tempFile(exported)], okrdEnv(target.url));
          assertOneLineError(r, 1, new RegExp(`tenant ${DEMO_TENANT_ID} already exists in this database`));
          assert.deepEqual(await target.use(countRows), demoCounts());
        });

        it('a document that fails at its last row writes nothing', async () => {
          const doc = JSON.parse(exported);
          doc.tables.progress_records.push(doc.tables.progress_records[0]);
          const empty = await cliDatabase(dialect);
          try {
            const r = await runOkrd(['import', tempFile(JSON.stringify(doc))], okrdEnv(empty.url));
            assertOneLineError(r, 1, /progress_records/);
            assert.deepEqual(await empty.use(countRows), emptyCounts());
          } finally {
            await empty.drop();
          }
        });
      });

      describe('demo', () => {
        it('the importer loads the demo tenant once; a second import is refused and writes nothing', async () => {
          const target = await cliDatabase(dialect);
          try {
            await target.use(async (db) => {
              const transfer = new TransferService(db);
              assert.equal(await transfer.importTenant(demoTenantDocument()), DEMO_TENANT_ID);
              await assert.rejects(transfer.importTenant(demoTenantDocument()), {
                code: 1001001,
                message: `invalid parameters: tenant ${DEMO_TENANT_ID} already exists in this database`,
              });
              assert.deepEqual(await countRows(db), demoCounts());
            });
          } finally {
            await target.drop();
          }
        });

        it('okrd demo loads the tenant on the first run only, serves it, and stops on SIGTERM', async () => {
          const target = await cliDatabase(dialect, { migrated: false });
          try {
            for (const expected of ['loaded', 'already loaded']) {
              const port = await freePort();
              const server = startOkrd(['demo'], okrdEnv(target.url, { PORT: String(port) }));
              try {
                await waitUntilServing(server, `http://127.0.0.1:${port}/`);
                const token = await httpCall(
                  'POST',
                  `http://127.0.0.1:${port}/open-apis/auth/v3/tenant_access_token/internal`,
                  { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
                );
                assert.equal(token.status, 200);
                assert.equal(token.body.code, 0);
              } finally {
                server.child.kill('SIGTERM');
              }
              const ended = await server.exited;
              assert.equal(ended.code, 0, `graceful exit on SIGTERM (stderr: ${ended.stderr})`);
              assert.equal(ended.stderr, '');
              assert.equal(
                ended.stdout,
                `okrd demo: tenant ${DEMO_TENANT_ID} ${expected}; app_id ${DEMO_APP_ID}, app_secret ${DEMO_APP_SECRET}\n` +
                  `listening on http://127.0.0.1:${port}\n`,
              );
            }
            const { access_tokens: tokens, ...tables } = await target.use(countRows);
            assert.deepEqual({ ...tables, access_tokens: 0 }, demoCounts(), 'the demo tenant, once');
            assert.equal(tokens, 2, 'one tenant token from each server run');
          } finally {
            await target.drop();
          }
        });

        it('okrd demo with PORT=0 prints the port it got, one process or several, and that URL answers', async () => {
          const target = await cliDatabase(dialect);
          try {
            for (const args of [['demo'], ['demo', '--workers', '2']]) {
              const server = startOkrd(args, okrdEnv(target.url, { PORT: '0' }));
              try {
                const [, url] = await printed(server, /^listening on (\S+)\n/m);
                assert.match(url!, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/, `${args.join(' ')}: a real port`);
                const token = await httpCall('POST', `${url}/open-apis/auth/v3/tenant_access_token/internal`, {
                  app_id: DEMO_APP_ID,
                  app_secret: DEMO_APP_SECRET,
                });
                assert.equal(token.body.code, 0, `${args.join(' ')}: the demo app gets a token at ${url}`);
              } finally {
                server.child.kill('SIGTERM');
              }
              const ended = await server.exited;
              assert.equal(ended.code, 0, `graceful exit on SIGTERM (stderr: ${ended.stderr})`);
              assert.equal(ended.stdout.match(/^listening on /gm)?.length, 1, `${args.join(' ')}: said once`);
            }
          } finally {
            await target.drop();
          }
        });
      });
    });
  }

  describe('export and import across dialects', { skip: !DIALECTS.includes('postgres') && 'needs PostgreSQL' }, () => {
    it('export from SQLite, import into PostgreSQL, export again: byte-identical JSON', async () => {
      const [sqlite, postgres] = await Promise.all([cliDatabase('sqlite'), cliDatabase('postgres')]);
      try {
        await sqlite.use((db) => new TransferService(db).importTenant(demoTenantDocument()));
        const fromSqlite = await runOkrd(['export', '--tenant', DEMO_TENANT_ID], okrdEnv(sqlite.url));
        assert.equal(fromSqlite.code, 0, fromSqlite.stderr);

        const imported = await runOkrd(['import', tempFile(fromSqlite.stdout)], okrdEnv(postgres.url));
        assert.equal(imported.stdout, `imported tenant ${DEMO_TENANT_ID}\n`, imported.stderr);

        const fromPostgres = await runOkrd(['export', '--tenant', DEMO_TENANT_ID], okrdEnv(postgres.url));
        assert.equal(fromPostgres.code, 0, fromPostgres.stderr);
        assert.equal(fromPostgres.stdout, fromSqlite.stdout);
      } finally {
        await Promise.all([sqlite.drop(), postgres.drop()]);
      }
    });
  });
});
