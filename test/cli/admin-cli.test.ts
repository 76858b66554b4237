// The administration commands of `okrd` (tenant update, period rules and periods, people, administrators, apps,
// reviews, purge): the real command on a fresh database, building a tenant from nothing, then serving it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashToken, secretMatches } from '../../src/services/secrets.js';
import type { Db } from '../../src/store/db.js';
import {
  cliDatabase,
  freePort,
  killOkrdChildren,
  okrdEnv,
  runOkrd,
  startOkrd,
  waitUntilServing,
  type CliDatabase,
  type CliResult,
} from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';

after(killOkrdChildren);

/** Asserts a failed run: the exit code, nothing on stdout, one line on stderr matching `pattern`. */
function assertOneLineError(r: CliResult, exitCode: number, pattern: RegExp): void {
  assert.equal(r.code, exitCode, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^okrd: [^\n]+\n$/, 'exactly one line on stderr');
  assert.match(r.stderr, pattern);
}

/** Asserts a successful run and returns its stdout parsed as JSON. */
function jsonOutput(r: CliResult): any {
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  return JSON.parse(r.stdout);
}

/** Every row an administration command may change, so a refused one can be shown to change nothing. */
const snapshot = (db: Db) =>
  db.read(async (tx) => {
    const out: Record<string, unknown[]> = {};
    for (const table of [
      'tenants',
      'users',
      'apps',
      'app_users',
      'app_redirect_uris',
      'period_rules',
      'periods',
      'department_members',
      'okrs',
      'reviews',
      'access_tokens',
    ]) {
      out[table] = await tx.all(`SELECT * FROM ${table} ORDER BY 1, 2`);
    }
    return out;
  });

/** A request to the served okrd with a bearer token (one connection, closed after). */
async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      connection: 'close',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

