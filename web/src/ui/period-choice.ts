/**
 * A period to choose (a tenant period, or a person's cycle of one) by its first and last day: which one a page opens
 * on and which one is running now. Plain functions, shared by every page with a period switcher (PeriodSelect.tsx).
 */

export interface PeriodChoice {
  id: string;
  /** Epoch ms of its first day. */
  start: number;
  /** Epoch ms of its last day. */
  end: number;
}

/** A v2 cycle (or anything with its id and ms-string bounds) as a choice. */
export const choiceOfCycle = (c: { id: string; start_time: string; end_time: string }): PeriodChoice => ({
  id: c.id,
  start: Number(c.start_time),
  end: Number(c.end_time),
});

/** Whether `c` is running at `now` (the switcher marks it). */
export const isCurrent = (c: PeriodChoice, now = Date.now()) => c.start <= now && now <= c.end;

/**
 * The choice to open: the one the link names, else the one running now, else the latest begun, else (none has begun)
 * the first to begin.
 */
export function choiceToOpen<T extends PeriodChoice>(
  choices: readonly T[],
  asked: string | null,
  now = Date.now(),
): T | undefined {
  const byStart = [...choices].sort((a, b) => a.start - b.start);
  return (
    byStart.find((c) => c.id === asked) ??
    byStart.find((c) => isCurrent(c, now)) ??
    byStart.filter((c) => c.start <= now).at(-1) ??
    byStart[0]
  );
}
