/**
 * `okrd pull` (decisions OQ-41): copies a tenant out of any Feishu-compatible server, through its public API only,
 * into a tenant of this okrd, keeping ids, times, scores, statuses and `*_last_updated_time` values.
 *
 * Phases: people (contact departments and users), periods (period rules, periods, v2 categories), OKRs (per owner:
 * the v1 user OKR list and batch_get, v2 cycles, objectives, key results and indicators), progress (per cycle: v2
 * progress records, alignments and comments), reviews (alongside progress), images (downloaded from the galleries, and
 * kept under their source tokens, so the copy signs its own URLs for them). People and periods are cheap
 * paged lists and are read again when a pull resumes; every other unit of work is marked finished in the target
 * database when its rows are written (one transaction each), so an interrupted pull skips what it already wrote.
 * When a run finishes, what earlier runs saw and this one did not is removed (people are deactivated).
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageParams } from '../contract/image.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { imageType } from '../domain/image-type.js';
import { fitsRule, formatMonth, type MonthIndex } from '../domain/period.js';
import type { Content } from '../domain/rich-text.js';
import { invalidParam, OkrdError } from '../errors.js';
import type { Db, Param } from '../store/db.js';
import { existingImageTokens } from '../store/progress-record.repository.js';
import {
  appIdsOf,
  departmentKeys,
  documentsWithImages,
  dropOtherIndicator,
  findPullSource,
  findPullSourceOf,
  mark,
  markCounts,
  markedIn,
  peopleKeys,
  progressPercentsOf,
  pulledCycles,
  PULLED_TABLES,
  recordRatesOf,
  savePullSource,
  setLeader,
  setMemberships,
  setProgressPercent,
  setUtcOffset,
  sweep,
  tenantHoldsData,
  unionIdsElsewhere,
  upsertPulled,
  type PullSourceRow,
} from '../store/pull.repository.js';
import { insertRow } from '../store/table.repository.js';
import { findTenant } from '../store/tenant.repository.js';
import { writeTenant, type TenantTx } from '../store/tenant-write.js';
import { addOpenId } from './admin.service.js';
import { SourceClient, SourceError, type SourceOptions, type SourceStats } from './pull-source.client.js';
import { toV2 } from './v2-rich-text.mapper.js';

/** The file tokens okrd's image URL serves (GET /okrd/images/:file_token). */
const FILE_TOKEN = new RegExp(ImageParams.properties.file_token.pattern!);

/** What to pull from where, into which tenant. */
export interface PullOptions extends Omit<SourceOptions, 'baseUrl'> {
  from: string;
  /** The target tenant; without it, the tenant pulled before from this source, else a new one. */
  tenantId?: string;
  /** Only these periods' OKRs (nothing is removed then). */
  periodIds?: readonly string[];
  imageDir: string;
  imageMaxBytes: number;
}

/** The phases, in order, as progress bars show them. */
export const PULL_PHASES = ['people', 'periods', 'okrs', 'progress', 'reviews', 'images'] as const;
export type PullPhase = (typeof PULL_PHASES)[number];

/** Told how far each phase is (the CLI draws bars). */
export interface PullReporter {
  start(phase: PullPhase, total: number): void;
  tick(phase: PullPhase): void;
}

/** The summary `okrd pull` prints (`--json`: as is; part of the stable CLI output, decisions OQ-43). */
export interface PullSummary {
  tenant_id: string;
  source: string;
  app_id: string;
  run: number;
  resumed: boolean;
  /** Rows of each kind the source holds and the tenant now holds. */
  pulled: Record<string, number>;
  /** Rows removed because the source no longer holds them (people: deactivated). */
  removed: Record<string, number>;
  /** OKRs the app may not read at the source (`permission: 0`): not copied. */
  unreadable_okrs: string[];
  /** Images whose download failed (file_token: reason); the rich text still names them. */
  images_failed: Record<string, string>;
  /** Things the source's API does not show, and what the copy holds instead. */
  not_exposed: string[];
  requests: SourceStats;
  seconds: number;
}

