// Crash safety: a write workload through the official SDK (v2 objectives, key results, scores and weights; v1 image
// uploads and progress records with those images) while the real `okrd serve` is killed with SIGKILL at random
// moments, OKRD_CRASH_KILLS times (20 by default) on the same database, restarting it each time. Afterwards every
// write that was answered with code 0 is there as answered, nothing is half-written (derived progress fields and
// `*_last_updated_time` agree with the records, weights sum to 1, every image row has its whole file and every
// acknowledged image is served byte for byte), and no request was ever answered with a 5xx.
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { after, describe, it } from 'node:test';
import type * as lark from '@larksuiteoapi/node-sdk';
import { DEMO_TENANT_ID, demoTenantDocument } from '../../src/demo/demo-tenant.js';
import { ImageService } from '../../src/services/image.service.js';
import { TransferService } from '../../src/services/transfer.service.js';
import type { Db } from '../../src/store/db.js';
import { PNG } from '../fixtures/images.js';
import {
  cliDatabase,
  freePort,
  killOkrdChildren,
  okrdEnv,
  startOkrd,
  waitUntilServing,
  type CliDatabase,
} from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';
import { sdkClient } from '../helpers/sdk.js';

after(killOkrdChildren);

// Starting okrd under tsx takes a second on a quiet machine and far longer on a loaded one.
const STARTUP_MS = 90_000;

const KILLS = Number(process.env.OKRD_CRASH_KILLS ?? 20);
// Three demo OKRs (v2 cycles) of different people: one writer each, so writes to one target never race.
const CYCLES = ['7100000000000000026', '7100000000000000039', '7100000000000000049'];

