#!/usr/bin/env node
// The okrd command; the TypeScript sources are compiled to dist/ by `npm ci` (the prepare script).
import { main } from '../dist/cli/main.js';

await main(process.argv.slice(2));
