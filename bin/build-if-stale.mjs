#!/usr/bin/env node
// `node bin/build-if-stale.mjs server web`: builds each named part unless its output is newer than every source it is
// built from, so `npm run demo` starts in seconds after `npm ci` yet never serves stale code. The browser tests run it
// for `web` under a lock (test/browser/web-helpers.ts), so parallel test files build at most once.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const PARTS = {
  server: { sources: ['src'], output: 'dist/cli/main.js', script: 'build:server' },
  web: { sources: ['web', 'src/contract'], output: 'web/dist/index.html', script: 'build:web' },
};

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' || e.name === 'node_modules' ? max : Math.max(max, newest(path));
    return Math.max(max, statSync(path).mtimeMs);
  }, 0);

for (const name of process.argv.slice(2)) {
  const part = PARTS[name];
  if (!part) throw new Error(`build-if-stale: unknown part ${name} (server, web)`);
  const output = join(root, part.output);
  const sources = Math.max(...part.sources.map((s) => newest(join(root, s))));
  if (existsSync(output) && statSync(output).mtimeMs >= sources) continue;
  const result = spawnSync('npm', ['run', '--silent', part.script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
