/**
 * Aligning an objective to another person's (issue 9 item 5): find the person by name (the contact search the
 * mentions use), pick their cycle that overlaps this one (the server refuses others), pick one of their objectives by
 * its text, align. The server's refusal (a loop, …) shows beside the objective chosen, in the person's language.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, call } from '../../api/client';
import { namesOf, type PersonName } from '../../api/people';
import { progressApi } from '../../api/progress.operations';
import { useMe } from '../../app/me';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner, FieldError } from '../../ui/errors';
import { choiceOfCycle } from '../../ui/period-choice';
import { usePeriodName } from '../../ui/PeriodSelect';
import { align, overlappingCycles } from './alignment.data';
import { mentionsOf, textOf } from './content';
import { loadObjectiveList, type Cycle, type Objective } from './data';

interface Person {
  open_id: string;
  name: string;
}

/**
 * People whose name (or id, email) contains `query`, a moment after the typing stops, named in the person's language
 * (the search gives one name, Chinese first); the person themself left out.
 */
function usePeopleFound(query: string, setError: (e: unknown) => void): Person[] | undefined {
  const me = useMe();
  const { lang } = useI18n();
  const [found, setFound] = useState<Person[]>();
  useEffect(() => {
    if (query.trim() === '') return setFound(undefined);
    let live = true;
    const timer = setTimeout(() => {
      (async () => {
        const { users } = await call(progressApi.searchUsers, { query: { query: query.trim(), page_size: 8 } });
        const others = users.filter((u) => u.open_id !== me.open_id);
        const names = others.length > 0 ? await namesOf(others.map((u) => u.open_id)) : new Map<string, PersonName>();
        return others.map((u) => {
          const n = names.get(u.open_id);
          return { open_id: u.open_id, name: (n && (lang === 'zh' ? n.zh : n.en)) || u.name };
        });
      })().then(
        (people) => live && setFound(people),
        (e: unknown) => live && setError(e),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, me.open_id, lang, setError]);
  return found;
}

/** The person's cycles overlapping `cycle` and, for the one chosen, its objectives with the names they mention. */
function useTargets(person: Person | undefined, cycle: Cycle, setError: (e: unknown) => void) {
  const [cycles, setCycles] = useState<Cycle[]>();
  const [cycleId, setCycleId] = useState('');
  const [objectives, setObjectives] = useState<{ items: Objective[]; names: ReadonlyMap<string, PersonName> }>();
  useEffect(() => {
    setCycles(undefined);
    setCycleId('');
    if (!person) return;
    let live = true;
    overlappingCycles(person.open_id, cycle).then((c) => {
      if (!live) return;
      setCycles(c);
      setCycleId(c[0]?.id ?? '');
    }, setError);
    return () => {
      live = false;
    };
  }, [person, cycle, setError]);
  useEffect(() => {
    setObjectives(undefined);
    if (!cycleId) return;
    let live = true;
    (async () => {
      const items = await loadObjectiveList(cycleId);
      const mentioned = items.flatMap((o) => mentionsOf(o.content));
      return { items, names: mentioned.length > 0 ? await namesOf(mentioned) : new Map<string, PersonName>() };
    })().then((o) => live && setObjectives(o), setError);
    return () => {
      live = false;
    };
  }, [cycleId, setError]);
  return { cycles, cycleId, setCycleId, objectives };
}

export function AlignForm({
  objectiveId,
  label,
  cycle,
  alignedTo,
  onAligned,
  onCancel,
}: {
  objectiveId: string;
  /** The objective's label ("Objective 2"), for the form's name. */
  label: string;
  cycle: Cycle;
  /** The objectives this one already aligns to (offered, but not choosable). */
  alignedTo: ReadonlySet<string>;
  onAligned: () => Promise<void>;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const periodName = usePeriodName();
  const id = useId();
  const [query, setQuery] = useState('');
  const [person, setPerson] = useState<Person>();
  const [targetId, setTargetId] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const found = usePeopleFound(person ? '' : query, setError);
  const { cycles, cycleId, setCycleId, objectives } = useTargets(person, cycle, setError);
  const nameOf = (userId: string) => {
    const n = objectives?.names.get(userId);
    return n ? (lang === 'zh' ? n.zh : n.en) : '';
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await align(objectiveId, targetId);
      setError(undefined);
      await onAligned();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const invalid = error instanceof ApiError && !!error.violation('to_entity_id');

  return (
    <form className="align-form" aria-label={t('align.formOf', { name: label })} onSubmit={(e) => void submit(e)}>
      {person ? (
        <p className="row">
          <span>{t('align.personChosen', { name: person.name })}</span>
          <button
            type="button"
            onClick={() => {
              setPerson(undefined);
              setTargetId('');
              setError(undefined);
            }}
          >
            {t('align.otherPerson')}
          </button>
        </p>
      ) : (
        <div className="field">
          <label htmlFor={`${id}-person`}>{t('align.person')}</label>
          <input
            id={`${id}-person`}
            type="search"
            autoFocus
            value={query}
            placeholder={t('align.personPlaceholder')}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && onCancel()}
          />
          {found && (
            <ul className="plain people-found" aria-label={t('align.peopleFound')}>
              {found.length === 0 && <li className="muted">{t('editor.nobody')}</li>}
              {found.map((p) => (
                <li key={p.open_id}>
                  <button type="button" onClick={() => setPerson(p)}>
                    {p.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {person && cycles?.length === 0 && <p className="muted">{t('align.noCycle', { name: person.name })}</p>}
      {person && cycles && cycles.length > 0 && (
        <div className="fields">
          <div className="field">
            <label htmlFor={`${id}-cycle`}>{t('align.theirCycle')}</label>
            <select
              id={`${id}-cycle`}
              value={cycleId}
              onChange={(e) => {
                setCycleId(e.target.value);
                setTargetId('');
              }}
            >
              {cycles.map((c) => (
                <option key={c.id} value={c.id}>
                  {periodName(choiceOfCycle(c))}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-objective`}>{t('align.theirObjective')}</label>
            {/* Focus comes here once the person is picked (the list of people found is gone). */}
            <select
              id={`${id}-objective`}
              autoFocus
              value={targetId}
              onChange={(e) => {
                setTargetId(e.target.value);
                setError(undefined);
              }}
              aria-invalid={invalid || undefined}
              aria-describedby={invalid ? `${id}-error` : undefined}
            >
              <option value="">{objectives ? t('align.choose') : t('app.loading')}</option>
              {objectives?.items.map((o, i) => (
                <option key={o.id} value={o.id} disabled={alignedTo.has(o.id)}>
                  {`O${i + 1} ${textOf(o.content, nameOf)}${alignedTo.has(o.id) ? ` ${t('align.already')}` : ''}`}
                </option>
              ))}
            </select>
            <FieldError error={error} field="to_entity_id" id={`${id}-error`} />
          </div>
        </div>
      )}
      {objectives?.items.length === 0 && <p className="muted">{t('align.noObjectives')}</p>}
      {invalid ? null : <ErrorBanner error={error} />}
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !targetId}>
          {t('align.submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('okrs.cancel')}
        </button>
      </div>
    </form>
  );
}
