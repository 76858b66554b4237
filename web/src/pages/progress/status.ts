/** Progress statuses (-1 none, 0 normal, 1 at risk, 2 delayed) and their messages. */
export const STATUSES = [-1, 0, 1, 2] as const;

export const statusKey = (status: number | undefined) =>
  status === 0
    ? 'progress.statusNormal'
    : status === 1
      ? 'progress.statusRisk'
      : status === 2
        ? 'progress.statusDelayed'
        : 'progress.statusNone';
