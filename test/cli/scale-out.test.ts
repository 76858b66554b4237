// Several okrd processes behave as one service: two `okrd serve` on different ports over one PostgreSQL database,
// and `okrd serve --workers 2` on one SQLite file (workers share the port; every request here opens its own
// connection, so round-robin spreads them over both). A write through one is read through the other at once, tokens
// issued by one are honoured by the other, a rate limit holds across them, and revoking or deactivating is seen by
// the other at once (user tokens; a tenant token another process verified in the last 60 s may live that long, see
// docs/operations.md). Plus the load-balancer probes /healthz and /readyz.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import {
  DEMO_APP_ID,
  DEMO_APP_SECRET,
  DEMO_OWNER_PASSWORD,
  DEMO_REDIRECT_URI,
  DEMO_TENANT_ID,
  SEED,
  demoTenantDocument,
} from '../../src/demo/demo-tenant.js';
import { systemClock } from '../../src/domain/clock.js';
import { snowflakeIds } from '../../src/domain/ids.js';
import { buildServices } from '../../src/services/index.js';
import { TransferService } from '../../src/services/transfer.service.js';
import { testApp } from '../helpers/app.js';
import {
  cliDatabase,
  freePort,
  killOkrdChildren,
  okrdEnv,
  runOkrd,
  startOkrd,
  waitUntilServing,
  type CliDatabase,
  type OkrdProcess,
} from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';
import { demoUser } from '../helpers/demo.js';

after(killOkrdChildren);

// Starting okrd under tsx takes a second on a quiet machine and far longer on a loaded one.
const STARTUP_MS = 90_000;

const RATE_LIMIT = 20;
const owner = demoUser(SEED.ownerEmployeeId);
const text = (s: string) => ({
  blocks: [
    {
      block_element_type: 'paragraph',
      paragraph: { elements: [{ paragraph_element_type: 'textRun', text_run: { text: s } }] },
    },
  ],
});

/** One request on a connection of its own (so a cluster hands each to the next worker); JSON in and out. */
async function api(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = {};
    if (payload) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const req = request(`${base}${path}`, { method, agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode!, body: body.startsWith('{') ? JSON.parse(body) : body }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function tenantToken(base: string, appId = DEMO_APP_ID, appSecret = DEMO_APP_SECRET): Promise<string> {
  const res = await api(base, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', {
    body: { app_id: appId, app_secret: appSecret },
  });
  assert.equal(res.body.code, 0, JSON.stringify(res.body));
  return res.body.tenant_access_token;
}

/** 陈敏 signs in and allows the demo app (as her browser would, straight on the database): a fresh code. */
async function authorizationCode(db: CliDatabase): Promise<string> {
  return db.use(async (d) => {
    const config = loadConfig({ DATABASE_URL: db.url });
    const services = buildServices({ db: d, clock: systemClock, ids: snowflakeIds(systemClock, 1023), config });
    const signedIn = await services.signIn.signIn(
      DEMO_TENANT_ID,
      SEED.ownerEmployeeId,
      DEMO_OWNER_PASSWORD,
      '127.0.0.1',
    );
    assert.ok(signedIn.ok);
    const session = await services.signIn.session(signedIn.sessionId);
    const check = await services.oauth.checkAuthorize(
      { client_id: DEMO_APP_ID, redirect_uri: DEMO_REDIRECT_URI, response_type: 'code', state: 's' },
      { origin: 'http://127.0.0.1:8080', sessionTenantId: session!.tenantId },
    );
    assert.ok(check.ok);
    return new URL(await services.oauth.approve(session!, check.request)).searchParams.get('code')!;
  });
}

/** Waits until at least `seconds` remain in the current clock minute, so counted calls share one window. */
async function roomInMinute(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 50));
}

