#!/usr/bin/env node
// Runs every test file with Node's test runner (TypeScript through tsx). PostgreSQL tests run only when
// OKRD_TEST_PG_URL names a server (`.ci/run` sets it); without it this says loudly that they were skipped. The same
// goes for the Redis rate-limit tests and OKRD_TEST_REDIS_URL.
//
// Files run OKRD_TEST_CONCURRENCY at a time (default 3), each in its own process. Most of a file's time is spent
// waiting on chromium, okrd child processes or PostgreSQL, so node's default (one file fewer than cores: one file on a
// 2-core CI machine) left the CPU idle most of the run. Files share nothing that could collide: ports are the kernel's
// (port 0, or one below its ephemeral range: test/helpers/cli.ts), databases and folders are made per test, Redis keys
// get a random prefix, the web UI is built under a lock. Node 20 sorts the files, so test/browser/ and test/cli/, the
// slow ones, start first. Options starting with --test- (e.g. --test-reporter) go to node's test runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const pgOnly = process.argv.includes('--pg-only');
const env = { ...process.env };
if (!env.OKRD_TEST_PG_URL) {
  if (pgOnly) {
    console.error('test:pg needs OKRD_TEST_PG_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres');
    process.exit(2);
  }
  console.log('NOTE: OKRD_TEST_PG_URL is not set: PostgreSQL tests are SKIPPED (SQLite only).');
  console.log('      Set OKRD_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/postgres to run them too.\n');
}
if (!env.OKRD_TEST_REDIS_URL && !pgOnly) {
  console.log('NOTE: OKRD_TEST_REDIS_URL is not set: Redis rate-limit tests are SKIPPED.');
  console.log('      Set OKRD_TEST_REDIS_URL=redis://127.0.0.1:6379 to run them too.\n');
}
if (pgOnly) env.OKRD_TEST_DIALECTS = 'postgres';

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(path);
  }
};
walk('test');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;

const concurrency = Number(env.OKRD_TEST_CONCURRENCY ?? 3);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(
    `OKRD_TEST_CONCURRENCY must be a whole number of files (1 or more), got "${env.OKRD_TEST_CONCURRENCY}"`,
  );
  process.exit(2);
}
const runnerOptions = process.argv.slice(2).filter((a) => a.startsWith('--test-'));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...runnerOptions, ...selected],
  { stdio: 'inherit', env },
);
if (!env.OKRD_TEST_PG_URL) console.log('\nNOTE: PostgreSQL tests were SKIPPED (OKRD_TEST_PG_URL not set).');
if (!env.OKRD_TEST_REDIS_URL && !pgOnly) {
  console.log('NOTE: Redis rate-limit tests were SKIPPED (OKRD_TEST_REDIS_URL not set).');
}
process.exit(result.status ?? 1);
