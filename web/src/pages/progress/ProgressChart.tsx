/** Progress over time as a small inline SVG line (no chart library): percent against the time of each record. */
import { useI18n } from '../../i18n/i18n';

export interface Point {
  time: number;
  percent: number;
}

const W = 320;
const H = 120;
const PAD = 24;

export function ProgressChart({ points }: { points: readonly Point[] }) {
  const { t, formatDate } = useI18n();
  const sorted = [...points].sort((a, b) => a.time - b.time);
  if (sorted.length === 0) return <p className="muted">{t('progress.noChart')}</p>;
  const t0 = sorted[0]!.time;
  const span = Math.max(sorted.at(-1)!.time - t0, 1);
  const top = Math.max(100, ...sorted.map((p) => p.percent));
  const bottom = Math.min(0, ...sorted.map((p) => p.percent));
  const x = (time: number) => PAD + ((time - t0) / span) * (W - 2 * PAD);
  const y = (percent: number) => H - PAD - ((percent - bottom) / (top - bottom || 1)) * (H - 2 * PAD);
  const xy = sorted.map((p) => `${x(p.time).toFixed(1)},${y(p.percent).toFixed(1)}`);
  const summary = t('progress.chartSummary', {
    from: formatDate(t0),
    to: formatDate(sorted.at(-1)!.time),
    percent: sorted.at(-1)!.percent,
  });
  return (
    <figure className="progress-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <line x1={PAD} y1={y(0)} x2={W - PAD} y2={y(0)} className="axis" />
        <line x1={PAD} y1={y(100)} x2={W - PAD} y2={y(100)} className="goal" />
        <text x={2} y={y(100) + 4} className="tick">
          100%
        </text>
        <text x={8} y={y(0) + 4} className="tick">
          0%
        </text>
        <polyline points={xy.join(' ')} className="line" />
        {sorted.map((p, i) => (
          <circle key={i} cx={x(p.time)} cy={y(p.percent)} r={3} className="dot">
            <title>{`${formatDate(p.time)}: ${p.percent}%`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="muted">{summary}</figcaption>
    </figure>
  );
}
