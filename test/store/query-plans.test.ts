/**
 * Every statement the hot requests run uses an index: no full scan of a table, so a request costs the same in a tenant
 * of 10,000 OKRs as in one of a million. The statements are not listed by hand: the test records what the server
 * really runs for each hot request (v1 batch_get and user OKR list, v2 cycle/objective/key-result lists, progress
 * records, indicators, comments, alignments, periods, okrd's team and alignment-map views, a progress-record write,
 * token issue and verification, the database rate limit, the data-version check) on a generated tenant, then asks
 * each engine for its plan.
 * PostgreSQL is asked with sequential scans disabled: on small test tables its planner rightly prefers them, and
 * with them off it still picks a Seq Scan (or an index scan without a condition) only where no index fits.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { generateTenant, type GeneratedTenant } from '../../src/demo/generator.js';
import { sequentialIds } from '../../src/domain/ids.js';
import { buildApp } from '../../src/http/app.js';
import { buildServices } from '../../src/services/index.js';
import type { Db, Param, Tx } from '../../src/store/db.js';
import { DIALECTS, freshDb } from '../helpers/db.js';

interface Recorded {
  sql: string;
  params: readonly Param[];
  request: string;
}

/** `db` recording every statement (first parameters seen) under the name of the request being made. */
function recordingDb(db: Db, seen: Map<string, Recorded>, current: { request: string }): Db {
  const wrap = (tx: Tx): Tx => {
    const note = (sql: string, params: readonly Param[]) => {
      if (!seen.has(sql)) seen.set(sql, { sql, params, request: current.request });
    };
    return {
      dialect: tx.dialect,
      all: (sql, params = []) => (note(sql, params), tx.all(sql, params)),
      get: (sql, params = []) => (note(sql, params), tx.get(sql, params)),
      run: (sql, params = []) => (note(sql, params), tx.run(sql, params)),
      exec: (sql) => tx.exec(sql),
    };
  };
  return {
    dialect: db.dialect,
    read: (fn) => db.read((tx) => fn(wrap(tx))),
    write: (fn) => db.write((tx) => fn(wrap(tx))),
    withForeignKeysOff: (fn) => db.withForeignKeysOff(fn),
    close: () => db.close(),
  };
}

