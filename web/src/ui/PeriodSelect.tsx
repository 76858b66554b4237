/**
 * The period switcher of the pages that show one period at a time (My OKRs, Team, Map, Review): a labelled native
 * select (keyboard and screen readers as the browser gives them), newest first, each named by its months in the
 * tenant's calendar with the running one marked. The page decides what choosing does (usually a link to it).
 */
import { useId } from 'react';
import { useI18n } from '../i18n/i18n';
import { isCurrent, type PeriodChoice } from './period-choice';

/** How a period is named: its months in the tenant's calendar, marked when it is the one running now. */
export function usePeriodName(): (c: PeriodChoice) => string {
  const { t, formatMonth } = useI18n();
  return (c) => {
    const from = formatMonth(c.start);
    const to = formatMonth(c.end);
    return `${from === to ? from : `${from} – ${to}`}${isCurrent(c) ? ` ${t('okrs.current')}` : ''}`;
  };
}

export function PeriodSelect({
  kind,
  choices,
  value,
  onChange,
}: {
  /** `cycle`: a person's cycles ("Cycle"); `period`: the tenant's periods ("Period"). */
  kind: 'cycle' | 'period';
  choices: readonly PeriodChoice[];
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  const { t } = useI18n();
  const nameOf = usePeriodName();
  const id = useId();
  // Nothing to switch between: no switcher (the page says why it is empty).
  if (choices.length === 0) return null;
  return (
    <div className="cycle-switch">
      <label htmlFor={id}>{t(kind === 'cycle' ? 'okrs.cycle' : 'team.period')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {[...choices]
          .sort((a, b) => b.start - a.start)
          .map((c) => (
            <option key={c.id} value={c.id}>
              {nameOf(c)}
            </option>
          ))}
      </select>
    </div>
  );
}
