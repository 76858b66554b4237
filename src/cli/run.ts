/** Entry point for running the CLI straight from the TypeScript sources (npm run dev, tests). */
import { main } from './main.js';

await main(process.argv.slice(2));
