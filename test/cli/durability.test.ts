// An acknowledged write is durable: once okrd has answered 200, killing it (SIGKILL, no shutdown code runs)
// loses nothing. On SQLite this rests on WAL mode with synchronous = NORMAL (see src/store/sqlite.driver.ts).
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { DEMO_APP_ID, DEMO_APP_SECRET, DEMO_TENANT_ID, demoTenantDocument } from '../../src/demo/demo-tenant.js';
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
} from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';

// Whatever happens in a test, no okrd process outlives this file.
after(killOkrdChildren);

for (const dialect of DIALECTS) {
  describe(`acknowledged writes survive a killed server [${dialect}]`, () => {
    it('a tenant token answered with HTTP 200 is stored after SIGKILL', async () => {
      const target = await cliDatabase(dialect);
      try {
        await target.use((db) => new TransferService(db).importTenant(demoTenantDocument()));
        const port = await freePort();
        const server = startOkrd(['serve'], okrdEnv(target.url, { PORT: String(port) }));
        let res: Awaited<ReturnType<typeof httpCall>>;
        try {
          await waitUntilServing(server, `http://127.0.0.1:${port}/`);
          res = await httpCall('POST', `http://127.0.0.1:${port}/open-apis/auth/v3/tenant_access_token/internal`, {
            app_id: DEMO_APP_ID,
            app_secret: DEMO_APP_SECRET,
          });
          server.child.kill('SIGKILL');
        } finally {
          server.child.kill('SIGKILL');
        }
        const ended = await server.exited;
        assert.equal(ended.signal, 'SIGKILL', 'killed, not shut down');
        assert.equal(res.status, 200);
        assert.equal(res.body.code, 0);
        const token: string = res.body.tenant_access_token;
        assert.match(token, /^t-/);

        if (dialect === 'sqlite') {
          // The commit is still only in the write-ahead log: reopening must recover it from there.
          const wal = statSync(`${target.url.slice('sqlite:'.length)}-wal`, { throwIfNoEntry: false });
          assert.ok(wal && wal.size > 0, 'a non-empty -wal file was left behind');
        }
        const row = await target.use((db) =>
          db.read((tx) =>
            tx.get<Record<string, string | number | null>>('SELECT * FROM access_tokens WHERE token_hash = ?', [
              hashToken(token),
            ]),
          ),
        );
        assert.ok(row, 'the acknowledged token is in the database');
        assert.equal(row.kind, 'tenant');
        assert.equal(row.tenant_id, DEMO_TENANT_ID);
        assert.equal(row.app_id, DEMO_APP_ID);
        assert.equal(row.user_ref, null);
        assert.equal(Number(row.expires_at) - Number(row.created_at), res.body.expire * 1000);
      } finally {
        await target.drop();
      }
    });
  });
}
