/**
 * `okrd serve --workers N`: the primary (which has applied the migrations) forks N workers that share the port
 * (node:cluster hands connections out round-robin), replaces a worker that dies, runs the expired-credential purge
 * itself (one process, not N), keeps the memory rate-limit store's counts for all the workers, and on SIGTERM/SIGINT
 * has every worker drain (src/cli/serve.ts) before it exits.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomInt } from 'node:crypto';
import type { Config } from '../config.js';
import { serveLeases } from '../services/rate-limit-leases.js';
import type { Db } from '../store/db.js';
import { onStopSignal, servingServices, startPurging } from './serve.js';

/** A worker that died while serving is replaced after this pause, so a crash loop does not spin the CPU. */
const RESTART_DELAY_MS = 1000;
/** Workers get their own shutdown deadline plus this long before the primary kills them. */
const WORKER_KILL_GRACE_MS = 5000;

function say(line: string): void {
  process.stderr.write(`okrd: ${line}\n`);
}

/** Runs the primary until SIGTERM/SIGINT, or until a worker cannot start (then it stops the others and throws). */
export async function runPrimary(config: Config, db: Db, workers: number): Promise<void> {
  // The memory store's counts live here, and the workers lease calls from them (src/services/rate-limit-leases.ts).
  if (config.rateLimitStore === 'memory' && config.rateLimitPerMinute > 0)
    serveLeases(config.rateLimitPerMinute, workers);
  const { services } = servingServices(config, db);
  const stopPurging = startPurging(services, (err) =>
    say(`purging expired credentials failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  const live = new Set<Worker>();
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let failed: Error | undefined;
  let allExited: () => void = () => undefined;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  // Once, whoever asks first (a signal, or a worker that could not start).
  const stopWorkers = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      stopPurging();
      const exited = new Promise<void>((resolve) => {
        allExited = resolve;
        if (live.size === 0) resolve();
      });
      for (const w of live) w.process.kill('SIGTERM');
      const kill = setTimeout(() => {
        for (const w of live) w.process.kill('SIGKILL');
      }, config.shutdownTimeoutMs + WORKER_KILL_GRACE_MS);
      await exited;
      clearTimeout(kill);
      await db.close();
    })());

  // Workers make ids with distinct worker numbers, so two of them never make the same id in the same millisecond;
  // a replacement takes over the number of the worker it replaces.
  const firstIdWorker = config.idWorker ?? randomInt(1024);
  const fork = (slot: number): void => {
    const worker = cluster.fork({ ID_WORKER: String((firstIdWorker + slot) % 1024) });
    let listening = false;
    live.add(worker);
    worker.on('listening', () => (listening = true));
    worker.on('exit', (code, signal) => {
      live.delete(worker);
      if (stopping) {
        if (live.size === 0) allExited();
        return;
      }
      // A worker that gave up before listening hit a problem a restart will not fix (port taken, bad settings);
      // one killed by a signal (the OOM killer, an operator) is replaced like any other.
      if (!listening && signal === null) {
        failed = new Error(`a worker exited with code ${code} before serving; see its message above`);
        void stopWorkers().then(finish);
        return;
      }
      say(`worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting another`);
      setTimeout(() => {
        if (!stopping) fork(slot);
      }, RESTART_DELAY_MS);
    });
  };

  onStopSignal(async () => {
    await stopWorkers();
    process.exit(0);
  });
  // A worker asked for /metrics answers with every worker's, gathered here (src/http/metrics.ts).
  (await import('../http/metrics.js')).serveClusterMetrics();
  for (let slot = 0; slot < workers; slot++) fork(slot);
  await finished;
  if (failed) throw failed;
}
