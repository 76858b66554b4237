/** Liveness and readiness for load balancers and orchestrators: is the database reachable and fully migrated. */
import type { Db } from '../store/db.js';
import { pendingMigrations } from '../store/migrate.js';

/** A readiness probe gives up on the database after this long (a probe must answer, not hang with it). */
const DATABASE_CHECK_MS = 2000;

/** Why a process is not ready, or that it is. */
export type Readiness = { ready: true } | { ready: false; reason: string; cause?: unknown };

/** Answers whether this process should be sent traffic. */
export class HealthService {
  private draining = false;

  constructor(private readonly db: Db) {}

  /** From now on the process is shutting down: it finishes what it has but should get no new traffic. */
  drain(): void {
    this.draining = true;
  }

  /** Ready when not shutting down and the database answers within 2 s with every migration applied. */
  async readiness(): Promise<Readiness> {
    if (this.draining) return { ready: false, reason: 'shutting down' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), DATABASE_CHECK_MS);
    });
    try {
      const pending = await Promise.race([pendingMigrations(this.db), timeout]);
      // Shutting down may have begun while the database was asked; it outranks any other answer.
      if (this.draining) return { ready: false, reason: 'shutting down' };
      if (pending === 'timeout') return { ready: false, reason: 'database did not answer' };
      if (pending > 0) return { ready: false, reason: `${pending} migrations not applied` };
      return { ready: true };
    } catch (cause) {
      if (this.draining) return { ready: false, reason: 'shutting down' };
      // The cause (connection refused, no schema_migrations table...) is for the log, not for anonymous callers.
      return { ready: false, reason: 'database unavailable', cause };
    } finally {
      clearTimeout(timer);
    }
  }
}