// Source answers, as far as the pull reads them.
type Json = Record<string, unknown>;
interface Page<T> {
  items?: T[];
  has_more?: boolean;
  page_token?: string;
}
interface WireUser {
  union_id: string;
  user_id?: string;
  name: string;
  en_name?: string;
  email?: string;
  mobile?: string;
  leader_user_id?: string;
  department_ids?: string[];
  status?: { is_resigned?: boolean };
}
interface WireDepartment {
  name: string;
  i18n_name?: { zh_cn?: string; en_us?: string };
  parent_department_id: string;
  department_id: string;
  open_department_id: string;
  leader_user_id?: string;
}
interface WirePeriod {
  id: string;
  zh_name: string;
  en_name: string;
  status: number;
  period_start_time: string;
  period_end_time: string;
}
interface WireRule {
  period_rule_id: string;
  type: 'month' | 'year';
  length: number;
  first_month: number;
}
interface V1Progressed {
  id: string;
  score?: number;
  progress_rate?: { percent?: number; status?: string };
  progress_rate_percent_last_updated_time?: string;
  progress_rate_status_last_updated_time?: string;
  progress_record_last_updated_time?: string;
  progress_report_last_updated_time?: string;
  score_last_updated_time?: string;
  deadline?: string;
}
interface V1Objective extends V1Progressed {
  permission?: number;
  content?: string;
  progress_report?: string;
  weight?: number;
  kr_list?: (V1Progressed & { content?: string; kr_weight?: number })[];
}
interface V1Okr {
  id: string;
  permission?: number;
  period_id?: string;
  confirm_status?: number;
  objective_list?: V1Objective[];
}
interface Owner {
  owner_type: 'user' | 'department';
  user_id?: string;
  department_id?: string;
}
interface WireCycle {
  id: string;
  create_time: string;
  update_time: string;
  tenant_cycle_id: string;
  owner: Owner;
}
interface WireObjective {
  id: string;
  create_time: string;
  update_time: string;
  position: number;
  content?: Json;
  notes?: Json;
  score?: number;
  weight?: number;
  deadline?: string;
  category_id?: string;
}
interface WireIndicator {
  id: string;
  create_time: string;
  update_time: string;
  indicator_status: number;
  status_calculate_type: number;
  start_value?: number;
  target_value?: number;
  current_value?: number;
  current_value_calculate_type?: number;
  unit?: { unit_type: number; unit_value: string };
}
interface WireProgress {
  id: string;
  create_time: string;
  update_time: string;
  entity_type: number;
  entity_id: string;
  content?: Json;
  progress_rate?: { progress_percent?: number; progress_status?: number };
}
interface WireAlignment {
  id: string;
  create_time: string;
  update_time: string;
  from_entity_id: string;
  to_entity_id: string;
}
interface WireComment {
  id: string;
  target: { target_type: 'cycle' | 'progress' | 'objective' | 'key_result'; target_id: string };
  commentator_id: string;
  status: 'open' | 'solved';
  create_time: string;
  update_time: string;
  content?: Json;
  solver_id?: string;
  solved_time?: string;
  ref_comment_id?: string;
  selection?: { id: string; selected_text?: string };
}

interface WireReviewDocument {
  url: string;
  create_time?: string;
}
interface WireUserReviews {
  /** `user_id` in the requested type: union_id. */
  user_id?: { open_id?: string; user_id?: string };
  review_period_list?: {
    period_id: string;
    cycle_review_list?: WireReviewDocument[];
    progress_report_list?: WireReviewDocument[];
  }[];
}

const IDS = { user_id_type: 'union_id', department_id_type: 'department_id' } as const;
const NOT_EXPOSED = [
  'visibility: not on the wire; every pulled OKR is visible to the whole tenant (decisions OQ-41)',
  'progress records: source_title and source_url are not readable; they read "okrd pull" and the source URL',
  'progress records: who wrote them is not readable (left unset)',
  "people: people_admin_id is not readable (a new one is made); without the source app's employee-id scope the " +
    'union_id stands in for the employee id',
  'people: deactivated (resigned) people are not listed by the contact API, nor are their OKRs',
  'periods and period rules, departments: creation times are not readable (the time of the first pull)',
  'OKRs in hidden periods: v2 does not read them; their text is copied from v1 (plain text, no rich text)',
  'reviews: only those of visible periods (reviews/query does not answer hidden ones)',
  'passwords, apps and sign-in settings are not on the wire and are not pulled',
];

// Stands for an unknown person while mentions are mapped (no id contains it).
const NOBODY = '\u0000nobody';
const ms = (s: string | undefined): number => (s === undefined || s === '' ? 0 : Number(s));
const json = (v: unknown): string => JSON.stringify(v ?? {});
const chunks = <T>(items: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / n) }, (_, i) => items.slice(i * n, i * n + n));

/** Runs `fn` on every item, at most `n` at a time. */
async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** The tenant's UTC offset and the month a period boundary starts: boundaries are local midnights of the 1st. */
function monthAt(time: number): { month: MonthIndex; offset: number } | undefined {
  const d = new Date(time + 14 * 3_600_000);
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const offset = (first - time) / 60_000;
  if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) return undefined;
  return { month: d.getUTCFullYear() * 12 + d.getUTCMonth(), offset };
}

/** Pulls tenants from Feishu-compatible sources. */
export class PullService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** Runs (or resumes) a pull; see the module comment. */
  async pull(options: PullOptions, reporter: PullReporter): Promise<PullSummary> {
    const started = this.clock();
    const from = options.from.replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]+/i.test(from)) throw invalidParam('from: must be an http(s) URL');
    const state = await this.prepare(from, options);
    const source = new SourceClient({ ...options, baseUrl: from });
    const run = new PullRun(this.db, this.clock, this.ids, source, state, options, reporter);
    const summary = await run.go();
    return { ...summary, resumed: state.finished_at === null && state.started_at < started };
  }

  /** The target tenant and its pull state: refused unless empty or pulled before from this source with this app. */
  private async prepare(from: string, options: PullOptions): Promise<PullSourceRow> {
    const now = this.clock();
    const before =
      options.tenantId === undefined
        ? await this.db.read((tx) => findPullSourceOf(tx, from, options.appId))
        : undefined;
    const id = options.tenantId ?? before?.tenant_id ?? this.ids();
    // A new tenant and its pull state are written together: a pull killed right after never leaves a tenant behind
    // that the next run would not find.
    const creating = options.tenantId === undefined && !before;
    return writeTenant(this.db, id, async (tx) => {
      if (creating) {
        await insertRow(tx, 'tenants', {
          id,
          name: `pulled from ${new URL(from).host}`,
          utc_offset_minutes: 480,
          created_at: now,
        });
      } else if (!(await findTenant(tx, id))) {
        throw new OkrdError(1001004, `tenant not found: ${id}`);
      }
      const prior = await findPullSource(tx, id);
      if (prior && (prior.source_url !== from || prior.app_id !== options.appId)) {
        throw invalidParam(
          `tenant ${id} was pulled from ${prior.source_url} as app ${prior.app_id}: pull from there, or into an empty tenant`,
        );
      }
      if (!prior && (await tenantHoldsData(tx, id))) {
        throw invalidParam(
          `tenant ${id} already holds people or OKRs: pull into an empty tenant (or leave out --tenant)`,
        );
      }
      // An unfinished run is resumed; a finished one is followed by the next.
      const state: PullSourceRow =
        prior && prior.finished_at === null
          ? prior
          : {
              tenant_id: id,
              source_url: from,
              app_id: options.appId,
              run: (prior?.run ?? 0) + 1,
              started_at: now,
              finished_at: null,
              summary: prior?.summary ?? null,
            };
      await savePullSource(tx, state);
      return state;
    });
  }
}