/** A valid PNG of `PNG`'s pixel with a tEXt chunk of random text: unique bytes, tens to hundreds of KB. */
function uniquePng(): Buffer {
  const data = Buffer.concat([
    Buffer.from('okrd\0'),
    Buffer.from(randomBytes(randomInt(10_000, 100_000)).toString('hex')),
  ]);
  const type = Buffer.from('tEXt');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
  // Signature and IHDR (33 bytes), then the text, then IDAT and IEND.
  return Buffer.concat([PNG.subarray(0, 33), head, type, data, crc, PNG.subarray(33)]);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const v2Text = (s: string) => ({
  blocks: [
    {
      block_element_type: 'paragraph' as const,
      paragraph: { elements: [{ paragraph_element_type: 'textRun' as const, text_run: { text: s } }] },
    },
  ],
});

/** A value written with code 0, and the values attempted since without an answer (any of them may have landed). */
interface Tracked<T> {
  acked: T | undefined;
  since: T[];
}
const attempt = <T>(t: Tracked<T>, v: T) => t.since.push(v);
const ack = <T>(t: Tracked<T>, v: T) => {
  t.acked = v;
  t.since = [];
};
const possible = <T>(t: Tracked<T>): T[] => [...(t.acked === undefined ? [] : [t.acked]), ...t.since];

/** What the clients were told, to hold the database to afterwards. */
interface Ledger {
  objectives: Map<string, { cycle: string; text: string }>;
  keyResults: Map<string, { objective: string; text: string }>;
  scores: Map<string, Tracked<number>>;
  /** Per cycle: the acknowledged weights, while no create attempted since could have changed them. */
  weights: Map<string, Map<string, number> | undefined>;
  images: Map<string, { sha: string; size: number; url: string }>;
  records: Map<string, { target: string; tokens: string[]; rate: Tracked<string> }>;
  /** Answers by HTTP status and code; any 5xx fails the test. */
  answers: Map<string, number>;
  acked: number;
}

/** The HTTP status of a call the SDK rejected, or undefined when there was no answer (killed server). */
function statusOf(err: unknown): number | undefined {
  return (err as { response?: { status?: number } }).response?.status;
}

/** One writer: works on its cycle until `stopped()`; every answer is recorded, every code 0 goes into the ledger. */
async function writer(client: lark.Client, cycle: string, ledger: Ledger, stopped: () => boolean): Promise<void> {
  const call = async <T extends { code?: number }>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    if (stopped()) return undefined;
    try {
      const res = await fn();
      const key = `${name} 200 ${res?.code ?? 'data'}`;
      ledger.answers.set(key, (ledger.answers.get(key) ?? 0) + 1);
      if (res?.code !== undefined && res.code !== 0) return undefined;
      ledger.acked++;
      return res;
    } catch (err) {
      const status = statusOf(err);
      if (status !== undefined) {
        const key = `${name} ${status}`;
        ledger.answers.set(key, (ledger.answers.get(key) ?? 0) + 1);
      }
      return undefined;
    }
  };
  const mine = () => [...ledger.objectives].filter(([, o]) => o.cycle === cycle).map(([id]) => id);
  const krsOf = (objective: string) =>
    [...ledger.keyResults].filter(([, k]) => k.objective === objective).map(([id]) => id);
  const pick = <T>(xs: readonly T[]): T | undefined => xs[randomInt(xs.length || 1)];

  while (!stopped()) {
    // An objective (the cycle's weights make room for it).
    if (mine().length < 4) {
      const text = `objective ${randomBytes(6).toString('hex')}`;
      ledger.weights.set(cycle, undefined);
      const res = await call('objective create', () =>
        client.okr.v2.okrCycleObjective.create({ path: { cycle_id: cycle }, data: { content: v2Text(text) } }),
      );
      if (res) ledger.objectives.set(res.data!.objective_id!, { cycle, text });
    }
    const objective = pick(mine());
    if (!objective) continue;
    // A key result.
    if (krsOf(objective).length < 3) {
      const text = `key result ${randomBytes(6).toString('hex')}`;
      const res = await call('key result create', () =>
        client.okr.v2.okrObjectiveKeyResult.create({
          path: { objective_id: objective },
          data: { content: v2Text(text) },
        }),
      );
      if (res) ledger.keyResults.set(res.data!.key_result_id!, { objective, text });
    }
    // A score.
    const kr = pick(krsOf(objective));
    if (kr) {
      const score = randomInt(101);
      const tracked = ledger.scores.get(kr) ?? { acked: undefined, since: [] };
      ledger.scores.set(kr, tracked);
      attempt(tracked, score);
      const res = await call('key result patch', () =>
        client.okr.v2.okrKeyResult.patch({ path: { key_result_id: kr }, data: { score: score / 100 } }),
      );
      if (res) ack(tracked, score);
    }
    // The cycle's weights: every objective it has now (some created without an answer), summing to 1.
    const listed = await call('objective list', () =>
      client.okr.v2.okrCycleObjective.list({ path: { cycle_id: cycle }, params: { page_size: 100 } }),
    );
    const ids = (listed?.data?.items ?? []).map((o) => o.id!);
    if (ids.length > 0) {
      const cuts = ids
        .slice(1)
        .map(() => randomInt(1001))
        .sort((x, y) => x - y);
      const bounds = [0, ...cuts, 1000];
      const milli = ids.map((_, i) => bounds[i + 1]! - bounds[i]!);
      ledger.weights.set(cycle, undefined);
      const res = await call('objective weights', () =>
        client.okr.v2.okrCycle.objectivesWeight({
          path: { cycle_id: cycle },
          data: { objective_weights: ids.map((id, i) => ({ objective_id: id, weight: milli[i]! / 1000 })) },
        }),
      );
      if (res) ledger.weights.set(cycle, new Map(ids.map((id, i) => [id, milli[i]!])));
    }
    // An image, then a progress record showing it, on the objective or the key result.
    const [target, targetType] = kr && randomInt(2) ? [kr, 3] : [objective, 2];
    const bytes = uniquePng();
    const image = await call('image upload', async () => {
      const data = await client.okr.image.upload({ data: { data: bytes, target_id: target, target_type: targetType } });
      return data ? { code: 0, data } : { code: -1 };
    });
    const token = image?.data?.file_token;
    if (token) ledger.images.set(token, { sha: sha(bytes), size: bytes.length, url: image.data!.url! });
    const percent = randomInt(10_001) / 100;
    const status = randomInt(-1, 3);
    const gallery = token ? [{ type: 'gallery' as const, gallery: { imageList: [{ fileToken: token }] } }] : [];
    const record = await call('progress record create', () =>
      client.okr.progressRecord.create({
        data: {
          source_title: 'crash test',
          source_url: 'https://example.com/crash',
          target_id: target,
          target_type: targetType,
          content: {
            blocks: [
              { type: 'paragraph', paragraph: { elements: [{ type: 'textRun', textRun: { text: 'p' } }] } },
              ...gallery,
            ],
          },
          progress_rate: { percent, status },
        },
      }),
    );
    if (record) {
      ledger.records.set(record.data!.progress_id!, {
        target,
        tokens: token ? [token] : [],
        rate: { acked: `${percent}/${status}`, since: [] },
      });
    }
    // A new progress rate on an earlier record.
    const earlier = pick([...ledger.records].filter(([, r]) => r.target === target || r.target === objective));
    if (earlier) {
      const [id, r] = earlier;
      const p = randomInt(10_001) / 100;
      const s = randomInt(-1, 3);
      attempt(r.rate, `${p}/${s}`);
      const res = await call('progress record update', () =>
        client.okr.progressRecord.update({
          path: { progress_id: id },
          data: {
            content: {
              blocks: [
                { type: 'paragraph', paragraph: { elements: [{ type: 'textRun', textRun: { text: 'q' } }] } },
                ...r.tokens.map((t) => ({ type: 'gallery' as const, gallery: { imageList: [{ fileToken: t }] } })),
              ],
            },
            progress_rate: { percent: p, status: s },
          },
        }),
      );
      if (res) ack(r.rate, `${p}/${s}`);
    }
  }
}

