// Lint rules, including the layer boundaries of design/architecture.md (http ↛ store, services/store ↛ fastify, …).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, patterns) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // Tests read arbitrary JSON bodies; typing every one would add noise, not safety.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  layer(
    ['src/domain/**'],
    [
      {
        group: ['../*', 'fastify', 'pg', 'better-sqlite3'],
        message: 'domain/ imports nothing from src or I/O libraries',
      },
    ],
  ),
  layer(['src/contract/**'], [{ group: ['../*'], message: 'contract/ imports typebox only' }]),
  layer(
    ['src/store/**'],
    [
      {
        group: ['../services/*', '../http/*', 'fastify', '@fastify/*'],
        message: 'store/ may not import services, http or Fastify',
      },
    ],
  ),
  layer(
    ['src/services/**'],
    [{ group: ['../http/*', 'fastify', '@fastify/*'], message: 'services/ may not import http or Fastify' }],
  ),
  // http/ may name the Db type (buildApp receives the database) but never call the store.
  layer(
    ['src/http/**'],
    [
      {
        group: ['../store/*', '../../store/*'],
        message: 'http/ reaches data only through services',
        allowTypeImports: true,
      },
    ],
  ),
);
