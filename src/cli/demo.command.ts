/**
 * `okrd demo`: `serve` over a database holding the demo tenant (loaded on the first run only), saying which tenant and
 * app to use and, once it listens, where: the port the system gave when PORT is 0, not 0.
 */
import type { Config } from '../config.js';
import { DEMO_APP_ID, DEMO_APP_SECRET, DEMO_TENANT_ID, demoTenantDocument } from '../demo/demo-tenant.js';
import { systemClock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { buildServices } from '../services/index.js';
import { findTenant } from '../store/tenant.repository.js';
import { serveCommand } from './serve.js';

export function demoCommand(config: Config, workers: number, ids: IdSource): Promise<void> {
  return serveCommand(
    config,
    workers,
    async (db) => {
      const present = await db.read((tx) => findTenant(tx, DEMO_TENANT_ID));
      if (!present)
        await buildServices({ db, clock: systemClock, ids, config }).transfer.importTenant(demoTenantDocument());
      process.stdout.write(
        `okrd demo: tenant ${DEMO_TENANT_ID} ${present ? 'already loaded' : 'loaded'}; app_id ${DEMO_APP_ID}, app_secret ${DEMO_APP_SECRET}\n`,
      );
    },
    (url) => process.stdout.write(`listening on ${url}\n`),
  );
}
