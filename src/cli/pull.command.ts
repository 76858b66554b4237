/** `okrd pull`: progress bars per phase on a terminal, then the summary (as text, or JSON with --json). */
import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import {
  PullService,
  type PullOptions,
  type PullPhase,
  type PullReporter,
  type PullSummary,
} from '../services/pull.service.js';
import type { Db } from '../store/db.js';

/** Bars on stderr when it is a terminal; nothing otherwise (scripts read the summary). */
function reporter(): PullReporter & { stop(): void } {
  if (!process.stderr.isTTY) return { start: () => undefined, tick: () => undefined, stop: () => undefined };
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: '{phase} [{bar}] {value}/{total} | {percentage}% | ETA {eta_formatted}',
      clearOnComplete: false,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<PullPhase, cliProgress.SingleBar>();
  return {
    start(phase, total) {
      bars.get(phase)?.stop();
      bars.set(phase, multi.create(total, 0, { phase: phase.padEnd(8) }));
    },
    tick(phase) {
      bars.get(phase)?.increment();
    },
    stop() {
      multi.stop();
    },
  };
}

/** The summary for people. */
function text(s: PullSummary): string {
  const counts = (r: Record<string, number>) =>
    Object.entries(r)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'nothing';
  const lines = [
    `okrd pull: tenant ${s.tenant_id} holds the copy of ${s.source} (run ${s.run}${s.resumed ? ', resumed' : ''})`,
    `  pulled:  ${counts(s.pulled)}`,
    `  removed: ${counts(s.removed)} (gone at the source; people are deactivated)`,
    `  requests ${s.requests.requests}, retried ${s.requests.retries}, rate limited ${s.requests.rate_limited}; ${s.seconds} s`,
  ];
  if (s.unreadable_okrs.length > 0) {
    lines.push(
      `  ${s.unreadable_okrs.length} OKRs the app may not read were not copied: ${s.unreadable_okrs.join(', ')}`,
    );
  }
  for (const [token, why] of Object.entries(s.images_failed)) lines.push(`  image ${token} not copied: ${why}`);
  lines.push('  not on the wire, so not copied as they are:', ...s.not_exposed.map((n) => `    - ${n}`));
  return `${lines.join('\n')}\n`;
}

/**
 * Runs the pull. Ctrl-C stops it at once: what was written stays, and running the same command again resumes.
 */
export async function pullCommand(
  db: Db,
  deps: { config: Config; clock: Clock; ids: IdSource },
  options: Omit<PullOptions, 'imageDir' | 'imageMaxBytes'>,
  asJson: boolean,
): Promise<void> {
  const bars = reporter();
  const onSignal = () => {
    bars.stop();
    process.stderr.write('okrd pull: interrupted; run the same command again to resume\n');
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  try {
    const summary = await new PullService(db, deps.clock, deps.ids).pull(
      { ...options, imageDir: deps.config.imageDir, imageMaxBytes: deps.config.imageMaxBytes },
      bars,
    );
    bars.stop();
    process.stdout.write(asJson ? `${JSON.stringify(summary, null, 2)}\n` : text(summary));
  } finally {
    bars.stop();
    process.off('SIGINT', onSignal);
  }
}
