// Lint rules: the layer boundaries of design/architecture.md (http ↛ store, services/store ↛ Fastify, …) and
// type-aware promise checks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// ── Layer boundaries ────────────────────────────────────────────────────────────────────────────────────────────────
// ESLint's own no-restricted-imports (typescript-eslint's copy is deprecated since 8.64 and the core rule now has
// allowTypeImports). Its `group` patterns are gitignore-style and match the import *specifier* as written, not the
// resolved file: `**/store/**` catches `../store/db.js` and `../../../store/db.js` alike, where `../store/*` held at
// one depth only. Two consequences shape this file:
//  - Only the last config object that sets the rule for a file counts (options are replaced, not merged), so every
//    file gets exactly one layer() block carrying all of its patterns.
//  - "Stay inside this folder" depends on the importing file's depth (`../common.js` stays inside src/contract from
//    src/contract/v2/x.ts and leaves it from src/contract/x.ts), so confined() writes one block per depth.
// The rule does not look at dynamic import(): cli/main.ts relies on that to load http/ lazily (see the cli block).

const CODE = '{ts,tsx,mts,cts,js,jsx,mjs,cjs}';
const LAYERS = ['contract', 'domain', 'store', 'services', 'http', 'cli', 'demo'];
const anyDepth = (...layers) => layers.map((layer) => `**/${layer}/**`);
const up = (n) => '../'.repeat(n);
const FASTIFY = ['fastify', 'fastify-*', '@fastify/*'];

// `./x/../../store`, `./../errors.js`, `../a/./b`: a specifier that is not normalized could climb out of a folder
// past the per-depth patterns, so none is allowed anywhere.
const NORMALIZED = {
  regex: String.raw`^\./\.\.(/|$)|.+/\.(/|$)|(^|/)(?!\.\.?/)[^/]+/\.\.(/|$)`,
  message: 'write relative imports normalized (no "." or ".." segment after the leading ones)',
};

const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [...patterns, NORMALIZED] }] },
});

/**
 * The blocks for a folder whose files import only each other, the `packages` named (or 'any'), and outside the folder
 * only the `exits` (paths from the folder's parent: 'src/contract' for web/). One block per depth up to maxDepth, where
 * leaving the folder is exactly `depth + 1` times `../`. Files deeper than that get the first block: the `deep`
 * patterns, and no climbing of maxDepth + 2 levels or more (exact one level below maxDepth, stricter further down:
 * raise maxDepth then).
 */
function confined(dir, { packages, exits = [], deep, message, maxDepth }) {
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const allowed = packages === 'any' ? [] : packages.map((name) => `(?!${escape(name)}(/|$))`);
  const block = (files, climbs, extra) => {
    const leave = [`${up(climbs)}*`];
    for (const exit of exits) {
      const parts = exit.split('/');
      // gitignore cannot re-include a file below an excluded folder, so re-include each folder on the way down.
      parts.forEach((_, i) => {
        if (i > 0) leave.push(`${up(climbs)}${parts.slice(0, i).join('/')}/*`);
        leave.push(`!${up(climbs)}${parts.slice(0, i + 1).join('/')}`);
      });
    }
    return layer(files, [
      { group: leave, message },
      ...extra,
      // Anything not relative: a package, a node: builtin, an absolute path.
      ...(packages === 'any' ? [] : [{ regex: `^(?!\\.\\.?/)${allowed.join('')}`, message }]),
    ]);
  };
  const blocks = [block([`${dir}/**/*.${CODE}`], maxDepth + 2, [{ group: deep, message }])];
  for (let depth = 0; depth <= maxDepth; depth++) {
    blocks.push(block([`${dir}/${'*/'.repeat(depth)}*.${CODE}`], depth + 1, []));
  }
  return blocks;
}

