/**
 * The weights of siblings (a cycle's objectives, an objective's key results) edited together, with a live check that
 * they add up to 100%: saving is possible only then, and the server's answer (its field_violations) shows here too.
 */
import { useEffect, useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { percentText, thousandths, weightCheck } from './weights';

export function WeightsCheck({
  items,
  labelOf,
  onSave,
}: {
  items: readonly { id: string; weight?: number }[];
  labelOf: (index: number) => string;
  onSave: (weights: { id: string; weight: number }[]) => Promise<void>;
}) {
  const { t } = useI18n();
  const id = useId();
  const saved = items.map((i) => percentText(i.weight));
  const key = items.map((i) => `${i.id}:${i.weight ?? 0}`).join(',');
  const [texts, setTexts] = useState(saved);
  const [error, setError] = useState<unknown>();
  // New items or weights from the server (the key changes): start again from what is stored.
  useEffect(() => setTexts(items.map((i) => percentText(i.weight))), [key]);
  if (items.length === 0) return null;
  const check = weightCheck(texts);
  const changed = texts.some((x, i) => x !== saved[i]);
  const save = async () => {
    try {
      setError(undefined);
      await onSave(items.map((item, i) => ({ id: item.id, weight: thousandths(texts[i]!)! / 1000 })));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <fieldset className="weights">
      <legend>{t('okrs.weights')}</legend>
      <div className="row">
        {items.map((item, i) => (
          <span key={item.id} className="weight">
            <label htmlFor={`${id}-${i}`}>{labelOf(i)}</label>
            <input
              id={`${id}-${i}`}
              type="text"
              inputMode="decimal"
              size={5}
              value={texts[i] ?? ''}
              aria-invalid={thousandths(texts[i] ?? '') === undefined || undefined}
              onChange={(e) => setTexts(texts.map((x, j) => (j === i ? e.target.value : x)))}
            />
            <span aria-hidden="true">%</span>
          </span>
        ))}
      </div>
      <p className={check.ok ? 'sum ok' : 'sum bad'} role="status" aria-live="polite">
        {check.ok ? t('okrs.weightsSum', { sum: check.sum }) : t('okrs.weightsMustSum', { sum: check.sum })}
      </p>
      <button type="button" disabled={!check.ok || !changed} onClick={() => void save()}>
        {t('okrs.saveWeights')}
      </button>
      <ErrorBanner error={error} />
    </fieldset>
  );
}
