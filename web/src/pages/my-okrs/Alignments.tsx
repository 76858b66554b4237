/**
 * The alignments of one of the person's objectives: "aligned to" (this objective supports another person's) and
 * "aligned by" (another's supports this one), each with the other objective's owner and text and a way to remove it;
 * and the form to align to another person's objective. Loaded after the page is shown (it is not needed to start).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { AlignForm } from './AlignForm';
import { loadAlignments, unalign, type Alignments as Loaded, type AlignmentView } from './alignment.data';
import { textOf } from './content';
import type { Cycle } from './data';

export function Alignments({ objectiveId, label, cycle }: { objectiveId: string; label: string; cycle: Cycle }) {
  const { t, lang } = useI18n();
  const [loaded, setLoaded] = useState<Loaded>();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>();
  const reload = useCallback(() => loadAlignments(objectiveId).then(setLoaded), [objectiveId]);
  useEffect(() => {
    reload().catch(setError);
  }, [reload]);
  // When the form closes (aligned or cancelled), focus goes back to the button that opened it, not to the page's top.
  const start = useRef<HTMLButtonElement>(null);
  const wasAdding = useRef(false);
  useEffect(() => {
    if (wasAdding.current && !adding) start.current?.focus();
    wasAdding.current = adding;
  }, [adding]);

  const nameOf = (userId: string | undefined, unknown = '') => {
    const n = userId ? loaded?.names.get(userId) : undefined;
    return n ? (lang === 'zh' ? n.zh : n.en) : unknown;
  };
  const describe = (a: AlignmentView) =>
    t(a.direction === 'to' ? 'align.alignedTo' : 'align.alignedBy', { name: nameOf(a.ownerId, t('align.someone')) });
  const textOfOther = (a: AlignmentView) => (a.other ? textOf(a.other.content, nameOf) : t('align.hidden'));
  const alignedTo = new Set(loaded?.items.flatMap((a) => (a.direction === 'to' && a.other ? [a.other.id] : [])));

  return (
    <div className="alignments" data-alignments-ready={loaded ? '' : undefined}>
      {loaded && loaded.items.length > 0 && (
        <ul className="plain" aria-label={t('align.listOf', { name: label })}>
          {loaded.items.map((a) => (
            <li key={a.id} className="alignment">
              <span className="direction">{describe(a)}</span> <span className="text">{textOfOther(a)}</span>
              <button
                type="button"
                aria-label={`${t('align.remove')}: ${describe(a)} ${textOfOther(a)}`}
                onClick={() => {
                  if (!confirm(t('align.confirmRemove'))) return;
                  unalign(a.id).then(reload).catch(setError);
                }}
              >
                {t('align.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorBanner error={error} />
      {adding ? (
        <AlignForm
          objectiveId={objectiveId}
          label={label}
          cycle={cycle}
          alignedTo={alignedTo}
          onCancel={() => setAdding(false)}
          onAligned={async () => {
            await reload();
            setAdding(false);
          }}
        />
      ) : (
        <button ref={start} type="button" onClick={() => setAdding(true)} aria-label={`${t('align.start')} (${label})`}>
          {t('align.start')}
        </button>
      )}
    </div>
  );
}
