/**
 * The soak's chart: memory (RSS, heap used), latency (p50, p99) and render-cache entries over time, drawn as an inline SVG page and
 * photographed by Debian's chromium through playwright-core. No charting library, nothing downloaded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One 10-second window of the soak. */
export interface SoakSample {
  /** Seconds since the load started, at the end of the window. */
  t: number;
  /** Requests answered in the window, those that failed (network error or an HTTP status ≥ 400), those not sent. */
  requests: number;
  errors: number;
  dropped: number;
  /** Latency from each request's scheduled send time, ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** The server's resident set (/proc) and V8 heap in use (/metrics), MiB. */
  rssMiB: number;
  heapUsedMiB: number;
  /** Rendered answers the server's caches keep (its /metrics). */
  cacheEntries: number;
  /** Cores the server used in the window (/proc/PID/stat), and the machine's 1-minute load average. */
  serverCpu: number;
  load1: number;
}

/** What the chart's title and caption say. */
export interface ChartCaption {
  title: string;
  subtitle: string;
}

const WIDTH = 1000;
const PANEL_HEIGHT = 260;

interface Series {
  name: string;
  colour: string;
  values: number[];
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten, at or above `max`. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((m) => m * power).find((v) => v >= max) ?? 10 * power) as number;
}

/**
 * One panel: lines of `series` over `times` (seconds), labelled in `unit`; y from 0 to a round maximum, or on a
 * log scale (powers of ten) when `log`, so a warm-up spike does not flatten the rest.
 */
function panel(label: string, unit: string, times: number[], series: Series[], log = false): string {
  const left = 70;
  const right = WIDTH - 20;
  const top = 48;
  const bottom = PANEL_HEIGHT - 35;
  const tMax = Math.max(...times, 1);
  const highest = Math.max(...series.flatMap((s) => s.values), 0);
  const yMax = log ? 10 ** Math.max(1, Math.ceil(Math.log10(Math.max(highest, 1)))) : niceMax(highest);
  const yMin = log ? 0.1 : 0;
  const scale = (v: number) => (log ? Math.log10(Math.max(v, yMin)) : v);
  const x = (t: number) => left + ((right - left) * t) / tMax;
  const y = (v: number) => bottom - ((bottom - top) * (scale(v) - scale(yMin))) / (scale(yMax) - scale(yMin));
  const gridValues = log
    ? Array.from({ length: Math.round(Math.log10(yMax / yMin)) + 1 }, (_, i) => yMin * 10 ** i)
    : [0, 0.25, 0.5, 0.75, 1].map((f) => yMax * f);
  const grid = gridValues
    .map((v) => {
      return (
        `<line x1="${left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e6eb"/>` +
        `<text x="${left - 8}" y="${y(v) + 4}" text-anchor="end">${Number(v.toPrecision(3))}</text>`
      );
    })
    .join('');
  const minutes = Math.ceil(tMax / 60);
  const step = Math.max(1, Math.ceil(minutes / 10));
  const ticks = Array.from({ length: Math.floor(minutes / step) + 1 }, (_, i) => i * step * 60)
    .filter((t) => t <= tMax)
    .map((t) => `<text x="${x(t)}" y="${bottom + 18}" text-anchor="middle">${t / 60} min</text>`)
    .join('');
  const lines = series
    .map((s) => {
      const points = s.values.map((v, i) => `${x(times[i]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${points}"/>`;
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${left + 10 + i * 220}" y="30" width="14" height="4" fill="${s.colour}"/>` +
        `<text x="${left + 30 + i * 220}" y="36">${escape(s.name)}</text>`,
    )
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${PANEL_HEIGHT}">` +
    `<text x="${left}" y="14" font-weight="600">` +
    `${escape(label)} (${unit}${log ? ', log scale' : ''})</text>` +
    `${legend}${grid}${ticks}<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#8f959e"/>${lines}</svg>`
  );
}

/** The chart page: title, caption, a memory panel and a latency panel. */
export function chartHtml(samples: readonly SoakSample[], caption: ChartCaption): string {
  const times = samples.map((s) => s.t);
  const memory = panel('Server memory', 'MiB', times, [
    { name: 'RSS', colour: '#3370ff', values: samples.map((s) => s.rssMiB) },
    { name: 'V8 heap used', colour: '#00b42a', values: samples.map((s) => s.heapUsedMiB) },
  ]);
  const latency = panel(
    'Latency per 10 s window; machine load',
    'ms',
    times,
    [
      { name: 'p50', colour: '#3370ff', values: samples.map((s) => s.p50) },
      { name: 'p99', colour: '#f54a45', values: samples.map((s) => s.p99) },
      // The machine is shared: latency spikes line up with other work's load (runnable tasks on 2 cores).
      { name: 'machine load (1 min)', colour: '#8f959e', values: samples.map((s) => s.load1) },
    ],
    true,
  );
  // What the memory follows: the render caches filling up to their bound (OKR_CACHE_ENTRIES), then staying there.
  const cache = panel('Render cache', 'entries kept', times, [
    { name: 'entries', colour: '#7f3bf5', values: samples.map((s) => s.cacheEntries) },
  ]);
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body { margin: 0; padding: 16px 20px; font: 13px system-ui, sans-serif; color: #1f2329; background: #fff; width: ${WIDTH}px; }
    h1 { font-size: 18px; margin: 0 0 4px; } p { margin: 0 0 8px; color: #646a73; }
    svg text { font: 12px system-ui, sans-serif; fill: #1f2329; }
  </style></head><body><h1>${escape(caption.title)}</h1><p>${escape(caption.subtitle)}</p>${memory}${latency}${cache}</body></html>`;
}

/** Renders the chart of `samples` to the PNG file `pngPath` with chromium. */
export async function renderSoakChart(
  samples: readonly SoakSample[],
  caption: ChartCaption,
  pngPath: string,
): Promise<void> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'okrd-soak-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: WIDTH + 40, height: 3 * PANEL_HEIGHT + 90 },
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.setContent(chartHtml(samples, caption));
    await page.screenshot({ path: pngPath, fullPage: true });
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