type Row = Record<string, string | number | null>;

/** Holds the database (and the image folder) to the ledger. */
async function checkDatabase(db: CliDatabase, imageDir: string, ledger: Ledger): Promise<void> {
  await db.use((d) =>
    d.read(async (tx) => {
      const inCycles = `okr_id IN (${CYCLES.map(() => '?').join(', ')})`;
      const objectives = await tx.all<Row>(`SELECT * FROM objectives WHERE ${inCycles}`, CYCLES);
      const keyResults = await tx.all<Row>(`SELECT * FROM key_results WHERE ${inCycles}`, CYCLES);
      const records = await tx.all<Row>(`SELECT * FROM progress_records WHERE ${inCycles}`, CYCLES);
      const images = await tx.all<Row>('SELECT * FROM images WHERE tenant_id = ?', [DEMO_TENANT_ID]);
      const byId = (rows: Row[]) => new Map(rows.map((r) => [String(r.id), r]));
      const objectiveRows = byId(objectives);
      const krRows = byId(keyResults);
      const recordRows = byId(records);

      for (const [id, o] of ledger.objectives) {
        const row = objectiveRows.get(id);
        assert.ok(row, `acknowledged objective ${id} is stored`);
        assert.equal(row.okr_id, o.cycle);
        assert.ok(String(row.content).includes(o.text), `objective ${id} has its content`);
      }
      for (const [id, k] of ledger.keyResults) {
        const row = krRows.get(id);
        assert.ok(row, `acknowledged key result ${id} is stored`);
        assert.equal(row.objective_id, k.objective);
        assert.ok(String(row.content).includes(k.text), `key result ${id} has its content`);
      }
      for (const [id, s] of ledger.scores) {
        if (s.acked === undefined && s.since.length === 0) continue;
        const stored = Number(krRows.get(id)?.score);
        // Never scored with an answer: the default 0 is possible too.
        const allowed = s.acked === undefined ? [0, ...s.since] : possible(s);
        assert.ok(allowed.includes(stored), `key result ${id} score ${stored} is one of ${allowed.join(', ')}`);
      }

      // Weights sum to 1 and positions run 1..n, per cycle and per objective.
      const groups = (rows: Row[], key: string) => {
        const m = new Map<string, Row[]>();
        for (const r of rows) m.set(String(r[key]), [...(m.get(String(r[key])) ?? []), r]);
        return m;
      };
      for (const [parent, rows] of [...groups(objectives, 'okr_id'), ...groups(keyResults, 'objective_id')]) {
        assert.equal(
          rows.reduce((sum, r) => sum + Number(r.weight_milli), 0),
          1000,
          `weights under ${parent} sum to 1`,
        );
        assert.deepEqual(
          rows.map((r) => Number(r.position)).sort((x, y) => x - y),
          rows.map((_, i) => i + 1),
          `positions under ${parent} run 1..n`,
        );
      }
      for (const [cycle, weights] of ledger.weights) {
        if (!weights) continue;
        for (const [id, milli] of weights) {
          assert.equal(Number(objectiveRows.get(id)?.weight_milli), milli, `acknowledged weight of ${id}`);
        }
        assert.equal(objectives.filter((o) => o.okr_id === cycle).length, weights.size);
      }

      // Progress records: acknowledged ones with their images and rates; each target's derived fields agree.
      for (const [id, r] of ledger.records) {
        const row = recordRows.get(id);
        assert.ok(row, `acknowledged progress record ${id} is stored`);
        assert.equal(row.target_id, r.target);
        for (const t of r.tokens) assert.ok(String(row.content).includes(t), `record ${id} shows image ${t}`);
        const rate = `${Number(row.progress_percent)}/${Number(row.progress_status)}`;
        assert.ok(
          possible(r.rate).includes(rate),
          `record ${id} rate ${rate} is one of ${possible(r.rate).join(', ')}`,
        );
      }
      for (const [target, rows] of groups(records, 'target_id')) {
        const t = objectiveRows.get(target) ?? krRows.get(target);
        assert.ok(t, `the target of records, ${target}, exists`);
        const latest = Math.max(...rows.map((r) => Number(r.modify_time)));
        const newest = rows.filter((r) => Number(r.modify_time) === latest);
        assert.equal(
          Number(t.progress_record_last_updated_time),
          latest,
          `${target} progress_record_last_updated_time`,
        );
        assert.equal(Number(t.progress_rate_percent_last_updated_time), latest);
        assert.equal(Number(t.progress_rate_status_last_updated_time), latest);
        assert.ok(
          newest.some((r) => Number(r.progress_percent) === Number(t.progress_percent)),
          `${target} progress percent is its newest record's`,
        );
        assert.ok(newest.some((r) => Number(r.progress_status) === Number(t.progress_status)));
      }

      // Images: every acknowledged upload is stored whole; every stored row has its whole file.
      const imageRows = new Map(images.map((r) => [String(r.file_token), r]));
      for (const [token, img] of ledger.images) {
        assert.ok(imageRows.has(token), `acknowledged image ${token} is stored`);
        assert.equal(sha(readFileSync(join(imageDir, token))), img.sha, `image ${token} bytes`);
      }
      for (const [token, row] of imageRows) {
        assert.equal(statSync(join(imageDir, token)).size, Number(row.size), `image ${token} is whole on disk`);
      }
      const files = readdirSync(imageDir);
      const leftovers = files.filter((f) => !imageRows.has(f));
      // Uploads killed before their row committed leave a file (or a .part) that nothing refers to or serves.
      for (const f of leftovers) assert.match(f, /^box[\w-]+(\.part)?$/);
      process.stdout.write(
        `# ${ledger.acked} acknowledged writes; ${imageRows.size} image rows; ${leftovers.length} unreferenced files\n`,
      );
    }),
  );
}

