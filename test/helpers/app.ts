/** An okrd app on a fresh database of a dialect, with the demo tenant loaded and a controllable clock. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEMO_APP_ID, DEMO_APP_SECRET, demoTenantDocument } from '../../src/demo/demo-tenant.js';
import { sequentialIds } from '../../src/domain/ids.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type AppDeps } from '../../src/http/app.js';
import { buildServices, type Services } from '../../src/services/index.js';
import { TransferService } from '../../src/services/transfer.service.js';
import type { Db, Dialect } from '../../src/store/db.js';
import { freshDb } from './db.js';
import { checkedDb, type WriteCheck } from './write-check.js';

/** The time tests start at: 2026-01-01T00:00:00Z. */
export const T0 = 1_767_225_600_000;

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** Where this app keeps uploaded images. */
  imageDir: string;
  /** SQL statements the app has run so far (reset `count` freely), and the write rules they broke. */
  statements: WriteCheck;
  /** The app's services (on the checked database, the app's clock and ids). */
  services: Services;
  /** Moves the clock the app sees. */
  clock: { now: number };
  close: () => Promise<void>;
  /** A fresh tenant token of the demo app. */
  tenantToken: () => Promise<string>;
  /** GET with a bearer token; returns the parsed body and status. */
  get: (url: string, token?: string) => Promise<{ status: number; body: any; res: LightMyRequestResponse }>;
}

/** Builds the app on a fresh database of `dialect`, loading the demo tenant unless `demo: false`. */
export async function testApp(
  dialect: Dialect,
  opts: { demo?: boolean; config?: Partial<AppDeps['config']>; webDir?: string } = {},
): Promise<TestApp> {
  const { db, drop } = await freshDb(dialect);
  const imageDir = await mkdtemp(join(tmpdir(), 'okrd-images-'));
  if (opts.demo !== false) await new TransferService(db).importTenant(demoTenantDocument());
  const clock = { now: T0 };
  const statements: WriteCheck = { count: 0, violations: [] };
  // Tests, factories and the app all write through the checker.
  const checked = checkedDb(db, statements);
  const deps = {
    config: { logLevel: 'silent' as const, tokenTtlSeconds: 7200, imageDir, ...opts.config },
    db: checked,
    clock: () => clock.now,
    ids: sequentialIds(8_000_000_000_000_000_001n),
  };
  const services = buildServices(deps);
  const app = await buildApp({ ...deps, services, logger: false, webDir: opts.webDir });
  const get = async (url: string, token?: string) => {
    const res = await app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.statusCode, body: res.body.startsWith('{') ? res.json() : res.body, res };
  };
  return {
    app,
    db: checked,
    services,
    clock,
    statements,
    imageDir,
    get,
    close: async () => {
      await app.close();
      await drop();
      await rm(imageDir, { recursive: true, force: true });
      if (statements.violations.length > 0) {
        throw new Error(`the app broke the write rules:\n${statements.violations.join('\n')}`);
      }
    },
    tenantToken: async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/open-apis/auth/v3/tenant_access_token/internal',
        payload: { app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET },
      });
      return res.json().tenant_access_token as string;
    },
  };
}

/**
 * Another okrd on `t`'s database, with services and caches of its own, as a second process would be (`config` on top
 * of the same settings); ids from another range, so the two never make the same one. The caller closes it.
 */
export function secondApp(t: TestApp, config: Partial<AppDeps['config']> = {}): Promise<FastifyInstance> {
  return buildApp({
    config: { logLevel: 'silent', tokenTtlSeconds: 7200, imageDir: t.imageDir, ...config },
    db: t.db,
    clock: () => t.clock.now,
    ids: sequentialIds(8_900_000_000_000_000_001n),
    logger: false,
  });
}
