/** How a cycle is named in the UI: its months in the tenant's calendar, marked when it is the current one. */
import { useI18n } from '../../i18n/i18n';
import { isCurrent, type Cycle } from './data';

export function useCycleName(): (c: Cycle) => string {
  const { t, formatMonth } = useI18n();
  return (c) => {
    const from = formatMonth(Number(c.start_time));
    const to = formatMonth(Number(c.end_time));
    return `${from === to ? from : `${from} – ${to}`}${isCurrent(c) ? ` ${t('okrs.current')}` : ''}`;
  };
}