/** One run of a pull into one tenant. */
class PullRun {
  private readonly tenantId: string;
  private readonly run: number;
  private userRefs = new Map<string, string>(); // union_id → internal id
  private departmentRefs = new Map<string, string>(); // department_id → internal id
  private unions: string[] = [];
  private departments: string[] = [];
  private periods: WirePeriod[] = [];
  private readonly imagesFailed: Record<string, string> = {};
  private readonly concurrency = 4;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly source: SourceClient,
    private readonly state: PullSourceRow,
    private readonly options: PullOptions,
    private readonly reporter: PullReporter,
  ) {
    this.tenantId = state.tenant_id;
    this.run = state.run;
  }

  async go(): Promise<Omit<PullSummary, 'resumed'>> {
    const t0 = this.clock();
    await this.people();
    await this.periodsAndCategories();
    await this.okrs();
    // Reviews name only people and periods: they are read while the progress phase waits on its own endpoints.
    const [, reviews] = await Promise.all([this.progress(), this.reviews()]);
    await this.images();
    const limited = this.options.periodIds !== undefined;
    const summary = await writeTenant(this.db, this.tenantId, async (tx) => {
      const counts = await markCounts(tx, this.tenantId, this.run);
      const removed = limited ? {} : await sweep(tx, this.run);
      const pulled = Object.fromEntries(PULLED_TABLES.map((t) => [t, counts[t] ?? 0]));
      const s = {
        tenant_id: this.tenantId,
        source: this.state.source_url,
        app_id: this.state.app_id,
        run: this.run,
        pulled,
        removed,
        // Marked as they are met, so a resumed run still reports those that an interrupted one met.
        unreadable_okrs: [...(await markedIn(tx, this.tenantId, 'unreadable', this.run))].sort(),
        images_failed: this.imagesFailed,
        not_exposed: [...NOT_EXPOSED, ...reviews, ...(limited ? ['--periods: nothing was removed'] : [])],
        requests: this.source.stats,
      };
      await savePullSource(tx, { ...this.state, finished_at: this.clock(), summary: JSON.stringify(s) });
      return s;
    });
    return { ...summary, seconds: (this.clock() - t0) / 1000 };
  }

  /** Every page of a paged list. */
  private async all<T>(template: string, params: Record<string, string>, query: Record<string, Param | boolean>) {
    const items: T[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.source.get<Page<T>>(template, params, {
        ...(query as Record<string, string>),
        page_token: pageToken,
      });
      items.push(...(page.items ?? []));
      pageToken = page.has_more ? page.page_token : undefined;
    } while (pageToken);
    return items;
  }

  private write<T>(fn: (tx: TenantTx) => Promise<T>): Promise<T> {
    return writeTenant(this.db, this.tenantId, fn);
  }

  /** A task finished in this run (skipped when resuming). */
  private async doneTasks(): Promise<Set<string>> {
    return this.db.read((tx) => markedIn(tx, this.tenantId, 'task', this.run));
  }

  /** Rich text from the source (mentions as union_ids) in the stored form (internal ids). */
  private stored(doc: Json | undefined): string {
    const content = (doc ?? {}) as unknown as Content;
    // A person the source does not list (deactivated) stays a mention, of nobody: `{}`, as v1 stores a person without
    // an openId.
    const mapped = json(toV2(content, (union) => this.userRefs.get(union) ?? NOBODY));
    return mapped.replaceAll(`"mention":{"user_id":${JSON.stringify(NOBODY)}}`, '"mention":{}');
  }

  private async people(): Promise<void> {
    const departments = await this.all<WireDepartment>(
      '/open-apis/contact/v3/departments/:department_id/children',
      { department_id: '0' },
      { ...IDS, fetch_child: true, page_size: 50 },
    );
    // One step per department's people (and the root's), one for writing them.
    this.reporter.start('people', departments.length + 2);
    const users = new Map<string, WireUser>();
    await pool(['0', ...departments.map((d) => d.department_id)], this.concurrency, async (departmentId) => {
      const members = await this.all<WireUser>(
        '/open-apis/contact/v3/users/find_by_department',
        {},
        { ...IDS, department_id: departmentId, page_size: 50 },
      );
      for (const u of members) users.set(u.union_id, u);
      this.reporter.tick('people');
    });
    const now = this.clock();
    await this.write(async (tx) => {
      const elsewhere = await unionIdsElsewhere(tx, this.tenantId, [...users.keys()]);
      if (elsewhere.length > 0) {
        throw invalidParam(
          `people: ${elsewhere.length} people of the source (union_id ${elsewhere[0]}) are already in another tenant of ` +
            'this database: a source is pulled into one tenant only',
        );
      }
      const people = await peopleKeys(tx, this.tenantId);
      const byUnion = new Map(people.map((p) => [p.union_id, p]));
      const byEmployee = new Map(people.map((p) => [p.employee_id, p]));
      const apps = await appIdsOf(tx, this.tenantId);
      for (const u of users.values()) {
        const employeeId = u.user_id ?? u.union_id;
        const known = byUnion.get(u.union_id) ?? byEmployee.get(employeeId);
        const id = known?.id ?? this.ids();
        await upsertPulled(
          tx,
          'users',
          {
            id,
            tenant_id: this.tenantId,
            employee_id: employeeId,
            union_id: u.union_id,
            people_admin_id: known?.people_admin_id ?? this.ids(),
            name_zh: u.name,
            name_en: u.en_name ?? '',
            email: u.email ?? null,
            mobile: u.mobile ?? null,
            active: u.status?.is_resigned ? 0 : 1,
            created_at: now,
          },
          this.run,
          ['people_admin_id', 'created_at'],
        );
        if (!known) for (const app of apps) await addOpenId(tx, app, id);
        this.userRefs.set(u.union_id, id);
      }
      const existing = new Map((await departmentKeys(tx, this.tenantId)).map((d) => [d.department_id, d.id]));
      for (const d of departments)
        this.departmentRefs.set(d.department_id, existing.get(d.department_id) ?? this.ids());
      for (const d of departments) {
        await upsertPulled(
          tx,
          'departments',
          {
            id: this.departmentRefs.get(d.department_id)!,
            tenant_id: this.tenantId,
            department_id: d.department_id,
            open_department_id: d.open_department_id,
            name_zh: d.i18n_name?.zh_cn || d.name,
            name_en: d.i18n_name?.en_us ?? '',
            parent_id: this.departmentRefs.get(d.parent_department_id) ?? null,
            leader_id: (d.leader_user_id && this.userRefs.get(d.leader_user_id)) || null,
            created_at: now,
            updated_at: now,
          },
          this.run,
          ['created_at', 'updated_at'],
        );
      }
      for (const u of users.values()) {
        const ref = this.userRefs.get(u.union_id)!;
        await setLeader(tx, ref, (u.leader_user_id && this.userRefs.get(u.leader_user_id)) || null);
        const refs = (u.department_ids ?? []).flatMap((d) => this.departmentRefs.get(d) ?? []);
        await setMemberships(tx, ref, refs, now);
      }
    });
    this.reporter.tick('people');
    this.unions = [...users.keys()];
    this.departments = departments.map((d) => d.department_id);
  }

  private async periodsAndCategories(): Promise<void> {
    this.reporter.start('periods', 3);
    const tick = <T>(p: Promise<T>) => p.finally(() => this.reporter.tick('periods'));
    const [rules, periods, categories] = await Promise.all([
      tick(this.source.get<{ period_rules?: WireRule[] }>('/open-apis/okr/v1/period_rules', {})),
      tick(this.all<WirePeriod>('/open-apis/okr/v1/periods', {}, { page_size: 100 })),
      tick(this.all<Json>('/open-apis/okr/v2/categories', {}, { page_size: 100 })),
    ]);
    this.periods = periods;
    const now = this.clock();
    await this.write(async (tx) => {
      for (const r of rules.period_rules ?? []) {
        await upsertPulled(
          tx,
          'period_rules',
          {
            id: r.period_rule_id,
            tenant_id: this.tenantId,
            type: r.type,
            length: r.length,
            first_month: r.first_month,
            created_at: now,
          },
          this.run,
          ['created_at'],
        );
      }
      let offset: number | undefined;
      for (const p of periods) {
        const start = monthAt(ms(p.period_start_time));
        const end = monthAt(ms(p.period_end_time) + 1);
        if (!start || !end) throw new SourceError(-1, `period ${p.id}: its times are not month boundaries`);
        offset ??= start.offset;
        const length = end.month - start.month;
        const rule = (rules.period_rules ?? []).find(
          (r) => (r.type === 'year' ? 12 : r.length) === length && fitsRule(r, start.month),
        );
        await upsertPulled(
          tx,
          'periods',
          {
            id: p.id,
            tenant_id: this.tenantId,
            rule_id: rule?.period_rule_id ?? null,
            zh_name: p.zh_name,
            en_name: p.en_name,
            status: p.status,
            start_month: formatMonth(start.month),
            end_month: formatMonth(end.month - 1),
            period_start_time: ms(p.period_start_time),
            period_end_time: ms(p.period_end_time),
            created_at: now,
            updated_at: now,
          },
          this.run,
          ['created_at', 'updated_at'],
        );
      }
      if (offset !== undefined) await setUtcOffset(tx, offset);
      for (const c of categories) {
        const name = (c.name ?? {}) as { zh?: string; en?: string; ja?: string };
        await upsertPulled(
          tx,
          'categories',
          {
            id: String(c.id),
            tenant_id: this.tenantId,
            category_type: String(c.category_type),
            enabled: c.enabled ? 1 : 0,
            color: String(c.color),
            name_zh: name.zh ?? '',
            name_en: name.en ?? '',
            name_ja: name.ja ?? '',
            created_at: ms(c.create_time as string),
            updated_at: ms(c.update_time as string),
          },
          this.run,
        );
      }
    });
  }

  private periodIds(): string[] {
    const all = this.periods.map((p) => p.id);
    return this.options.periodIds ? all.filter((id) => this.options.periodIds!.includes(id)) : all;
  }

  private async okrs(): Promise<void> {
    const owners = [
      ...this.unions.map((u) => ({ key: `okrs:user:${u}`, user: u })),
      ...this.departments.map((d) => ({ key: `okrs:department:${d}`, department: d })),
    ];
    this.reporter.start('okrs', owners.length);
    const done = await this.doneTasks();
    await pool(owners, this.concurrency, async (owner) => {
      if (!done.has(owner.key)) await this.ownerOkrs(owner);
      this.reporter.tick('okrs');
    });
  }

  /** One owner's cycles with everything in them, written in one transaction. */
  private async ownerOkrs(owner: { key: string; user?: string; department?: string }): Promise<void> {
    const wanted = new Set(this.periodIds());
    const cycles = (
      await this.all<WireCycle>(
        '/open-apis/okr/v2/cycles',
        {},
        owner.user
          ? { ...IDS, user_id: owner.user, page_size: 100 }
          : { ...IDS, department_id: owner.department!, page_size: 100 },
      )
    ).filter((c) => wanted.has(c.tenant_cycle_id));
    const v1 = new Map<string, V1Okr>();
    if (owner.user) {
      // The v1 list also answers cycles of hidden periods, which v2 does not list.
      for (const periodIds of chunks([...wanted], 10)) {
        for (let offset = 0; ; offset += 10) {
          const page = await this.source.get<{ total?: number; okr_list?: V1Okr[] }>(
            '/open-apis/okr/v1/users/:user_id/okrs',
            { user_id: owner.user },
            { user_id_type: 'union_id', offset: String(offset), limit: '10', period_ids: periodIds },
          );
          for (const okr of page.okr_list ?? []) v1.set(okr.id, okr);
          if ((page.okr_list ?? []).length === 0 || offset + 10 >= (page.total ?? 0)) break;
        }
      }
    }
    for (const ids of chunks(
      cycles.map((c) => c.id).filter((id) => !v1.has(id)),
      10,
    )) {
      const page = await this.source.get<{ okr_list?: V1Okr[] }>(
        '/open-apis/okr/v1/okrs/batch_get',
        {},
        {
          okr_ids: ids,
          user_id_type: 'union_id',
        },
      );
      for (const okr of page.okr_list ?? []) v1.set(okr.id, okr);
    }
    const hidden = new Set(this.periods.filter((p) => p.status === 3).map((p) => p.id));
    const byId = new Map(cycles.map((c) => [c.id, c]));
    const ids = [...new Set([...byId.keys(), ...v1.keys()])];
    const details = new Map<
      string,
      { objectives: WireObjective[]; krs: Map<string, WireObjective[]>; ind: Map<string, WireIndicator> }
    >();
    await Promise.all(
      ids.map(async (id) => {
        const okr = v1.get(id);
        const periodId = byId.get(id)?.tenant_cycle_id ?? okr?.period_id ?? '';
        if (okr?.permission === 0 || hidden.has(periodId) || !byId.has(id)) return;
        details.set(id, await this.cycleDetails(id));
      }),
    );
    await this.write(async (tx) => {
      for (const id of ids) {
        const okr = v1.get(id);
        if (okr?.permission === 0) {
          await mark(tx, 'unreadable', id, this.run);
          continue;
        }
        const cycle = byId.get(id);
        const periodId = cycle?.tenant_cycle_id ?? okr?.period_id ?? '';
        if (!wanted.has(periodId)) continue;
        const now = this.clock();
        await upsertPulled(
          tx,
          'okrs',
          {
            id,
            tenant_id: this.tenantId,
            owner_id: owner.user ? (this.userRefs.get(owner.user) ?? null) : null,
            department_id: owner.department ? (this.departmentRefs.get(owner.department) ?? null) : null,
            period_id: periodId,
            confirm_status: okr?.confirm_status ?? 0,
            visibility: 'tenant',
            created_at: cycle ? ms(cycle.create_time) : now,
            updated_at: cycle ? ms(cycle.update_time) : now,
          },
          this.run,
        );
        await this.writeObjectives(tx, id, okr, details.get(id));
      }
      await mark(tx, 'task', owner.key, this.run);
    });
  }

  /** v2 objectives, key results and indicators of a cycle. */
  private async cycleDetails(cycleId: string) {
    const objectives = await this.all<WireObjective>(
      '/open-apis/okr/v2/cycles/:cycle_id/objectives',
      { cycle_id: cycleId },
      { ...IDS, page_size: 100 },
    );
    const krs = new Map<string, WireObjective[]>();
    const ind = new Map<string, WireIndicator>();
    const indicator = async (kind: 'objectives' | 'key_results', id: string) => {
      const data = await this.source.get<{ indicator?: WireIndicator }>(
        `/open-apis/okr/v2/${kind}/:id/indicators`,
        { id },
        IDS,
      );
      if (data.indicator?.id) ind.set(id, data.indicator);
    };
    await Promise.all(
      objectives.map(async (o) => {
        const list = await this.all<WireObjective>(
          '/open-apis/okr/v2/objectives/:objective_id/key_results',
          { objective_id: o.id },
          { ...IDS, page_size: 100 },
        );
        krs.set(o.id, list);
        await Promise.all([indicator('objectives', o.id), ...list.map((k) => indicator('key_results', k.id))]);
      }),
    );
    return { objectives, krs, ind };
  }

  private async writeObjectives(
    tx: TenantTx,
    okrId: string,
    okr: V1Okr | undefined,
    details:
      { objectives: WireObjective[]; krs: Map<string, WireObjective[]>; ind: Map<string, WireIndicator> } | undefined,
  ): Promise<void> {
    const v1Objectives = new Map((okr?.objective_list ?? []).map((o) => [o.id, o]));
    const v1Krs = new Map((okr?.objective_list ?? []).flatMap((o) => (o.kr_list ?? []).map((k) => [k.id, k])));
    const progressed = (v: V1Progressed | undefined) => ({
      progress_percent: v?.progress_rate?.percent ?? 0,
      progress_status: Number(v?.progress_rate?.status ?? -1),
      progress_rate_percent_last_updated_time: ms(v?.progress_rate_percent_last_updated_time),
      progress_rate_status_last_updated_time: ms(v?.progress_rate_status_last_updated_time),
      progress_record_last_updated_time: ms(v?.progress_record_last_updated_time),
      progress_report_last_updated_time: ms(v?.progress_report_last_updated_time),
      score_last_updated_time: ms(v?.score_last_updated_time),
    });
    // Cycles v2 cannot read (hidden periods) are copied from v1: plain text, positions in v1 order.
    const objectives: WireObjective[] =
      details?.objectives ??
      (okr?.objective_list ?? []).map((o, i) => ({
        id: o.id,
        create_time: '0',
        update_time: '0',
        position: i + 1,
        content: textDoc(o.content ?? ''),
        notes: textDoc(o.progress_report ?? ''),
        score: (o.score ?? 0) / 100,
        weight: (o.weight ?? 0) / 100,
        deadline: o.deadline,
      }));
    for (const o of objectives) {
      const v = v1Objectives.get(o.id);
      await upsertPulled(
        tx,
        'objectives',
        {
          id: o.id,
          tenant_id: this.tenantId,
          okr_id: okrId,
          position: o.position,
          content: this.stored(o.content),
          notes: this.stored(o.notes),
          score: Math.round((o.score ?? 0) * 100),
          weight_milli: Math.round((o.weight ?? 0) * 1000),
          deadline: ms(o.deadline),
          category_id: o.category_id ?? null,
          ...progressed(v),
          created_at: ms(o.create_time),
          updated_at: ms(o.update_time),
        },
        this.run,
      );
      await this.writeIndicator(tx, 2, o.id, details?.ind.get(o.id));
      const krs: WireObjective[] =
        details?.krs.get(o.id) ??
        (v?.kr_list ?? []).map((k, i) => ({
          id: k.id,
          create_time: '0',
          update_time: '0',
          position: i + 1,
          content: textDoc(k.content ?? ''),
          score: (k.score ?? 0) / 100,
          weight: (k.kr_weight ?? 0) / 100,
          deadline: k.deadline,
        }));
      for (const k of krs) {
        await upsertPulled(
          tx,
          'key_results',
          {
            id: k.id,
            tenant_id: this.tenantId,
            objective_id: o.id,
            okr_id: okrId,
            position: k.position,
            content: this.stored(k.content),
            score: Math.round((k.score ?? 0) * 100),
            weight_milli: Math.round((k.weight ?? 0) * 1000),
            deadline: ms(k.deadline),
            ...progressed(v1Krs.get(k.id)),
            created_at: ms(k.create_time),
            updated_at: ms(k.update_time),
          },
          this.run,
        );
        await this.writeIndicator(tx, 3, k.id, details?.ind.get(k.id));
      }
    }
  }

  private async writeIndicator(tx: TenantTx, entityType: 2 | 3, entityId: string, i: WireIndicator | undefined) {
    if (!i) return;
    await dropOtherIndicator(tx, entityType, entityId, i.id);
    await upsertPulled(
      tx,
      'indicators',
      {
        id: i.id,
        tenant_id: this.tenantId,
        entity_type: entityType,
        entity_id: entityId,
        indicator_status: i.indicator_status,
        status_calculate_type: i.status_calculate_type,
        start_value: i.start_value ?? null,
        target_value: i.target_value ?? null,
        current_value: i.current_value ?? null,
        current_value_calculate_type: i.current_value_calculate_type ?? 0,
        unit_type: i.unit?.unit_type ?? 0,
        unit_value: i.unit?.unit_value ?? 'NONE',
        created_at: ms(i.create_time),
        updated_at: ms(i.update_time),
      },
      this.run,
    );
  }

  /**
   * The review documents and progress reports of every person and visible period (reviews/query: five people and
   * five periods a call), one transaction per call. Resolves to what the summary must say when the source does not
   * answer reviews at all (e.g. it has no such endpoint, or the app lacks its scope): nothing is copied then.
   */
  private async reviews(): Promise<string[]> {
    const periods = this.periodIds().filter((id) => this.periods.find((p) => p.id === id)?.status !== 3);
    const calls = chunks([...this.unions].sort(), 5).flatMap((users) =>
      chunks(periods, 5).map((periodIds) => ({
        key: `reviews:${users.join(',')}:${periodIds.join(',')}`,
        users,
        periodIds,
      })),
    );
    this.reporter.start('reviews', calls.length);
    const done = await this.doneTasks();
    let refused: SourceError | undefined;
    await pool(calls, this.concurrency, async (call) => {
      if (!done.has(call.key) && !refused) {
        const answer = await this.source
          .get<{ review_list?: WireUserReviews[] }>(
            '/open-apis/okr/v1/reviews/query',
            {},
            { user_id_type: 'union_id', user_ids: call.users, period_ids: call.periodIds },
          )
          .catch((err: unknown) => {
            // An answer refusing the call; giving up on a failing or rate-limiting source fails the pull as elsewhere.
            if (!(err instanceof SourceError) || err.code === -1 || err.code === 99991400) throw err;
            refused ??= err;
            return undefined;
          });
        if (answer) await this.writeReviews(call.key, answer.review_list ?? []);
      }
      this.reporter.tick('reviews');
    });
    return refused
      ? [`reviews: the source did not answer reviews/query (${refused.code}: ${refused.message}); none were copied`]
      : [];
  }

  private async writeReviews(key: string, list: readonly WireUserReviews[]): Promise<void> {
    await this.write(async (tx) => {
      for (const user of list) {
        const ref = this.userRefs.get(user.user_id?.user_id ?? '');
        if (!ref) continue;
        for (const period of user.review_period_list ?? []) {
          for (const [kind, docs] of [
            ['cycle_review', period.cycle_review_list],
            ['progress_report', period.progress_report_list],
          ] as const) {
            for (const doc of docs ?? []) {
              // Reviews have no id on the wire: one made of what they are keeps a repeated pull from duplicating them.
              const id = BigInt(
                `0x${createHash('sha256')
                  .update(JSON.stringify([this.tenantId, ref, period.period_id, kind, doc.url, doc.create_time]))
                  .digest('hex')
                  .slice(0, 15)}`,
              ).toString();
              await upsertPulled(
                tx,
                'reviews',
                {
                  id,
                  tenant_id: this.tenantId,
                  user_ref: ref,
                  period_id: period.period_id,
                  kind,
                  url: doc.url,
                  create_time: ms(doc.create_time),
                },
                this.run,
              );
            }
          }
        }
      }
      await mark(tx, 'task', key, this.run);
    });
  }

  /** Per cycle pulled in this run: progress records, alignments and comments. */
  private async progress(): Promise<void> {
    const { cycles, objectives, keyResults, hidden } = await this.db.read((tx) =>
      pulledCycles(tx, this.tenantId, this.run),
    );
    const pulledObjectives = await this.db.read((tx) => markedIn(tx, this.tenantId, 'objectives', this.run));
    this.reporter.start('progress', cycles.length);
    const done = await this.doneTasks();
    await pool(cycles, this.concurrency, async (cycleId) => {
      const key = `progress:${cycleId}`;
      if (!done.has(key) && !hidden.has(cycleId)) {
        const ids = [objectives.get(cycleId) ?? [], keyResults.get(cycleId) ?? []] as const;
        await this.cycleProgress(key, cycleId, ...ids, pulledObjectives);
      }
      this.reporter.tick('progress');
    });
  }

  private async cycleProgress(
    key: string,
    cycleId: string,
    objectiveIds: string[],
    krIds: string[],
    pulledObjectives: Set<string>,
  ): Promise<void> {
    const list = <T>(template: string, params: Record<string, string>, query: Record<string, Param> = {}) =>
      this.all<T>(template, params, { user_id_type: 'union_id', page_size: 100, ...query });
    const [oProgress, kProgress, alignments] = await Promise.all([
      Promise.all(objectiveIds.map((id) => list<WireProgress>('/open-apis/okr/v2/objectives/:id/progresses', { id }))),
      Promise.all(krIds.map((id) => list<WireProgress>('/open-apis/okr/v2/key_results/:id/progresses', { id }))),
      Promise.all(
        objectiveIds.map((id) =>
          list<WireAlignment>('/open-apis/okr/v2/objectives/:id/alignments', { id }, { align_type: 'aligning' }),
        ),
      ),
    ]);
    const records = [...oProgress.flat(), ...kProgress.flat()];
    const targets: [WireComment['target']['target_type'], string][] = [
      ['cycle', cycleId],
      ...objectiveIds.map((id) => ['objective', id] as [WireComment['target']['target_type'], string]),
      ...krIds.map((id) => ['key_result', id] as [WireComment['target']['target_type'], string]),
      ...records.map((r) => ['progress', r.id] as [WireComment['target']['target_type'], string]),
    ];
    const comments = (
      await Promise.all(
        targets.map(([type, id]) =>
          list<WireComment>('/open-apis/okr/v2/comments', {}, { target_type: type, target_id: id }),
        ),
      )
    ).flat();
    await this.write(async (tx) => {
      for (const r of records) {
        await upsertPulled(
          tx,
          'progress_records',
          {
            id: r.id,
            tenant_id: this.tenantId,
            okr_id: cycleId,
            target_type: r.entity_type,
            target_id: r.entity_id,
            source_title: 'okrd pull',
            source_url: this.state.source_url,
            content: this.stored(r.content),
            progress_percent: r.progress_rate?.progress_percent ?? null,
            progress_status: r.progress_rate?.progress_status ?? null,
            created_at: ms(r.create_time),
            modify_time: ms(r.update_time),
          },
          this.run,
          ['source_title', 'source_url'],
        );
      }
      for (const a of alignments.flat()) {
        // An alignment to an objective this pull did not copy (another tenant, an unreadable OKR) cannot be kept.
        if (!pulledObjectives.has(a.to_entity_id) || !pulledObjectives.has(a.from_entity_id)) continue;
        await upsertPulled(
          tx,
          'alignments',
          {
            id: a.id,
            tenant_id: this.tenantId,
            from_objective_id: a.from_entity_id,
            to_objective_id: a.to_entity_id,
            created_at: ms(a.create_time),
            updated_at: ms(a.update_time),
          },
          this.run,
        );
      }
      await this.writeComments(tx, cycleId, comments);
      await this.exactPercents(tx, cycleId);
      await mark(tx, 'task', key, this.run);
    });
  }

  private async writeComments(tx: TenantTx, cycleId: string, comments: WireComment[]): Promise<void> {
    const thread = new Map<string, string>();
    // Oldest first, so a reply's comment is written (and its thread known) before the reply.
    for (const c of [...comments].sort((a, b) => ms(a.create_time) - ms(b.create_time) || a.id.localeCompare(b.id))) {
      const commentator = this.userRefs.get(c.commentator_id);
      if (!commentator) continue; // a person the source no longer lists
      const ref = c.ref_comment_id && thread.has(c.ref_comment_id) ? c.ref_comment_id : null;
      const threadId = ref ? thread.get(ref)! : c.id;
      thread.set(c.id, threadId);
      await upsertPulled(
        tx,
        'comments',
        {
          id: c.id,
          tenant_id: this.tenantId,
          target_type: c.target.target_type,
          target_id: c.target.target_id,
          okr_id: cycleId,
          thread_id: threadId,
          ref_comment_id: ref,
          commentator_id: commentator,
          content: this.stored(c.content),
          selection_id: c.selection?.id ?? null,
          selected_text: c.selection?.selected_text ?? null,
          status: c.status,
          solver_id: (c.solver_id && this.userRefs.get(c.solver_id)) || null,
          solved_time: c.solved_time ? ms(c.solved_time) : null,
          created_at: ms(c.create_time),
          updated_at: ms(c.update_time),
        },
        this.run,
      );
    }
  }

  /**
   * v1 payloads round progress percents to integers; the newest record that set a percent rounding to the same value
   * holds the exact one.
   */
  private async exactPercents(tx: TenantTx, cycleId: string): Promise<void> {
    const rates = await recordRatesOf(tx, this.tenantId, cycleId);
    const items = await progressPercentsOf(tx, this.tenantId, cycleId);
    for (const item of items) {
      const latest = rates.find((r) => r.target_id === item.id && r.progress_percent !== null);
      if (latest && Math.round(latest.progress_percent!) === Math.round(item.progress_percent)) {
        await setProgressPercent(tx, item.kind, item.id, latest.progress_percent!);
      }
    }
  }

  /** Downloads every gallery image the pulled rich text names that the target does not hold yet. */
  private async images(): Promise<void> {
    const docs = await this.db.read((tx) => documentsWithImages(tx, this.tenantId));
    const wanted = new Map<string, { src?: string; target_type: number; target_id: string; created_at: number }>();
    for (const d of docs) {
      for (const block of (JSON.parse(d.content) as Content).blocks ?? []) {
        for (const image of block.gallery?.images ?? []) {
          if (image.file_token && !wanted.has(image.file_token)) wanted.set(image.file_token, { src: image.src, ...d });
        }
      }
    }
    const held = await this.db.read((tx) => existingImageTokens(tx, this.tenantId, [...wanted.keys()]));
    this.reporter.start('images', wanted.size);
    await mkdir(this.options.imageDir, { recursive: true });
    await pool([...wanted], this.concurrency, async ([token, image]) => {
      try {
        if (!held.has(token)) {
          // Kept under the source's token, which the rich text names, so reads here sign URLs for it: only a token
          // okrd's image URL can carry will do.
          if (!FILE_TOKEN.test(token)) throw new SourceError(-1, 'not a file token okrd can serve');
          if (!image.src) throw new SourceError(-1, 'the rich text gives no src');
          const bytes = await this.source.download(image.src, this.options.imageMaxBytes);
          const contentType = imageType(bytes);
          if (!contentType) throw new SourceError(-1, 'not an image format okrd accepts');
          const path = join(this.options.imageDir, token);
          await writeFile(`${path}.part`, bytes);
          await rename(`${path}.part`, path);
          await this.write((tx) =>
            upsertPulled(
              tx,
              'images',
              {
                file_token: token,
                tenant_id: this.tenantId,
                target_type: image.target_type,
                target_id: image.target_id,
                content_type: contentType,
                size: bytes.length,
                created_by: null,
                created_at: image.created_at,
              },
              this.run,
            ),
          );
        } else {
          await this.write((tx) => mark(tx, 'images', token, this.run));
        }
      } catch (err) {
        if (!(err instanceof SourceError)) throw err;
        this.imagesFailed[token] = err.message;
      }
      this.reporter.tick('images');
    });
  }
}

/** A plain-text document of one paragraph per line (what v1 shows of a cycle v2 cannot read). */
function textDoc(text: string): Json {
  return {
    blocks: text.split('\n').map((line) => ({
      block_element_type: 'paragraph',
      paragraph: { elements: [{ paragraph_element_type: 'textRun', text_run: { text: line } }] },
    })),
  };
}
