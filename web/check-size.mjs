#!/usr/bin/env node
// Fails the build when the JavaScript the first page loads is over the budget, gzip-compressed: the entry, the chunk of
// the page a signed-in person lands on (HOME in src/app/pages.ts), and every chunk they import statically. Other pages
// behind React.lazy are not counted. Run by `npm run build:web` after vite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const FIRST_PAGE = 'src/pages/my-okrs/MyOkrsPage.tsx';
const dist = join(import.meta.dirname, 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
if (!entry) throw new Error('web/check-size: no entry chunk in the Vite manifest');

const seen = new Set();
const visit = (chunk) => {
  if (seen.has(chunk.file)) return;
  seen.add(chunk.file);
  for (const key of chunk.imports ?? []) visit(manifest[key]);
};
visit(entry);
if (!manifest[FIRST_PAGE]) throw new Error(`web/check-size: ${FIRST_PAGE} is not a chunk: update FIRST_PAGE`);
visit(manifest[FIRST_PAGE]);
const sizes = [...seen].map((file) => [file, gzipSync(readFileSync(join(dist, file)), { level: 9 }).length]);
const total = sizes.reduce((sum, [, n]) => sum + n, 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const [file, n] of sizes) console.log(`  ${file}  ${kb(n)} gzip`);
console.log(`first-page JavaScript: ${kb(total)} gzip (budget ${kb(BUDGET)})`);
if (total > BUDGET) {
  console.error('web/check-size: over budget: move heavy pages or libraries behind React.lazy (web/src/app/pages.ts)');
  process.exit(1);
}
