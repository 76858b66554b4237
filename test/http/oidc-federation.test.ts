/**
 * Signing in through the organisation's own OpenID Connect provider (decisions.md OQ-39), against a real provider
 * (oidc-provider, its development login and consent pages) and okrd both listening on 127.0.0.1: the browser's steps
 * are plain fetches with a cookie jar. A verified email finds the tenant's active person (or creates one when the
 * tenant allows it); anything else — an unknown or unverified email, a deactivated person, a callback used twice or
 * handed to another browser, a login left too long — shows the one generic error page and signs nobody in.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Provider from 'oidc-provider';
import { ALL_SCOPES } from '../../src/contract/scopes.js';
import { OIDC_LOGIN_TTL_MS } from '../../src/services/oidc-sign-in.service.js';
import { insertRow } from '../../src/store/table.repository.js';
import { writeTenant } from '../../src/store/tenant-write.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { newWorld, type Person } from '../helpers/factories.js';

const REDIRECT = 'https://client.example.com/callback';
const CLIENT = { id: 'okrd-at-acme', secret: 'a-secret-of-okrd-at-acme' };

/** The provider's people: login name → claims. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  alice: { email: 'Alice.Li@Example.com', email_verified: true, name: 'Alice Li' },
  stranger: { email: 'stranger@example.com', email_verified: true, name: 'Sam Stranger' },
  newbie: { email: 'new.bie+okr@example.com', email_verified: true, name: '新 人' },
  unverified: { email: 'alice.li@example.com', email_verified: false, name: 'Alice Li' },
  gone: { email: 'gone@example.com', email_verified: true, name: 'Gone Person' },
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Cookie {
  value: string;
  path: string;
}

/** A browser over fetch: one cookie jar per origin (paths honoured), redirects followed by hand. */
class Browser {
  readonly jar = new Map<string, Map<string, Cookie>>();

  async fetch(url: string, form?: Record<string, string>): Promise<Response> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.origin) ?? new Map<string, Cookie>())]
      .filter(([, c]) => u.pathname.startsWith(c.path))
      .map(([k, c]) => `${k}=${c.value}`)
      .join('; ');
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(cookies ? { cookie: cookies } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        'accept-language': 'en',
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const jar = this.jar.get(u.origin) ?? new Map<string, Cookie>();
    this.jar.set(u.origin, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const name = pair!.slice(0, pair!.indexOf('='));
      const value = pair!.slice(pair!.indexOf('=') + 1);
      const attr = (k: string) => attrs.find((a) => a.toLowerCase().startsWith(`${k}=`))?.split('=')[1];
      const expires = attr('expires');
      // okrd's clock is a test clock: only the "cleared" epoch counts as an expiry.
      const gone = value === '' || attr('max-age') === '0' || (expires && Date.parse(expires) < Date.UTC(2000, 0));
      if (gone) jar.delete(name);
      else jar.set(name, { value, path: attr('path') ?? '/' });
    }
    return res;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name)?.value;
  }

  setCookie(origin: string, name: string, value: string, path = '/'): void {
    const jar = this.jar.get(origin) ?? new Map<string, Cookie>();
    jar.set(name, { value, path });
    this.jar.set(origin, jar);
  }
}

const location = (res: Response, base: string) => new URL(res.headers.get('location')!, base).toString();
const errorText = (body: string) => /role="alert">([^<]*)</.exec(body)?.[1];
const FAILED = 'Signing in with your organisation did not work. Please try again or ask your administrator.';

