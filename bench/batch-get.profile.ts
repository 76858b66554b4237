/**
 * Where a batch_get request's time goes, measured in-process stage by stage on the benchmark tenant:
 *
 *   taskset -c 0 npx tsx bench/batch-get.profile.ts
 *
 * The HTTP benchmark (batch-get.bench.ts) gives the whole cost of a request (1e6 / req/s µs); this splits the
 * part okrd's own code spends into its statements, the assembly, JSON.parse of rich text and serialization, and
 * times the alternatives docs/benchmarks.md proposes on the same rows. Stages are measured in turns, several
 * rounds, keeping each one's fastest round: on a shared machine that filters out other people's work far better
 * than a mean, and no stage is favoured by running while the machine happened to be quiet.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fastJson from 'fast-json-stringify';
import { BatchGetResponse } from '../src/contract/okr.js';
import { ALL_SCOPES } from '../src/contract/scopes.js';
import { mentionedUsers, type Content } from '../src/domain/rich-text.js';
import type { Caller } from '../src/services/auth.service.js';
import { OkrService } from '../src/services/okr.service.js';
import { openDb, type Tx } from '../src/store/db.js';
import {
  alignmentsOfOkrs,
  findVisibleOkrs,
  keyResultsOfOkrs,
  objectivesOfOkrs,
  progressRecordRefsOfOkrs,
} from '../src/store/okr.repository.js';
import { findUsersByRefs } from '../src/store/user.repository.js';
import { BENCH_TENANT_ID, benchCases, seedBenchTenant } from './seed.js';

const ROUNDS = 7;
const ROUND_MS = 200;

/** Mean µs per call of `fn` over about `ms` milliseconds. */
async function timeOnce(fn: () => unknown, ms: number): Promise<number> {
  let n = 0;
  const start = process.hrtime.bigint();
  const stopAt = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < stopAt) {
    for (let i = 0; i < 10; i++) await fn();
    n += 10;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / n / 1000;
}

const inList = (n: number) => Array(n).fill('?').join(', ');

// The columns v1 shows of an objective or key result; the rest of the row (tenant_id, created_at, …) goes unused.
const TRACKED = `score, weight_milli, progress_percent, progress_status, deadline,
  progress_rate_percent_last_updated_time, progress_rate_status_last_updated_time, progress_record_last_updated_time,
  progress_report_last_updated_time, score_last_updated_time`;
