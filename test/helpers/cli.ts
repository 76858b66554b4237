/** The real `okrd` command as a child process, and databases on disk (or on a PostgreSQL server) for it to use. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb, type Db, type Dialect } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { freshDb } from './db.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OKRD = ['--import', 'tsx', 'src/cli/run.ts'];
// A CLI call that takes longer than this is hung: it is killed and the test fails.
const RUN_TIMEOUT_MS = 30_000;

/** How a finished okrd process ended and what it printed. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A database a child process can open by URL; `open` gives an in-process connection the caller closes. */
export interface CliDatabase {
  dialect: Dialect;
  url: string;
  open: () => Promise<Db>;
  /** Runs `fn` on a fresh in-process connection and closes it. */
  use: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  drop: () => Promise<void>;
}

/** A new database of `dialect`: a SQLite file in a temp folder, or a fresh PostgreSQL database; migrated unless told. */
export async function cliDatabase(dialect: Dialect, opts: { migrated?: boolean } = {}): Promise<CliDatabase> {
  const migrated = opts.migrated ?? true;
  let url: string;
  let drop: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'okrd-cli-'));
    url = `sqlite:${join(dir, 'okrd.sqlite')}`;
    drop = async () => rmSync(dir, { recursive: true, force: true });
    if (migrated) {
      const db = await openDb(url);
      await migrate(db);
      await db.close();
    }
  } else {
    const fresh = await freshDb('postgres');
    // freshDb always migrates; an empty public schema is what a never-migrated database looks like.
    if (!migrated) await fresh.db.write((tx) => tx.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public'));
    url = fresh.url;
    drop = fresh.drop;
  }
  const open = () => openDb(url);
  const use = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const db = await open();
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  return { dialect, url, open, use, drop };
}

/** The environment an okrd child gets: ours without okrd settings, then DATABASE_URL, quiet logs and `extra`. */
export function okrdEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PORT', 'HOST', 'DATABASE_URL', 'LOG_LEVEL', 'TOKEN_TTL_SECONDS']) delete env[name];
  return { ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...extra };
}

const running = new Set<ChildProcess>();

/** Kills (SIGKILL) every okrd child still running; call it in `after` so a failed test leaves no process behind. */
export function killOkrdChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** A started okrd process: its output so far and a promise of how it ends. */
export interface OkrdProcess {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<CliResult>;
}

/** The first match of `pattern` in what `p` prints on stdout, once it is there; throws if `p` ends or time is up first. */
export async function printed(p: OkrdProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = pattern.exec(p.output().stdout);
    if (m) return m;
    if (p.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`okrd did not print ${pattern}: ${JSON.stringify(p.output())}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `okrd ...args` and returns at once. */
export function startOkrd(args: readonly string[], env: NodeJS.ProcessEnv): OkrdProcess {
  const child = spawn(process.execPath, [...OKRD, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Runs `okrd ...args` to the end. */
export async function runOkrd(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const p = startOkrd(args, env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

// Ports the kernel hands out itself (to port 0 and to every client's connect) come from its ephemeral range; a port
// picked below it cannot be taken by one of those between the check here and the server's listen, as happens when
// test files run side by side opening connections all the time. Only another explicit bind can take it.
const EPHEMERAL_LOW = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768; // not Linux: the ranges of macOS and Windows start higher still
  }
})();
const PORTS_FROM = 10_000;

/** Whether a server could listen on `port` of the loopback now. */
async function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port that was free a moment ago, outside the kernel's ephemeral range (see above). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = PORTS_FROM + randomInt(Math.max(EPHEMERAL_LOW - PORTS_FROM, 1_000));
    if (await canListen(port)) return port;
  }
}

/** One HTTP request on its own connection (no keep-alive socket outlives it); the body is parsed when JSON. */
export async function httpCall(
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      { method, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (s: string) => (text += s));
        res.on('end', () => resolve({ status: res.statusCode!, body: text.startsWith('{') ? JSON.parse(text) : text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Resolves once `url` answers any HTTP response; rejects when the process ends first or after `timeoutMs`: a minute,
 * as starting okrd under tsx (and loading a tenant for `okrd demo`) took over 15 s with test files running side by
 * side on a loaded 2-core machine.
 */
export async function waitUntilServing(p: OkrdProcess, url: string, timeoutMs = 60_000): Promise<void> {
  let ended = false;
  void p.exited.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ended) throw new Error(`okrd exited before serving: ${JSON.stringify(p.output())}`);
    try {
      await httpCall('GET', url);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`okrd did not serve ${url} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
