/**
 * Helpers of the web UI's browser tests (test/browser/web-*.test.ts): Debian's chromium through playwright-core, the
 * UI built once (under a lock, so parallel test files share one build), a listening okrd on the demo tenant, signing
 * in through the authorize page, console errors collected (a test fails on any), axe-core on a page (no serious or
 * critical violation), and screenshots of a page in Chinese and English at desktop and phone width into
 * docs/screenshots/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_OWNER_PASSWORD, SEED } from '../../src/demo/demo-tenant.js';
import type { Dialect } from '../../src/store/db.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { listenForSdk } from '../helpers/sdk.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ROOT = join(import.meta.dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/** Why the browser tests cannot run here (no chromium), or undefined; with CI set they fail instead of skipping. */
function browserSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  const note = `${CHROMIUM} is missing: web UI browser tests ${process.env.CI ? 'FAIL (CI is set)' : 'are SKIPPED'}`;
  console.log(`\n${'!'.repeat(note.length + 8)}\n!!! ${note} !!!\n${'!'.repeat(note.length + 8)}\n`);
  return process.env.CI ? false : 'no /usr/bin/chromium';
}

/** Builds web/dist/ unless it is up to date (once for all test files running at the same time). */
function buildWebUi(): void {
  execFileSync(
    'flock',
    [join(tmpdir(), 'okrd-web-build.lock'), 'node', join(ROOT, 'bin', 'build-if-stale.mjs'), 'web'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

/** A listening okrd (demo tenant) with the built UI, and a chromium to drive it. */
export interface WebRig {
  t: TestApp;
  base: string;
  browser: Browser;
  /**
   * A fresh browser context (its own cookies and storage): a new person at a new browser. okrd's CSP is bypassed
   * (axe-core is injected as an inline script) unless `csp` is set, for tests of what the CSP lets a page do.
   */
  context: (opts?: { locale?: string; width?: number; height?: number; csp?: boolean }) => Promise<BrowserContext>;
  close: () => Promise<void>;
}

// One chromium per test file, shared by the rigs of every dialect: launching it is the slow part of a rig, and each
// rig's contexts keep its cookies and storage apart anyway.
let sharedBrowser: Promise<Browser> | undefined;
function browser(): Promise<Browser> {
  sharedBrowser ??= import('playwright-core').then(({ chromium }) =>
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
  );
  return sharedBrowser;
}
async function closeBrowser(): Promise<void> {
  const launched = sharedBrowser;
  sharedBrowser = undefined;
  await (await launched)?.close();
}

/** A listening okrd of `dialect` on the demo tenant and the file's chromium; `close` closes the contexts it made. */
async function webRig(dialect: Dialect): Promise<WebRig> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing and CI is set: apt-get install -y chromium`);
  buildWebUi();
  const t = await testApp(dialect);
  const base = await listenForSdk(t);
  const shared = await browser();
  const contexts = new Set<BrowserContext>();
  return {
    t,
    base,
    browser: shared,
    context: async (o = {}) => {
      const context = await shared.newContext({
        baseURL: base,
        bypassCSP: !o.csp,
        locale: o.locale ?? 'en-US',
        viewport: { width: o.width ?? 1280, height: o.height ?? 800 },
      });
      contexts.add(context);
      context.on('close', () => contexts.delete(context));
      return context;
    },
    close: async () => {
      await Promise.all([...contexts].map((c) => c.close()));
      await t.close();
    },
  };
}

let browserClosedAfterFile = false;

/**
 * `describe(`${title} [dialect]`)` for each dialect, with a web rig made before its tests and closed after them,
 * skipped without chromium unless CI is set. `body` gets the rig object at once, to capture: its fields are filled in
 * by the time the tests run, and by the time `before` hooks of `body` run (they run after the rig's). The file's
 * chromium is closed after its last test.
 */
export function describeWithRig(title: string, body: (rig: WebRig, dialect: Dialect) => void): void {
  const skip = browserSkip();
  if (!browserClosedAfterFile) {
    browserClosedAfterFile = true;
    after(closeBrowser);
  }
  for (const dialect of DIALECTS) {
    describe(`${title} [${dialect}]`, { skip }, () => {
      const rig = {} as WebRig;
      let made = false;
      before(async () => {
        Object.assign(rig, await webRig(dialect));
        made = true;
      });
      after(async () => {
        if (made) await rig.close();
      });
      body(rig, dialect);
    });
  }
}

/**
 * Collects the page's console errors and uncaught exceptions; call the result at the end of a test to assert there
 * were none. `expected` lists messages a test causes on purpose (chromium logs every refused request, e.g. a 400 of a
 * rule the test breaks to see its message).
 */
export function watchConsole(page: Page, expected: readonly RegExp[] = []): () => void {
  const errors: string[] = [];
  page.on('console', (m) => {
    const text = `console: ${m.text()} (${m.location().url})`;
    if (m.type() === 'error' && !expected.some((re) => re.test(text))) errors.push(text);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return () => assert.deepEqual(errors, [], 'the page logged errors');
}

/** Fills okrd's sign-in form (English or Chinese labels) and submits it. */
export async function fillSignIn(
  page: Page,
  login: string = SEED.ownerEmployeeId,
  password: string = DEMO_OWNER_PASSWORD,
): Promise<void> {
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(password);
  await page.locator('form[action="/okrd/sign-in"] button[type=submit]').click();
}

/** Waits until the UI's page says it is ready (its data loaded): `main [data-ready]`. */
export async function pageReady(page: Page): Promise<void> {
  await page.locator('main [data-ready], main[data-ready]').first().waitFor();
}

/** Opens `path` of the UI signed out, signs in as `login`, and waits for the page; resolves to ms from submit to ready. */
export async function signInAt(page: Page, path: string, login?: string, password?: string): Promise<number> {
  await page.goto(path);
  await page.locator('#login').waitFor();
  const started = Date.now();
  await fillSignIn(page, login, password);
  await page.waitForURL((u) => u.pathname + u.search === path);
  await pageReady(page);
  return Date.now() - started;
}

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Runs axe-core on the page as it is; fails on any serious or critical violation, naming each. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `axe on ${label}`);
}

const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/**
 * Saves `docs/screenshots/<name>-<zh|en>-<desktop|phone>.png` of the UI path `path`: one browser context per language
 * (the UI takes it from the browser), signed in once (unless `signedOut`, for pages such as /signed-out), then each
 * width, with `prepare` run before each picture (open a form, …); `as` signs in as someone else than the demo person.
 * Also runs axe on each. Viewport-only PNGs, so they stay small (10–30 KB).
 */
export async function screenshots(
  rig: WebRig,
  name: string,
  path: string,
  opts: { prepare?: (page: Page) => Promise<void>; signedOut?: boolean; as?: { login: string; password: string } } = {},
) {
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const lang of ['zh', 'en'] as const) {
    const context = await rig.context({ locale: lang === 'zh' ? 'zh-CN' : 'en-US', ...SIZES.desktop });
    try {
      const page = await context.newPage();
      const noErrors = watchConsole(page);
      if (opts.signedOut) await page.goto(path);
      else await signInAt(page, path, opts.as?.login, opts.as?.password);
      // The page was loaded at the desktop size (the context's): it is reloaded only for another size.
      let loadedAt: { width: number; height: number } = SIZES.desktop;
      for (const [size, viewport] of Object.entries(SIZES)) {
        if (viewport !== loadedAt) {
          await page.setViewportSize(viewport);
          await page.reload();
          loadedAt = viewport;
        }
        await pageReady(page);
        if (opts.prepare) await opts.prepare(page);
        await assertAccessible(page, `${name} ${lang} ${size}`);
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${lang}-${size}.png`) });
      }
      noErrors();
    } finally {
      await context.close();
    }
  }
}
