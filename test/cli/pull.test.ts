// `okrd pull` against a real source okrd process (the demo tenant plus an uploaded image): the copy answers every
// read exactly as the source does; a pull killed halfway resumes; changes at the source (new, edited, deleted) follow
// on the next pull; and a hostile source (slow, rate-limited, failing, dropping connections) still yields the copy.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_APP_ID, DEMO_APP_SECRET } from '../../src/demo/demo-tenant.js';
import { generateTenant } from '../../src/demo/generator.js';
import { solidPng } from '../../src/demo/png.js';
import { snowflakeIds } from '../../src/domain/ids.js';
import { buildServices } from '../../src/services/index.js';
import {
  cliDatabase,
  killOkrdChildren,
  okrdEnv,
  runOkrd,
  startOkrd,
  type CliDatabase,
  type OkrdProcess,
} from '../helpers/cli.js';
import { DIALECTS } from '../helpers/db.js';
import { hostileProxy } from '../helpers/hostile-proxy.js';

after(killOkrdChildren);

type Json = any;

/** An app's view of one okrd through the API. */
class Api {
  private token = '';
  constructor(
    readonly base: string,
    private readonly appId: string,
    private readonly secret: string,
  ) {}

  async call(
    method: string,
    path: string,
    query: Record<string, string | string[]> = {},
    body?: unknown,
  ): Promise<Json> {
    if (!this.token) {
      const res = await fetch(`${this.base}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: this.appId, app_secret: this.secret }),
      });
      const answer = (await res.json()) as Json;
      assert.equal(answer.code, 0, `token from ${this.base}: ${JSON.stringify(answer)}`);
      this.token = answer.tenant_access_token;
    }
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) for (const item of [v].flat()) qs.append(k, item);
    const res = await fetch(`${this.base}${path}?${qs}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Json;
    assert.equal(json.code, 0, `${method} ${path}: ${JSON.stringify(json)}`);
    return json.data ?? {};
  }

  async pages(path: string, query: Record<string, string> = {}): Promise<Json[]> {
    const items: Json[] = [];
    let token = '';
    do {
      const data = await this.call('GET', path, { ...query, page_size: '50', ...(token ? { page_token: token } : {}) });
      items.push(...(data.items ?? []));
      token = data.has_more ? data.page_token : '';
    } while (token);
    return items;
  }
}

const IDS = { user_id_type: 'union_id', department_id_type: 'department_id' };

/** Everything a client can read of the tenant, with open_ids (per app) replaced by union_ids. */
async function snapshot(api: Api): Promise<Json> {
  const departments = await api.pages('/open-apis/contact/v3/departments/0/children', { ...IDS, fetch_child: 'true' });
  departments.sort((a, b) => a.department_id.localeCompare(b.department_id));
  const people = new Map<string, Json>();
  const members = await Promise.all(
    ['0', ...departments.map((x) => x.department_id)].map((d) =>
      api.pages('/open-apis/contact/v3/users/find_by_department', { ...IDS, department_id: d }),
    ),
  );
  for (const u of members.flat()) people.set(u.union_id, u);
  const unionOf = new Map([...people.values()].map((u) => [u.open_id, u.union_id]));
  const users = [...people.values()].sort((a, b) => a.union_id.localeCompare(b.union_id));
  const periods = await api.pages('/open-apis/okr/v1/periods');
  const periodIds: string[] = periods.map((p) => p.id);
  const snap: Json = {
    departments,
    users,
    periods,
    rules: await api.call('GET', '/open-apis/okr/v1/period_rules'),
    categories: await api.pages('/open-apis/okr/v2/categories'),
    lists: {},
    cycles: {},
    okrs: [],
    objectives: {},
  };
  const visible = periodIds.filter((id) => periods.find((p) => p.id === id).status !== 3);
  const unions = users.map((u) => u.union_id as string);
  const reviewQueries = [];
  for (let i = 0; i < unions.length; i += 5) {
    for (let j = 0; j < visible.length; j += 5) {
      reviewQueries.push({
        user_ids: unions.slice(i, i + 5),
        period_ids: visible.slice(j, j + 5),
        user_id_type: 'union_id',
      });
    }
  }
  snap.reviews = (
    await Promise.all(reviewQueries.map((q) => api.call('GET', '/open-apis/okr/v1/reviews/query', q)))
  ).flatMap((r) => r.review_list);
  const cycleIds = new Set<string>();
  const owners: { user_id?: string; department_id?: string }[] = [
    ...users.map((u) => ({ user_id: u.union_id as string })),
    ...departments.map((d) => ({ department_id: d.department_id as string })),
  ];
  // Owners are read concurrently (objects compare regardless of key order, and lists keep theirs).
  await Promise.all(
    owners.map(async (owner) => {
      const cycles = await api.pages('/open-apis/okr/v2/cycles', { ...IDS, ...owner } as Record<string, string>);
      snap.cycles[JSON.stringify(owner)] = cycles;
      for (const c of cycles) cycleIds.add(c.id);
      if (owner.user_id) {
        snap.lists[owner.user_id] = await api.call('GET', `/open-apis/okr/v1/users/${owner.user_id}/okrs`, {
          user_id_type: 'union_id',
          offset: '0',
          limit: '10',
          period_ids: periodIds,
        });
      }
    }),
  );
  const ids = [...cycleIds].sort();
  const batches = await Promise.all(
    Array.from({ length: Math.ceil(ids.length / 10) }, (_, i) =>
      api.call('GET', '/open-apis/okr/v1/okrs/batch_get', {
        okr_ids: ids.slice(i * 10, i * 10 + 10),
        user_id_type: 'union_id',
      }),
    ),
  );
  snap.okrs = batches.flatMap((b) => b.okr_list);
  const comments = async (type: string, id: string) =>
    api.pages('/open-apis/okr/v2/comments', { target_type: type, target_id: id, user_id_type: 'union_id' });
  // Cycles and objectives are read concurrently (objects compare regardless of key order; lists keep theirs).
  await Promise.all(
    ids.map(async (cycleId) => {
      const objectives = await api.pages(`/open-apis/okr/v2/cycles/${cycleId}/objectives`, IDS);
      const detail = await Promise.all(
        objectives.map(async (o) => {
          const krs = await api.pages(`/open-apis/okr/v2/objectives/${o.id}/key_results`, IDS);
          const progress = await api.pages(`/open-apis/okr/v2/objectives/${o.id}/progresses`, IDS);
          return {
            o,
            indicator: await api.call('GET', `/open-apis/okr/v2/objectives/${o.id}/indicators`, IDS),
            alignments: await api.pages(`/open-apis/okr/v2/objectives/${o.id}/alignments`, IDS),
            progress,
            records: await Promise.all(
              progress.map((p) =>
                api.call('GET', `/open-apis/okr/v1/progress_records/${p.id}`, { user_id_type: 'union_id' }),
              ),
            ),
            comments: await comments('objective', o.id),
            krs: await Promise.all(
              krs.map(async (k) => ({
                k,
                indicator: await api.call('GET', `/open-apis/okr/v2/key_results/${k.id}/indicators`, IDS),
                progress: await api.pages(`/open-apis/okr/v2/key_results/${k.id}/progresses`, IDS),
                comments: await comments('key_result', k.id),
              })),
            ),
          };
        }),
      );
      snap.objectives[cycleId] = { detail, comments: await comments('cycle', cycleId) };
    }),
  );
  // open_ids differ per app (each side's app sees its own); union_ids are the person.
  return imagesFetched(
    api,
    JSON.parse(JSON.stringify(snap).replace(/ou_[0-9a-f]{32}/g, (id) => unionOf.get(id) ?? `unknown ${id}`)),
  );
}

/**
 * `snap` with every gallery image's src, which must be a URL on `api`'s own origin that answers the image, replaced by
 * the hash of the bytes it answers: each okrd signs its own URLs, the images must be the same.
 */
async function imagesFetched(api: Api, snap: Json): Promise<Json> {
  const images: Json[] = [];
  const walk = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (typeof v.src === 'string' && (v.fileToken ?? v.file_token) !== undefined) images.push(v);
      else Object.values(v).forEach(walk);
    }
  };
  walk(snap);
  const bytes = new Map<string, Promise<string>>();
  const hashOf = (src: string) =>
    fetch(src).then(async (res) => {
      assert.equal(res.status, 200, `GET ${src}`);
      return `sha256:${createHash('sha256')
        .update(Buffer.from(await res.arrayBuffer()))
        .digest('hex')}`;
    });
  for (const image of images) {
    assert.equal(new URL(image.src).origin, api.base, `${image.src} is not on ${api.base}`);
    if (!bytes.has(image.src)) bytes.set(image.src, hashOf(image.src));
    image.src = await bytes.get(image.src)!;
  }
  return snap;
}