const boundaries = [
  // Pure code: no other layer, no src/ file (config, errors), no package at all, so no I/O library either.
  ...confined('src/domain', {
    packages: [],
    deep: anyDepth(...LAYERS.filter((l) => l !== 'domain')),
    message: 'domain/ is pure: it imports only other domain/ files (no other layer, src/ file or package)',
    maxDepth: 6,
  }),
  ...confined('src/contract', {
    packages: ['@sinclair/typebox'],
    deep: anyDepth(...LAYERS.filter((l) => l !== 'contract')),
    message: 'contract/ imports only @sinclair/typebox and other contract/ files',
    maxDepth: 6,
  }),
  layer(
    ['src/store/**'],
    [
      {
        group: [...anyDepth('services', 'http', 'cli', 'demo'), ...FASTIFY],
        message: 'store/ may not import services, http or Fastify',
      },
    ],
  ),
  layer(
    ['src/services/**'],
    [{ group: [...anyDepth('http', 'cli', 'demo'), ...FASTIFY], message: 'services/ may not import http or Fastify' }],
  ),
  // http/ may name the Db type (buildApp receives the database) but never call the store.
  layer(
    ['src/http/**'],
    [
      { group: anyDepth('store'), message: 'http/ reaches data only through services', allowTypeImports: true },
      { group: anyDepth('cli', 'demo'), message: 'http/ may not import cli or demo' },
    ],
  ),
  // The CLI is thin over services and store (it opens and migrates the database); http/ it may name only as types.
  // `serve` loads ../http/app.js with import() (which this rule does not check) so that every other command starts
  // without the HTTP stack: a static import would undo that.
  layer(
    ['src/cli/**'],
    [
      {
        group: anyDepth('http'),
        message: 'cli/ loads http/ only lazily, with import() in serve',
        allowTypeImports: true,
      },
    ],
  ),
  // The demo tenant is data: contract, domain, store types; of services only types, and the secret hash.
  layer(
    ['src/demo/**'],
    [
      { group: anyDepth('http', 'cli'), message: 'demo/ may not import http or cli' },
      {
        group: [...anyDepth('services'), '!**/services/secrets.js'],
        message: 'demo/ may import only types from services (and services/secrets.js)',
        allowTypeImports: true,
      },
    ],
  ),
  // The web UI (a React app in web/) calls only the HTTP API: of the server it may import src/contract, the wire types.
  // Exact per depth, so a web-local folder such as web/src/store/ is not mistaken for the server's src/store/.
  ...confined('web', {
    packages: 'any',
    exits: ['src/contract'],
    deep: ['services', 'store', 'http', 'domain', 'cli', 'demo'].map((l) => `**/src/${l}/**`),
    message: 'web/ may import from outside web/ only src/contract (it calls the HTTP API)',
    maxDepth: 10,
  }),
];

// ── Type-aware rules ────────────────────────────────────────────────────────────────────────────────────────────────
// TypeScript files only: the JS files (this one, bin/*.js, test/run.mjs) are in no tsconfig and are not type-checked.
// The project service finds each file's nearest tsconfig.json (web/ will bring its own).
const typeAware = {
  files: ['**/*.{ts,tsx,mts,cts}'],
  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  rules: {
    '@typescript-eslint/no-floating-promises': [
      'error',
      {
        // node:test's top-level describe/it return promises the runner itself awaits. Not `test`: that name also
        // matches the subtest method t.test(), whose promise an async test must await.
        allowForKnownSafeCalls: [
          { from: 'package', package: 'node:test', name: ['describe', 'suite', 'it', 'before', 'after'] },
        ],
      },
    ],
    // Default options (checksVoidReturn everywhere): Fastify 5 types its hooks and handlers as async-capable, so they
    // need no exemption.
    '@typescript-eslint/no-misused-promises': 'error',
    '@typescript-eslint/await-thenable': 'error',
    '@typescript-eslint/only-throw-error': 'error',
    '@typescript-eslint/prefer-promise-reject-errors': 'error',
    // Many functions are async to fit an interface (Db drivers, services) without awaiting anything themselves.
    '@typescript-eslint/require-await': 'off',
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // Tests read arbitrary JSON bodies; typing every one would add noise, not safety.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  ...boundaries,
  typeAware,
);
