/**
 * The app: the sign-in callback and the signed-out page, and otherwise the shell around the page the path names. No
 * page renders (nor calls the API) before the tab holds a sign-in; without one the person goes to sign in and comes
 * back to the same path.
 */
import { Suspense, useEffect, useState } from 'react';
import { WEB_CALLBACK_PATH } from '../../../src/contract/web-client.js';
import { call } from '../api/client';
import { api } from '../api/operations';
import { finishSignIn, hasSession, SignedOut, signOut, startSignIn } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { ErrorBanner } from '../ui/errors';
import { MeContext, type Me } from './me';
import { HOME, PAGES } from './pages';
import { Link, match, navigate, useLocation } from './router';

const SIGNED_OUT_PATH = '/signed-out';

export function App() {
  const { path } = useLocation();
  if (path === WEB_CALLBACK_PATH) return <Callback />;
  if (path === SIGNED_OUT_PATH) return <SignedOutPage />;
  return <SignedIn />;
}

function Callback() {
  const { t } = useI18n();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    finishSignIn(new URLSearchParams(location.search)).then(
      (to) => navigate(to, { replace: true }),
      (err: Error) => setFailure(err.message),
    );
  }, []);
  return (
    <main className="centered" id="main">
      {failure ? (
        <>
          <p role="alert">{t('auth.failed', { reason: failure })}</p>
          <button type="button" onClick={() => void startSignIn(HOME)}>
            {t('auth.signIn')}
          </button>
        </>
      ) : (
        <p role="status">{t('auth.signingIn')}</p>
      )}
    </main>
  );
}

function SignedOutPage() {
  const { t, lang, setLang } = useI18n();
  return (
    <main className="centered" id="main" data-ready="">
      <h1>{t('app.name')}</h1>
      <p role="status">{t('auth.signedOut')}</p>
      <p>
        <button type="button" className="primary" onClick={() => void startSignIn(HOME)}>
          {t('auth.signIn')}
        </button>{' '}
        <button type="button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('app.switchTo')}
        </button>
      </p>
    </main>
  );
}

function SignedIn() {
  const { t, setUtcOffsetMinutes } = useI18n();
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<unknown>();
  const signedIn = hasSession();
  useEffect(() => {
    if (!signedIn) {
      void startSignIn();
      return;
    }
    const path = location.pathname === '/' ? HOME : location.pathname;
    void PAGES.find((p) => match(p.path, path))?.preload?.();
    call(api.me, {}).then(
      (found) => {
        setUtcOffsetMinutes(found.tenant.utc_offset_minutes);
        setMe(found);
      },
      (err: unknown) => {
        if (!(err instanceof SignedOut)) setError(err);
      },
    );
  }, [signedIn, setUtcOffsetMinutes]);
  if (error) {
    return (
      <main className="centered" id="main">
        <ErrorBanner error={error} />
      </main>
    );
  }
  if (!me) {
    return (
      <main className="centered" id="main">
        <p role="status">{signedIn ? t('app.loading') : t('auth.signingIn')}</p>
      </main>
    );
  }
  return (
    <MeContext.Provider value={me}>
      <Shell me={me} />
    </MeContext.Provider>
  );
}

function Shell({ me }: { me: Me }) {
  const { t, lang, setLang } = useI18n();
  const { path, query } = useLocation();
  const pages = PAGES.filter((p) => !p.adminOnly || me.is_admin);
  useEffect(() => {
    if (path === '/') navigate(HOME, { replace: true });
  }, [path]);
  const found = pages.map((p) => ({ page: p, params: match(p.path, path) })).find((m) => m.params);
  const name = lang === 'zh' ? me.name_zh : me.name_en || me.name_zh;
  const Page = found?.page.component;
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="top">
        <Link to={HOME} className="brand">
          {t('app.name')}
        </Link>
        <nav aria-label={t('app.menu')}>
          <ul>
            {pages
              .filter((p) => p.nav)
              .map((p) => (
                <li key={p.path}>
                  <Link to={p.path} aria-current={found?.page === p ? 'page' : undefined}>
                    {t(p.nav!)}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <div className="me">
          <button type="button" lang={lang === 'zh' ? 'en' : 'zh'} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('app.switchTo')}
          </button>
          <span className="avatar" aria-hidden="true">
            {[...name][0]}
          </span>
          <span className="name" title={t('app.signedInAs', { name })}>
            {name}
          </span>
          <button
            type="button"
            onClick={() => {
              void signOut().then(() => navigate(SIGNED_OUT_PATH, { replace: true }));
            }}
          >
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {Page && found ? (
          <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
            <Page params={found.params!} query={query} />
          </Suspense>
        ) : path === '/' ? null : (
          <div data-ready="">
            <h1>{t('app.notFound')}</h1>
            <p>
              <Link to={HOME}>{t('app.goHome')}</Link>
            </p>
          </div>
        )}
      </main>
    </>
  );
}