/** Everyone the source lists, in any department or none. */
async function allPeople(api: Api): Promise<Json[]> {
  const departments = await api.pages('/open-apis/contact/v3/departments/0/children', { ...IDS, fetch_child: 'true' });
  const people = new Map<string, Json>();
  for (const d of ['0', ...departments.map((x) => x.department_id)]) {
    for (const u of await api.pages('/open-apis/contact/v3/users/find_by_department', { ...IDS, department_id: d })) {
      people.set(u.union_id, u);
    }
  }
  return [...people.values()];
}

/** A new app of the tenant with every scope, made in this process (`okrd app create` is tested once, below). */
function appOf(db: CliDatabase, tenantId: string): Promise<{ app_id: string; app_secret: string }> {
  return db.use((d) =>
    buildServices({ db: d, clock: Date.now, ids: snowflakeIds(Date.now, 1) }).admin.createApp(tenantId, 'app'),
  );
}

/** Waits until a pull into `db` has finished `n` units of work (or half a minute has passed). */
async function tasksWritten(db: CliDatabase, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const tasks = await db
      .use((d) => d.read((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pull_marks WHERE kind = 'task'")))
      .catch(() => undefined);
    if (Number(tasks?.n ?? 0) >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A pull run to its end (longer than runOkrd allows: a hostile source makes it slow), killed after 2 minutes. */
async function pullRun(args: string[], env: NodeJS.ProcessEnv) {
  const p = startOkrd(args, env);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 120_000);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Where a started okrd listens: it is given port 0 and logs the port it got (a port picked beforehand can be taken by
 * another process on a busy machine, and then the wrong server answers).
 */
async function listening(p: OkrdProcess): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(p.output().stdout);
    if (m) return m[1]!;
    if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`okrd did not start: ${p.output().stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A process serving `db`, and its base URL. */
async function serve(
  db: CliDatabase,
  command: 'serve' | 'demo' = 'serve',
  extra: Record<string, string> = {},
): Promise<{ p: OkrdProcess; url: string }> {
  const env = okrdEnv(db.url, { PORT: '0', LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0', ...extra });
  const p = startOkrd([command], env);
  return { p, url: await listening(p) };
}

for (const dialect of DIALECTS) {
  describe(`okrd pull [${dialect}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'okrd-pull-'));
    let sourceDb: CliDatabase;
    let source: { p: OkrdProcess; url: string };
    let sourceApi: Api;
    let imageToken = '';
    const image = solidPng(3, 2, [10, 200, 30]);
    const pullEnv = (db: CliDatabase, images: string) => okrdEnv(db.url, { IMAGE_DIR: join(dir, images) });
    const pullArgs = (from: string) => [
      'pull',
      '--from',
      from,
      '--app-id',
      DEMO_APP_ID,
      '--app-secret',
      DEMO_APP_SECRET,
      '--rate-limit',
      '0',
      '--json',
    ];

    before(async () => {
      sourceDb = await cliDatabase(dialect);
      source = await serve(sourceDb, 'demo', { IMAGE_DIR: join(dir, 'source-images') });
      sourceApi = new Api(source.url, DEMO_APP_ID, DEMO_APP_SECRET);
      // A progress record with an uploaded image in its gallery, on some objective.
      const people = await allPeople(sourceApi);
      let objectiveId = '';
      for (const u of people) {
        const cycles = await sourceApi.pages('/open-apis/okr/v2/cycles', { ...IDS, user_id: u.union_id });
        for (const c of cycles) {
          const os = await sourceApi.pages(`/open-apis/okr/v2/cycles/${c.id}/objectives`, IDS);
          if (os.length > 0) objectiveId = os[0].id;
        }
        if (objectiveId) break;
      }
      const form = new FormData();
      form.append('data', new Blob([new Uint8Array(image)]));
      form.append('target_id', objectiveId);
      form.append('target_type', '2');
      const token = (
        (await (
          await fetch(`${source.url}/open-apis/auth/v3/tenant_access_token/internal`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ app_id: DEMO_APP_ID, app_secret: DEMO_APP_SECRET }),
          })
        ).json()) as Json
      ).tenant_access_token;
      const up = (await (
        await fetch(`${source.url}/open-apis/okr/v1/images/upload`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: form,
        })
      ).json()) as Json;
      assert.equal(up.code, 0, JSON.stringify(up));
      imageToken = up.data.file_token;
      await sourceApi.call(
        'POST',
        '/open-apis/okr/v1/progress_records',
        {},
        {
          source_title: 'weekly',
          source_url: 'https://example.com/w',
          target_id: objectiveId,
          target_type: 2,
          progress_rate: { percent: 42.25, status: 1 },
          content: {
            blocks: [
              { type: 'paragraph', paragraph: { elements: [{ type: 'textRun', textRun: { text: 'shipped 🚀' } }] } },
              {
                type: 'gallery',
                gallery: { imageList: [{ fileToken: imageToken, src: up.data.url, width: 3, height: 2 }] },
              },
            ],
          },
        },
      );
    });

    after(async () => {
      source?.p.child.kill('SIGKILL');
      await sourceDb?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    // These only read the source, so they run together; the test that changes the source comes after them.
    describe('reading the source', { concurrency: true }, () => {
      it('a slow, rate-limiting, failing source, and Ctrl-C halfway, still give an identical copy', async () => {
        const target = await cliDatabase(dialect);
        const proxy = await hostileProxy(source.url, { delayMs: 5, rateLimitEvery: 97, failEvery: 29, dropEvery: 31 });
        let targetServer: { p: OkrdProcess; url: string } | undefined;
        try {
          // Ctrl-C once some owners' OKRs are written: it stops at once, saying how to go on.
          const first = startOkrd(pullArgs(proxy.url), pullEnv(target, 'hostile-images'));
          await tasksWritten(target, 3);
          const sent = Date.now();
          first.child.kill('SIGINT');
          const interrupted = await first.exited;
          assert.equal(interrupted.code, 130, `${interrupted.stdout}${interrupted.stderr}`);
          assert.ok(Date.now() - sent < 5_000, 'it stopped at once');
          assert.match(interrupted.stderr, /okrd pull: interrupted; run the same command again to resume/);
          assert.equal(interrupted.stdout, '', 'no summary of an unfinished pull');

          const res = await pullRun(pullArgs(proxy.url), pullEnv(target, 'hostile-images'));
          assert.equal(res.code, 0, res.stderr);
          const summary = JSON.parse(res.stdout);
          assert.equal(summary.resumed, true);
          const seen = JSON.stringify({ proxy: proxy.stats, pull: summary.requests });
          assert.ok(proxy.stats.limited > 0 && proxy.stats.failed > 0 && proxy.stats.dropped > 0, seen);
          assert.ok(summary.requests.rate_limited > 0 && summary.requests.retries > 0, seen);
          const created = await appOf(target, summary.tenant_id);
          targetServer = await serve(target, 'serve', { IMAGE_DIR: join(dir, 'hostile-images') });
          const targetApi = new Api(targetServer.url, created.app_id, created.app_secret);
          assert.deepEqual(await snapshot(targetApi), await snapshot(sourceApi));
        } finally {
          targetServer?.p.child.kill('SIGKILL');
          await proxy.close();
          await target.drop();
        }
      });

      it('--periods copies only those periods; OKRs the app may not read are reported, in text and --json', async () => {
        const target = await cliDatabase(dialect);
        // The period holding most OKRs (of people and departments), and one of them that the app may not read.
        const byPeriod = new Map<string, string[]>();
        const departments = await sourceApi.pages('/open-apis/contact/v3/departments/0/children', {
          ...IDS,
          fetch_child: 'true',
        });
        const owners = [
          ...(await allPeople(sourceApi)).map((u) => ({ user_id: u.union_id as string })),
          ...departments.map((d) => ({ department_id: d.department_id as string })),
        ];
        for (const owner of owners) {
          for (const c of await sourceApi.pages('/open-apis/okr/v2/cycles', { ...IDS, ...owner })) {
            byPeriod.set(c.tenant_cycle_id, [...(byPeriod.get(c.tenant_cycle_id) ?? []), c.id]);
          }
        }
        const [periodId, okrIds] = [...byPeriod].sort((a, b) => b[1].length - a[1].length)[0]!;
        assert.ok(okrIds.length >= 2 && byPeriod.size >= 2, 'the source has more than one period and OKR');
        const unreadable = okrIds[0]!;
        const proxy = await hostileProxy(source.url, { unreadableOkrs: [unreadable] });
        const args = [...pullArgs(proxy.url).filter((a) => a !== '--json'), '--periods', periodId];
        try {
          const text = await pullRun(args, pullEnv(target, 'periods-images'));
          assert.equal(text.code, 0, text.stderr);
          assert.match(text.stdout, new RegExp(`1 OKRs the app may not read were not copied: ${unreadable}\n`));
          assert.match(text.stdout, /--periods: nothing was removed/);

          const again = await pullRun([...args, '--json'], pullEnv(target, 'periods-images'));
          assert.equal(again.code, 0, again.stderr);
          const summary = JSON.parse(again.stdout);
          assert.deepEqual(summary.unreadable_okrs, [unreadable]);
          assert.ok(summary.not_exposed.includes('--periods: nothing was removed'), 'said');
          const held = await target.use((db) =>
            db.read((tx) =>
              tx.all<{ id: string; period_id: string }>('SELECT id, period_id FROM okrs WHERE tenant_id = ?', [
                summary.tenant_id,
              ]),
            ),
          );
          assert.deepEqual(held.map((o) => o.id).sort(), okrIds.filter((id) => id !== unreadable).sort());
          assert.ok(
            held.every((o) => o.period_id === periodId),
            'only the period asked for',
          );
          assert.equal(summary.pulled.okrs, okrIds.length - 1);
        } finally {
          await proxy.close();
          await target.drop();
        }
      });
    });

    it('copies the tenant, resumes after kill -9, follows changes at the source', async () => {
      const target = await cliDatabase(dialect);
      let targetServer: { p: OkrdProcess; url: string } | undefined;
      const proxy = await hostileProxy(source.url, { delayMs: 15 });
      try {
        // Killed halfway: once some owners' OKRs are written.
        const first = startOkrd(pullArgs(proxy.url), pullEnv(target, 'target-images'));
        await tasksWritten(target, 3);
        first.child.kill('SIGKILL');
        const killed = await first.exited;
        assert.equal(killed.signal, 'SIGKILL', `the pull was still running: ${killed.stdout}${killed.stderr}`);

        const resumed = await pullRun(pullArgs(proxy.url), pullEnv(target, 'target-images'));
        assert.equal(resumed.code, 0, resumed.stderr);
        const summary = JSON.parse(resumed.stdout);
        assert.equal(summary.run, 1);
        assert.equal(summary.resumed, true);
        assert.equal(summary.pulled.images, 1);
        // assert.ok always with a message: without one, Node parses the transpiled test (one long line) to write it,
        // which takes minutes.
        assert.ok(
          summary.pulled.objectives > 10 &&
            summary.pulled.progress_records > 0 &&
            summary.pulled.comments > 0 &&
            summary.pulled.reviews > 0,
          JSON.stringify(summary.pulled),
        );
        assert.deepEqual(summary.unreadable_okrs, []);
        assert.ok(
          summary.not_exposed.some((n: string) => n.startsWith('visibility')),
          'visibility is said',
        );

        // The image is stored: its bytes under its token, its row in the database.
        assert.deepEqual(readFileSync(join(dir, 'target-images', imageToken)), image);
        const row = await target.use((db) =>
          db.read((tx) => tx.get<Json>('SELECT content_type, size FROM images WHERE file_token = ?', [imageToken])),
        );
        assert.deepEqual({ ...row, size: Number(row.size) }, { content_type: 'image/png', size: image.length });

        const created = await runOkrd(['app', 'create', '--tenant', summary.tenant_id], okrdEnv(target.url));
        assert.equal(created.code, 0, created.stderr);
        const app = JSON.parse(created.stdout);
        targetServer = await serve(target, 'serve', { IMAGE_DIR: join(dir, 'target-images') });
        const targetApi = new Api(targetServer.url, app.app_id, app.app_secret);
        assert.deepEqual(await snapshot(targetApi), await snapshot(sourceApi));

        // Change the source: a new objective, an edited key result, a deleted key result, a new progress record.
        const someone = (await allPeople(sourceApi))[0];
        const cycles = await sourceApi.pages('/open-apis/okr/v2/cycles', { ...IDS, user_id: someone.union_id });
        const newObjective = await sourceApi.call('POST', `/open-apis/okr/v2/cycles/${cycles[0].id}/objectives`, IDS, {
          content: {
            blocks: [
              {
                block_element_type: 'paragraph',
                paragraph: {
                  elements: [{ paragraph_element_type: 'textRun', text_run: { text: 'new at the source' } }],
                },
              },
            ],
          },
        });
        let krs: Json[] = [];
        for (const c of cycles) {
          for (const o of await sourceApi.pages(`/open-apis/okr/v2/cycles/${c.id}/objectives`, IDS)) {
            krs = await sourceApi.pages(`/open-apis/okr/v2/objectives/${o.id}/key_results`, IDS);
            if (krs.length >= 2) break;
          }
          if (krs.length >= 2) break;
        }
        assert.ok(krs.length >= 2, 'an objective with two key results');
        await sourceApi.call('PATCH', `/open-apis/okr/v2/key_results/${krs[0].id}`, IDS, { score: 0.7 });
        await sourceApi.call('DELETE', `/open-apis/okr/v2/key_results/${krs[1].id}`, IDS);

        const again = await pullRun(pullArgs(proxy.url), pullEnv(target, 'target-images'));
        assert.equal(again.code, 0, again.stderr);
        const second = JSON.parse(again.stdout);
        assert.equal(second.run, 2);
        assert.equal(second.resumed, false);
        assert.equal(second.tenant_id, summary.tenant_id, 'the same tenant, found by its source');
        assert.equal(second.removed.key_results, 1);
        assert.equal(second.pulled.objectives, summary.pulled.objectives + 1);
        assert.deepEqual(await snapshot(targetApi), await snapshot(sourceApi));
        const held = await target.use((db) =>
          db.read((tx) =>
            tx.get<Json>('SELECT COUNT(*) AS n FROM objectives WHERE id = ?', [newObjective.objective_id]),
          ),
        );
        assert.equal(Number(held.n), 1);

        // Another source into this tenant is refused, and writes nothing.
        const other = await runOkrd(
          ['pull', '--from', 'http://127.0.0.1:9', '--app-id', 'x', '--app-secret', 'y', '--tenant', summary.tenant_id],
          okrdEnv(target.url),
        );
        assert.equal(other.code, 1);
        assert.match(other.stderr, /was pulled from http:\/\/127\.0\.0\.1:\d+ as app cli_okrd_demo/);
      } finally {
        targetServer?.p.child.kill('SIGKILL');
        await proxy.close();
        await target.drop();
      }
    });
  });
}