for (const dialect of DIALECTS) {
  describe(`acknowledged writes survive SIGKILL at random moments [${dialect}]`, () => {
    it(`${KILLS} kills during an SDK write workload lose nothing and half-write nothing`, async () => {
      const db = await cliDatabase(dialect);
      await db.use((d) => new TransferService(d).importTenant(demoTenantDocument()));
      const imageDir = mkdtempSync(join(tmpdir(), 'okrd-crash-images-'));
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = okrdEnv(db.url, { PORT: String(port), IMAGE_DIR: imageDir, RATE_LIMIT_PER_MINUTE: '0' });
      const ledger: Ledger = {
        objectives: new Map(),
        keyResults: new Map(),
        scores: new Map(),
        weights: new Map(),
        images: new Map(),
        records: new Map(),
        answers: new Map(),
        acked: 0,
      };
      const clients = CYCLES.map(() => sdkClient(base));
      try {
        for (let kill = 0; kill < KILLS; kill++) {
          const t0 = Date.now();
          const server = startOkrd(['serve'], env);
          await waitUntilServing(server, `${base}/healthz`, STARTUP_MS);
          if (process.env.OKRD_CRASH_DEBUG) process.stdout.write(`# started in ${Date.now() - t0} ms\n`);
          let stopped = false;
          const writers = CYCLES.map((cycle, i) => writer(clients[i]!, cycle, ledger, () => stopped));
          await new Promise((r) => setTimeout(r, randomInt(150, 1000)));
          server.child.kill('SIGKILL');
          const ended = await server.exited;
          assert.equal(ended.signal, 'SIGKILL');
          stopped = true;
          await Promise.all(writers);
        }
        const fivexx = [...ledger.answers].filter(([k]) => / 5\d\d$/.test(k));
        assert.deepEqual(fivexx, [], 'no request was answered with a 5xx');
        assert.ok(ledger.objectives.size > 0 && ledger.records.size > 0 && ledger.images.size > 0, 'work was done');
        await checkDatabase(db, imageDir, ledger);

        // The purge deletes what crashed uploads left, once old enough, and nothing else.
        const rows = await db.use((d) =>
          d.read((tx) =>
            tx.all<{ file_token: string }>('SELECT file_token FROM images WHERE tenant_id = ?', [DEMO_TENANT_ID]),
          ),
        );
        const leftovers = readdirSync(imageDir).length - rows.length;
        const images = (d: Db) =>
          new ImageService(d, Date.now, { imageDir, imageMaxBytes: 1 << 24, imageUrlTtlSeconds: 60 });
        assert.equal(await db.use((d) => images(d).removeOrphans()), 0, 'young files are left alone');
        assert.equal(await db.use((d) => images(d).removeOrphans(Date.now() + 2 * 3600_000)), leftovers);
        assert.deepEqual(readdirSync(imageDir).sort(), rows.map((r) => r.file_token).sort());

        // Served after a last restart: every acknowledged image, byte for byte, through the URL it was given.
        const server = startOkrd(['serve'], env);
        try {
          await waitUntilServing(server, `${base}/healthz`, STARTUP_MS);
          for (const [token, img] of ledger.images) {
            const res = await fetch(img.url);
            assert.equal(res.status, 200, `image ${token} is served`);
            assert.equal(sha(Buffer.from(await res.arrayBuffer())), img.sha);
          }
        } finally {
          server.child.kill('SIGTERM');
          await server.exited;
        }
      } finally {
        rmSync(imageDir, { recursive: true, force: true });
        await db.drop();
      }
    });
  });
}