const TRACKED_JSON = TRACKED.split(',')
  .map((c) => `'${c.trim()}', ${c.trim()}`)
  .join(', ');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'okrd-profile-'));
  try {
    const file = join(dir, 'bench.sqlite');
    const seeded = await seedBenchTenant(file, 10_000);
    const db = await openDb(`sqlite:${file}`);
    // A second connection for the alternatives, which need what the Tx interface cannot express (raw rows).
    const direct = new Database(file, { readonly: true });
    const okrs = new OkrService(db);
    const caller: Caller = {
      kind: 'tenant',
      tenantId: BENCH_TENANT_ID,
      appId: seeded.appId,
      scopes: new Set(ALL_SCOPES),
    };
    const opts = { user_id_type: 'open_id', lang: 'zh_cn' } as const;
    // What Fastify compiles for the route's response schema.
    const serialize = fastJson(BatchGetResponse);

    const cases = benchCases(seeded);
    const stages: { label: string; byCase: Map<string, () => unknown> }[] = [];
    const stage = (caseName: string, label: string, fn: () => unknown) => {
      let s = stages.find((x) => x.label === label);
      if (!s) stages.push((s = { label, byCase: new Map() }));
      s.byCase.set(caseName, fn);
    };

    for (const [name, ids] of Object.entries(cases)) {
      const objectiveRows = await db.read((tx) => objectivesOfOkrs(tx, ids));
      const keyResultRows = await db.read((tx) => keyResultsOfOkrs(tx, ids));
      const alignmentRows = await db.read((tx) => alignmentsOfOkrs(tx, ids));
      const contents = [...objectiveRows.flatMap((o) => [o.content, o.notes]), ...keyResultRows.map((k) => k.content)];
      const userRefs = new Set<string>(alignmentRows.map((a) => a.other_owner_id));
      for (const c of contents) for (const ref of mentionedUsers(JSON.parse(c) as Content)) userRefs.add(ref);
      const refs = [...userRefs];

      // Now: what batchGet runs, as it runs it.
      stage(name, 'OkrService.batchGet: statements + assembly', () => okrs.batchGet(caller, ids, opts));
      stage(name, '  its 6 statements alone, one read transaction', () =>
        db.read(async (tx: Tx) => {
          await findVisibleOkrs(tx, BENCH_TENANT_ID, ids);
          await objectivesOfOkrs(tx, ids);
          await keyResultsOfOkrs(tx, ids);
          await progressRecordRefsOfOkrs(tx, ids);
          await alignmentsOfOkrs(tx, ids);
          await findUsersByRefs(tx, seeded.appId, refs);
        }),
      );
      const each: [string, (tx: Tx) => Promise<unknown>][] = [
        ['findVisibleOkrs', (tx) => findVisibleOkrs(tx, BENCH_TENANT_ID, ids)],
        ['objectivesOfOkrs (SELECT *)', (tx) => objectivesOfOkrs(tx, ids)],
        ['keyResultsOfOkrs (SELECT *)', (tx) => keyResultsOfOkrs(tx, ids)],
        ['progressRecordRefsOfOkrs', (tx) => progressRecordRefsOfOkrs(tx, ids)],
        ['alignmentsOfOkrs', (tx) => alignmentsOfOkrs(tx, ids)],
        ['findUsersByRefs (u.*)', (tx) => findUsersByRefs(tx, seeded.appId, refs)],
      ];
      for (const [label, fn] of each) stage(name, `    ${label}`, () => db.read(fn));
      stage(name, '  JSON.parse of every rich text', () => contents.map((c) => JSON.parse(c) as unknown));
      const envelope = { code: 0, msg: 'success', data: await okrs.batchGet(caller, ids, opts) };
      stage(name, 'serialize: fast-json-stringify (route schema)', () => serialize(envelope));
      stage(name, 'request id: randomBytes(12).toString("hex")', () => randomBytes(12).toString('hex'));

      // Alternatives.
      stage(name, 'alt. serialize: JSON.stringify', () => JSON.stringify(envelope));
      stage(name, 'alt. request id: randomUUID()', () => randomUUID());
      const list = inList(ids.length);
      const star = [
        direct.prepare(`SELECT * FROM objectives WHERE okr_id IN (${list}) ORDER BY okr_id, position, id`),
        direct.prepare(`SELECT * FROM key_results WHERE okr_id IN (${list}) ORDER BY objective_id, position, id`),
      ] as const;
      const narrowSql = [
        `SELECT id, okr_id, content, notes, ${TRACKED} FROM objectives
          WHERE okr_id IN (${list}) ORDER BY okr_id, position, id`,
        `SELECT id, objective_id, content, ${TRACKED} FROM key_results
          WHERE okr_id IN (${list}) ORDER BY objective_id, position, id`,
      ] as const;
      const narrow = [direct.prepare(narrowSql[0]), direct.prepare(narrowSql[1])] as const;
      const parseRows = (os: unknown[], ks: unknown[]) => {
        for (const o of os as { content: string; notes: string }[]) {
          JSON.parse(o.content);
          JSON.parse(o.notes);
        }
        for (const k of ks as { content: string }[]) JSON.parse(k.content);
      };
      stage(name, 'objectives + KRs: SELECT * rows, JSON.parse (now)', () =>
        parseRows(star[0].all(...ids), star[1].all(...ids)),
      );
      stage(name, '  only the columns v1 shows', () => parseRows(narrow[0].all(...ids), narrow[1].all(...ids)));
      const raw = [direct.prepare(narrowSql[0]).raw(true), direct.prepare(narrowSql[1]).raw(true)] as const;
      stage(name, '  only those columns, as arrays (.raw())', () => {
        for (const o of raw[0].all(...ids) as string[][]) {
          JSON.parse(o[2]!);
          JSON.parse(o[3]!);
        }
        for (const k of raw[1].all(...ids) as string[][]) JSON.parse(k[2]!);
      });
      // SQLite nests the key results in their objectives and leaves rich text as JSON: one string, one JSON.parse.
      const nested = direct
        .prepare(
          `SELECT json_group_array(json_object('id', o.id, 'okr_id', o.okr_id, 'content', json(o.content),
             'notes', json(o.notes), ${TRACKED_JSON},
             'kr_list', (SELECT json_group_array(json_object('id', k.id, 'content', json(k.content), ${TRACKED_JSON})
                                                 ORDER BY k.position, k.id)
                           FROM key_results k WHERE k.objective_id = o.id))
             ORDER BY o.okr_id, o.position, o.id)
           FROM objectives o WHERE o.okr_id IN (${list})`,
        )
        .pluck();
      stage(name, '  one statement, JSON built by SQLite, one JSON.parse', () =>
        JSON.parse(nested.get(...ids) as string),
      );
      // A cache of each OKR's serialized wire form (valid until the next write): the request still checks the OKRs
      // exist and are visible (one statement), then only concatenates bytes.
      const fragments = new Map(envelope.data.okr_list.map((o) => [o.id, Buffer.from(JSON.stringify(o))]));
      const head = Buffer.from('{"code":0,"msg":"success","data":{"okr_list":[');
      const comma = Buffer.from(',');
      const tail = Buffer.from(']}}');
      stage(name, 'alt. cached wire form: 1 statement + concatenation', () =>
        db.read(async (tx) => {
          const heads = await findVisibleOkrs(tx, BENCH_TENANT_ID, ids);
          const parts: Buffer[] = [head];
          for (const [i, h] of heads.entries()) parts.push(...(i ? [comma] : []), fragments.get(h.id)!);
          parts.push(tail);
          return Buffer.concat(parts);
        }),
      );
    }

    // Warm every stage up (JIT, statement cache, page cache), then measure them in turns.
    for (const s of stages) for (const fn of s.byCase.values()) for (let i = 0; i < 300; i++) await fn();
    const best = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of stages) {
        for (const [caseName, fn] of s.byCase) {
          const key = `${s.label}|${caseName}`;
          best.set(key, Math.min(best.get(key) ?? Infinity, await timeOnce(fn, ROUND_MS)));
        }
      }
    }

    const sqlite = direct.prepare('SELECT sqlite_version()').pluck().get() as string;
    process.stdout.write(`node ${process.version}, SQLite ${sqlite}; µs per call, fastest of ${ROUNDS} rounds\n\n`);
    const names = Object.keys(cases);
    const w = Math.max(...stages.map((s) => s.label.length));
    process.stdout.write(`${'stage'.padEnd(w)}  ${names.map((n) => n.padStart(8)).join('  ')}\n`);
    for (const s of stages) {
      const cells = names.map((n) => best.get(`${s.label}|${n}`)!.toFixed(1).padStart(8));
      process.stdout.write(`${s.label.padEnd(w)}  ${cells.join('  ')}\n`);
    }
    direct.close();
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
