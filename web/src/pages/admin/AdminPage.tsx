/**
 * Administration (issue 9 item 9), for tenant administrators only (the shell neither routes nor lists it for anyone
 * else, and every call is checked again by the `/okrd/admin/` API): the tenant's time zone and sign-in settings,
 * periods and period rules, people (with the invitation link shown once) and their OKR visibility, departments, apps
 * (secrets shown once) and review links. One tab at a time, named in the query (`?tab=people`) so links keep it.
 */
import type { ComponentType } from 'react';
import type { PageProps } from '../../app/pages';
import { Link } from '../../app/router';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { AppsSection } from './AppsSection';
import { DepartmentsSection } from './DepartmentsSection';
import { PeopleSection } from './PeopleSection';
import { PeriodsSection } from './PeriodsSection';
import { ReviewsSection } from './ReviewsSection';
import { TenantSection } from './TenantSection';

const TABS = {
  periods: ['admin.tab.periods', PeriodsSection],
  people: ['admin.tab.people', PeopleSection],
  departments: ['admin.tab.departments', DepartmentsSection],
  apps: ['admin.tab.apps', AppsSection],
  reviews: ['admin.tab.reviews', ReviewsSection],
  tenant: ['admin.tab.tenant', TenantSection],
} as const satisfies Record<string, readonly [MessageKey, ComponentType]>;
type Tab = keyof typeof TABS;

export default function AdminPage({ query }: PageProps) {
  const { t } = useI18n();
  const asked = query.get('tab') ?? '';
  const tab: Tab = asked in TABS ? (asked as Tab) : 'periods';
  const Section = TABS[tab][1];
  return (
    <div className="admin">
      <h1>{t('admin.title')}</h1>
      <nav aria-label={t('admin.sections')} className="tabs">
        <ul>
          {(Object.keys(TABS) as Tab[]).map((key) => (
            <li key={key}>
              <Link to={`/admin?tab=${key}`} aria-current={key === tab ? 'page' : undefined}>
                {t(TABS[key][0])}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Section key={tab} />
    </div>
  );
}
