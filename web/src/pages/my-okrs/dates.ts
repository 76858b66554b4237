/** Deadlines as the tenant's calendar shows them: a date input's `YYYY-MM-DD` ↔ epoch ms of that local day's end. */

const DAY = 86_400_000;

/** The tenant-local day of `ms` as `YYYY-MM-DD` (empty for no deadline). */
export function dateInput(ms: string | undefined, offsetMinutes: number): string {
  if (!ms || ms === '0') return '';
  return new Date(Number(ms) + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The last millisecond of the tenant-local day `value` (empty: no deadline, `0`). */
export function deadlineOf(value: string, offsetMinutes: number): string {
  if (!value) return '0';
  const [y, m, d] = value.split('-').map(Number);
  return String(Date.UTC(y!, m! - 1, d!) + DAY - 1 - offsetMinutes * 60_000);
}
