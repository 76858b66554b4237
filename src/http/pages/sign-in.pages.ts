/**
 * The sign-in pages (decisions.md OQ-28, OQ-39): server-rendered HTML in Chinese and English. The authorize
 * endpoints of both flavours (spec §9.1, §9.2) sign the person in when no session exists, then ask for consent; the
 * password page sets a password through an invitation or reset link. Every form carries a CSRF token (double-submit
 * cookie); sessions live in an HttpOnly, SameSite=Lax cookie.
 */
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Services } from '../../services/index.js';
import type { AuthorizeParams, AuthorizeRequest } from '../../services/oauth.service.js';
import type { Session } from '../../services/sign-in.service.js';
import { html, type Html } from './html.js';
import { langOf, t, type Lang, type TextKey } from './i18n.js';

const SESSION_COOKIE = 'okrd_session';
const ORG_COOKIE = 'okrd_org';
const CSRF_COOKIE = 'okrd_csrf';
/** Binds a sign-in at the organisation's provider to the browser that started it (its state). */
const OIDC_COOKIE = 'okrd_oidc';
const OIDC_PATH = '/okrd/sign-in/oidc';

type Fields = Record<string, string>;

/** A request's query or form body with only its string values (repeated keys: the first). */
function fields(value: unknown): Fields {
  const out: Fields = {};
  if (!value || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string') out[k] = s;
  }
  return out;
}

/**
 * A path on this server to go back to after signing in; anything else is dropped. Parsed as a browser would (which
 * strips tabs and newlines, so `/\t/evil.example` means `//evil.example`), and kept only when it stays on this origin.
 */
function localPath(value: string | undefined): string | undefined {
  if (!value || !value.startsWith('/')) return undefined;
  const base = 'http://okrd.invalid';
  try {
    const url = new URL(value, base);
    return url.origin === base ? url.pathname + url.search : undefined;
  } catch {
    return undefined;
  }
}

/** The `?lang=` switch: the same URL in the other language. */
function switchUrl(request: FastifyRequest, lang: Lang): string {
  const url = new URL(request.url, 'http://x');
  url.searchParams.set('lang', lang === 'zh' ? 'en' : 'zh');
  return url.pathname + url.search;
}

