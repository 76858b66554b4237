/**
 * Team (issue 9 item 6): the people whose leader chain reaches me and the members of the departments I lead, with
 * each person's OKR of a period at a glance (objectives, progress, status, score), from okrd's team view a hundred
 * people a call ("Show more" for the next hundred). An OKR I may not see comes as the API gives it (`permission: 0`,
 * no content) and is shown as such.
 */
import { useEffect, useState } from 'react';
import { useMe } from '../../app/me';
import type { PageProps } from '../../app/pages';
import { navigate } from '../../app/router';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { choiceToOpen } from '../../ui/period-choice';
import { PeriodSelect } from '../../ui/PeriodSelect';
import {
  loadPeriods,
  loadTeamPage,
  type Member,
  type TeamOkr,
  type TeamPage as TeamData,
  type TeamPeriod,
} from './team.data';

const STATUS_KEYS = {
  '-1': 'team.status.none',
  '0': 'team.status.normal',
  '1': 'team.status.risk',
  '2': 'team.status.delayed',
} as const;

function Progress({ percent, status }: { percent: number; status: number }) {
  const { t } = useI18n();
  return (
    <span className={`progress status-${status === -1 ? 'none' : status}`}>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${Math.max(0, Math.min(100, percent))}%` }} />
      </span>
      <span>
        {percent}% · {t(STATUS_KEYS[String(status) as keyof typeof STATUS_KEYS] ?? STATUS_KEYS['-1'])}
      </span>
    </span>
  );
}

function PersonOkr({ okr }: { okr: TeamOkr | undefined }) {
  const { t } = useI18n();
  if (!okr) return <p className="muted">{t('team.noOkr')}</p>;
  if (okr.permission === 0) return <p className="muted hidden-okr">{t('team.notVisible')}</p>;
  return (
    <>
      <p className="team-summary">
        {t('team.objectiveCount', { n: okr.objective_count ?? 0 })}{' '}
        <Progress percent={okr.progress_percent ?? 0} status={okr.status ?? -1} />
        {okr.score !== undefined ? <span> · {t('team.score', { score: okr.score })}</span> : null}
        {okr.visibility === 'leaders' ? <span className="muted"> · {t('team.leadersOnly')}</span> : null}
      </p>
      <ol className="team-objectives">
        {(okr.objectives ?? []).map((o, i) => (
          <li key={o.id}>
            <span className="label">O{i + 1}</span> <span className="text">{o.content}</span>{' '}
            <Progress percent={o.progress_percent} status={o.status} />
            <span className="muted"> · {t('team.krCount', { n: o.kr_count })}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

export default function TeamPage({ query }: PageProps) {
  const me = useMe();
  const { t, lang, apiLang } = useI18n();
  const [periods, setPeriods] = useState<TeamPeriod[]>();
  const [team, setTeam] = useState<TeamData>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>();
  const period = periods ? choiceToOpen(periods, query.get('period')) : undefined;
  const periodId = period?.id;

  useEffect(() => {
    loadPeriods(me.open_id).then(setPeriods, setError);
  }, [me.open_id]);
  useEffect(() => {
    if (!periodId) return;
    setTeam(undefined);
    loadTeamPage(periodId, apiLang).then(setTeam, setError);
  }, [periodId, apiLang]);

  const more = () => {
    if (!team?.page_token || !periodId) return;
    setLoadingMore(true);
    loadTeamPage(periodId, apiLang, team.page_token)
      .then((next) => setTeam({ ...next, items: [...team.items, ...next.items] }), setError)
      .finally(() => setLoadingMore(false));
  };
  const nameOf = (p: { name_zh: string; name_en: string }) => (lang === 'zh' ? p.name_zh : p.name_en || p.name_zh);
  const placeOf = (m: Member) =>
    m.depth === undefined
      ? t('team.viaDepartment')
      : m.depth === 1
        ? t('team.direct')
        : t('team.indirect', { n: m.depth });
  const ready = periods && (team || !periodId);
  return (
    <div className="team" {...(ready ? { 'data-ready': '' } : {})}>
      <div className="page-head">
        <h1>{t('team.title')}</h1>
        <PeriodSelect
          kind="period"
          choices={periods ?? []}
          value={periodId}
          onChange={(id) => navigate(`/team?period=${encodeURIComponent(id)}`, { replace: true })}
        />
      </div>
      <ErrorBanner error={error} />
      {!ready ? (
        <p role="status">{t('app.loading')}</p>
      ) : !team ? (
        <p className="muted">{t('team.noPeriod')}</p>
      ) : (
        <>
          <section aria-labelledby="team-people">
            <h2 id="team-people">{t(team.has_more ? 'team.peopleSoFar' : 'team.people', { n: team.items.length })}</h2>
            {team.items.length === 0 ? <p className="muted">{t('team.nobody')}</p> : null}
            <ul className="plain">
              {team.items.map((m) => (
                <li key={m.open_id} className="card" id={`person-${m.open_id}`}>
                  <h3>
                    {nameOf(m)} <span className="muted">{placeOf(m)}</span>
                  </h3>
                  <PersonOkr okr={m.okr} />
                </li>
              ))}
            </ul>
            {team.has_more ? (
              <button type="button" onClick={more} disabled={loadingMore}>
                {loadingMore ? t('app.loading') : t('team.more')}
              </button>
            ) : null}
          </section>
          {team.departments.length > 0 ? (
            <section aria-labelledby="team-departments">
              <h2 id="team-departments">{t('team.departments')}</h2>
              <ul className="plain">
                {team.departments.map((d) => {
                  const members = team.items.filter((m) => m.department_ids.includes(d.department_id));
                  return (
                    <li key={d.department_id} className="card">
                      <h3>{nameOf(d)}</h3>
                      <p>
                        {t('team.members', { n: d.member_count })}{' '}
                        {members.map((m, i) => (
                          <span key={m.open_id}>
                            {i > 0 ? (lang === 'zh' ? '、' : ', ') : ''}
                            <a href={`#person-${m.open_id}`}>{nameOf(m)}</a>
                          </span>
                        ))}
                      </p>
                    </li>
                  );
                })}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