/** The checks every multi-process set-up must pass; `a` and `b` are the base URLs of the two processes. */
async function behavesAsOneService(a: string, b: string, db: CliDatabase): Promise<void> {
  // A tenant token issued by one is honoured by the other.
  const token = await tenantToken(a);
  const okrPath = `/open-apis/okr/v1/okrs/batch_get?okr_ids=${SEED.okrId}&user_id_type=open_id`;
  const before = await api(b, 'GET', okrPath, { token });
  assert.equal(before.status, 200, JSON.stringify(before.body));
  const objectivesBefore: string[] = before.body.data.okr_list[0].objective_list.map((o: { id: string }) => o.id);

  // A write through one is read through the other at once: its list, and v1 batch_get past its render cache.
  const created = await api(a, 'POST', `/open-apis/okr/v2/cycles/${SEED.okrId}/objectives`, {
    token,
    body: { content: text('written through one process') },
  });
  assert.equal(created.body.code, 0, JSON.stringify(created.body));
  const objectiveId: string = created.body.data.objective_id;
  for (const reader of [b, a]) {
    const listed = await api(reader, 'GET', `/open-apis/okr/v2/cycles/${SEED.okrId}/objectives?page_size=100`, {
      token,
    });
    assert.equal(listed.body.code, 0, JSON.stringify(listed.body));
    assert.ok(
      listed.body.data.items.some((o: { id: string }) => o.id === objectiveId),
      'v2 list shows the write',
    );
    const batch = await api(reader, 'GET', okrPath, { token });
    assert.deepEqual(
      batch.body.data.okr_list[0].objective_list.map((o: { id: string }) => o.id),
      [...objectivesBefore, objectiveId],
    );
  }
  // And the other way round: a key result through the second, read through the first.
  const kr = await api(b, 'POST', `/open-apis/okr/v2/objectives/${objectiveId}/key_results`, {
    token,
    body: { content: text('and one through the other') },
  });
  assert.equal(kr.body.code, 0, JSON.stringify(kr.body));
  const krs = await api(a, 'GET', `/open-apis/okr/v2/objectives/${objectiveId}/key_results?page_size=100`, { token });
  assert.deepEqual(
    krs.body.data.items.map((k: { id: string }) => k.id),
    [kr.body.data.key_result_id],
  );

  // A user token issued by one is honoured by the other; its refresh works there too; replaying the old refresh
  // token through the first revokes the sign-in, and the second refuses the refreshed token at once.
  const issued = await api(a, 'POST', '/open-apis/authen/v2/oauth/token', {
    body: {
      grant_type: 'authorization_code',
      client_id: DEMO_APP_ID,
      client_secret: DEMO_APP_SECRET,
      code: await authorizationCode(db),
      redirect_uri: DEMO_REDIRECT_URI,
    },
  });
  assert.equal(issued.body.code, 0, JSON.stringify(issued.body));
  const userInfo = async (base: string, userToken: string) =>
    api(base, 'GET', '/open-apis/authen/v1/user_info', { token: userToken });
  const info = await userInfo(b, issued.body.access_token);
  assert.equal(info.body.code, 0, JSON.stringify(info.body));
  assert.equal(info.body.data.open_id, owner.open_id);
  const refreshBody = (refreshToken: string) => ({
    grant_type: 'refresh_token',
    client_id: DEMO_APP_ID,
    client_secret: DEMO_APP_SECRET,
    refresh_token: refreshToken,
  });
  const refreshed = await api(b, 'POST', '/open-apis/authen/v2/oauth/token', {
    body: refreshBody(issued.body.refresh_token),
  });
  assert.equal(refreshed.body.code, 0, JSON.stringify(refreshed.body));
  assert.equal((await userInfo(a, refreshed.body.access_token)).body.code, 0);
  const replay = await api(a, 'POST', '/open-apis/authen/v2/oauth/token', {
    body: refreshBody(issued.body.refresh_token),
  });
  assert.notEqual(replay.body.code, 0, 'a replayed refresh token is refused');
  for (const base of [b, a]) {
    const refused = await userInfo(base, refreshed.body.access_token);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 99991668);
  }

  // Deactivating a person (a third process: the CLI) stops their token in both at once.
  const cliToken = await runOkrd(
    ['token', 'user', '--app', DEMO_APP_ID, '--user', SEED.ownerEmployeeId],
    okrdEnv(db.url),
  );
  const userToken = JSON.parse(cliToken.stdout).user_access_token as string;
  for (const base of [a, b]) assert.equal((await userInfo(base, userToken)).body.code, 0);
  const deactivated = await runOkrd(
    ['user', 'deactivate', '--tenant', DEMO_TENANT_ID, '--user', SEED.ownerEmployeeId],
    okrdEnv(db.url),
  );
  assert.equal(deactivated.code, 0, deactivated.stderr);
  for (const base of [a, b]) assert.equal((await userInfo(base, userToken)).body.code, 99991668);

  // A deleted app's tenant token: refused at once by a process that has not verified it in the last 60 s.
  const made = await runOkrd(['app', 'create', '--tenant', DEMO_TENANT_ID, '--name', 'doomed'], okrdEnv(db.url));
  const doomed = JSON.parse(made.stdout) as { app_id: string; app_secret: string };
  const doomedToken = await tenantToken(a, doomed.app_id, doomed.app_secret);
  assert.equal((await api(a, 'GET', '/open-apis/okr/v1/periods', { token: doomedToken })).body.code, 0);
  assert.equal((await runOkrd(['app', 'delete', '--app', doomed.app_id], okrdEnv(db.url))).code, 0);
  const afterDelete = await api(b === a ? a : b, 'GET', '/open-apis/okr/v1/periods', { token: doomedToken });
  if (b !== a) assert.equal(afterDelete.body.code, 99991663, JSON.stringify(afterDelete.body));

  // The rate limit holds across both: RATE_LIMIT calls in one minute, spread over the two, then 429.
  await roomInMinute(20);
  const fresh = await tenantToken(b);
  for (let i = 0; i < RATE_LIMIT; i++) {
    const res = await api(i % 2 ? a : b, 'GET', '/open-apis/okr/v1/period_rules', { token: fresh });
    assert.equal(res.status, 200, `call ${i + 1}: ${JSON.stringify(res.body)}`);
  }
  for (const base of [a, b]) {
    const limited = await api(base, 'GET', '/open-apis/okr/v1/period_rules', { token: fresh });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 99991400);
  }
}

