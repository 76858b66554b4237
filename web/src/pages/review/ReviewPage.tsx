/**
 * Review (issue 9 item 8): at the end of a cycle the person scores each objective and key result (0–1, one decimal,
 * through the v2 API) and sees the cycle's score as okrd computes it, with the weighted score of what is on the page
 * beside it while they type; the cycle's review documents and progress reports (links administrators add) below.
 */
import { useEffect, useId, useState } from 'react';
import { ApiError, call, op } from '../../api/client';
import { api } from '../../api/operations';
import { useMe } from '../../app/me';
import type { PageProps } from '../../app/pages';
import { navigate } from '../../app/router';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner, FieldError } from '../../ui/errors';
import { choiceOfCycle } from '../../ui/period-choice';
import { PeriodSelect } from '../../ui/PeriodSelect';
import type { MyReviewsData, MyReviewsQuery } from '../../../../src/contract/okrd/my-reviews.js';
import { textOf } from '../my-okrs/content';
import { cycleToOpen, loadCycles, loadObjectives, type Cycle, type ObjectiveWithKrs } from '../my-okrs/data';

const Q = { user_id_type: 'open_id' } as const;
const myReviews = op<{ query: typeof MyReviewsQuery; data: typeof MyReviewsData }>('GET', '/okrd/api/my_reviews');
type Links = Awaited<ReturnType<typeof call<{ query: typeof MyReviewsQuery; data: typeof MyReviewsData }>>>;

/** The cycle's review documents and progress reports (added by administrators), newest first. */
function ReviewLinks({ links }: { links: Links }) {
  const { t, formatDate } = useI18n();
  const groups = [
    ['review.documents', links.cycle_review_list],
    ['review.reports', links.progress_report_list],
  ] as const;
  return (
    <section aria-labelledby="review-links" className="card">
      <h2 id="review-links">{t('review.links')}</h2>
      {groups.map(([key, docs]) => (
        <div key={key}>
          <h3>{t(key)}</h3>
          {docs.length === 0 ? (
            <p className="muted">{t('review.noLinks')}</p>
          ) : (
            <ul>
              {docs.map((d) => (
                <li key={d.url + d.create_time} className="wrap">
                  <a href={d.url} target="_blank" rel="noreferrer noopener">
                    {d.url}
                  </a>{' '}
                  <span className="muted">{formatDate(Number(d.create_time))}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}

/** One score field, saved when it loses focus with a changed value. */
function ScoreInput({
  label,
  score,
  save,
}: {
  label: string;
  score: number | undefined;
  save: (score: number) => Promise<void>;
}) {
  const { t } = useI18n();
  const id = useId();
  const [value, setValue] = useState(score === undefined ? '' : String(score));
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const commit = async () => {
    if (value === '' || Number(value) === score) return;
    try {
      await save(Number(value));
      setError(undefined);
      setSaved(true);
    } catch (err) {
      setError(err);
      setSaved(false);
    }
  };
  const invalid = !!error;
  return (
    <span className="score">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        type="number"
        min={0}
        max={1}
        step={0.1}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setSaved(false);
        }}
        onBlur={() => void commit()}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
      />
      {saved ? <span className="muted">{t('review.saved')}</span> : null}
      <FieldError error={error} field="score" id={`${id}-error`} />
      {error instanceof ApiError && error.violation('score') ? null : <ErrorBanner error={error} />}
    </span>
  );
}

export default function ReviewPage({ query }: PageProps) {
  const me = useMe();
  const { t } = useI18n();
  const [cycles, setCycles] = useState<Cycle[]>();
  const [objectives, setObjectives] = useState<ObjectiveWithKrs[]>();
  const [links, setLinks] = useState<Links>();
  const [error, setError] = useState<unknown>();
  const cycle = cycles ? cycleToOpen(cycles, query.get('cycle')) : undefined;
  const cycleId = cycle?.id;

  useEffect(() => {
    loadCycles(me.open_id).then(setCycles, setError);
  }, [me.open_id]);
  useEffect(() => {
    if (!cycleId) return;
    setObjectives(undefined);
    loadObjectives(cycleId).then(setObjectives, setError);
  }, [cycleId]);
  const periodId = cycle?.tenant_cycle_id;
  useEffect(() => {
    if (!periodId) return;
    setLinks(undefined);
    call(myReviews, { query: { period_id: periodId } }).then(setLinks, setError);
  }, [periodId]);
  /** The cycle's score as okrd computes it, read again after a change. */
  const refreshCycle = async () => setCycles(await loadCycles(me.open_id));

  const weighted = (objectives ?? []).reduce((sum, o) => sum + (o.weight ?? 0) * (o.score ?? 0), 0);
  const ready = cycles && ((objectives && links) || !cycleId);

  return (
    <div className="review" {...(ready ? { 'data-ready': '' } : {})}>
      <div className="page-head">
        <h1>{t('review.title')}</h1>
        <PeriodSelect
          kind="cycle"
          choices={(cycles ?? []).map(choiceOfCycle)}
          value={cycleId}
          onChange={(id) => navigate(`/review?cycle=${encodeURIComponent(id)}`, { replace: true })}
        />
      </div>
      <ErrorBanner error={error} />
      {cycle ? (
        <p className="cycle-score">
          {t('review.cycleScore')}: <strong>{cycle.score ?? '–'}</strong>{' '}
          <span className="muted">{t('review.weighted', { score: Math.round(weighted * 100) / 100 })}</span>
        </p>
      ) : null}
      {objectives?.length === 0 ? <p className="muted">{t('review.empty')}</p> : null}
      <ol className="plain">
        {(objectives ?? []).map((o, i) => (
          <li key={o.id} className="card">
            <div className="review-item">
              <span className="label">O{i + 1}</span>
              <span className="text">{textOf(o.content)}</span>
              <ScoreInput
                label={t('review.scoreOf', { item: `O${i + 1}` })}
                score={o.score}
                save={async (score) => {
                  const { objective } = await call(api.patchObjective, {
                    params: { objective_id: o.id },
                    query: Q,
                    body: { score },
                  });
                  setObjectives((all) => all?.map((x) => (x.id === o.id ? { ...x, ...objective } : x)));
                  await refreshCycle();
                }}
              />
            </div>
            <ol className="plain review-krs">
              {o.keyResults.map((kr, j) => (
                <li key={kr.id} className="review-item">
                  <span className="label">KR{j + 1}</span>
                  <span className="text">{textOf(kr.content)}</span>
                  <ScoreInput
                    label={t('review.scoreOf', { item: `O${i + 1} KR${j + 1}` })}
                    score={kr.score}
                    save={async (score) => {
                      await call(api.patchKeyResult, {
                        params: { key_result_id: kr.id },
                        query: Q,
                        body: { score },
                      });
                    }}
                  />
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ol>
      {links ? <ReviewLinks links={links} /> : null}
    </div>
  );
}
