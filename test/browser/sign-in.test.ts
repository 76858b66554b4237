/**
 * A real browser signs in: Debian's chromium driven by playwright-core opens the authorize URL of a listening okrd,
 * signs 陈敏 in with the demo password, allows the demo app, lands on the app's redirect URI (a tiny HTTP server
 * here), and the app exchanges the code and reads OKRs with the token. Without /usr/bin/chromium the test says so
 * loudly and skips, unless CI is set: then it fails.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, it } from 'node:test';
import { DEMO_APP_ID, DEMO_APP_SECRET, DEMO_OWNER_PASSWORD, DEMO_TENANT_ID, SEED } from '../../src/demo/demo-tenant.js';
import { insertRow } from '../../src/store/table.repository.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import { describeWithRig } from './web-helpers.js';

describeWithRig('a browser signs in', (rig) => {
  let callback: Server;
  let redirectUri: string;
  const arrived: URL[] = [];

  before(async () => {
    callback = createServer((req, res) => {
      arrived.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('signed in: you may close this window');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(callback.address() as { port: number }).port}/callback`;
    await writeTenant(rig.t.db, DEMO_TENANT_ID, (tx) =>
      insertRow(tx, 'app_redirect_uris', {
        tenant_id: DEMO_TENANT_ID,
        app_id: DEMO_APP_ID,
        uri: redirectUri,
        created_at: rig.t.clock.now,
      }),
    );
  });
  after(async () => {
    await new Promise((resolve) => callback?.close(resolve));
  });

  it('opens the authorize URL, signs in, consents, lands on the redirect URI, and the token reads OKRs', async () => {
    const base = rig.base;
    // okrd's own CSP in force: the sign-in and consent pages must work under it.
    const context = await rig.context({ csp: true });
    try {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const state = randomBytes(8).toString('hex');
      const authorize = `${base}/open-apis/authen/v1/authorize?${new URLSearchParams({
        client_id: DEMO_APP_ID,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'okr:okr:readonly contact:user.employee_id:readonly',
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`;
      const page = await context.newPage();
      await page.goto(authorize);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await page.getByLabel('Employee ID or email').fill(SEED.ownerEmployeeId);
      await page.getByLabel('Password').fill(DEMO_OWNER_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Allow' }).waitFor();
      assert.match(await page.content(), /okr:okr:readonly/);
      await Promise.all([page.waitForURL(`${redirectUri}?**`), page.getByRole('button', { name: 'Allow' }).click()]);
      const landed = arrived.filter((u) => u.pathname === '/callback').at(-1)!;
      assert.equal(landed.pathname, '/callback');
      assert.equal(landed.searchParams.get('state'), state);
      const code = landed.searchParams.get('code')!;
      assert.ok(code, 'the redirect carries a code');

      const tokenRes = await fetch(`${base}/open-apis/authen/v2/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'authorization_code',
          client_id: DEMO_APP_ID,
          client_secret: DEMO_APP_SECRET,
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      });
      assert.equal(tokenRes.status, 200);
      const tokens = (await tokenRes.json()) as { code: number; access_token: string; scope: string };
      assert.equal(tokens.code, 0);
      assert.equal(tokens.scope, 'okr:okr:readonly contact:user.employee_id:readonly');

      const okrs = await fetch(
        `${base}/open-apis/okr/v1/users/${SEED.ownerEmployeeId}/okrs?user_id_type=user_id&offset=0&limit=10`,
        { headers: { authorization: `Bearer ${tokens.access_token}` } },
      );
      assert.equal(okrs.status, 200);
      const body = (await okrs.json()) as { code: number; data: { okr_list: { id: string }[] } };
      assert.equal(body.code, 0);
      assert.ok(
        body.data.okr_list.some((o) => o.id === SEED.okrId),
        'the token reads the demo OKR',
      );
    } finally {
      await context.close();
    }
  });
});