async function demoDatabase(dialect: 'sqlite' | 'postgres'): Promise<CliDatabase> {
  const db = await cliDatabase(dialect);
  await db.use((d) => new TransferService(d).importTenant(demoTenantDocument()));
  return db;
}

async function stop(p: OkrdProcess): Promise<void> {
  p.child.kill('SIGTERM');
  const ended = await p.exited;
  assert.equal(ended.code, 0, `okrd ended with ${ended.signal ?? ended.code}: ${ended.stderr}`);
}

describe('several okrd processes behave as one service', () => {
  if (DIALECTS.includes('postgres')) {
    it('two `okrd serve` on different ports over one PostgreSQL database', async () => {
      const db = await demoDatabase('postgres');
      const env = (port: number) => okrdEnv(db.url, { PORT: String(port), RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
      const [portA, portB] = [await freePort(), await freePort()];
      const a = startOkrd(['serve'], env(portA));
      const b = startOkrd(['serve'], env(portB));
      try {
        await waitUntilServing(a, `http://127.0.0.1:${portA}/healthz`, STARTUP_MS);
        await waitUntilServing(b, `http://127.0.0.1:${portB}/healthz`, STARTUP_MS);
        await behavesAsOneService(`http://127.0.0.1:${portA}`, `http://127.0.0.1:${portB}`, db);
        await Promise.all([stop(a), stop(b)]);
      } finally {
        a.child.kill('SIGKILL');
        b.child.kill('SIGKILL');
        await db.drop();
      }
    });
  }

  it('`okrd serve --workers 2` on one SQLite file', async () => {
    const db = await demoDatabase('sqlite');
    const port = await freePort();
    // RATE_LIMIT_STORE is left unset: its SQLite default (memory) keeps the counts in the primary, leased to workers.
    const primary = startOkrd(
      ['serve', '--workers', '2'],
      okrdEnv(db.url, { PORT: String(port), RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) }),
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilServing(primary, `${base}/healthz`, STARTUP_MS);
      // Both workers listen before the checks start (the first to listen answers the probe above).
      // The primary's children running okrd (ps exits 1 when it finds none).
      const workers = () => {
        const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(primary.child.pid)], { encoding: 'utf8' });
        return ps.stdout.split('\n').filter((l) => l.includes('serve --workers 2'));
      };
      assert.equal(workers().length, 2, 'two workers');
      await new Promise((r) => setTimeout(r, 3000));
      await behavesAsOneService(base, base, db);
      await stop(primary);
      assert.equal(workers().length, 0, 'SIGTERM stops the workers with the primary');
    } finally {
      primary.child.kill('SIGKILL');
      await db.drop();
    }
  });
});