function layout(request: FastifyRequest, lang: Lang, title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          body {
            font-family: system-ui, sans-serif;
            max-width: 28rem;
            margin: 3rem auto;
            padding: 0 1rem;
            line-height: 1.5;
            color: #1f2329;
          }
          label {
            display: block;
            margin-top: 1rem;
            font-weight: 600;
          }
          input[type='text'],
          input[type='password'] {
            width: 100%;
            padding: 0.5rem;
            font-size: 1rem;
            box-sizing: border-box;
          }
          button {
            margin-top: 1.25rem;
            margin-right: 0.5rem;
            padding: 0.5rem 1.25rem;
            font-size: 1rem;
          }
          .error {
            color: #b3261e;
            border-left: 4px solid #b3261e;
            padding-left: 0.75rem;
          }
          nav {
            text-align: right;
          }
        </style>
      </head>
      <body>
        <nav>
          <a href="${switchUrl(request, lang)}" hreflang="${lang === 'zh' ? 'en' : 'zh'}">${t(lang, 'switchLang')}</a>
        </nav>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `.text;
}

/** Registers the sign-in pages; app.ts calls it with the app's services and settings. */
export async function signInPages(
  app: FastifyInstance,
  opts: { services: Services; config: Pick<Config, 'publicUrl'> },
): Promise<void> {
  const { signIn, oauth, oidcSignIn } = opts.services;
  const secure = opts.config.publicUrl.startsWith('https:');
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: cookieBase,
    getToken: (req) => fields(req.body)._csrf,
  });

  // Nobody frames these pages (clickjacking of the consent), nor caches them.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Frame-Options', 'DENY');
    reply.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'",
    );
    reply.header('Referrer-Policy', 'no-referrer');
    return payload;
  });

  const send = (reply: FastifyReply, status: number, page: string) =>
    reply.code(status).type('text/html; charset=utf-8').send(page);

  const langIn = (request: FastifyRequest) =>
    langOf(fields(request.query).lang ?? fields(request.body).lang, request.headers['accept-language']);

  const errorPage = (request: FastifyRequest, reply: FastifyReply, status: number, key: TextKey) => {
    const lang = langIn(request);
    return send(
      reply,
      status,
      layout(request, lang, t(lang, 'errorTitle'), html`<p class="error" role="alert">${t(lang, key)}</p>`),
    );
  };

  // okrd's own errors carry numeric codes, Fastify's string ones: only a string can name a CSRF refusal.
  app.setErrorHandler((err: Error & { code?: unknown; statusCode?: number }, request, reply) => {
    if (typeof err.code === 'string' && err.code.startsWith('FST_CSRF'))
      return errorPage(request, reply, 403, 'formExpired');
    request.log.error({ err }, 'sign-in page failed');
    return errorPage(request, reply, err.statusCode && err.statusCode < 500 ? err.statusCode : 500, 'errorTitle');
  });

  const sessionOf = (request: FastifyRequest) => signIn.session(request.cookies[SESSION_COOKIE]);

  /** Hands the browser its new session (password sign-in and the organisation's provider alike). */
  const setSessionCookie = (reply: FastifyReply, session: { sessionId: string; expiresAt: number }) =>
    reply.setCookie(SESSION_COOKIE, session.sessionId, { ...cookieBase, expires: new Date(session.expiresAt) });

  /** This server's origin as the browser sees it (PUBLIC_URL wins where it is set). */
  const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

  /** The sign-in form; `tenantId` fixed (an app's) or asked for when the database holds several. */
  const signInForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    o: { status?: number; message?: TextKey; returnTo?: string; tenantId?: string; appName?: string; login?: string },
  ) => {
    const lang = langIn(request);
    const askOrg = !o.tenantId && (await signIn.manyTenants());
    const org = o.tenantId ?? fields(request.body).org ?? request.cookies[ORG_COOKIE] ?? '';
    // The organisation's own provider, when the tenant signed into is known and has one (OQ-39).
    const oidcTenant = o.tenantId ?? (askOrg ? org : (await signIn.defaultTenant())?.id);
    const oidcLink =
      oidcTenant && (await oidcSignIn.enabled(oidcTenant))
        ? `${OIDC_PATH}?${new URLSearchParams({ org: oidcTenant, lang, ...(o.returnTo ? { return_to: o.returnTo } : {}) }).toString()}`
        : undefined;
    const body = html`${o.appName ? html`<p>${t(lang, 'continueTo', { app: o.appName })}</p>` : ''}
      ${o.message ? html`<p class="error" role="alert">${t(lang, o.message)}</p>` : ''}
      <form method="post" action="/okrd/sign-in">
        <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
        <input type="hidden" name="lang" value="${lang}" />
        ${o.returnTo ? html`<input type="hidden" name="return_to" value="${o.returnTo}" />` : ''}
        ${
          askOrg
            ? html`<label for="org">${t(lang, 'org')}</label
                ><input type="text" id="org" name="org" value="${org}" required autocomplete="organization" />`
            : o.tenantId
              ? html`<input type="hidden" name="org" value="${o.tenantId}" />`
              : ''
        }
        <label for="login">${t(lang, 'login')}</label>
        <input
          type="text"
          id="login"
          name="login"
          value="${o.login ?? ''}"
          required
          autocomplete="username"
          autofocus
        />
        <label for="password">${t(lang, 'password')}</label>
        <input type="password" id="password" name="password" required autocomplete="current-password" />
        <button type="submit">${t(lang, 'signIn')}</button>
      </form>
      ${oidcLink ? html`<p><a href="${oidcLink}" id="oidc-sign-in">${t(lang, 'oidcSignIn')}</a></p>` : ''}`;
    return send(reply, o.status ?? 200, layout(request, lang, t(lang, 'signInTitle'), body));
  };

  const HIDDEN = [
    'client_id',
    'redirect_uri',
    'response_type',
    'scope',
    'state',
    'code_challenge',
    'code_challenge_method',
  ] as const;

  const consentPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    session: Session,
    r: AuthorizeRequest,
    p: AuthorizeParams,
  ) => {
    const lang = langIn(request);
    const name = lang === 'zh' ? session.user.name_zh : session.user.name_en || session.user.name_zh;
    const kept = { ...p, scope: r.scopes.join(' ') };
    const body = html`<p>${t(lang, 'consentIntro', { app: r.app.name, name })}</p>
      <ul>
        ${r.scopes.map((s) => html`<li><code>${s}</code></li>`)}
      </ul>
      <form method="post" action="/okrd/consent">
        <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
        <input type="hidden" name="lang" value="${lang}" />
        ${HIDDEN.map((k) => (kept[k] ? html`<input type="hidden" name="${k}" value="${kept[k]}" />` : ''))}
        <button type="submit" name="decision" value="allow">${t(lang, 'allow')}</button>
        <button type="submit" name="decision" value="deny">${t(lang, 'deny')}</button>
      </form>`;
    return send(reply, 200, layout(request, lang, t(lang, 'consentTitle'), body));
  };

  const authorize = async (request: FastifyRequest, reply: FastifyReply, p: AuthorizeParams) => {
    const session = await sessionOf(request);
    const check = await oauth.checkAuthorize(p, { origin: originOf(request), sessionTenantId: session?.tenantId });
    if (!check.ok) {
      if ('page' in check)
        return errorPage(request, reply, 400, check.page === 'unknown_client' ? 'unknownClient' : 'badRedirect');
      // okrd's own web UI: the person's organisation is asked on the form when the database holds several (OQ-39).
      if ('signIn' in check) return signInForm(request, reply, { returnTo: request.url });
      return reply.redirect(check.redirect, 303);
    }
    if (session && check.request.firstParty) return reply.redirect(await oauth.approve(session, check.request), 303);
    if (!session || session.tenantId !== check.request.app.tenant_id) {
      return signInForm(request, reply, {
        returnTo: request.url,
        tenantId: check.request.app.tenant_id,
        appName: check.request.app.name,
      });
    }
    return consentPage(request, reply, session, check.request, p);
  };

  const authorizeParams = (q: Fields): AuthorizeParams => ({
    client_id: q.client_id,
    redirect_uri: q.redirect_uri,
    response_type: q.response_type,
    scope: q.scope,
    state: q.state,
    code_challenge: q.code_challenge,
    code_challenge_method: q.code_challenge_method,
  });

  app.get('/open-apis/authen/v1/authorize', { schema: { hide: true } }, (request, reply) =>
    authorize(request, reply, authorizeParams(fields(request.query))),
  );
  // The older flavour: app_id instead of client_id, always a code.
  app.get('/open-apis/authen/v1/index', { schema: { hide: true } }, (request, reply) => {
    const q = fields(request.query);
    return authorize(request, reply, { ...authorizeParams(q), client_id: q.app_id, response_type: 'code' });
  });

  app.get('/okrd/sign-in', { schema: { hide: true } }, async (request, reply) => {
    const session = await sessionOf(request);
    const returnTo = localPath(fields(request.query).return_to);
    if (!session) return signInForm(request, reply, returnTo ? { returnTo } : {});
    if (returnTo) return reply.redirect(returnTo, 303);
    const lang = langIn(request);
    const name = lang === 'zh' ? session.user.name_zh : session.user.name_en || session.user.name_zh;
    return send(
      reply,
      200,
      layout(
        request,
        lang,
        t(lang, 'signedInAs', { name }),
        html`<form method="post" action="/okrd/sign-out">
          <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" /><button type="submit">
            ${t(lang, 'signOut')}
          </button>
        </form>`,
      ),
    );
  });

  app.post('/okrd/sign-in', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const f = fields(request.body);
    const returnTo = localPath(f.return_to);
    const tenantId = f.org?.trim() || (await signIn.defaultTenant())?.id;
    const login = (f.login ?? '').slice(0, 256);
    const again = (status: number, message: TextKey) =>
      // Signing in for an app keeps the app's organisation fixed; a bare sign-in asks again (prefilled).
      signInForm(request, reply, {
        status,
        message,
        login,
        ...(returnTo ? { returnTo } : {}),
        ...(f.org && returnTo ? { tenantId: f.org } : {}),
      });
    if (!tenantId) return again(400, 'orgRequired');
    const result = await signIn.signIn(tenantId, login, f.password ?? '', request.ip);
    if (!result.ok) return result.reason === 'throttled' ? again(429, 'throttled') : again(401, 'failed');
    setSessionCookie(reply, result);
    if (f.org) reply.setCookie(ORG_COOKIE, f.org, { ...cookieBase, maxAge: 365 * 24 * 3600 });
    return reply.redirect(returnTo ?? '/okrd/sign-in', 303);
  });

  // Signing in through the organisation's OpenID Connect provider (OQ-39): off to the provider, and back.
  app.get(OIDC_PATH, { schema: { hide: true } }, async (request, reply) => {
    const q = fields(request.query);
    const tenantId = q.org?.trim() || (await signIn.defaultTenant())?.id;
    const returnTo = localPath(q.return_to) ?? '/okrd/sign-in';
    let started: { url: string; state: string } | undefined;
    try {
      started = tenantId ? await oidcSignIn.start(tenantId, returnTo, originOf(request)) : undefined;
    } catch (err) {
      request.log.warn({ err }, 'OpenID Connect provider unreachable');
      return errorPage(request, reply, 502, 'oidcFailed');
    }
    if (!started) return errorPage(request, reply, 400, 'oidcUnavailable');
    reply.setCookie(OIDC_COOKIE, started.state, { ...cookieBase, path: OIDC_PATH, maxAge: 600 });
    return reply.redirect(started.url, 303);
  });

  app.get(`${OIDC_PATH}/callback`, { schema: { hide: true } }, async (request, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const result = await oidcSignIn.callback(query, originOf(request), request.cookies[OIDC_COOKIE]);
    reply.clearCookie(OIDC_COOKIE, { path: OIDC_PATH });
    if (!result.ok) return errorPage(request, reply, 401, 'oidcFailed');
    setSessionCookie(reply, result);
    return reply.redirect(localPath(result.returnTo) ?? '/okrd/sign-in', 303);
  });

  app.post('/okrd/sign-out', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    await signIn.signOut(request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/okrd/sign-in', 303);
  });

  // The web UI signs out (OQ-38): its refresh token's sign-in ends (access tokens too) and so does the browser's
  // session, so the next sign-in asks for the password again. JSON only, from this origin: a cross-site form cannot
  // send it, so it needs no CSRF token.
  app.post('/okrd/web/sign-out', { schema: { hide: true } }, async (request, reply) => {
    const origin = request.headers.origin;
    if (
      !request.headers['content-type']?.startsWith('application/json') ||
      (origin && origin !== (opts.config.publicUrl || originOf(request)))
    ) {
      return reply.code(403).send({ code: 1001002, msg: 'sign-out must come from this origin as JSON' });
    }
    const token = (request.body as { refresh_token?: unknown } | undefined)?.refresh_token;
    if (typeof token === 'string' && token.length <= 512) await oauth.revoke(token);
    await signIn.signOut(request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.post('/okrd/consent', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const f = fields(request.body);
    const p = authorizeParams(f);
    const session = await sessionOf(request);
    const check = await oauth.checkAuthorize(p, { origin: originOf(request), sessionTenantId: session?.tenantId });
    if (!check.ok && 'page' in check)
      return errorPage(request, reply, 400, check.page === 'unknown_client' ? 'unknownClient' : 'badRedirect');
    if (!check.ok && 'redirect' in check) return reply.redirect(check.redirect, 303);
    if (!check.ok || !session || session.tenantId !== check.request.app.tenant_id) {
      const again = new URLSearchParams(Object.entries(p).filter((e): e is [string, string] => !!e[1]));
      return reply.redirect(`/open-apis/authen/v1/authorize?${again.toString()}`, 303);
    }
    if (f.decision === 'allow') return reply.redirect(await oauth.approve(session, check.request), 303);
    return reply.redirect(oauth.denied(check.request), 303);
  });

  const passwordForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    name: string,
    status = 200,
    message?: TextKey,
  ) => {
    const lang = langIn(request);
    const body = html`<p>${t(lang, 'passwordFor', { name })}</p>
      ${message ? html`<p class="error" role="alert">${t(lang, message)}</p>` : ''}
      <form method="post" action="/okrd/password">
        <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
        <input type="hidden" name="lang" value="${lang}" />
        <input type="hidden" name="token" value="${token}" />
        <label for="password">${t(lang, 'newPassword')}</label>
        <input type="password" id="password" name="password" required minlength="8" autocomplete="new-password" />
        <label for="password2">${t(lang, 'confirmPassword')}</label>
        <input type="password" id="password2" name="password2" required minlength="8" autocomplete="new-password" />
        <button type="submit">${t(lang, 'save')}</button>
      </form>`;
    return send(reply, status, layout(request, lang, t(lang, 'passwordTitle'), body));
  };

  app.get('/okrd/password', { schema: { hide: true } }, async (request, reply) => {
    const token = fields(request.query).token ?? '';
    const link = await signIn.linkPerson(token);
    if (!link) return errorPage(request, reply, 400, 'invalidLink');
    const lang = langIn(request);
    return passwordForm(
      request,
      reply,
      token,
      lang === 'zh' ? link.user.name_zh : link.user.name_en || link.user.name_zh,
    );
  });

  app.post('/okrd/password', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const f = fields(request.body);
    const token = f.token ?? '';
    const link = await signIn.linkPerson(token);
    if (!link) return errorPage(request, reply, 400, 'invalidLink');
    const lang = langIn(request);
    const name = lang === 'zh' ? link.user.name_zh : link.user.name_en || link.user.name_zh;
    if ((f.password ?? '') !== (f.password2 ?? '')) return passwordForm(request, reply, token, name, 400, 'mismatch');
    const result = await signIn.setPassword(token, f.password ?? '');
    if (!result.ok) {
      if (result.reason === 'invalid_link') return errorPage(request, reply, 400, 'invalidLink');
      return passwordForm(request, reply, token, name, 400, result.reason === 'too_short' ? 'tooShort' : 'tooLong');
    }
    return send(
      reply,
      200,
      layout(
        request,
        lang,
        t(lang, 'passwordTitle'),
        html`<p role="status">${t(lang, 'passwordSet')}</p>
          <p><a href="/okrd/sign-in">${t(lang, 'signIn')}</a></p>`,
      ),
    );
  });
}
