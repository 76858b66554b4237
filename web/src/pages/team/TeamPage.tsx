/**
 * Team (issue 9 item 6): the people whose leader chain reaches me and the departments I lead, with each person's
 * objectives of a period and their progress at a glance. An OKR the person may not see comes as the API gives it
 * (`permission: 0`, no content) and is shown as such.
 */
import { useEffect, useId, useState } from 'react';
import { useMe } from '../../app/me';
import type { PageProps } from '../../app/pages';
import { navigate } from '../../app/router';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { loadOkrs, loadTeam, periodToOpen, type Person, type Team, type TeamOkr } from './team.data';

const STATUS_KEYS = {
  '-1': 'team.status.none',
  '0': 'team.status.normal',
  '1': 'team.status.risk',
  '2': 'team.status.delayed',
} as const;

function Progress({ percent, status }: { percent: number; status: string }) {
  const { t } = useI18n();
  const key = STATUS_KEYS[status as keyof typeof STATUS_KEYS] ?? STATUS_KEYS['-1'];
  return (
    <span className={`progress status-${status === '-1' ? 'none' : status}`}>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${Math.max(0, Math.min(100, percent))}%` }} />
      </span>
      <span>
        {percent}% · {t(key)}
      </span>
    </span>
  );
}

function PersonOkrs({ okrs }: { okrs: readonly TeamOkr[] | undefined }) {
  const { t } = useI18n();
  if (!okrs) return <p className="muted">{t('app.loading')}</p>;
  if (okrs.length === 0) return <p className="muted">{t('team.noOkr')}</p>;
  return (
    <>
      {okrs.map((okr) =>
        okr.permission === 0 ? (
          <p key={okr.id} className="muted hidden-okr">
            {t('team.notVisible')}
          </p>
        ) : (
          <ol key={okr.id} className="team-objectives">
            {(okr.objective_list ?? []).map((o, i) => (
              <li key={o.id}>
                {o.permission === 0 ? (
                  <span className="muted">{t('team.notVisible')}</span>
                ) : (
                  <>
                    <span className="label">O{i + 1}</span> <span className="text">{o.content}</span>{' '}
                    <Progress percent={o.progress_rate?.percent ?? 0} status={o.progress_rate?.status ?? '-1'} />
                    <span className="muted"> · {t('team.krCount', { n: o.kr_list?.length ?? 0 })}</span>
                  </>
                )}
              </li>
            ))}
          </ol>
        ),
      )}
    </>
  );
}

export default function TeamPage({ query }: PageProps) {
  const me = useMe();
  const { t, lang, apiLang, formatMonth } = useI18n();
  const selectId = useId();
  const [team, setTeam] = useState<Team>();
  const [okrs, setOkrs] = useState<ReadonlyMap<string, TeamOkr[]>>();
  const [error, setError] = useState<unknown>();
  const period = team ? periodToOpen(team.periods, query.get('period')) : undefined;

  useEffect(() => {
    loadTeam(me.open_id).then(setTeam, setError);
  }, [me.open_id]);
  const periodId = period?.id;
  useEffect(() => {
    if (!team || !periodId) return;
    setOkrs(undefined);
    loadOkrs(
      team.members.map((m) => m.person),
      periodId,
      apiLang,
    ).then(setOkrs, setError);
  }, [team, periodId, apiLang]);

  const nameOf = (p: Person) => (lang === 'zh' ? p.name : p.en_name || p.name);
  const ready = team && (okrs || !periodId);
  return (
    <div className="team" {...(ready ? { 'data-ready': '' } : {})}>
      <div className="page-head">
        <h1>{t('team.title')}</h1>
        {team && team.periods.length > 0 ? (
          <div className="cycle-switch">
            <label htmlFor={selectId}>{t('team.period')}</label>
            <select
              id={selectId}
              value={periodId}
              onChange={(e) => navigate(`/team?period=${encodeURIComponent(e.target.value)}`, { replace: true })}
            >
              {team.periods.map((p) => (
                <option key={p.id} value={p.id}>
                  {formatMonth(p.start) === formatMonth(p.end)
                    ? formatMonth(p.start)
                    : `${formatMonth(p.start)} – ${formatMonth(p.end)}`}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <ErrorBanner error={error} />
      {!team ? (
        <p role="status">{t('app.loading')}</p>
      ) : (
        <>
          <section aria-labelledby="team-people">
            <h2 id="team-people">{t('team.people', { n: team.members.length })}</h2>
            {team.members.length === 0 ? <p className="muted">{t('team.nobody')}</p> : null}
            <ul className="plain">
              {team.members.map(({ person, depth }) => (
                <li key={person.open_id} className="card" id={`person-${person.open_id}`}>
                  <h3>
                    {nameOf(person)}{' '}
                    <span className="muted">{depth === 1 ? t('team.direct') : t('team.indirect', { n: depth })}</span>
                  </h3>
                  <PersonOkrs okrs={okrs?.get(person.open_id)} />
                </li>
              ))}
            </ul>
          </section>
          {team.departments.length > 0 ? (
            <section aria-labelledby="team-departments">
              <h2 id="team-departments">{t('team.departments')}</h2>
              <ul className="plain">
                {team.departments.map(({ department, members }) => (
                  <li key={department.department_id} className="card">
                    <h3>
                      {lang === 'zh'
                        ? department.i18n_name.zh_cn || department.name
                        : department.i18n_name.en_us || department.name}
                    </h3>
                    <p>
                      {t('team.members', { n: members.length })}{' '}
                      {members.map((m, i) => (
                        <span key={m.open_id}>
                          {i > 0 ? (lang === 'zh' ? '、' : ', ') : ''}
                          {team.members.some((x) => x.person.open_id === m.open_id) ? (
                            <a href={`#person-${m.open_id}`}>{nameOf(m)}</a>
                          ) : (
                            nameOf(m)
                          )}
                        </span>
                      ))}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