/** The scans of a plan that read a whole table or a whole index (empty: every table is reached through an index). */
async function fullScans(db: Db, sql: string, params: readonly Param[]): Promise<string[]> {
  if (db.dialect === 'sqlite') {
    const { plan, tables } = await db.read(async (tx) => ({
      plan: await tx.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params),
      tables: new Set(
        (await tx.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((r) => r.name),
      ),
    }));
    // The plan names a table by its alias: map them back (`FROM okrs o`, `JOIN users AS u`).
    const aliases = new Map<string, string>();
    for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)(?:\s+(?:AS\s+)?([a-z_]+))?/gi)) {
      aliases.set(m[1]!, m[1]!);
      if (m[2]) aliases.set(m[2], m[1]!);
    }
    // "SCAN t", "SCAN t USING INDEX i" and "SCAN t USING COVERING INDEX i" visit every row; "SEARCH" uses a key.
    // A scan of a CTE (a recursive leader chain of a few rows), a subquery or a constant row reads no table.
    return plan
      .map((r) => r.detail)
      .filter((d) => {
        const name = /^SCAN (\w+)/.exec(d)?.[1];
        return name !== undefined && tables.has(aliases.get(name) ?? name);
      });
  }
  return db.read(async (tx) => {
    // Hash and merge joins are off too: on tables this small they read a whole index of the inner side in order,
    // which says nothing about whether a lookup index exists. A nested loop takes the index when there is one.
    await tx.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off');
    const [row] = await tx.all<{ 'QUERY PLAN': { Plan: PgPlan }[] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const bad: string[] = [];
    const walk = (node: PgPlan) => {
      const type = node['Node Type'];
      if (type === 'Seq Scan') bad.push(`Seq Scan on ${node['Relation Name']}`);
      if ((type === 'Index Scan' || type === 'Index Only Scan') && !node['Index Cond'])
        bad.push(`${type} of all of ${node['Index Name']}${node.Filter ? ` (filter ${node.Filter})` : ''}`);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(row!['QUERY PLAN'][0]!.Plan);
    return bad;
  });
}

/**
 * `n` more tenants, each with an app and four periods: a server holds many, and with a single row in `tenants` or
 * `apps` PostgreSQL rightly reads the whole (one-row) table instead of looking a key up.
 */
async function addOtherTenants(db: Db, n: number): Promise<void> {
  const upTo = `WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})`;
  await db.write(async (tx) => {
    await tx.run(`${upTo} INSERT INTO tenants (id, name, created_at) SELECT 'other-' || i, 'other', 0 FROM n`);
    await tx.run(`${upTo} INSERT INTO apps (app_id, tenant_id, name, secret_hash, scopes, created_at)
      SELECT 'cli_other_' || i, 'other-' || i, 'other', 'x$y', '', 0 FROM n`);
    for (const month of ['01', '04', '07', '10'])
      await tx.run(`${upTo} INSERT INTO periods (id, tenant_id, zh_name, en_name, start_month, end_month, period_start_time,
          period_end_time, created_at, updated_at)
        SELECT 'other-${month}-' || i, 'other-' || i, '', '', '2026-${month}', '2026-${month}', 0, 0, 0, 0 FROM n`);
  });
  if (db.dialect === 'postgres') await db.write((tx) => tx.exec('ANALYZE'));
}

interface PgPlan {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PgPlan[];
}

for (const dialect of DIALECTS) {
  describe(`query plans of the hot requests [${dialect}]`, () => {
    let app: FastifyInstance;
    let raw: Db;
    let drop: () => Promise<void>;
    let imageDir: string;
    let gen: GeneratedTenant;
    const seen = new Map<string, Recorded>();
    const current = { request: 'setup' };

    before(async () => {
      const fresh = await freshDb(dialect);
      raw = fresh.db;
      drop = fresh.drop;
      imageDir = await mkdtemp(join(tmpdir(), 'okrd-plans-'));
      gen = await generateTenant(raw, { okrs: 400, seed: 3, imageDir });
      await addOtherTenants(raw, 2_000);
      const clock = () => Date.UTC(2026, 4, 1);
      const deps = {
        // The database rate limit, so its statement is among those checked.
        config: { logLevel: 'silent' as const, imageDir, rateLimitStore: 'database' as const },
        db: recordingDb(raw, seen, current),
        clock,
        ids: sequentialIds(8_100_000_000_000_000_001n),
      };
      app = await buildApp({ ...deps, services: buildServices(deps), logger: false });

      const call = async (name: string, method: 'GET' | 'POST', url: string, token?: string, payload?: object) => {
        current.request = name;
        const res = await app.inject({
          method,
          url,
          ...(payload ? { payload } : {}),
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        assert.equal(res.statusCode, 200, `${name}: ${res.body}`);
        return res.json();
      };
      const tenantToken = (
        await call('token issue', 'POST', '/open-apis/auth/v3/tenant_access_token/internal', undefined, {
          app_id: gen.appId,
          app_secret: gen.appSecret,
        })
      ).tenant_access_token as string;
      const services = buildServices(deps);
      const userToken = (await services.auth.issueUserToken(gen.tenantId, gen.appId, gen.hidden.leaderRef, 3600)).token;
      const q = (ids: string[]) => ids.map((id) => `okr_ids=${id}`).join('&');
      const batch = `/open-apis/okr/v1/okrs/batch_get?${q(gen.sampleOkrIds)}`;
      await call('batch_get (rendered)', 'GET', batch, tenantToken);
      await call('batch_get (cached)', 'GET', batch, tenantToken);
      await call(
        'batch_get as a leader',
        'GET',
        `/open-apis/okr/v1/okrs/batch_get?okr_ids=${gen.hidden.okrId}`,
        userToken,
      );
      const [head] = (
        await call(
          'batch_get of one',
          'GET',
          `/open-apis/okr/v1/okrs/batch_get?okr_ids=${gen.sampleOkrIds[0]}`,
          tenantToken,
        )
      ).data.okr_list;
      const owner = (await raw.read((tx) =>
        tx.get<{ open_id: string }>(
          'SELECT a.open_id FROM okrs o JOIN app_users a ON a.user_ref = o.owner_id WHERE o.id = ?',
          [head.id],
        ),
      ))!.open_id;
      await call('user OKR list', 'GET', `/open-apis/okr/v1/users/${owner}/okrs?offset=0&limit=10`, tenantToken);
      await call(
        'user OKR list of periods',
        'GET',
        `/open-apis/okr/v1/users/${owner}/okrs?offset=0&limit=10&period_ids=${gen.periodIds[1]}`,
        tenantToken,
      );
      await call('v2 cycles', 'GET', `/open-apis/okr/v2/cycles?user_id=${owner}&page_size=10`, tenantToken);
      await call(
        'v2 objectives',
        'GET',
        `/open-apis/okr/v2/cycles/${gen.bigCycle.id}/objectives?page_size=100`,
        tenantToken,
      );
      const objective = head.objective_list[0];
      const kr = objective.kr_list[0];
      await call('v2 key results', 'GET', `/open-apis/okr/v2/objectives/${objective.id}/key_results`, tenantToken);
      await call(
        'v2 objective progresses',
        'GET',
        `/open-apis/okr/v2/objectives/${objective.id}/progresses`,
        tenantToken,
      );
      await call('v2 key result indicators', 'GET', `/open-apis/okr/v2/key_results/${kr.id}/indicators`, tenantToken);
      await call('v2 alignments', 'GET', `/open-apis/okr/v2/objectives/${objective.id}/alignments`, tenantToken);
      await call(
        'v2 comments',
        'GET',
        `/open-apis/okr/v2/comments?target_type=objective&target_id=${objective.id}&page_size=20`,
        tenantToken,
      );
      const team = (await raw.read((tx) =>
        tx.get<{ open_department_id: string }>(
          'SELECT d.open_department_id FROM okrs o JOIN departments d ON d.id = o.department_id WHERE o.id = ?',
          [gen.teamOkrId],
        ),
      ))!.open_department_id;
      const teamCycles = `/open-apis/okr/v2/cycles?department_id=${team}&department_id_type=open_department_id`;
      await call('v2 team cycles', 'GET', teamCycles, tenantToken);
      await call('v2 team cycles as a leader', 'GET', teamCycles, userToken);
      await call(
        'v2 team objectives as a leader',
        'GET',
        `/open-apis/okr/v2/cycles/${gen.teamOkrId}/objectives`,
        userToken,
      );
      const [period] = gen.periodIds;
      await call('okrd team view', 'GET', `/okrd/api/team?period_id=${period}`, userToken);
      await call('okrd alignment map', 'GET', `/okrd/api/alignment_map?period_id=${period}`, userToken);
      const { department_id } = (await raw.read((tx) =>
        tx.get<{ department_id: string }>('SELECT department_id FROM departments WHERE open_department_id = ?', [team]),
      ))!;
      await call(
        'okrd alignment map of a department',
        'GET',
        `/okrd/api/alignment_map?period_id=${period}&department_id=${department_id}`,
        userToken,
      );
      await call('periods', 'GET', '/open-apis/okr/v1/periods?page_size=10', tenantToken);
      await call(
        'progress record get',
        'GET',
        `/open-apis/okr/v1/progress_records/${gen.images[0]!.progressRecordId}`,
        tenantToken,
      );
      await call('progress record create', 'POST', '/open-apis/okr/v1/progress_records', tenantToken, {
        source_title: 'plans',
        source_url: 'https://okrd.example.com/plans',
        target_id: kr.id,
        target_type: 3,
        content: {
          blocks: [{ type: 'paragraph', paragraph: { elements: [{ type: 'textRun', textRun: { text: 'x' } }] } }],
        },
        progress_rate: { percent: 50, status: 0 },
      });
    });
    after(async () => {
      await app?.close();
      await drop?.();
      await rm(imageDir, { recursive: true, force: true });
    });

    it('runs no statement that scans a whole table', async () => {
      assert.ok(seen.size >= 25, `only ${seen.size} statements recorded`);
      const failures: string[] = [];
      for (const { sql, params, request } of seen.values()) {
        const scans = await fullScans(raw, sql, params);
        if (scans.length > 0)
          failures.push(`${request}: ${scans.join('; ')}\n  ${sql.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
      assert.deepEqual(failures, []);
      process.stdout.write(`# ${seen.size} statements checked\n`);
    });
  });
}
