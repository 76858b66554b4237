// `okrd pull` against a real source okrd process (the demo tenant plus an uploaded image): the copy answers every
// read exactly as the source does; a pull killed halfway resumes; changes at the source (new, edited, deleted) follow
// on the next pull; and a hostile source (slow, rate-limited, failing, dropping connections) still yields the copy.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_APP_ID, DEMO_APP_SECRET } from '../../src/demo/demo-tenant.js';
import { generateTenant } from '../../src/demo/generator.js';
import { solidPng } from '../../src/demo/png.js';
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
  for (const d of ['0', ...departments.map((x) => x.department_id)]) {
    for (const u of await api.pages('/open-apis/contact/v3/users/find_by_department', { ...IDS, department_id: d })) {
      people.set(u.union_id, u);
    }
  }
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
  const cycleIds = new Set<string>();
  const owners: { user_id?: string; department_id?: string }[] = [
    ...users.map((u) => ({ user_id: u.union_id as string })),
    ...departments.map((d) => ({ department_id: d.department_id as string })),
  ];
  for (const owner of owners) {
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
  }
  const ids = [...cycleIds].sort();
  for (let i = 0; i < ids.length; i += 10) {
    snap.okrs.push(
      ...(
        await api.call('GET', '/open-apis/okr/v1/okrs/batch_get', {
          okr_ids: ids.slice(i, i + 10),
          user_id_type: 'union_id',
        })
      ).okr_list,
    );
  }
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
  return JSON.parse(JSON.stringify(snap).replace(/ou_[0-9a-f]{32}/g, (id) => unionOf.get(id) ?? `unknown ${id}`));
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

    it('copies the tenant, resumes after kill -9, follows changes at the source', async () => {
      const target = await cliDatabase(dialect);
      let targetServer: { p: OkrdProcess; url: string } | undefined;
      const proxy = await hostileProxy(source.url, { delayMs: 15 });
      try {
        // Killed halfway: once some owners' OKRs are written.
        const first = startOkrd(pullArgs(proxy.url), pullEnv(target, 'target-images'));
        for (let i = 0; i < 600; i++) {
          const tasks = await target
            .use((db) =>
              db.read((tx) => tx.get<{ n: number }>("SELECT COUNT(*) AS n FROM pull_marks WHERE kind = 'task'")),
            )
            .catch(() => undefined);
          if (Number(tasks?.n ?? 0) >= 3) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        first.child.kill('SIGKILL');
        const killed = await first.exited;
        assert.equal(killed.signal, 'SIGKILL', `the pull was still running: ${killed.stdout}${killed.stderr}`);

        const resumed = await pullRun(pullArgs(proxy.url), pullEnv(target, 'target-images'));
        assert.equal(resumed.code, 0, resumed.stderr);
        const summary = JSON.parse(resumed.stdout);
        assert.equal(summary.run, 1);
        assert.equal(summary.resumed, true);
        assert.equal(summary.pulled.images, 1);
        assert.ok(summary.pulled.objectives > 10 && summary.pulled.progress_records > 0 && summary.pulled.comments > 0);
        assert.deepEqual(summary.unreadable_okrs, []);
        assert.ok(summary.not_exposed.some((n: string) => n.startsWith('visibility')));

        // The image is stored: its bytes under its token, its row in the database.
        assert.deepEqual(readFileSync(join(dir, 'target-images', imageToken)), image);
        const row = await target.use((db) =>
          db.read((tx) => tx.get<Json>('SELECT content_type, size FROM images WHERE file_token = ?', [imageToken])),
        );
        assert.deepEqual({ ...row, size: Number(row.size) }, { content_type: 'image/png', size: image.length });

        const created = await runOkrd(['app', 'create', '--tenant', summary.tenant_id], okrdEnv(target.url));
        assert.equal(created.code, 0, created.stderr);
        const app = JSON.parse(created.stdout);
        targetServer = await serve(target);
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
        assert.ok(krs.length >= 2);
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

    it('a slow, rate-limiting, failing source still gives an identical copy', async () => {
      const target = await cliDatabase(dialect);
      const proxy = await hostileProxy(source.url, { delayMs: 5, rateLimitEvery: 40, failEvery: 13, dropEvery: 17 });
      let targetServer: { p: OkrdProcess; url: string } | undefined;
      try {
        const res = await pullRun(pullArgs(proxy.url), pullEnv(target, 'hostile-images'));
        assert.equal(res.code, 0, res.stderr);
        const summary = JSON.parse(res.stdout);
        assert.ok(proxy.stats.limited > 0 && proxy.stats.failed > 0 && proxy.stats.dropped > 0);
        assert.ok(summary.requests.rate_limited >= proxy.stats.limited - 1);
        assert.ok(summary.requests.retries > 0);
        const created = JSON.parse(
          (await runOkrd(['app', 'create', '--tenant', summary.tenant_id], okrdEnv(target.url))).stdout,
        );
        targetServer = await serve(target);
        const targetApi = new Api(targetServer.url, created.app_id, created.app_secret);
        assert.deepEqual(await snapshot(targetApi), await snapshot(sourceApi));
      } finally {
        targetServer?.p.child.kill('SIGKILL');
        await proxy.close();
        await target.drop();
      }
    });
  });
}

// The generator's tenant (src/demo/generator.ts): a leader tree in departments, four periods, leader-only OKRs, a team
// OKR, a 100-objective cycle, images. SQLite only: the dialects are covered above, this is about the content.
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
      // The generator's galleries carry no src URL, so there is nothing to download: said, not hidden.
      assert.deepEqual(Object.keys(summary.images_failed).sort(), gen.images.map((i) => i.fileToken).sort());
      assert.ok(Object.values(summary.images_failed).every((why) => why === 'the rich text gives no src'));
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
      const app = JSON.parse(
        (await runOkrd(['app', 'create', '--tenant', summary.tenant_id], okrdEnv(target.url))).stdout,
      );
      const copy = await serve(target);
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