for (const dialect of DIALECTS) {
  describe(`okrd administration commands [${dialect}]`, () => {
    let target: CliDatabase;
    const okrd = (...args: string[]) => runOkrd(args, okrdEnv(target.url));
    let tenantId = '';
    let ruleId = '';
    let periodId = '';
    let appId = '';
    let appSecret = '';
    const T = () => ['--tenant', tenantId];

    before(async () => {
      target = await cliDatabase(dialect);
    });
    after(() => target.drop());

    it('a fresh tenant made with the CLI only serves its period and a person reads their OKR list', async () => {
      tenantId = jsonOutput(await okrd('tenant', 'create', '--name', 'Acme', '--utc-offset', '60')).id;

      const rule = jsonOutput(
        await okrd('period-rule', 'create', ...T(), '--type', 'month', '--length', '3', '--first-month', '1'),
      );
      assert.deepEqual(rule, { period_rule_id: rule.period_rule_id, type: 'month', length: 3, first_month: 1 });
      ruleId = rule.period_rule_id;

      const period = jsonOutput(await okrd('period', 'create', ...T(), '--rule', ruleId, '--start-month', '2026-01'));
      assert.deepEqual(period, {
        period_id: period.period_id,
        period_rule_id: ruleId,
        zh_name: '2026 年 1 月 - 3 月',
        en_name: 'Jan - Mar 2026',
        status: 0,
        start_month: '2026-01',
        end_month: '2026-03',
        // Local midnight at UTC+01:00, the tenant's offset.
        period_start_time: Date.UTC(2026, 0, 1) - 3_600_000,
        period_end_time: Date.UTC(2026, 3, 1) - 3_600_000 - 1,
      });
      periodId = period.period_id;
      assert.deepEqual(jsonOutput(await okrd('period', 'status', ...T(), '--period', periodId, '--status', '1')), {
        ...period,
        status: 1,
      });

      jsonOutput(await okrd('user', 'create', ...T(), '--user-id', 'boss', '--name-en', 'Boss'));
      jsonOutput(await okrd('user', 'create', ...T(), '--user-id', 'ann', '--name-en', 'Ann', '--leader', 'boss'));
      const app = jsonOutput(
        await okrd('app', 'create', ...T(), '--name', 'portal', '--redirect-uri', 'https://portal.example/cb'),
      );
      assert.deepEqual(Object.keys(app), ['app_id', 'app_secret', 'client_type', 'redirect_uris']);
      assert.deepEqual(app.redirect_uris, ['https://portal.example/cb']);
      assert.equal(app.client_type, 'confidential');
      ({ app_id: appId, app_secret: appSecret } = app);

      const port = await freePort();
      const server = startOkrd(['serve'], okrdEnv(target.url, { PORT: String(port) }));
      const base = `http://127.0.0.1:${port}`;
      try {
        await waitUntilServing(server, `${base}/`);
        const tokenRes = await call(base, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', undefined, {
          app_id: appId,
          app_secret: appSecret,
        });
        assert.equal(tokenRes.body.code, 0);
        const periods = await call(base, 'GET', '/open-apis/okr/v1/periods', tokenRes.body.tenant_access_token);
        assert.equal(periods.status, 200);
        assert.deepEqual(periods.body.data, {
          has_more: false,
          items: [
            {
              id: periodId,
              zh_name: '2026 年 1 月 - 3 月',
              en_name: 'Jan - Mar 2026',
              status: 1,
              period_start_time: String(period.period_start_time),
              period_end_time: String(period.period_end_time),
            },
          ],
        });

        const userToken = jsonOutput(await okrd('token', 'user', '--app', appId, '--user', 'ann'));
        const okrs = await call(
          base,
          'GET',
          '/open-apis/okr/v1/users/ann/okrs?user_id_type=user_id&offset=0&limit=10',
          userToken.user_access_token,
        );
        assert.equal(okrs.status, 200);
        assert.equal(okrs.body.code, 0);
        assert.equal(okrs.body.data.total, 0);
        const cycles = await call(
          base,
          'GET',
          '/open-apis/okr/v2/cycles?user_id=ann&user_id_type=user_id',
          userToken.user_access_token,
        );
        assert.equal(cycles.body.code, 0);
        assert.deepEqual(
          cycles.body.data.items.map((c: { tenant_cycle_id: string }) => c.tenant_cycle_id),
          [periodId],
        );
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    });

    it('period-rule and period refuse what breaks a rule, writing nothing', async () => {
      const before = await target.use(snapshot);
      assertOneLineError(
        await okrd('period-rule', 'create', ...T(), '--type', 'month', '--length', '5'),
        1,
        /length: a month rule's length is one of 1, 2, 3, 4, 6/,
      );
      assertOneLineError(
        await okrd('period-rule', 'create', ...T(), '--type', 'year', '--first-month', '13'),
        1,
        /first_month: must be a month from 1 to 12/,
      );
      assertOneLineError(
        await okrd('period-rule', 'create', ...T(), '--type', 'month', '--length', '3'),
        1,
        /type: the tenant already has this rule/,
      );
      assertOneLineError(
        await okrd('period', 'create', ...T(), '--rule', ruleId, '--start-month', '2026-02'),
        1,
        /Start date does not fit/,
      );
      assertOneLineError(
        await okrd('period', 'create', ...T(), '--rule', ruleId, '--start-month', '2026-01'),
        1,
        /Conflict period existed/,
      );
      assertOneLineError(
        await okrd('period', 'status', ...T(), '--period', periodId, '--status', '0'),
        2,
        /--status must be 1/,
      );
      assertOneLineError(await okrd('period-rule', 'create', ...T()), 2, /--type is required/);
      assert.deepEqual(await target.use(snapshot), before);
      const listed = jsonOutput(await okrd('period-rule', 'list', ...T()));
      assert.deepEqual(listed, {
        period_rules: [{ period_rule_id: ruleId, type: 'month', length: 3, first_month: 1 }],
      });
      const year = jsonOutput(await okrd('period-rule', 'create', ...T(), '--type', 'year', '--first-month', '4'));
      assert.deepEqual(year, { period_rule_id: year.period_rule_id, type: 'year', length: 12, first_month: 4 });
      assert.deepEqual(
        jsonOutput(await okrd('period', 'list', ...T())).periods.map((p: { period_id: string }) => p.period_id),
        [periodId],
      );
    });

    it('tenant update changes settings, checks the provider fields together, never prints the secret', async () => {
      const before = await target.use(snapshot);
      assertOneLineError(
        await okrd('tenant', 'update', ...T(), '--oidc-issuer', 'https://idp.example'),
        1,
        /oidc_client_id: .*set together or cleared together; oidc_client_secret: /,
      );
      assertOneLineError(
        await okrd(
          ...['tenant', 'update', ...T(), '--oidc-issuer', 'http://idp.example'],
          ...['--oidc-client-id', 'c', '--oidc-client-secret', 's'],
        ),
        1,
        /oidc_issuer: must be an https URL/,
      );
      assertOneLineError(
        await okrd('tenant', 'update', ...T(), '--password-sign-in', 'off'),
        1,
        /password_sign_in: can be turned off only while an OpenID Connect provider is set/,
      );
      assertOneLineError(await okrd('tenant', 'update', ...T()), 2, /needs at least one setting/);
      assert.deepEqual(await target.use(snapshot), before);

      const updated = jsonOutput(
        await okrd(
          ...['tenant', 'update', ...T(), '--name', ' Acme Ltd ', '--oidc-issuer', 'http://127.0.0.1:9/realm'],
          ...['--oidc-client-id', 'okrd', '--oidc-client-secret', 'sekrit', '--password-sign-in', 'off'],
        ),
      );
      assert.deepEqual(updated, {
        tenant_id: tenantId,
        name: 'Acme Ltd',
        utc_offset_minutes: 60,
        password_sign_in: false,
        oidc_issuer: 'http://127.0.0.1:9/realm',
        oidc_client_id: 'okrd',
        oidc_client_secret_set: true,
        oidc_create_users: false,
        created_at: updated.created_at,
      });
      const row = await target.use((db) =>
        db.read((tx) => tx.get<Record<string, unknown>>('SELECT * FROM tenants WHERE id = ?', [tenantId])),
      );
      assert.equal(row!.oidc_client_secret, 'sekrit');
      assert.equal(Number(row!.password_sign_in), 0);
      const back = jsonOutput(
        await okrd(
          ...['tenant', 'update', ...T(), '--password-sign-in', 'on', '--oidc-issuer', ''],
          ...['--oidc-client-id', '', '--oidc-client-secret', ''],
        ),
      );
      assert.equal(back.password_sign_in, true);
      assert.equal(back.oidc_issuer, null);
      assert.equal(back.oidc_client_secret_set, false);
    });

    it('user update, visibility, admin grant and revoke; a leader loop and a taken email are refused', async () => {
      jsonOutput(await okrd('department', 'create', ...T(), '--department-id', 'eng', '--name-zh', '工程'));
      const updated = jsonOutput(
        await okrd(
          ...['user', 'update', ...T(), '--user', 'ann', '--email', ' Ann@Example.COM ', '--mobile', '+1 555 0100'],
          ...['--name-zh', '安', '--department', 'eng'],
        ),
      );
      assert.deepEqual(updated, {
        user_id: 'ann',
        union_id: updated.union_id,
        people_admin_id: updated.people_admin_id,
        name_zh: '安',
        name_en: 'Ann',
        email: 'ann@example.com',
        mobile: '+1 555 0100',
        leader_user_id: 'boss',
        department_ids: ['eng'],
        active: true,
        is_admin: false,
        okr_visibility: 'tenant',
        created_at: updated.created_at,
      });
      const before = await target.use(snapshot);
      assertOneLineError(
        await okrd('user', 'update', ...T(), '--user', 'boss', '--leader', 'ann'),
        1,
        /leader_user_id: ann is led by boss: that would make a loop/,
      );
      assertOneLineError(
        await okrd('user', 'update', ...T(), '--user', 'boss', '--email', 'ANN@example.com'),
        1,
        /email: ann@example.com is another person's email/,
      );
      assertOneLineError(
        await okrd('user', 'update', ...T(), '--user', 'boss', '--email', 'not-an-email'),
        1,
        /email: must be an email address/,
      );
      assertOneLineError(await okrd('user', 'update', ...T(), '--user', 'nobody', '--name-en', 'X'), 1, /nobody/);
      assertOneLineError(await okrd('user', 'visibility', ...T(), '--user', 'ann'), 2, /--leaders/);
      assert.deepEqual(await target.use(snapshot), before);

      // Ann's cycle exists since she listed her v2 cycles in the first test.
      const hidden = jsonOutput(await okrd('user', 'visibility', ...T(), '--user', 'ann', '--leaders'));
      assert.equal(hidden.okr_visibility, 'leaders');
      const visibilities = await target.use((db) =>
        db.read((tx) =>
          tx.all<{ visibility: string }>(
            'SELECT o.visibility FROM okrs o JOIN users u ON u.id = o.owner_id WHERE u.employee_id = ?',
            ['ann'],
          ),
        ),
      );
      assert.deepEqual(visibilities, [{ visibility: 'leaders' }]);
      assert.equal(
        jsonOutput(await okrd('user', 'visibility', ...T(), '--user', 'ann', '--everyone')).okr_visibility,
        'tenant',
      );

      assert.equal(jsonOutput(await okrd('admin', 'grant', ...T(), '--user', 'boss')).is_admin, true);
      assert.equal(jsonOutput(await okrd('admin', 'revoke', ...T(), '--user', 'boss')).is_admin, false);
      const cleared = jsonOutput(
        await okrd('user', 'update', ...T(), '--user', 'ann', '--leader', '', '--email', '', '--department', ''),
      );
      assert.equal(cleared.leader_user_id, null);
      assert.equal(cleared.email, null);
      assert.deepEqual(cleared.department_ids, []);
    });

    it('user deactivate ends tokens, sessions and refresh tokens at once; activate lets them sign in again', async () => {
      const token = jsonOutput(await okrd('token', 'user', '--app', appId, '--user', 'boss')).user_access_token;
      const boss = await target.use((db) =>
        db.read((tx) => tx.get<{ id: string }>("SELECT id FROM users WHERE employee_id = 'boss'")),
      );
      const now = Date.now();
      await target.use((db) =>
        db.write(async (tx) => {
          await tx.run(
            'INSERT INTO sessions (id_hash, tenant_id, user_ref, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
            ['s1', tenantId, boss!.id, now, now + 3_600_000],
          );
          await tx.run(
            `INSERT INTO refresh_tokens (token_hash, tenant_id, app_id, user_ref, family_id, scope, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            ['r1', tenantId, appId, boss!.id, 'f1', 'okr:okr', now, now + 86_400_000],
          );
        }),
      );
      const printed = jsonOutput(await okrd('user', 'deactivate', ...T(), '--user', 'boss'));
      assert.equal(printed.active, false);
      await target.use((db) =>
        db.read(async (tx) => {
          const row = await tx.get<{ expires_at: number }>(
            'SELECT expires_at FROM access_tokens WHERE token_hash = ?',
            [hashToken(token)],
          );
          assert.ok(Number(row!.expires_at) <= Date.now(), 'the access token has expired');
          assert.deepEqual(await tx.all('SELECT * FROM sessions WHERE user_ref = ?', [boss!.id]), []);
          assert.deepEqual(await tx.all('SELECT * FROM refresh_tokens WHERE user_ref = ?', [boss!.id]), []);
          const okrs = await tx.all('SELECT * FROM okrs WHERE owner_id = ?', [boss!.id]);
          assert.ok(Array.isArray(okrs), 'their OKRs stay');
        }),
      );
      assert.equal(jsonOutput(await okrd('user', 'activate', ...T(), '--user', 'boss')).active, true);
    });

    it('app list, scopes, redirect-uri, rotate-secret and delete; a public app has no secret', async () => {
      const pub = jsonOutput(
        await okrd('app', 'create', ...T(), '--name', 'web', '--public', '--redirect-uri', 'http://localhost:5173/cb'),
      );
      assert.deepEqual(pub, {
        app_id: pub.app_id,
        client_type: 'public',
        redirect_uris: ['http://localhost:5173/cb'],
      });
      assertOneLineError(await okrd('app', 'rotate-secret', '--app', pub.app_id), 1, /a public app has no secret/);

      const scoped = jsonOutput(await okrd('app', 'scopes', '--app', appId, '--scopes', 'okr:okr:readonly,okr:okr'));
      assert.deepEqual(scoped.scopes, ['okr:okr:readonly', 'okr:okr']);
      const before = await target.use(snapshot);
      assertOneLineError(await okrd('app', 'scopes', '--app', appId, '--scopes', 'okr:all'), 1, /unknown scope/);
      for (const bad of [
        '/cb',
        'ftp://x.example/cb',
        'https://x.example/cb#frag',
        `https://x.example/${'a'.repeat(2048)}`,
      ]) {
        assertOneLineError(
          await okrd('app', 'redirect-uri', 'add', '--app', appId, '--uri', bad),
          1,
          /redirect_uris: .*not an absolute http\(s\) URL without a fragment/,
        );
      }
      assertOneLineError(
        await okrd('app', 'redirect-uri', 'remove', '--app', appId, '--uri', 'https://nope.example/'),
        1,
        /is not registered/,
      );
      assertOneLineError(await okrd('app', 'redirect-uri', 'list', '--app', appId), 2, /add or remove/);
      assert.deepEqual(await target.use(snapshot), before);

      const added = jsonOutput(
        await okrd('app', 'redirect-uri', 'add', '--app', appId, '--uri', 'http://127.0.0.1:3000/callback'),
      );
      assert.deepEqual(added.redirect_uris, ['https://portal.example/cb', 'http://127.0.0.1:3000/callback']);
      const removed = jsonOutput(
        await okrd('app', 'redirect-uri', 'remove', '--app', appId, '--uri', 'https://portal.example/cb'),
      );
      assert.deepEqual(removed.redirect_uris, ['http://127.0.0.1:3000/callback']);

      const rotated = jsonOutput(await okrd('app', 'rotate-secret', '--app', appId));
      assert.deepEqual(Object.keys(rotated), ['app_id', 'app_secret']);
      const hash = await target.use((db) =>
        db.read((tx) => tx.get<{ secret_hash: string }>('SELECT secret_hash FROM apps WHERE app_id = ?', [appId])),
      );
      assert.ok(secretMatches(rotated.app_secret, hash!.secret_hash));
      assert.ok(!secretMatches(appSecret, hash!.secret_hash), 'the old secret stops at once');

      const listed = jsonOutput(await okrd('app', 'list', ...T()));
      assert.deepEqual(listed.apps.map((a: { app_id: string }) => a.app_id).sort(), [appId, pub.app_id].sort());
      assert.ok(!JSON.stringify(listed).includes('secret'), 'no secret in the list');

      const deleted = jsonOutput(await okrd('app', 'delete', '--app', pub.app_id));
      assert.equal(deleted.app_id, pub.app_id);
      assert.equal(deleted.deleted.apps, 1);
      assert.equal(deleted.deleted.app_users, 2);
      assert.equal(deleted.deleted.app_redirect_uris, 1);
      await target.use((db) =>
        db.read(async (tx) => {
          for (const table of ['apps', 'app_users', 'app_redirect_uris', 'access_tokens']) {
            assert.deepEqual(await tx.all(`SELECT * FROM ${table} WHERE app_id = ?`, [pub.app_id]), [], table);
          }
        }),
      );
      assertOneLineError(await okrd('app', 'delete', '--app', pub.app_id), 1, /app_id: no app/);
    });

    it('user invite and reset-password print a single-use link whose token is stored only hashed', async () => {
      const invite = jsonOutput(await okrd('user', 'invite', ...T(), '--user', 'ann'));
      assert.deepEqual(Object.keys(invite), ['url', 'expires_at']);
      const token = new URL(invite.url).searchParams.get('token')!;
      assert.match(invite.url, /\/okrd\/password\?token=/);
      const reset = jsonOutput(await okrd('user', 'reset-password', ...T(), '--user', 'ann'));
      const rows = await target.use((db) =>
        db.read((tx) =>
          tx.all<{ token_hash: string; purpose: string }>(
            'SELECT token_hash, purpose FROM sign_in_links WHERE tenant_id = ? ORDER BY created_at, purpose',
            [tenantId],
          ),
        ),
      );
      assert.deepEqual(rows.map((r) => r.purpose).sort(), ['invite', 'reset']);
      assert.ok(rows.some((r) => r.token_hash === hashToken(token)));
      assert.ok(!JSON.stringify(rows).includes(token), 'the link token itself is not stored');
      assert.ok(reset.expires_at < invite.expires_at, 'a reset link lives shorter than an invitation');
      assertOneLineError(await okrd('user', 'invite', ...T(), '--user', 'nobody'), 1, /user not found: nobody/);
    });

    it('review remove deletes a review; purge deletes what expired', async () => {
      const review = jsonOutput(
        await okrd(
          ...['review', 'add', ...T(), '--user', 'ann', '--period', periodId],
          ...['--kind', 'cycle_review', '--url', 'https://docs.example/r'],
        ),
      );
      assertOneLineError(await okrd('review', 'remove', ...T(), '--id', '42'), 1, /review_id 42/);
      assert.deepEqual(jsonOutput(await okrd('review', 'remove', ...T(), '--id', review.id)), {
        id: review.id,
        user_id: 'ann',
        period_id: periodId,
        kind: 'cycle_review',
        url: 'https://docs.example/r',
        create_time: review.create_time,
      });

      const ann = await target.use((db) =>
        db.read((tx) => tx.get<{ id: string }>("SELECT id FROM users WHERE employee_id = 'ann'")),
      );
      const past = Date.now() - 1000;
      const future = Date.now() + 3_600_000;
      await target.use((db) =>
        db.write(async (tx) => {
          for (const [hash, expires] of [
            ['old', past],
            ['new', future],
          ] as const) {
            await tx.run(
              `INSERT INTO access_tokens (token_hash, kind, tenant_id, app_id, user_ref, created_at, expires_at)
               VALUES (?, 'user', ?, ?, ?, ?, ?)`,
              [`t-${hash}`, tenantId, appId, ann!.id, past - 5000, expires],
            );
            await tx.run(
              'INSERT INTO sessions (id_hash, tenant_id, user_ref, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
              [`s-${hash}`, tenantId, ann!.id, past - 5000, expires],
            );
            await tx.run(
              `INSERT INTO sign_in_links (token_hash, tenant_id, user_ref, purpose, created_at, expires_at)
               VALUES (?, ?, ?, 'invite', ?, ?)`,
              [`l-${hash}`, tenantId, ann!.id, past - 5000, expires],
            );
            await tx.run(
              `INSERT INTO oauth_codes (code_hash, tenant_id, app_id, user_ref, redirect_uri, scope, created_at, expires_at)
               VALUES (?, ?, ?, ?, 'http://127.0.0.1:3000/callback', 'okr:okr', ?, ?)`,
              [`c-${hash}`, tenantId, appId, ann!.id, past - 5000, expires],
            );
            await tx.run(
              `INSERT INTO refresh_tokens (token_hash, tenant_id, app_id, user_ref, family_id, scope, created_at,
                 expires_at, rotated_at) VALUES (?, ?, ?, ?, 'f', 'okr:okr', ?, ?, ?)`,
              [`r-${hash}`, tenantId, appId, ann!.id, past - 5000, expires, past - 100],
            );
          }
        }),
      );
      const counts = jsonOutput(await okrd('purge'));
      // The deactivation test expired boss's token too.
      assert.ok(counts.access_tokens >= 2, JSON.stringify(counts));
      assert.deepEqual(
        { ...counts, access_tokens: 0 },
        { access_tokens: 0, oauth_codes: 1, sessions: 1, sign_in_links: 1, refresh_tokens: 1, oidc_logins: 0 },
      );
      await target.use((db) =>
        db.read(async (tx) => {
          const left = (table: string, key: string) =>
            tx.all(`SELECT ${key} AS k FROM ${table} WHERE ${key} LIKE ? ORDER BY 1`, ['%-%']);
          assert.deepEqual(await left('sessions', 'id_hash'), [{ k: 's-new' }]);
          assert.deepEqual(await left('sign_in_links', 'token_hash'), [{ k: 'l-new' }]);
          assert.deepEqual(await left('oauth_codes', 'code_hash'), [{ k: 'c-new' }]);
          assert.deepEqual(await left('refresh_tokens', 'token_hash'), [{ k: 'r-new' }]);
          assert.deepEqual(await tx.all("SELECT token_hash FROM access_tokens WHERE token_hash LIKE 't-%'"), [
            { token_hash: 't-new' },
          ]);
        }),
      );
      assert.deepEqual(jsonOutput(await okrd('purge')), {
        access_tokens: 0,
        oauth_codes: 0,
        sessions: 0,
        sign_in_links: 0,
        refresh_tokens: 0,
        oidc_logins: 0,
      });
    });
  });
}
