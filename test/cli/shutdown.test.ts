// Graceful shutdown of the real `okrd serve`: on SIGTERM it stops accepting, answers what is in flight (a slow
// upload finishing after the signal), closes idle keep-alive connections at once, destroys a stalled request at the
// SHUTDOWN_TIMEOUT_SECONDS deadline, closes the database and exits 0. Plus the probes and the request time limit.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { DEMO_APP_ID, DEMO_APP_SECRET, demoTenantDocument } from '../../src/demo/demo-tenant.js';
import { hashToken } from '../../src/services/secrets.js';
import { TransferService } from '../../src/services/transfer.service.js';
import {
  cliDatabase,
  freePort,
  httpCall,
  killOkrdChildren,
  okrdEnv,
  startOkrd,
  waitUntilServing,
  type OkrdProcess,
} from '../helpers/cli.js';

after(killOkrdChildren);

// Long enough that a busy machine still finishes the slow request well inside it.
const DEADLINE_S = 5;
const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

/** A raw connection that records what it receives and when it closes (ms since `t0`). */
function rawConnection(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8').on('data', (s: string) => (received += s));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => received, closed, connected };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(extra: Record<string, string> = {}): Promise<{
  server: OkrdProcess;
  port: number;
  drop: () => Promise<void>;
  db: Awaited<ReturnType<typeof cliDatabase>>;
}> {
  const db = await cliDatabase('sqlite');
  await db.use((d) => new TransferService(d).importTenant(demoTenantDocument()));
  const port = await freePort();
  const server = startOkrd(
    ['serve'],
    okrdEnv(db.url, { PORT: String(port), SHUTDOWN_TIMEOUT_SECONDS: String(DEADLINE_S), ...extra }),
  );
  await waitUntilServing(server, `http://127.0.0.1:${port}/healthz`, 60_000);
  return { server, port, db, drop: db.drop };
}

describe('okrd serve shuts down gracefully', () => {
  it('finishes an in-flight request, then closes a stalled one at the deadline and exits 0', async () => {
    const { server, port, db, drop } = await startServer();
    try {
      // A keep-alive connection that has been answered and sits idle.
      const idle = rawConnection(port);
      idle.socket.write('GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n');
      // A request whose body never finishes.
      const stalled = rawConnection(port);
      stalled.socket.write(
        `POST ${TOKEN_PATH} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"app_id":`,
      );
      // A slow client: its body arrives in pieces, the last 1.5 s after SIGTERM.
      const body = JSON.stringify({ app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET });
      const slow = rawConnection(port);
      slow.socket.write(
        `POST ${TOKEN_PATH} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      slow.socket.write(body.slice(0, 10));
      await Promise.all([idle.connected, stalled.connected, slow.connected]);
      while (!idle.received().includes('{"status":"ok"}')) await sleep(20);

      const signalled = Date.now();
      server.child.kill('SIGTERM');
      // No new connections once draining (polled: a loaded machine may take a moment to act on the signal).
      for (let i = 0; ; i++) {
        const refused = await httpCall('GET', `http://127.0.0.1:${port}/healthz`).then(
          () => false,
          (err: Error) => /ECONNREFUSED/.test(err.message),
        );
        if (refused) break;
        assert.ok(i < 100, 'the listener closes after SIGTERM');
        await sleep(50);
      }
      assert.ok((await idle.closed) - signalled < 2500, 'the idle keep-alive connection was closed at once');
      await sleep(1000);
      slow.socket.write(body.slice(10));

      const slowClosed = await slow.closed;
      const answer = slow.received();
      assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(answer, /\r\nconnection: close\r\n/i, 'answered with Connection: close while draining');
      const envelope = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      assert.equal(envelope.code, 0);
      assert.match(envelope.tenant_access_token, /^t-/);
      assert.ok(slowClosed - signalled < DEADLINE_S * 1000, 'the slow request was answered before the deadline');

      const stalledClosed = await stalled.closed;
      assert.equal(stalled.received(), '', 'nothing can be answered to a request that never arrived');
      const ended = await server.exited;
      const exitedAfter = Date.now() - signalled;
      assert.equal(ended.code, 0, `exit code 0 (stderr: ${ended.stderr})`);
      assert.ok(
        stalledClosed - signalled >= DEADLINE_S * 1000 - 100,
        'the stalled request was kept until the deadline',
      );
      assert.ok(exitedAfter < DEADLINE_S * 1000 + 2000, `exited ${exitedAfter} ms after SIGTERM`);

      // The answered write is in the database.
      const row = await db.use((d) =>
        d.read((tx) =>
          tx.get<{ app_id: string }>('SELECT app_id FROM access_tokens WHERE token_hash = ?', [
            hashToken(envelope.tenant_access_token),
          ]),
        ),
      );
      assert.equal(row?.app_id, DEMO_APP_ID);
    } finally {
      server.child.kill('SIGKILL');
      await drop();
    }
  });

  it('exits at once when nothing is in flight', async () => {
    const { server, port, drop } = await startServer({ SHUTDOWN_TIMEOUT_SECONDS: '30' });
    try {
      const idle = rawConnection(port);
      idle.socket.write('GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n');
      while (!idle.received().includes('\r\n\r\n')) await sleep(20);
      assert.match(idle.received(), /^HTTP\/1\.1 200 OK\r\n/);
      const signalled = Date.now();
      server.child.kill('SIGTERM');
      const ended = await server.exited;
      assert.equal(ended.code, 0);
      // Nothing to wait for: well before the 30 s deadline.
      assert.ok(Date.now() - signalled < 5000, `exited ${Date.now() - signalled} ms after SIGTERM`);
    } finally {
      server.child.kill('SIGKILL');
      await drop();
    }
  });

  it('answers a body that stops arriving with 408 and the Feishu envelope at REQUEST_TIMEOUT_SECONDS', async () => {
    const { server, port, drop } = await startServer({ REQUEST_TIMEOUT_SECONDS: '2', HEADERS_TIMEOUT_SECONDS: '1' });
    try {
      const stalled = rawConnection(port);
      const sent = Date.now();
      stalled.socket.write(
        `POST ${TOKEN_PATH} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"app_id":`,
      );
      // Headers that never finish: the shorter headers limit.
      const slowHeaders = rawConnection(port);
      slowHeaders.socket.write('GET /healthz HTTP/1.1\r\nHost: t\r\n');
      const headersClosed = await slowHeaders.closed;
      assert.match(slowHeaders.received(), /^HTTP\/1\.1 408 /);
      assert.ok(
        headersClosed - sent >= 1000 && headersClosed - sent < 4000,
        `headers timeout after ${headersClosed - sent} ms`,
      );

      const closed = await stalled.closed;
      const elapsed = closed - sent;
      assert.ok(elapsed >= 2000 && elapsed < 5000, `request timeout after ${elapsed} ms`);
      const answer = stalled.received();
      assert.match(answer, /^HTTP\/1\.1 408 Request Timeout\r\n/);
      const envelope = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      assert.equal(envelope.code, 1001001);
      assert.match(envelope.msg, /^invalid parameters: /);
      assert.ok(envelope.error.log_id);
      // The server is still fine.
      assert.equal((await httpCall('GET', `http://127.0.0.1:${port}/healthz`)).status, 200);
    } finally {
      server.child.kill('SIGKILL');
      await drop();
    }
  });
});
