// client.authen.* of the official Node SDK against a listening okrd: the older OIDC token endpoints (the SDK sends
// its tenant token as the app's credential) and user_info with a signed-in person's token (spec §9).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import {
  DEMO_APP_ID,
  DEMO_OWNER_PASSWORD,
  DEMO_REDIRECT_URI,
  DEMO_TENANT_ID,
  SEED,
} from '../../src/demo/demo-tenant.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { demoUser } from '../helpers/demo.js';
import { listenForSdk, rejection, sdkClient } from '../helpers/sdk.js';

for (const dialect of DIALECTS) {
  describe(`official Node SDK: authen [${dialect}]`, () => {
    let t: TestApp;
    let client: lark.Client;
    before(async () => {
      t = await testApp(dialect);
      client = sdkClient(await listenForSdk(t));
    });
    after(() => t.close());

    /** 陈敏 signs in with the demo password and allows the demo app: a fresh code. */
    const code = async () => {
      const signedIn = await t.services.signIn.signIn(
        DEMO_TENANT_ID,
        SEED.ownerEmployeeId,
        DEMO_OWNER_PASSWORD,
        '127.0.0.1',
      );
      assert.ok(signedIn.ok);
      const session = await t.services.signIn.session(signedIn.sessionId);
      const check = await t.services.oauth.checkAuthorize(
        { client_id: DEMO_APP_ID, redirect_uri: DEMO_REDIRECT_URI, response_type: 'code', state: 's' },
        { origin: 'http://127.0.0.1:8080', sessionTenantId: session!.tenantId },
      );
      assert.ok(check.ok);
      return new URL(await t.services.oauth.approve(session!, check.request)).searchParams.get('code')!;
    };

    it('exchanges a code (oidcAccessToken), refreshes (oidcRefreshAccessToken) and reads user_info', async () => {
      const res = await client.authen.oidcAccessToken.create({
        data: { grant_type: 'authorization_code', code: await code() },
      });
      assert.equal(res.code, 0);
      assert.match(res.data!.access_token, /^u-/);
      assert.equal(res.data!.token_type, 'Bearer');
      assert.equal(res.data!.expires_in, 7200);
      assert.equal(res.data!.refresh_expires_in, 604800);

      const owner = demoUser(SEED.ownerEmployeeId);
      const info = await client.authen.userInfo.get({}, lark.withUserAccessToken(res.data!.access_token));
      assert.equal(info.code, 0);
      assert.equal(info.data!.name, '陈敏');
      assert.equal(info.data!.en_name, 'Chen Min');
      assert.equal(info.data!.open_id, owner.open_id);
      assert.equal(info.data!.union_id, owner.union_id);
      assert.equal(info.data!.user_id, SEED.ownerEmployeeId);
      assert.equal(info.data!.email, 'okrd_demo_owner@okrd.example.com');
      assert.equal(info.data!.tenant_key, DEMO_TENANT_ID);

      const refreshed = await client.authen.oidcRefreshAccessToken.create({
        data: { grant_type: 'refresh_token', refresh_token: res.data!.refresh_token! },
      });
      assert.equal(refreshed.code, 0);
      assert.notEqual(refreshed.data!.access_token, res.data!.access_token);
      const again = await client.authen.userInfo.get({}, lark.withUserAccessToken(refreshed.data!.access_token));
      assert.equal(again.data!.open_id, owner.open_id);

      // The rotated refresh token used again: refused, and the whole sign-in is revoked.
      const reuse = await rejection(
        client.authen.oidcRefreshAccessToken.create({
          data: { grant_type: 'refresh_token', refresh_token: res.data!.refresh_token! },
        }),
      );
      assert.equal(reuse.status, 400);
      assert.equal(reuse.data.code, 20003);
      const revoked = await rejection(
        client.authen.userInfo.get({}, lark.withUserAccessToken(refreshed.data!.access_token)),
      );
      assert.equal(revoked.status, 400);
      assert.equal(revoked.data.code, 99991668);
    });

    it('refuses a code used twice', async () => {
      const c = await code();
      assert.equal(
        (await client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code: c } })).code,
        0,
      );
      const second = await rejection(
        client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code: c } }),
      );
      assert.equal(second.status, 400);
      assert.equal(second.data.code, 20003);
    });
  });
}
