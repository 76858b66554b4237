/**
 * Sign-in and OAuth (spec §9, decisions.md OQ-22, 28, 37–39): the whole authorization-code flow through the pages
 * (sign-in form, consent, redirect) and the token endpoints, for a public client with PKCE and a confidential one with
 * its secret; and every hostile case: throttled guessing with one generic message, codes used twice, redirect URIs
 * off by one character, PKCE mistakes, refresh-token reuse, deactivated people, forms without a CSRF token.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ALL_SCOPES } from '../../src/contract/scopes.js';
import { insertRow } from '../../src/store/table.repository.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person } from '../helpers/factories.js';
import { Browser } from '../helpers/form-browser.js';

const REDIRECT = 'https://client.example.com/callback';
const PASSWORD = 'correct horse battery';

const errorText = (res: LightMyRequestResponse) => /role="alert">([^<]*)</.exec(res.body)?.[1];

for (const dialect of DIALECTS) {
  describe(`sign-in and OAuth [${dialect}]`, () => {
    let t: TestApp;
    let world: Awaited<ReturnType<typeof newWorld>>;
    let owner: Person;
    let publicApp: string;

    const count = async (table: string) =>
      Number(
        (await t.db.read((tx) =>
          tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`, [world.tenantId]),
        ))!.n,
      );
    const counts = async () => ({
      sessions: await count('sessions'),
      codes: await count('oauth_codes'),
      refresh: await count('refresh_tokens'),
      access: await count('access_tokens'),
    });

    const token = async (body: Record<string, unknown>) => {
      const res = await t.app.inject({ method: 'POST', url: '/open-apis/authen/v2/oauth/token', payload: body });
      return { status: res.statusCode, body: res.json() };
    };

    const authorizeUrl = (q: Record<string, string>) =>
      `/open-apis/authen/v1/authorize?${new URLSearchParams({ response_type: 'code', redirect_uri: REDIRECT, state: 'xyz', ...q })}`;

    /** Signs `b` in through the authorize page of `url`, then allows; resolves to the code. */
    const consent = async (b: Browser, url: string, login = owner.employee_id, password = PASSWORD) => {
      let page = await b.get(url);
      if (page.body.includes('action="/okrd/sign-in"')) {
        const signIn = await b.post('/okrd/sign-in', {
          login,
          password,
          org: world.tenantId,
          return_to: url,
        });
        assert.equal(signIn.statusCode, 303, signIn.body);
        assert.equal(signIn.headers.location, url);
        page = await b.get(url);
      }
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /action="\/okrd\/consent"/);
      const hidden = Object.fromEntries(
        [...page.body.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)"/g)].map((m) => [
          m[1]!,
          m[2]!.replace(/&amp;/g, '&'),
        ]),
      );
      const res = await b.post('/okrd/consent', { ...hidden, decision: 'allow' });
      assert.equal(res.statusCode, 303);
      const location = new URL(res.headers.location as string);
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
      assert.equal(location.searchParams.get('state'), 'xyz');
      return location.searchParams.get('code')!;
    };

    const pkce = () => {
      const verifier = randomBytes(32).toString('base64url');
      return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
    };

    before(async () => {
      t = await testApp(dialect);
      world = await newWorld(t);
      owner = await world.person({ employee_id: 'owner1' });
      const link = await t.services.signIn.createLink(world.tenantId, owner.employee_id, 'invite');
      const tokenParam = new URL(link.url).searchParams.get('token')!;
      assert.deepEqual(await t.services.signIn.setPassword(tokenParam, PASSWORD), { ok: true });
      const pub = await t.services.admin.createApp(world.tenantId, 'web ui', ALL_SCOPES);
      publicApp = pub.app_id;
      await writeTenant(t.db, world.tenantId, async (tx) => {
        await tx.run("UPDATE apps SET client_type = 'public' WHERE app_id = ? AND tenant_id = ?", [
          publicApp,
          world.tenantId,
        ]);
        for (const app of [publicApp, world.appId]) {
          await insertRow(tx, 'app_redirect_uris', {
            tenant_id: world.tenantId,
            app_id: app,
            uri: REDIRECT,
            created_at: t.clock.now,
          });
        }
      });
    });
    after(() => t.close());

    it('runs the whole flow for a public client with PKCE: sign in, consent, code, token, OKRs, refresh', async () => {
      const b = new Browser(t);
      const { verifier, challenge } = pkce();
      const url = authorizeUrl({
        client_id: publicApp,
        scope: 'okr:okr:readonly contact:user.employee_id:readonly',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const form = await b.get(url);
      assert.equal(form.statusCode, 200);
      assert.match(form.headers['content-type'] as string, /^text\/html/);
      assert.match(form.body, /<html lang="zh-CN">/);
      assert.match(form.body, /<label for="login">/);
      assert.match(form.body, /<label for="password">/);
      assert.equal(form.headers['x-frame-options'], 'DENY');
      const code = await consent(b, url);
      const session = b.cookies.get('okrd_session');
      assert.ok(session && session.length > 40);

      const { status, body } = await token({
        grant_type: 'authorization_code',
        client_id: publicApp,
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
      assert.equal(status, 200);
      assert.deepEqual(Object.keys(body).sort(), [
        'access_token',
        'code',
        'expires_in',
        'refresh_token',
        'refresh_token_expires_in',
        'scope',
        'token_type',
      ]);
      assert.equal(body.code, 0);
      assert.match(body.access_token, /^u-/);
      assert.equal(body.expires_in, 7200);
      assert.equal(body.refresh_token_expires_in, 604800);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.scope, 'okr:okr:readonly contact:user.employee_id:readonly');
      const row = await t.db.read((tx) =>
        tx.get<{ scope: string; family_id: string; kind: string; user_ref: string }>(
          'SELECT kind, user_ref, scope, family_id FROM access_tokens WHERE user_ref = ? AND family_id IS NOT NULL',
          [owner.ref],
        ),
      );
      assert.equal(row!.kind, 'user');
      assert.equal(row!.scope, body.scope);

      const okrs = await t.get(
        `/open-apis/okr/v1/users/owner1/okrs?user_id_type=user_id&offset=0&limit=5`,
        body.access_token,
      );
      assert.equal(okrs.status, 200, JSON.stringify(okrs.body));
      assert.equal(okrs.body.code, 0);

      const info = await t.get('/open-apis/authen/v1/user_info', body.access_token);
      assert.equal(info.status, 200);
      assert.deepEqual(info.body.data, {
        name: '成员1',
        en_name: 'Member 1',
        avatar_url: '',
        avatar_thumb: '',
        avatar_middle: '',
        avatar_big: '',
        open_id: (await t.db.read((tx) =>
          tx.get<{ open_id: string }>('SELECT open_id FROM app_users WHERE app_id = ? AND user_ref = ?', [
            publicApp,
            owner.ref,
          ]),
        ))!.open_id,
        union_id: owner.union_id,
        email: '',
        enterprise_email: '',
        user_id: 'owner1',
        mobile: '',
        tenant_key: world.tenantId,
        employee_no: '',
      });

      // The grant lacks the progress-write scope the app holds: 99991679.
      const write = await t.app.inject({
        method: 'POST',
        url: '/open-apis/okr/v1/progress_records',
        headers: { authorization: `Bearer ${body.access_token}` },
        payload: {},
      });
      assert.equal(write.statusCode, 400);
      assert.equal(write.json().code, 99991679);

      // Refresh rotates.
      const refreshed = await token({
        grant_type: 'refresh_token',
        client_id: publicApp,
        refresh_token: body.refresh_token,
      });
      assert.equal(refreshed.status, 200);
      assert.equal(refreshed.body.code, 0);
      assert.notEqual(refreshed.body.refresh_token, body.refresh_token);
      assert.equal(refreshed.body.scope, body.scope);
      assert.equal((await t.get('/open-apis/authen/v1/user_info', refreshed.body.access_token)).status, 200);
    });

    it('takes the secret of a confidential client, compared in constant time, and refuses a wrong one', async () => {
      const b = new Browser(t, '10.0.0.2');
      const code = await consent(b, authorizeUrl({ client_id: world.appId }));
      const before = await counts();
      const wrong = await token({
        grant_type: 'authorization_code',
        client_id: world.appId,
        client_secret: `${world.appSecret}x`,
        code,
        redirect_uri: REDIRECT,
      });
      assert.equal(wrong.status, 400);
      assert.deepEqual(wrong.body, {
        code: 20002,
        error: 'invalid_client',
        error_description: 'client authentication failed',
      });
      const none = await token({
        grant_type: 'authorization_code',
        client_id: world.appId,
        code,
        redirect_uri: REDIRECT,
      });
      assert.equal(none.body.error, 'invalid_client');
      assert.deepEqual(await counts(), before);
      const ok = await token({
        grant_type: 'authorization_code',
        client_id: world.appId,
        client_secret: world.appSecret,
        code,
        redirect_uri: REDIRECT,
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.scope, ALL_SCOPES.join(' '));
    });

    it('refuses a code used twice and revokes the tokens issued from it', async () => {
      const b = new Browser(t, '10.0.0.3');
      const code = await consent(b, authorizeUrl({ client_id: world.appId }));
      const body = {
        grant_type: 'authorization_code',
        client_id: world.appId,
        client_secret: world.appSecret,
        code,
        redirect_uri: REDIRECT,
      };
      const first = await token(body);
      assert.equal(first.status, 200);
      const second = await token(body);
      assert.equal(second.status, 400);
      assert.equal(second.body.code, 20003);
      assert.equal(second.body.error, 'invalid_grant');
      const info = await t.get('/open-apis/authen/v1/user_info', first.body.access_token);
      assert.equal(info.status, 400);
      assert.equal(info.body.code, 99991668);
      const refresh = await token({
        grant_type: 'refresh_token',
        client_id: world.appId,
        client_secret: world.appSecret,
        refresh_token: first.body.refresh_token,
      });
      assert.equal(refresh.body.error, 'invalid_grant');
    });

    it('shows an error page and never redirects for an unknown client or a redirect URI off by one character', async () => {
      const b = new Browser(t, '10.0.0.4');
      const before = await counts();
      for (const url of [
        authorizeUrl({ client_id: world.appId, redirect_uri: `${REDIRECT}x` }),
        authorizeUrl({ client_id: world.appId, redirect_uri: REDIRECT.replace('client', 'clienT') }),
        authorizeUrl({ client_id: 'cli_unknown' }),
        `/open-apis/authen/v1/index?app_id=${world.appId}&redirect_uri=${encodeURIComponent('https://evil.example.com/')}&state=1`,
      ]) {
        const res = await b.get(url);
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.headers.location, undefined);
        assert.match(res.body, /role="alert"/);
        assert.doesNotMatch(res.body, /action="\/okrd\/sign-in"/);
      }
      assert.deepEqual(await counts(), before);
    });

    it('requires PKCE (S256) of a public client and checks the verifier', async () => {
      const b = new Browser(t, '10.0.0.5');
      const noPkce = await b.get(authorizeUrl({ client_id: publicApp }));
      assert.equal(noPkce.statusCode, 303);
      const back = new URL(noPkce.headers.location as string);
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.equal(back.searchParams.get('state'), 'xyz');
      const { verifier, challenge } = pkce();
      const plain = await b.get(
        authorizeUrl({ client_id: publicApp, code_challenge: challenge, code_challenge_method: 'plain' }),
      );
      assert.equal(new URL(plain.headers.location as string).searchParams.get('error'), 'invalid_request');

      const code = await consent(
        b,
        authorizeUrl({ client_id: publicApp, code_challenge: challenge, code_challenge_method: 'S256' }),
      );
      const before = await counts();
      const base = { grant_type: 'authorization_code', client_id: publicApp, code, redirect_uri: REDIRECT };
      const missing = await token(base);
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error, 'invalid_grant');
      const wrong = await token({ ...base, code_verifier: pkce().verifier });
      assert.equal(wrong.body.error, 'invalid_grant');
      const otherUri = await token({ ...base, code_verifier: verifier, redirect_uri: `${REDIRECT}/` });
      assert.equal(otherUri.body.error, 'invalid_grant');
      assert.deepEqual(await counts(), before);
      // The refusals did not use the code up.
      assert.equal((await token({ ...base, code_verifier: verifier })).status, 200);
    });

    it('revokes the whole family when a rotated refresh token is used again', async () => {
      const b = new Browser(t, '10.0.0.6');
      const code = await consent(b, authorizeUrl({ client_id: world.appId }));
      const auth = { client_id: world.appId, client_secret: world.appSecret };
      const first = await token({ grant_type: 'authorization_code', ...auth, code, redirect_uri: REDIRECT });
      const second = await token({ grant_type: 'refresh_token', ...auth, refresh_token: first.body.refresh_token });
      assert.equal(second.status, 200);
      const reuse = await token({ grant_type: 'refresh_token', ...auth, refresh_token: first.body.refresh_token });
      assert.equal(reuse.status, 400);
      assert.equal(reuse.body.error, 'invalid_grant');
      for (const at of [first.body.access_token, second.body.access_token]) {
        assert.equal((await t.get('/open-apis/authen/v1/user_info', at)).body.code, 99991668);
      }
      const third = await token({ grant_type: 'refresh_token', ...auth, refresh_token: second.body.refresh_token });
      assert.equal(third.body.error, 'invalid_grant');
    });

    it('answers malformed token requests with invalid_request and unsupported_grant_type', async () => {
      assert.deepEqual(
        (await token({ grant_type: 'authorization_code', client_id: world.appId })).body.error,
        'invalid_request',
      );
      assert.deepEqual((await token({})).body.error, 'invalid_request');
      const pw = await token({ grant_type: 'password', client_id: world.appId });
      assert.equal(pw.status, 400);
      assert.equal(pw.body.error, 'unsupported_grant_type');
      const expired = await token({
        grant_type: 'refresh_token',
        client_id: world.appId,
        client_secret: world.appSecret,
        refresh_token: 'ur-nope',
      });
      assert.equal(expired.body.error, 'invalid_grant');
    });

    it('stops a deactivated person at once: their token answers 99991668 and they cannot sign in', async () => {
      const p = await world.person({ employee_id: 'leaver' });
      const link = await t.services.signIn.createLink(world.tenantId, 'leaver', 'invite');
      await t.services.signIn.setPassword(new URL(link.url).searchParams.get('token')!, PASSWORD);
      const b = new Browser(t, '10.0.0.7');
      const code = await consent(b, authorizeUrl({ client_id: world.appId }), 'leaver');
      const tok = await token({
        grant_type: 'authorization_code',
        client_id: world.appId,
        client_secret: world.appSecret,
        code,
        redirect_uri: REDIRECT,
      });
      const cli = await p.token();
      assert.equal((await t.get('/open-apis/authen/v1/user_info', tok.body.access_token)).status, 200);
      assert.equal((await t.get('/open-apis/authen/v1/user_info', cli)).status, 200);
      await writeTenant(t.db, world.tenantId, (tx) =>
        tx.run('UPDATE users SET active = 0 WHERE id = ? AND tenant_id = ?', [p.ref, world.tenantId]),
      );
      for (const at of [tok.body.access_token, cli]) {
        const res = await t.get('/open-apis/authen/v1/user_info', at);
        assert.equal(res.status, 400);
        assert.equal(res.body.code, 99991668);
      }
      const refresh = await token({
        grant_type: 'refresh_token',
        client_id: world.appId,
        client_secret: world.appSecret,
        refresh_token: tok.body.refresh_token,
      });
      assert.equal(refresh.body.error, 'invalid_grant');
      // The session is gone with them, and a new sign-in fails with the generic message.
      const again = await b.get(authorizeUrl({ client_id: world.appId }));
      assert.match(again.body, /action="\/okrd\/sign-in"/);
      const res = await b.post('/okrd/sign-in', { login: 'leaver', password: PASSWORD, org: world.tenantId });
      assert.equal(res.statusCode, 401);
    });

    it('throttles guessing per account with one generic message, the same for an unknown account', async () => {
      const b = new Browser(t, '10.0.1.1');
      await b.get('/okrd/sign-in?lang=en');
      const before = await counts();
      const unknown = await b.post('/okrd/sign-in', {
        login: 'nobody',
        password: 'whatever1',
        org: world.tenantId,
        lang: 'en',
      });
      assert.equal(unknown.statusCode, 401);
      const messages = new Set<string | undefined>([errorText(unknown)]);
      for (let i = 0; i < 5; i++) {
        const res = await new Browser(t, `10.0.2.${i}`).get('/okrd/sign-in?lang=en').then(async () => {
          await b.get('/okrd/sign-in?lang=en');
          return b.post('/okrd/sign-in', {
            login: 'owner1',
            password: `wrong${i}xyz`,
            org: world.tenantId,
            lang: 'en',
          });
        });
        assert.equal(res.statusCode, 401);
        messages.add(errorText(res));
      }
      assert.deepEqual([...messages], ['Sign-in failed: check your ID and password.']);
      // Over the limit even the right password is refused, from any address.
      const late = new Browser(t, '10.0.3.1');
      await late.get('/okrd/sign-in');
      const blocked = await late.post('/okrd/sign-in', {
        login: 'owner1',
        password: PASSWORD,
        org: world.tenantId,
        lang: 'en',
      });
      assert.equal(blocked.statusCode, 429);
      assert.equal(errorText(blocked), 'Too many attempts. Please try again later.');
      // The count is the person's, whichever of their ids is typed.
      await t.services.admin.updateUser(world.tenantId, 'owner1', { email: 'owner1@example.com' });
      const byEmail = await late.post('/okrd/sign-in', {
        login: 'OWNER1@example.com',
        password: PASSWORD,
        org: world.tenantId,
        lang: 'en',
      });
      assert.equal(byEmail.statusCode, 429);
      await t.services.admin.updateUser(world.tenantId, 'owner1', { email: '' });
      assert.deepEqual(await counts(), before);
      // The window passes.
      t.clock.now += 16 * 60_000;
      await late.get('/okrd/sign-in');
      const ok = await late.post('/okrd/sign-in', { login: 'owner1', password: PASSWORD, org: world.tenantId });
      assert.equal(ok.statusCode, 303);
    });

    it('throttles guessing per address across accounts', async () => {
      const b = new Browser(t, '10.0.4.1');
      await b.get('/okrd/sign-in');
      for (let i = 0; i < 20; i++) {
        const res = await b.post('/okrd/sign-in', { login: `guess${i}`, password: 'whatever1', org: world.tenantId });
        assert.equal(res.statusCode, 401);
      }
      const res = await b.post('/okrd/sign-in', { login: 'guess99', password: 'whatever1', org: world.tenantId });
      assert.equal(res.statusCode, 429);
    });

    it('refuses every form without its CSRF token and writes nothing', async () => {
      const b = new Browser(t, '10.0.5.1');
      await b.get('/okrd/sign-in');
      const before = await counts();
      const res = await b.post('/okrd/sign-in', { login: 'owner1', password: PASSWORD, org: world.tenantId }, false);
      assert.equal(res.statusCode, 403);
      assert.equal(b.cookies.get('okrd_session'), undefined);
      const forged = await b.post(
        '/okrd/sign-in',
        { _csrf: 'forged', login: 'owner1', password: PASSWORD, org: world.tenantId },
        false,
      );
      assert.equal(forged.statusCode, 403);
      assert.deepEqual(await counts(), before);
      // Consent without the token: no code.
      const signedIn = new Browser(t, '10.0.5.2');
      const url = authorizeUrl({ client_id: world.appId });
      await consent(signedIn, url);
      const after1 = await counts();
      const deny = await signedIn.post(
        '/okrd/consent',
        { client_id: world.appId, redirect_uri: REDIRECT, response_type: 'code', decision: 'allow' },
        false,
      );
      assert.equal(deny.statusCode, 403);
      assert.deepEqual(await counts(), after1);
    });

    it('sends a refusal back as access_denied', async () => {
      const b = new Browser(t, '10.0.6.1');
      const url = authorizeUrl({ client_id: world.appId, scope: 'okr:okr.period:readonly' });
      await b.get(url);
      await b.post('/okrd/sign-in', { login: 'owner1', password: PASSWORD, org: world.tenantId, return_to: url });
      const page = await b.get(url);
      assert.match(page.body, /<code>okr:okr.period:readonly<\/code>/);
      const before = await counts();
      const res = await b.post('/okrd/consent', {
        client_id: world.appId,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scope: 'okr:okr.period:readonly',
        state: 'xyz',
        decision: 'deny',
      });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `${REDIRECT}?error=access_denied&state=xyz`);
      assert.deepEqual(await counts(), before);
      // A scope the app does not hold goes back as invalid_scope.
      const bad = await b.get(authorizeUrl({ client_id: world.appId, scope: 'okr:okr nope:nope' }));
      assert.equal(new URL(bad.headers.location as string).searchParams.get('error'), 'invalid_scope');
    });

    it('sets a password through a single-use link of at least 8 characters', async () => {
      await world.person({ employee_id: 'newbie' });
      const { url } = await t.services.signIn.createLink(world.tenantId, 'newbie', 'reset');
      const path = url.slice(url.indexOf('/okrd/password'));
      const b = new Browser(t, '10.0.7.1');
      const form = await b.get(`${path}&lang=en`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<label for="password2">/);
      const tok = new URL(url).searchParams.get('token')!;
      const short = await b.post('/okrd/password', { token: tok, password: 'short', password2: 'short', lang: 'en' });
      assert.equal(short.statusCode, 400);
      assert.equal(errorText(short), 'The password needs at least 8 characters.');
      const ok = await b.post('/okrd/password', { token: tok, password: 'long enough', password2: 'long enough' });
      assert.equal(ok.statusCode, 200);
      const stored = await t.db.read((tx) =>
        tx.get<{ hash: string }>(
          'SELECT p.hash FROM passwords p JOIN users u ON u.id = p.user_ref WHERE u.employee_id = ? AND p.tenant_id = ?',
          ['newbie', world.tenantId],
        ),
      );
      assert.match(stored!.hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      assert.equal((await b.get(path)).statusCode, 400);
      // Expired links are refused too.
      const { url: late } = await t.services.signIn.createLink(world.tenantId, 'newbie', 'reset');
      t.clock.now += 3600_000 + 1;
      assert.equal((await b.get(late.slice(late.indexOf('/okrd/password')))).statusCode, 400);
    });

    it('a reset ends every credential the old password let anyone hold', async () => {
      const victim = await world.person({ employee_id: 'victim' });
      const stolen = await victim.token();
      assert.equal((await t.get('/open-apis/authen/v1/user_info', stolen)).body.code, 0);
      const { url } = await t.services.signIn.createLink(world.tenantId, 'victim', 'reset');
      const tok = new URL(url).searchParams.get('token')!;
      assert.deepEqual(await t.services.signIn.setPassword(tok, 'a brand new one'), { ok: true });
      assert.equal((await t.get('/open-apis/authen/v1/user_info', stolen)).body.code, 99991668);
    });

    it('returns after sign-in only to a path on this origin, however the path is disguised', async () => {
      const b = new Browser(t, '10.0.9.1');
      await consent(b, authorizeUrl({ client_id: world.appId, scope: 'okr:okr:readonly' }));
      for (const target of ['/\t/evil.example', '/%09/evil.example', '//evil.example', '/\\evil.example']) {
        const res = await b.get(`/okrd/sign-in?return_to=${encodeURIComponent(target)}`);
        const location = res.headers.location as string | undefined;
        if (location !== undefined) {
          assert.equal(new URL(location, 'http://okrd.local').origin, 'http://okrd.local', `${target} → ${location}`);
          assert.doesNotMatch(location, /[\t\n\r\\]/, `${target} → ${JSON.stringify(location)}`);
        }
      }
    });

    it('never grants the admin API to an app a person consented to for OKR scopes', async () => {
      await t.services.admin.setAdmin(world.tenantId, owner.employee_id, true);
      const b = new Browser(t, '10.0.9.2');
      const code = await consent(b, authorizeUrl({ client_id: world.appId, scope: 'okr:okr.period:readonly' }));
      const { body } = await token({
        grant_type: 'authorization_code',
        client_id: world.appId,
        client_secret: world.appSecret,
        code,
        redirect_uri: REDIRECT,
      });
      const { status, body: refused } = await t.get('/okrd/admin/tenant', body.access_token);
      assert.equal(status, 400);
      assert.equal(refused.code, 99991679);
      assert.deepEqual(refused.error.permission_violations, [
        { type: 'action_privilege_required', subject: 'okrd:admin' },
      ]);
      await t.services.admin.setAdmin(world.tenantId, owner.employee_id, false);
    });

    it('exchanges codes through the older OIDC endpoints with the app token', async () => {
      const b = new Browser(t, '10.0.8.1');
      const code = await consent(
        b,
        `/open-apis/authen/v1/index?app_id=${world.appId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=xyz`,
      );
      const appToken = (
        await t.app.inject({
          method: 'POST',
          url: '/open-apis/auth/v3/app_access_token/internal',
          payload: { app_id: world.appId, app_secret: world.appSecret },
        })
      ).json().app_access_token;
      const post = (url: string, payload: object, tok = appToken) =>
        t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${tok}` }, payload });
      const res = await post('/open-apis/authen/v1/oidc/access_token', { grant_type: 'authorization_code', code });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.code, 0);
      assert.equal(body.msg, 'success');
      assert.deepEqual(Object.keys(body.data).sort(), [
        'access_token',
        'expires_in',
        'refresh_expires_in',
        'refresh_token',
        'scope',
        'token_type',
      ]);
      const again = await post('/open-apis/authen/v1/oidc/access_token', { grant_type: 'authorization_code', code });
      assert.equal(again.statusCode, 400);
      assert.equal(again.json().code, 20003);
      const noToken = await t.app.inject({
        method: 'POST',
        url: '/open-apis/authen/v1/oidc/access_token',
        payload: { code },
      });
      assert.equal(noToken.json().code, 99991661);
      const userToken = await post(
        '/open-apis/authen/v1/oidc/access_token',
        { grant_type: 'authorization_code', code },
        await owner.token(),
      );
      assert.equal(userToken.json().code, 99991664);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`sign-in settings [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await testApp(dialect, { config: { rateLimitPerMinute: 2, publicUrl: 'https://okr.example.com' } });
    });
    after(() => t.close());

    it('counts the rate limit of user tokens per person (decisions.md OQ-37)', async () => {
      const world = await newWorld(t);
      const [a, b] = [await world.person(), await world.person()];
      const [ta, tb] = [await a.token(), await b.token()];
      const status = async (tok: string) => (await t.get('/open-apis/authen/v1/user_info', tok)).status;
      assert.deepEqual([await status(ta), await status(ta), await status(ta)], [200, 200, 429]);
      assert.deepEqual([await status(tb), await status(tb)], [200, 200]);
      assert.equal(await status(await a.token()), 429);
    });

    it('asks a bare sign-in for the organisation when the database holds several, and marks cookies Secure on https', async () => {
      await newWorld(t);
      const b = new Browser(t, '10.1.0.1');
      const page = await b.get('/okrd/sign-in?lang=en');
      assert.match(page.body, /<label for="org">Organisation ID<\/label\s*>/);
      assert.match(page.body, /<a href="\/okrd\/sign-in\?lang=zh" hreflang="zh">中文<\/a>/);
      const csrfCookie = (page.headers['set-cookie'] as string | string[]).toString();
      assert.match(csrfCookie, /okrd_csrf=.*HttpOnly.*Secure.*SameSite=Lax/);
      const res = await b.post('/okrd/sign-in', {
        login: 'okrd_demo_owner',
        password: 'okrd-demo-password',
        lang: 'en',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(errorText(res), 'Please enter your organisation ID.');
      const ok = await b.post('/okrd/sign-in', {
        login: 'okrd_demo_owner@okrd.example.com',
        password: 'okrd-demo-password',
        org: '7060000000000000001',
      });
      assert.equal(ok.statusCode, 303);
      const session = (ok.headers['set-cookie'] as string[]).find((c) => c.startsWith('okrd_session='))!;
      assert.match(session, /; Path=\/; Expires=.*; HttpOnly; Secure; SameSite=Lax/);
      assert.match((ok.headers['set-cookie'] as string[]).join(), /okrd_org=7060000000000000001/);
      const signedIn = await b.get('/okrd/sign-in');
      assert.match(signedIn.body, /已登录：陈敏/);
    });
  });
}