// The generator's tenant (src/demo/generator.ts): a leader tree in departments, four periods, leader-only OKRs, a team
// OKR, a 100-objective cycle, images. SQLite only: the dialects are covered above, this is about the content (100 OKRs
// is the smallest tenant the generator makes with a leader-only OKR).
describe('okrd pull of a generated tenant [sqlite]', () => {
  it('copies everything a client can read; leader-only OKRs become tenant-visible, as the summary says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'okrd-pull-gen-'));
    const sourceDb = await cliDatabase('sqlite');
    const target = await cliDatabase('sqlite');
    const servers: OkrdProcess[] = [];
    try {
      const gen = await sourceDb.use((db) =>
        generateTenant(db, { okrs: 100, seed: 5, imageDir: join(dir, 'source-images') }),
      );
      const source = await serve(sourceDb, 'serve', { IMAGE_DIR: join(dir, 'source-images') });
      servers.push(source.p);
      const res = await pullRun(
        [
          'pull',
          '--from',
          source.url,
          '--app-id',
          gen.appId,
          '--app-secret',
          gen.appSecret,
          '--rate-limit',
          '0',
          '--json',
        ],
        okrdEnv(target.url, { IMAGE_DIR: join(dir, 'target-images') }),
      );
      assert.equal(res.code, 0, res.stderr);
      const summary = JSON.parse(res.stdout);
      assert.equal(summary.pulled.objectives, gen.rows.objectives);
      assert.equal(summary.pulled.key_results, gen.rows.key_results);
      assert.equal(summary.pulled.progress_records, gen.rows.progress_records);
      assert.equal(summary.pulled.comments, gen.rows.comments);
      assert.equal(summary.pulled.alignments, gen.rows.alignments);
      // The generator's galleries were written without a src: the source answers them with fresh URLs, which the
      // pull downloads from.
      assert.equal(summary.pulled.images, gen.images.length);
      assert.deepEqual(summary.images_failed, {});
      for (const image of gen.images) {
        assert.deepEqual(
          readFileSync(join(dir, 'target-images', image.fileToken)),
          readFileSync(join(dir, 'source-images', image.fileToken)),
        );
      }
      const visibility = await target.use((db) =>
        db.read((tx) => tx.get<Json>('SELECT visibility FROM okrs WHERE id = ?', [gen.hidden.okrId])),
      );
      assert.equal(visibility.visibility, 'tenant');

      // A tenant that holds data of its own is refused, and nothing is written to it.
      const refused = await runOkrd(
        ['pull', '--from', source.url, '--app-id', gen.appId, '--app-secret', gen.appSecret, '--tenant', gen.tenantId],
        okrdEnv(sourceDb.url),
      );
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /already holds people or OKRs: pull into an empty tenant/);
      const state = await sourceDb.use((db) => db.read((tx) => tx.get<Json>('SELECT COUNT(*) AS n FROM pull_sources')));
      assert.equal(Number(state.n), 0);
      const app = await appOf(target, summary.tenant_id);
      const copy = await serve(target, 'serve', { IMAGE_DIR: join(dir, 'target-images') });
      servers.push(copy.p);
      assert.deepEqual(
        await snapshot(new Api(copy.url, app.app_id, app.app_secret)),
        await snapshot(new Api(source.url, gen.appId, gen.appSecret)),
      );
    } finally {
      for (const p of servers) p.child.kill('SIGKILL');
      await sourceDb.drop();
      await target.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
