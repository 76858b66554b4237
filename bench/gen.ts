/**
 * `npm run gen -- --okrs N [--database URL] [--tenant ID] [--seed S] [--image-dir DIR]`: fills a new tenant with N
 * generated OKRs (src/demo/generator.ts) and prints its app credentials. The database defaults to DATABASE_URL (else
 * okrd's default SQLite file) and is migrated first; images go where the server would look (IMAGE_DIR or its default).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { generateTenant } from '../src/demo/generator.js';
import { openDb } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';

const { values } = parseArgs({
  options: {
    okrs: { type: 'string' },
    database: { type: 'string' },
    tenant: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'image-dir': { type: 'string' },
  },
});
const okrs = Number(values.okrs);
const seed = Number(values.seed);
if (!Number.isInteger(okrs) || okrs < 100 || !Number.isInteger(seed) || seed < 0) {
  process.stderr.write('usage: npm run gen -- --okrs N (100 or more) [--database URL] [--tenant ID] [--seed S]\n');
  process.exit(2);
}
const config = loadConfig({ ...process.env, ...(values.database ? { DATABASE_URL: values.database } : {}) });
const db = await openDb(config.databaseUrl);
try {
  await migrate(db);
  const started = performance.now();
  let last = started;
  const tenant = await generateTenant(db, {
    okrs,
    seed,
    imageDir: values['image-dir'] ?? config.imageDir,
    ...(values.tenant ? { tenantId: values.tenant } : {}),
    onProgress: (done) => {
      const now = performance.now();
      if (now - last < 5_000 && done < okrs) return;
      last = now;
      const rate = Math.round(done / ((now - started) / 1000));
      process.stderr.write(`  ${done.toLocaleString('en')} / ${okrs.toLocaleString('en')} OKRs (${rate} OKRs/s)\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const rows = Object.values(tenant.rows).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `tenant ${tenant.tenantId}: ${okrs.toLocaleString('en')} OKRs, ${rows.toLocaleString('en')} rows in ` +
      `${seconds.toFixed(1)} s (${Math.round(okrs / seconds).toLocaleString('en')} OKRs/s)\n` +
      `app_id ${tenant.appId}\napp_secret ${tenant.appSecret}\n`,
  );
} finally {
  await db.close();
}