for (const dialect of DIALECTS) {
  describe(`sign-in through the organisation's OpenID Connect provider [${dialect}]`, () => {
    let t: TestApp;
    let world: Awaited<ReturnType<typeof newWorld>>;
    let alice: Person;
    let okrd: string;
    let issuer: string;
    let providerServer: Server;
    let authorizeUrl: string;

    const count = async (table: string) =>
      Number(
        (await t.db.read((tx) =>
          tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`, [world.tenantId]),
        ))!.n,
      );
    const sessionsOf = async (userRef: string) =>
      Number(
        (await t.db.read((tx) =>
          tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE user_ref = ?', [userRef]),
        ))!.n,
      );

    /**
     * From okrd's sign-in page through the provider's login and consent as `login`, up to (not into) okrd's callback:
     * resolves to the callback URL the provider sent the browser to.
     */
    const throughProvider = async (b: Browser, login: string, returnTo = authorizeUrl): Promise<string> => {
      const page = await b.fetch(`${okrd}${returnTo}`);
      const body = await page.text();
      const link = /<a href="([^"]+)" id="oidc-sign-in">Sign in with your organisation</.exec(body);
      assert.ok(link, body);
      const start = await b.fetch(new URL(link[1]!.replace(/&amp;/g, '&'), okrd).toString());
      assert.equal(start.status, 303);
      let url = location(start, okrd);
      const auth = new URL(url);
      assert.equal(auth.origin + auth.pathname, `${issuer}/auth`);
      assert.equal(auth.searchParams.get('client_id'), CLIENT.id);
      assert.equal(auth.searchParams.get('redirect_uri'), `${okrd}/okrd/sign-in/oidc/callback`);
      assert.equal(auth.searchParams.get('scope'), 'openid email profile');
      assert.equal(auth.searchParams.get('response_type'), 'code');
      assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
      assert.match(auth.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.ok(auth.searchParams.get('nonce'));
      assert.equal(b.cookie(okrd, 'okrd_oidc'), auth.searchParams.get('state'));
      for (let steps = 0; steps < 12; steps++) {
        if (url.startsWith(`${okrd}/`)) return url;
        const res = await b.fetch(url);
        if (res.status === 303 || res.status === 302) {
          url = location(res, url);
          continue;
        }
        const html = await res.text();
        assert.equal(res.status, 200, html);
        const action = new URL(/<form[^>]* action="([^"]+)"/.exec(html)![1]!, url).toString();
        const prompt = /name="prompt" value="([a-z]+)"/.exec(html)![1]!;
        const posted = await b.fetch(action, prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt });
        assert.ok([302, 303].includes(posted.status), await posted.text());
        url = location(posted, action);
      }
      assert.fail('the provider never sent the browser back');
    };

    /** The whole way: resolves to okrd's answer to the callback. */
    const signInAs = async (b: Browser, login: string) => {
      const callback = await throughProvider(b, login);
      assert.match(callback, /^http:\/\/127\.0\.0\.1:\d+\/okrd\/sign-in\/oidc\/callback\?/);
      return { callback, res: await b.fetch(callback) };
    };

    const expectRefused = async (res: Response, b: Browser) => {
      assert.equal(res.status, 401);
      const body = await res.text();
      assert.equal(errorText(body), FAILED);
      assert.equal(b.cookie(okrd, 'okrd_session'), undefined);
    };

    before(async () => {
      const [okrdPort, providerPort] = [await freePort(), await freePort()];
      okrd = `http://127.0.0.1:${okrdPort}`;
      issuer = `http://127.0.0.1:${providerPort}`;
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: CLIENT.id,
            client_secret: CLIENT.secret,
            redirect_uris: [`${okrd}/okrd/sign-in/oidc/callback`],
            response_types: ['code'],
            grant_types: ['authorization_code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        pkce: { required: () => true },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        cookies: { keys: ['a-test-cookie-key'] },
        findAccount: (_ctx: unknown, id: string) =>
          ACCOUNTS[id] ? { accountId: id, claims: () => ({ sub: id, ...ACCOUNTS[id] }) } : undefined,
      });
      providerServer = createServer(provider.callback());
      await new Promise<void>((resolve) => providerServer.listen(providerPort, '127.0.0.1', resolve));

      t = await testApp(dialect);
      await t.app.listen({ port: okrdPort, host: '127.0.0.1' });
      world = await newWorld(t);
      alice = await world.person({ employee_id: 'alice1', email: 'alice.li@example.com' });
      await world.person({ employee_id: 'gone1', email: 'gone@example.com', active: false });
      await world.person({ employee_id: 'new.bieokr', email: 'someone.else@example.com' });
      await t.services.admin.updateTenant(world.tenantId, {
        oidc_issuer: issuer,
        oidc_client_id: CLIENT.id,
        oidc_client_secret: CLIENT.secret,
        oidc_create_users: false,
      });
      await writeTenant(t.db, world.tenantId, (tx) =>
        insertRow(tx, 'app_redirect_uris', {
          tenant_id: world.tenantId,
          app_id: world.appId,
          uri: REDIRECT,
          created_at: t.clock.now,
        }),
      );
      const q = new URLSearchParams({
        client_id: world.appId,
        redirect_uri: REDIRECT,
        response_type: 'code',
        scope: ALL_SCOPES[0]!,
        state: 'xyz',
      });
      authorizeUrl = `/open-apis/authen/v1/authorize?${q.toString()}`;
    });

    after(async () => {
      providerServer.closeAllConnections();
      await new Promise<void>((resolve) => providerServer.close(() => resolve()));
      await t.close();
    });

    it('offers the provider only on the sign-in page of a tenant that has one', async () => {
      const b = new Browser();
      const withProvider = await (await b.fetch(`${okrd}${authorizeUrl}`)).text();
      assert.match(withProvider, /id="oidc-sign-in">Sign in with your organisation</);
      const zh = await (await b.fetch(`${okrd}${authorizeUrl}&lang=zh`)).text();
      assert.match(zh, /id="oidc-sign-in">使用所在组织的账号登录</);
      const other = await newWorld(t);
      const q = new URLSearchParams({ client_id: other.appId, redirect_uri: REDIRECT, response_type: 'code' });
      await writeTenant(t.db, other.tenantId, (tx) =>
        insertRow(tx, 'app_redirect_uris', {
          tenant_id: other.tenantId,
          app_id: other.appId,
          uri: REDIRECT,
          created_at: t.clock.now,
        }),
      );
      const without = await (await b.fetch(`${okrd}/open-apis/authen/v1/authorize?${q.toString()}`)).text();
      assert.match(without, /action="\/okrd\/sign-in"/);
      assert.doesNotMatch(without, /oidc-sign-in/);
      const start = await b.fetch(`${okrd}/okrd/sign-in/oidc?org=${other.tenantId}&lang=en`);
      assert.equal(start.status, 400);
      assert.equal(errorText(await start.text()), 'This organisation has no sign-in provider set up.');
    });

    it('signs the person of the verified email in (case-insensitive) and goes on to the consent page', async () => {
      const b = new Browser();
      const before = await sessionsOf(alice.ref);
      const { res } = await signInAs(b, 'alice');
      assert.equal(res.status, 303, await res.text());
      assert.equal(res.headers.get('location'), authorizeUrl);
      assert.ok(b.cookie(okrd, 'okrd_session'));
      assert.equal(b.cookie(okrd, 'okrd_oidc'), undefined);
      assert.equal(await sessionsOf(alice.ref), before + 1);
      assert.equal(await count('oidc_logins'), 0);
      const consent = await b.fetch(`${okrd}${authorizeUrl}`);
      assert.equal(consent.status, 200);
      const body = await consent.text();
      assert.match(body, /action="\/okrd\/consent"/);
      assert.match(body, /test app asks to act as you \(/);
    });

    it('refuses a callback used a second time (the state is single use)', async () => {
      const b = new Browser();
      const callback = await throughProvider(b, 'alice');
      const state = b.cookie(okrd, 'okrd_oidc')!;
      const first = await b.fetch(callback);
      assert.equal(first.status, 303);
      const sessions = await sessionsOf(alice.ref);
      const replay = new Browser();
      replay.setCookie(okrd, 'okrd_oidc', state, '/okrd/sign-in/oidc');
      await expectRefused(await replay.fetch(callback), replay);
      assert.equal(await sessionsOf(alice.ref), sessions);
    });

    it('refuses a callback handed to another browser (state not bound to it), and one left past 10 minutes', async () => {
      const b = new Browser();
      const callback = await throughProvider(b, 'alice');
      const sessions = await sessionsOf(alice.ref);
      const other = new Browser();
      await expectRefused(await other.fetch(callback), other);
      assert.equal(await count('oidc_logins'), 1, 'a stranger does not use up the login');

      const late = new Browser();
      const lateCallback = await throughProvider(late, 'alice');
      t.clock.now += OIDC_LOGIN_TTL_MS + 1;
      try {
        await expectRefused(await late.fetch(lateCallback), late);
      } finally {
        t.clock.now -= OIDC_LOGIN_TTL_MS + 1;
      }
      // The first browser's login still works.
      assert.equal((await b.fetch(callback)).status, 303);
      assert.equal(await sessionsOf(alice.ref), sessions + 1);
      assert.equal(await count('oidc_logins'), 0);
    });

    it('refuses an email the tenant does not know while auto-creation is off', async () => {
      const b = new Browser();
      const users = await count('users');
      const { res } = await signInAs(b, 'stranger');
      await expectRefused(res, b);
      assert.equal(await count('users'), users);
      assert.equal(await count('oidc_logins'), 0);
    });

    it('refuses an email the provider has not verified', async () => {
      const b = new Browser();
      const sessions = await sessionsOf(alice.ref);
      const { res } = await signInAs(b, 'unverified');
      await expectRefused(res, b);
      assert.equal(await sessionsOf(alice.ref), sessions);
    });

    it('refuses a deactivated person, even with auto-creation on', async () => {
      for (const create of [false, true]) {
        await t.services.admin.updateTenant(world.tenantId, { oidc_create_users: create });
        const b = new Browser();
        const users = await count('users');
        const { res } = await signInAs(b, 'gone');
        await expectRefused(res, b);
        assert.equal(await count('users'), users);
      }
      await t.services.admin.updateTenant(world.tenantId, { oidc_create_users: false });
    });

    it('creates the person when the tenant allows it, with an employee id from the email, made unique', async () => {
      await t.services.admin.updateTenant(world.tenantId, { oidc_create_users: true });
      try {
        const b = new Browser();
        const { res } = await signInAs(b, 'newbie');
        assert.equal(res.status, 303, await res.text());
        const row = await t.db.read((tx) =>
          tx.get<Record<string, unknown>>('SELECT * FROM users WHERE tenant_id = ? AND email = ?', [
            world.tenantId,
            'new.bie+okr@example.com',
          ]),
        );
        assert.ok(row);
        assert.equal(row.employee_id, 'new.bieokr-2');
        assert.equal(row.name_zh, '新 人');
        assert.equal(row.name_en, '');
        assert.equal(Number(row.active), 1);
        assert.equal(await sessionsOf(row.id as string), 1);
        const consent = await b.fetch(`${okrd}${authorizeUrl}`);
        assert.match(await consent.text(), /action="\/okrd\/consent"/);
        // The second time, the same person signs in; nobody new.
        const users = await count('users');
        const again = new Browser();
        assert.equal((await signInAs(again, 'newbie')).res.status, 303);
        assert.equal(await count('users'), users);
        assert.equal(await sessionsOf(row.id as string), 2);
      } finally {
        await t.services.admin.updateTenant(world.tenantId, { oidc_create_users: false });
      }
    });

    it('shows the error page, never a 500, when the provider says no or cannot be reached', async () => {
      const b = new Browser();
      await throughProvider(b, 'alice');
      const state = b.cookie(okrd, 'okrd_oidc')!;
      const denied = await b.fetch(
        `${okrd}/okrd/sign-in/oidc/callback?error=access_denied&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(issuer)}`,
      );
      await expectRefused(denied, b);
      const forged = await b.fetch(`${okrd}/okrd/sign-in/oidc/callback?code=abc&state=nope`);
      await expectRefused(forged, b);
      const bare = await b.fetch(`${okrd}/okrd/sign-in/oidc/callback`);
      await expectRefused(bare, b);

      const dead = await newWorld(t);
      await t.services.admin.updateTenant(dead.tenantId, {
        oidc_issuer: `http://127.0.0.1:${await freePort()}`,
        oidc_client_id: 'x',
        oidc_client_secret: 'y',
      });
      const unreachable = await b.fetch(`${okrd}/okrd/sign-in/oidc?org=${dead.tenantId}&lang=en`);
      assert.equal(unreachable.status, 502);
      assert.equal(errorText(await unreachable.text()), FAILED);
      assert.equal(await count('oidc_logins'), 0);
    });
  });
}
