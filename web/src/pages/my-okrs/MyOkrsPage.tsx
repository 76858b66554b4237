/**
 * My OKRs (issue 9 item 3): the person's cycles (opening on the current one, or the one the link names), the cycle's
 * objectives and key results written and edited inline, reordered by drag and drop or keyboard, weighted with a live
 * check that siblings make 100%, with deadlines, categories and scores. Every change goes through the v2 API and the
 * cycle is read again afterwards, so what shows is what is stored.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../../api/client';
import { api } from '../../api/operations';
import { useMe } from '../../app/me';
import type { PageProps } from '../../app/pages';
import { navigate } from '../../app/router';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { choiceOfCycle } from '../../ui/period-choice';
import { PeriodSelect } from '../../ui/PeriodSelect';
import { Sortable } from '../../ui/Sortable';
import { namesOf, type PersonName } from '../../api/people';
import { contentOf, mentionsOf } from './content';
import {
  cycleToOpen,
  loadCategories,
  loadCycles,
  loadObjectives,
  type Category,
  type Cycle,
  type ObjectiveWithKrs,
  withKeyResultsOf,
} from './data';
import { MentionNames } from './names';
import { NewItemForm } from './NewItemForm';
import { ObjectiveCard } from './ObjectiveCard';
import { WeightsCheck } from './WeightsCheck';

const Q = { user_id_type: 'open_id' } as const;

export default function MyOkrsPage({ query }: PageProps) {
  const me = useMe();
  const { t, lang } = useI18n();
  const [cycles, setCycles] = useState<Cycle[]>();
  const [categories, setCategories] = useState<Category[]>([]);
  const [objectives, setObjectives] = useState<ObjectiveWithKrs[]>();
  const [error, setError] = useState<unknown>();
  const [names, setNames] = useState<ReadonlyMap<string, PersonName>>(new Map());
  const cycle = cycles ? cycleToOpen(cycles, query.get('cycle')) : undefined;

  useEffect(() => {
    Promise.all([loadCycles(me.open_id), loadCategories()]).then(([c, cats]) => {
      setCycles(c);
      setCategories(cats);
    }, setError);
  }, [me.open_id]);

  const cycleId = cycle?.id;
  // The latest objectives, for the reloads below (which must not re-run the cycle effect when they change).
  const current = useRef<ObjectiveWithKrs[]>([]);
  const show = (next: ObjectiveWithKrs[]) => {
    current.current = next;
    setObjectives(next);
    // Mentioned people's names; without them a mention shows as a bare "@", nothing worse.
    const mentioned = next.flatMap((o) => [o, ...o.keyResults].flatMap((item) => mentionsOf(item.content)));
    if (mentioned.length > 0) namesOf(mentioned).then(setNames, () => undefined);
  };
  /** After a change to the objectives: their list again, key results kept. */
  const reload = useCallback(async () => {
    if (cycleId) show(await loadObjectives(cycleId, current.current));
  }, [cycleId]);
  /** After a change to one objective's key results: those alone again. */
  const reloadKeyResults = useCallback(
    async (objectiveId: string) => show(await withKeyResultsOf(current.current, objectiveId)),
    [],
  );

  useEffect(() => {
    setObjectives(undefined);
    current.current = [];
    reload().catch(setError);
  }, [reload]);

  const nameOf = (userId: string) => {
    const n = names.get(userId);
    return n ? (lang === 'zh' ? n.zh : n.en) : '';
  };
  const ready = cycles !== undefined && (cycle === undefined || objectives !== undefined);

  return (
    <MentionNames.Provider value={nameOf}>
      <div className="my-okrs" data-ready={ready ? '' : undefined}>
        <div className="page-head">
          <h1>{t('okrs.title')}</h1>
          <PeriodSelect
            kind="cycle"
            choices={(cycles ?? []).map(choiceOfCycle)}
            value={cycle?.id}
            onChange={(id) => navigate(`/okrs?cycle=${encodeURIComponent(id)}`)}
          />
        </div>
        <ErrorBanner error={error} />
        {!ready && !error && <p role="status">{t('app.loading')}</p>}
        {cycle && objectives && (
          <>
            {objectives.length === 0 && <p className="muted">{t('okrs.empty')}</p>}
            <Sortable
              items={objectives}
              label={t('okrs.title')}
              onMove={(ids) =>
                void call(api.objectivesPosition, {
                  params: { cycle_id: cycle.id },
                  query: Q,
                  body: { objective_ids: ids },
                })
                  .then(reload)
                  .catch(setError)
              }
              render={(o, i, handle) => (
                <ObjectiveCard
                  cycle={cycle}
                  objective={o}
                  index={i}
                  handle={handle}
                  categories={categories}
                  reload={reload}
                  reloadKeyResults={() => reloadKeyResults(o.id)}
                />
              )}
            />
            {objectives.length > 1 && (
              <div className="card">
                <WeightsCheck
                  items={objectives}
                  labelOf={(i) => t('okrs.objective', { n: i + 1 })}
                  onSave={async (weights) => {
                    await call(api.objectivesWeight, {
                      params: { cycle_id: cycle.id },
                      query: Q,
                      body: { objective_weights: weights.map((w) => ({ objective_id: w.id, weight: w.weight })) },
                    });
                    await reload();
                  }}
                />
              </div>
            )}
            <div className="card">
              <NewItemForm
                label="okrs.newObjective"
                placeholder="okrs.newObjectivePlaceholder"
                onAdd={async (text) => {
                  await call(api.createObjective, {
                    params: { cycle_id: cycle.id },
                    query: Q,
                    body: { content: contentOf(text) },
                  });
                  await reload();
                }}
              />
            </div>
          </>
        )}
      </div>
    </MentionNames.Provider>
  );
}
