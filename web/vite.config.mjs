// Builds the web UI into web/dist/, which okrd serves (src/http/web-ui.ts). Content-hashed files go to assets/ (cached
// for a year by okrd); `npm run dev:web` serves it with hot reload and sends API calls to an okrd on :8080.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const OKRD = process.env.OKRD_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // web/check-size.mjs reads it to add up what the first page loads.
    manifest: true,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: Object.fromEntries(['/open-apis', '/okrd'].map((p) => [p, { target: OKRD, changeOrigin: false }])),
  },
});
