/**
 * The registry of pages: the shell routes to them and builds its navigation from them. To add a page, add one entry
 * (its path pattern, its nav label if it belongs in the navigation, adminOnly for administration) with the component
 * loaded lazily, so each page's code is a chunk of its own and the first page stays small (web/check-size.mjs).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from '../i18n/i18n';

/** What every page component receives. */
export interface PageProps {
  /** The values of the path pattern's `:name` segments. */
  params: Record<string, string>;
  /** The query string (deep links keep it). */
  query: URLSearchParams;
}

export interface PageDef {
  /** Path pattern, e.g. `/okrs` or `/people/:user_id`. */
  path: string;
  /** The navigation label; pages without one are reached by links only. */
  nav?: MessageKey;
  /** Shown (and routed) only for tenant administrators. */
  adminOnly?: boolean;
  component: LazyExoticComponent<ComponentType<PageProps>>;
  /** The component's import, when the page is worth fetching early (while the person is still being signed in). */
  preload?: () => Promise<unknown>;
}

/** Where `/` goes. */
export const HOME = '/okrs';

type PageModule = { default: ComponentType<PageProps> };

/**
 * A lazy page that can be fetched early. Once fetched, lazy() gets an already-settled thenable, so the page renders
 * without suspending: a Suspense fallback, even for a chunk already here, holds the page back by React's 300 ms
 * fallback throttle (measured: a third of the first page's time to usable).
 */
function preloadable(load: () => Promise<PageModule>): Pick<PageDef, 'component' | 'preload'> {
  let loaded: PageModule | undefined;
  const preload = () => load().then((m) => (loaded = m));
  const settled = (m: PageModule) => ({ then: (resolve: (m: PageModule) => void) => resolve(m) });
  return { component: lazy(() => (loaded ? (settled(loaded) as Promise<PageModule>) : preload())), preload };
}

export const PAGES: PageDef[] = [
  // The first page most people open: fetched alongside the sign-in's last calls rather than after them.
  { path: '/okrs', nav: 'nav.okrs', ...preloadable(() => import('../pages/my-okrs/MyOkrsPage')) },
  { path: '/team', nav: 'nav.team', component: lazy(() => import('../pages/team/TeamPage')) },
  { path: '/map', nav: 'nav.map', component: lazy(() => import('../pages/map/MapPage')) },
  { path: '/review', nav: 'nav.review', component: lazy(() => import('../pages/review/ReviewPage')) },
  { path: '/admin', nav: 'nav.admin', adminOnly: true, component: lazy(() => import('../pages/admin/AdminPage')) },
  { path: '/progress/:kind/:id', component: lazy(() => import('../pages/progress/ProgressPage')) },
];
