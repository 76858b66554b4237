/**
 * The web UI's first-party OAuth client (decisions.md OQ-38, OQ-39): `okrd_web`, known to every tenant, public (PKCE),
 * redirecting only to /auth/callback on okrd's own origin; the tenant is the signed-in person's (the sign-in page asks
 * for it when the database holds several); no consent page; behind it each tenant's own public app, made on first
 * use with an open_id for every person; refresh tokens rotate; signing out revokes the sign-in and the session; and
 * GET /okrd/api/me tells the UI who signed in.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WEB_CALLBACK_PATH, WEB_CLIENT_ID } from '../../src/contract/web-client.js';
import type { Param } from '../../src/store/db.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person, type World } from '../helpers/factories.js';
import { Browser } from '../helpers/form-browser.js';

const PASSWORD = 'correct horse battery';
// What inject's requests look like to the server: Host localhost:80.
const ORIGIN = 'http://localhost:80';
const CALLBACK = `${ORIGIN}${WEB_CALLBACK_PATH}`;

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

for (const dialect of DIALECTS) {
  describe(`the web UI's OAuth client [${dialect}]`, () => {
    let t: TestApp;
    let world: World;
    let other: World;
    let owner: Person;
    let stranger: Person;

    const withPassword = async (w: World, employeeId: string) => {
      const p = await w.person({ employee_id: employeeId });
      const link = await t.services.signIn.createLink(w.tenantId, employeeId, 'invite');
      const token = new URL(link.url).searchParams.get('token')!;
      assert.deepEqual(await t.services.signIn.setPassword(token, PASSWORD), { ok: true });
      return p;
    };
    const authorizeUrl = (challenge: string, q: Record<string, string> = {}) =>
      `/open-apis/authen/v1/authorize?${new URLSearchParams({
        client_id: WEB_CLIENT_ID,
        response_type: 'code',
        redirect_uri: CALLBACK,
        state: 'st8',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...q,
      })}`;
    const token = async (body: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url: '/open-apis/authen/v2/oauth/token', payload: body });
      return { status: res.statusCode, body: res.json() };
    };
    const webApp = (w: World) => `okrd_web_${w.tenantId}`;
    const rows = async (sql: string, params: Param[]) =>
      t.db.read((tx) => tx.all<Record<string, unknown>>(sql, params));

    /** Signs in through the authorize page (the form asks for the organisation) and returns the code. */
    const signIn = async (b: Browser, w: World, login: string, challenge: string) => {
      const url = authorizeUrl(challenge);
      const form = await b.get(url);
      assert.equal(form.statusCode, 200);
      // Several tenants in the database: the organisation is asked (OQ-39); no app name, it is okrd itself.
      assert.match(form.body, /<input type="text" id="org" name="org"/);
      assert.match(form.body, /name="return_to" value="\/open-apis\/authen\/v1\/authorize\?client_id=okrd_web/);
      const posted = await b.post('/okrd/sign-in', { org: w.tenantId, login, password: PASSWORD, return_to: url });
      assert.equal(posted.statusCode, 303, posted.body);
      assert.equal(posted.headers.location, url);
      // Signed in: no consent page, straight back to the callback with a code.
      const back = await b.get(url);
      assert.equal(back.statusCode, 303, back.body);
      const location = new URL(back.headers.location as string);
      assert.equal(`${location.origin}${location.pathname}`, new URL(CALLBACK).href);
      assert.equal(location.searchParams.get('state'), 'st8');
      return location.searchParams.get('code')!;
    };

    before(async () => {
      t = await testApp(dialect);
      world = await newWorld(t);
      other = await newWorld(t);
      owner = await withPassword(world, 'web_owner');
      await world.person({ employee_id: 'colleague' });
      stranger = await withPassword(other, 'web_stranger');
    });
    after(() => t.close());

    it('signs a person in without consent, trades the code with PKCE, rotates, and answers /okrd/api/me', async () => {
      const b = new Browser(t);
      const { verifier, challenge } = pkce();
      assert.deepEqual(await rows('SELECT app_id FROM apps WHERE app_id = ?', [webApp(world)]), []);
      const code = await signIn(b, world, owner.employee_id, challenge);

      // The tenant's web app now exists: public, every scope, an open_id for each of its people.
      const [app] = await rows('SELECT tenant_id, client_type, scopes FROM apps WHERE app_id = ?', [webApp(world)]);
      assert.equal(app!.tenant_id, world.tenantId);
      assert.equal(app!.client_type, 'public');
      assert.match(app!.scopes as string, /(^| )okr:okr( |$)/);
      const people = await rows('SELECT id FROM users WHERE tenant_id = ?', [world.tenantId]);
      const openIds = await rows('SELECT user_ref, open_id, tenant_id FROM app_users WHERE app_id = ?', [
        webApp(world),
      ]);
      assert.deepEqual(
        openIds.map((o) => o.user_ref).sort(),
        people.map((p) => p.id).sort(),
        'one open_id for each person',
      );
      for (const o of openIds) {
        assert.match(o.open_id as string, /^ou_[0-9a-f]{32}$/, 'Feishu-shaped open_id');
        assert.equal(o.tenant_id, world.tenantId, 'open_id rows carry the tenant');
      }
      assert.equal(new Set(openIds.map((o) => o.open_id)).size, openIds.length, 'open_ids are distinct');

      // Without the verifier, or with another one, the code is worthless.
      const base = { grant_type: 'authorization_code', client_id: WEB_CLIENT_ID, code, redirect_uri: CALLBACK };
      const bad = await token({ ...base, code_verifier: pkce().verifier });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error, 'invalid_grant');
      // (A failed verifier does not use the code up.)
      const good = await token({ ...base, code_verifier: verifier });
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assert.equal(good.body.code, 0);
      assert.match(good.body.access_token, /^u-/);
      const [issued] = await rows('SELECT app_id, user_ref FROM access_tokens WHERE kind = ? AND app_id = ?', [
        'user',
        webApp(world),
      ]);
      assert.equal(issued!.user_ref, owner.ref);

      const me = await t.get('/okrd/api/me', good.body.access_token);
      assert.equal(me.status, 200);
      const [openId] = await rows('SELECT open_id FROM app_users WHERE app_id = ? AND user_ref = ?', [
        webApp(world),
        owner.ref,
      ]);
      const [names] = await rows('SELECT name_zh, name_en FROM users WHERE id = ?', [owner.ref]);
      assert.deepEqual(me.body, {
        code: 0,
        msg: 'success',
        data: {
          open_id: openId!.open_id,
          user_id: owner.employee_id,
          name_zh: names!.name_zh,
          name_en: names!.name_en,
          is_admin: false,
          tenant: {
            id: world.tenantId,
            name: (await t.services.signIn.tenant(world.tenantId))!.name,
            utc_offset_minutes: 480,
          },
        },
      });

      // The refresh token rotates; the old one used again ends the whole sign-in.
      const refreshed = await token({
        grant_type: 'refresh_token',
        client_id: WEB_CLIENT_ID,
        refresh_token: good.body.refresh_token,
      });
      assert.equal(refreshed.status, 200);
      assert.notEqual(refreshed.body.refresh_token, good.body.refresh_token);
      const replay = await token({
        grant_type: 'refresh_token',
        client_id: WEB_CLIENT_ID,
        refresh_token: good.body.refresh_token,
      });
      assert.equal(replay.body.error, 'invalid_grant');
      assert.equal((await t.get('/okrd/api/me', refreshed.body.access_token)).body.code, 99991668);
    });

    it('keeps each tenant apart: a person of another tenant gets their own web app and tokens', async () => {
      const b = new Browser(t, '10.0.0.7');
      const { verifier, challenge } = pkce();
      const code = await signIn(b, other, stranger.employee_id, challenge);
      const got = await token({
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT_ID,
        code,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      });
      assert.equal(got.status, 200);
      const me = await t.get('/okrd/api/me', got.body.access_token);
      assert.equal(me.body.data.tenant.id, other.tenantId);
      const [row] = await rows('SELECT app_id FROM access_tokens WHERE tenant_id = ? AND kind = ?', [
        other.tenantId,
        'user',
      ]);
      assert.equal(row!.app_id, webApp(other));
    });

    it('makes one web app when two people of a tenant sign in to the UI for the first time at once', async () => {
      const fresh = await newWorld(t);
      const [a, b] = [await withPassword(fresh, 'first_a'), await withPassword(fresh, 'first_b')];
      const codes = await Promise.all(
        [a, b].map((p, i) => signIn(new Browser(t, `10.0.1.${i + 1}`), fresh, p.employee_id, pkce().challenge)),
      );
      assert.equal(codes.filter(Boolean).length, 2);
      assert.deepEqual(await rows('SELECT app_id FROM apps WHERE app_id = ?', [webApp(fresh)]), [
        { app_id: webApp(fresh) },
      ]);
      const people = await rows('SELECT id FROM users WHERE tenant_id = ?', [fresh.tenantId]);
      const openIds = await rows('SELECT user_ref FROM app_users WHERE app_id = ?', [webApp(fresh)]);
      assert.equal(openIds.length, people.length);
    });

    it('refuses other redirect URIs, a missing PKCE challenge, and unknown codes and refresh tokens', async () => {
      const b = new Browser(t);
      for (const uri of [`${ORIGIN}/auth/callback/`, 'https://evil.example/auth/callback', `${ORIGIN}/okrs`]) {
        const res = await b.get(authorizeUrl(pkce().challenge, { redirect_uri: uri }));
        assert.equal(res.statusCode, 400, uri);
        assert.equal(res.headers.location, undefined);
      }
      const before = await rows('SELECT code_hash FROM oauth_codes', []);
      // Signed in already (the session of the first test is not here: a new browser), so PKCE is checked on return.
      const noPkce = `/open-apis/authen/v1/authorize?${new URLSearchParams({
        client_id: WEB_CLIENT_ID,
        response_type: 'code',
        redirect_uri: CALLBACK,
        state: 's',
      })}`;
      const form = await b.get(noPkce);
      await b.post('/okrd/sign-in', {
        org: world.tenantId,
        login: owner.employee_id,
        password: PASSWORD,
        return_to: noPkce,
      });
      const refused = await b.get(noPkce);
      assert.equal(refused.statusCode, 303);
      assert.equal(form.statusCode, 200);
      const location = new URL(refused.headers.location as string);
      assert.equal(location.searchParams.get('error'), 'invalid_request');
      assert.deepEqual(await rows('SELECT code_hash FROM oauth_codes', []), before);

      const unknownCode = await token({
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT_ID,
        code: 'c-nothing',
        redirect_uri: CALLBACK,
        code_verifier: pkce().verifier,
      });
      assert.equal(unknownCode.status, 400);
      assert.equal(unknownCode.body.error, 'invalid_grant');
      const unknownRefresh = await token({
        grant_type: 'refresh_token',
        client_id: WEB_CLIENT_ID,
        refresh_token: 'ur-x',
      });
      assert.equal(unknownRefresh.body.error, 'invalid_grant');
    });

    it('signs out: the refresh family and its access tokens are revoked and the browser session ends', async () => {
      const b = new Browser(t, '10.0.0.9');
      const { verifier, challenge } = pkce();
      const code = await signIn(b, world, owner.employee_id, challenge);
      const got = await token({
        grant_type: 'authorization_code',
        client_id: WEB_CLIENT_ID,
        code,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      });
      const body = { refresh_token: got.body.refresh_token };
      // Not JSON, or from another origin: refused, nothing revoked.
      const form = await b.post('/okrd/web/sign-out', body as Record<string, string>, false);
      assert.equal(form.statusCode, 403);
      const foreign = await b.postJson('/okrd/web/sign-out', body, { origin: 'https://evil.example' });
      assert.equal(foreign.statusCode, 403);
      assert.equal((await t.get('/okrd/api/me', got.body.access_token)).body.code, 0);
      assert.ok(b.cookies.has('okrd_session'));

      const out = await b.postJson('/okrd/web/sign-out', body, { origin: ORIGIN });
      assert.equal(out.statusCode, 204);
      assert.equal(b.cookies.has('okrd_session'), false);
      assert.equal((await t.get('/okrd/api/me', got.body.access_token)).body.code, 99991668);
      const again = await token({
        grant_type: 'refresh_token',
        client_id: WEB_CLIENT_ID,
        refresh_token: got.body.refresh_token,
      });
      assert.equal(again.body.error, 'invalid_grant');
      // The next authorization asks for the password again.
      const next = await b.get(authorizeUrl(challenge));
      assert.equal(next.statusCode, 200);
      assert.match(next.body, /id="password"/);
    });
  });
}
