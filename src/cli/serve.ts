/**
 * `okrd serve` and `okrd demo`'s serving half: one process, or a primary and `--workers N` (src/cli/cluster.ts).
 * Shutting down on SIGTERM/SIGINT: stop accepting, let in-flight requests finish for up to SHUTDOWN_TIMEOUT_SECONDS,
 * then close whatever connection is left (stalled bodies, slow readers), close the database and exit 0.
 */
import cluster from 'node:cluster';
import { randomInt } from 'node:crypto';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Config } from '../config.js';
import { systemClock } from '../domain/clock.js';
import { snowflakeIds } from '../domain/ids.js';
import { buildServices, type Services } from '../services/index.js';
import { openDb, type Db } from '../store/db.js';
import { migrate } from '../store/migrate.js';

/** How often expired tokens, codes, sessions and sign-in links are deleted. */
const PURGE_INTERVAL_MS = 10 * 60_000;
/** Past the deadline, closing the database may still wait for a handler's last statement; this long at most. */
const CLOSE_GRACE_MS = 5000;

/** The services `serve` runs with: the real clock and ids with this process's worker number (ID_WORKER or random). */
export function servingServices(config: Config, db: Db) {
  const deps = { config, db, clock: systemClock, ids: snowflakeIds(systemClock, config.idWorker ?? randomInt(1024)) };
  return { services: buildServices(deps), deps };
}

/**
 * Deletes expired credentials, and image files that no row refers to (uploads cut short by a crash), at once and
 * every 10 minutes, until the returned function is called. The timer does not keep the process alive; a failed
 * purge is reported and tried again next time.
 */
export function startPurging(services: Services, report: (err: unknown) => void): () => void {
  const purge = () => {
    services.admin.purgeExpired().catch(report);
    services.images.removeOrphans().catch(report);
  };
  purge();
  const timer = setInterval(purge, PURGE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Runs `fn` once, on the first SIGTERM or SIGINT; later signals are ignored (a terminal's Ctrl-C reaches every worker
 * as well as the primary, which then forwards SIGTERM). A failure while stopping ends the process with code 1.
 */
export function onStopSignal(fn: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    fn().catch((err: unknown) => {
      process.stderr.write(`okrd: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/**
 * Keeps the server's open connections so that, when draining, the answers still to come go out with
 * `Connection: close` (the same trick as http-terminator): the client learns not to send another request on that
 * connection, and Node closes it once the answer is written; without it an answered connection would sit idle
 * until the deadline, or be cut while a client sends its next request.
 */
function closeAfterAnswering(server: Server): () => void {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return () => {
    for (const socket of sockets) {
      // `_httpMessage` is the answer Node is preparing on that connection (not part of the typed API).
      const res = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
      if (res && !res.headersSent) res.setHeader('Connection', 'close');
    }
  };
}

/** Where a server on `host` and `port` is reached (an IPv6 address in brackets). */
export const listeningUrl = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * Serves HTTP on the configured port over an open, migrated database; `purge`: this process deletes expired rows;
 * `listening`: told where it listens once it does (the port the system gave, when PORT is 0).
 */
export async function serveHttp(
  config: Config,
  db: Db,
  opts: { purge: boolean; listening?: (url: string) => void },
): Promise<void> {
  // Loaded here, not at the top: the HTTP stack is most of the start-up time of every other command.
  const { buildApp } = await import('../http/app.js');
  const { services, deps } = servingServices(config, db);
  const app = await buildApp({ ...deps, services });
  const closeConnectionsAfterAnswering = closeAfterAnswering(app.server);
  const stopPurging = opts.purge
    ? startPurging(services, (err) => app.log.error({ err }, 'purging expired credentials failed'))
    : () => undefined;

  onStopSignal(async () => {
    stopPurging();
    app.log.info({ deadlineMs: config.shutdownTimeoutMs }, 'shutting down: finishing in-flight requests');
    // app.close() stops accepting, turns /readyz to 503, closes idle connections and resolves once the busy ones
    // have answered; at the deadline the rest (stalled uploads, slow readers) are destroyed so it can resolve.
    closeConnectionsAfterAnswering();
    const deadline = setTimeout(() => {
      app.log.warn('shutdown deadline reached: closing the connections still open');
      app.server.closeAllConnections();
      // A handler whose client is gone may still be running; it gets a little longer to release the database.
      setTimeout(() => {
        process.stderr.write('okrd: shutdown did not finish in time\n');
        process.exit(1);
      }, CLOSE_GRACE_MS).unref();
    }, config.shutdownTimeoutMs);
    await app.close();
    clearTimeout(deadline);
    await db.close();
    process.exit(0);
  });

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    stopPurging();
    // An open PostgreSQL pool would keep the process alive after the error is printed.
    await app.close();
    await db.close();
    throw err;
  }
  opts.listening?.(listeningUrl(config.host, (app.server.address() as AddressInfo).port));
}

/**
 * `okrd serve [--workers N]` (and `demo`, after loading its tenant in `prepare`): migrations are applied once, by
 * the only process or the primary; a cluster worker opens the database and serves, nothing else. `listening` is told
 * where the server listens, once, by the only process or the primary (when the first worker listens).
 */
export async function serveCommand(
  config: Config,
  workers: number,
  prepare?: (db: Db, config: Config) => Promise<void>,
  listening?: (url: string) => void,
): Promise<void> {
  const db = await openDb(config.databaseUrl, { poolSize: config.databasePoolSize });
  if (cluster.isWorker) {
    return serveHttp(config, db, { purge: false }).catch((err: unknown) => {
      // The channel to the primary would keep a worker that could not start alive: close it, so the worker ends
      // (with the error printed and code 1) and the primary learns it could not start.
      cluster.worker?.disconnect();
      throw err;
    });
  }
  try {
    await migrate(db);
    await prepare?.(db, config);
  } catch (err) {
    await db.close();
    throw err;
  }
  if (workers === 1) return serveHttp(config, db, { purge: true, ...(listening ? { listening } : {}) });
  // Every worker listens on the same port, the one the first got when PORT is 0 (node:cluster shares the handle).
  if (listening) cluster.once('listening', (_worker, address) => listening(listeningUrl(config.host, address.port)));
  const { runPrimary } = await import('./cluster.js');
  return runPrimary(config, db, workers);
}