describe('the load-balancer probes', () => {
  for (const dialect of DIALECTS) {
    it(`/healthz is alive, /readyz checks the database and draining [${dialect}]`, async () => {
      const t = await testApp(dialect, { demo: false });
      try {
        const health = await t.get('/healthz');
        assert.equal(health.status, 200);
        assert.deepEqual(health.body, { status: 'ok' });
        assert.equal(health.res.headers['content-type'], 'application/json; charset=utf-8');
        assert.deepEqual((await t.get('/readyz')).body, { status: 'ready' });

        // A database missing a migration of this build: not ready.
        const latest = await t.db.read((tx) =>
          tx.get<{ version: number }>('SELECT MAX(version) AS version FROM schema_migrations'),
        );
        await t.db.write((tx) => tx.run('DELETE FROM schema_migrations WHERE version = ?', [latest!.version]));
        const notReady = await t.get('/readyz');
        assert.equal(notReady.status, 503);
        assert.deepEqual(notReady.body, { status: 'unavailable', reason: '1 migrations not applied' });
        // Liveness does not depend on the database.
        assert.equal((await t.get('/healthz')).status, 200);

        // Once closing (SIGTERM), not ready, whatever the database says: the balancer stops sending while
        // in-flight requests finish. Seen on a kept-alive connection: a request in flight holds the close open, and
        // /readyz, pipelined behind it, is routed once closing has begun.
        await t.app.listen({ port: 0, host: '127.0.0.1' });
        const { port } = t.app.server.address() as AddressInfo;
        const socket = connect(port, '127.0.0.1');
        let received = '';
        socket.setEncoding('utf8').on('data', (d: string) => (received += d));
        const body = '{"app_id":"x","app_secret":"y"}';
        socket.write(
          `POST /open-apis/auth/v3/tenant_access_token/internal HTTP/1.1\r\nHost: t\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
        );
        await new Promise((r) => setTimeout(r, 200));
        const closing = t.app.close();
        // The listener is closed once closing has begun.
        while (
          await fetch(`http://127.0.0.1:${port}/healthz`).then(
            () => true,
            () => false,
          )
        ) {
          await new Promise((r) => setTimeout(r, 20));
        }
        socket.write(`${body.slice(5)}GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n`);
        await new Promise((r) => socket.on('close', r));
        const answers = received.split(/(?=HTTP\/1\.1 )/);
        assert.equal(answers.length, 2, received);
        assert.match(answers[1]!, /^HTTP\/1\.1 503 /);
        assert.deepEqual(JSON.parse(answers[1]!.slice(answers[1]!.indexOf('\r\n\r\n') + 4)), {
          status: 'unavailable',
          reason: 'shutting down',
        });
        await closing;
      } finally {
        await t.close();
      }
    });
  }
});
