/**
 * v1 OKR reads: batch_get and a user's OKR list, assembled from a fixed number of queries.
 *
 * Each OKR's wire JSON is cached per process, keyed by the OKR, the caller's app, the user id type and the resolved
 * language (one of three, whatever `lang` text came in, so the cache cannot grow with it), and valid for one tenant
 * data version (tenants.data_version, bumped by every write that changes OKR reads). A read always checks existence,
 * hidden periods (lists), visibility and the current data version in the database, so a write through any okrd
 * process is seen at once by all of them; only the rendering is reused. A batch_get answered before at the current
 * data version is also kept whole, as the bytes sent (see batchGet).
 */
import type { AlignedObjective, KeyResult, Objective, Okr } from '../contract/okr.js';
import type { Lang } from '../domain/lang.js';
import { parseMonth, periodJaName } from '../domain/period.js';
import { mentionedUsers, plainText, type Content } from '../domain/rich-text.js';
import type { UserIdType } from '../domain/users.js';
import { notFound, userNotFound } from '../errors.js';
import type { Db, Tx } from '../store/db.js';
import {
  alignmentsOfOkrs,
  countUserOkrs,
  findOkrs,
  keyResultsOfOkrs,
  listUserOkrs,
  objectivesOfOkrs,
  progressRecordRefsOfOkrs,
  tenantDataVersion,
  type KeyResultView,
  type ObjectiveView,
  type OkrHeadRow,
} from '../store/okr.repository.js';
import { findPeriods } from '../store/period.repository.js';
import { findUsersByRefs, findUsersByWireIds, type AppUserView } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';
import { requireIdTypeAllowed, userRef } from './user-view.js';
import { RenderCache, successAnswer } from './render-cache.js';
import { unreadable } from './visibility.js';

/** How the caller wants users and text rendered. */
export interface ReadOptions {
  user_id_type: UserIdType;
  /** The resolved language (domain/lang.ts resolveLang), never the raw `lang`: it is part of the render-cache key. */
  lang: Lang;
}

/** OKRs as wire JSON texts (one per OKR, in order), ready to be joined into a response. */
export type OkrJson = string[];

// Bytes of rendered OKRs, and of whole batch_get answers (a tenth as many as rendered OKRs: each holds up to ten),
// kept per process.
const OKR_CACHE_BYTES = 64 * 1024 * 1024;
const RESPONSE_CACHE_BYTES = 64 * 1024 * 1024;

/** Serves v1 OKR reads. */
export class OkrService {
  private readonly cache: RenderCache;
  private readonly responses: RenderCache<Buffer>;

  /** `cacheEntries`: how many rendered OKRs to keep (0: render every time). */
  constructor(
    private readonly db: Db,
    cacheEntries = 10_000,
  ) {
    this.cache = new RenderCache(cacheEntries, OKR_CACHE_BYTES);
    this.responses = new RenderCache(Math.ceil(cacheEntries / 10), RESPONSE_CACHE_BYTES);
  }

  /**
   * GET /okr/v1/okrs/batch_get: the OKRs in request order, hidden periods' too (OQ-21); any unknown id fails the whole
   * call (OQ-11). The whole success answer (the Feishu envelope around `data`) comes as the UTF-8 bytes to send.
   *
   * A repeat of a request answered at the tenant's current data version is sent again as it was, after one lookup of
   * that version: everything the answer depends on (the OKRs, their existence, the caller's leader chain for
   * restricted OKRs, every name and id in it) is tenant data whose every change bumps the version. So the key names
   * the caller as far as the answer depends on them: their app (open_ids), and the person of a user token.
   */
  async batchGet(caller: Caller, okrIds: readonly string[], opts: ReadOptions): Promise<Buffer> {
    requireIdTypeAllowed(caller, opts.user_id_type);
    const ids = [...new Set(okrIds)];
    const key = `${caller.tenantId}|${caller.appId}|${caller.kind === 'user' ? caller.userRef : ''}|${opts.user_id_type}|${opts.lang}|${ids.join(',')}`;
    // The version alone, as one statement outside any transaction: on a hit, that is all the database does.
    const version = await this.db.read((tx) => tenantDataVersion(tx, caller.tenantId), { oneStatement: true });
    const cached = this.responses.get(key, version);
    if (cached) return cached;
    return this.db.read(async (tx) => {
      const heads = await findOkrs(tx, caller.tenantId, ids);
      const byId = new Map(heads.map((h) => [h.id, h]));
      const missing = ids.find((id) => !byId.has(id));
      if (missing !== undefined) throw notFound('okr_id', missing);
      const ordered = ids.map((id) => byId.get(id)!);
      const okrs = (await this.render(tx, caller, ordered, opts)).join(',');
      const bytes = successAnswer(`{"okr_list":[${okrs}]}`);
      this.responses.set(key, heads[0]!.data_version, bytes);
      return bytes;
    });
  }

  /**
   * GET /okr/v1/users/:user_id/okrs: one page of a user's OKRs, newest period first, with the total. Hidden periods
   * are left out unless `period_ids` names them (OQ-21).
   */
  async listUserOkrs(
    caller: Caller,
    wireUserId: string,
    page: { offset: number; limit: number; period_ids?: readonly string[] },
    opts: ReadOptions,
  ): Promise<{ total: number; okrs: OkrJson }> {
    requireIdTypeAllowed(caller, opts.user_id_type);
    return this.db.read(async (tx) => {
      const [owner] = await findUsersByWireIds(tx, caller.tenantId, caller.appId, opts.user_id_type, [wireUserId]);
      if (!owner) throw userNotFound(wireUserId);
      const periodIds = page.period_ids?.length ? [...new Set(page.period_ids)] : undefined;
      if (periodIds) {
        const found = new Set((await findPeriods(tx, caller.tenantId, periodIds)).map((p) => p.id));
        const missing = periodIds.find((id) => !found.has(id));
        if (missing !== undefined) throw notFound('period_id', missing);
      }
      const total = await countUserOkrs(tx, owner.id, periodIds);
      const heads = page.limit === 0 ? [] : await listUserOkrs(tx, owner.id, periodIds, page.offset, page.limit);
      return { total, okrs: await this.render(tx, caller, heads, opts) };
    });
  }

  /** The wire JSON of each OKR: `{id, permission: 0}` where the caller may not read it, else cached or assembled. */
  private async render(tx: Tx, caller: Caller, heads: readonly OkrHeadRow[], opts: ReadOptions): Promise<OkrJson> {
    const hidden = await unreadable(tx, caller, heads);
    const key = (h: OkrHeadRow) => `${h.id}|${caller.appId}|${opts.user_id_type}|${opts.lang}`;
    const out = heads.map((h) =>
      hidden.has(h.id) ? JSON.stringify({ id: h.id, permission: 0 }) : this.cache.get(key(h), h.data_version),
    );
    const stale = heads.filter((_, i) => out[i] === undefined);
    if (stale.length > 0) {
      const fresh = new Map(
        (await assemble(tx, caller.appId, stale, opts)).map((okr) => [okr.id, JSON.stringify(okr)]),
      );
      heads.forEach((h, i) => {
        if (out[i] !== undefined) return;
        out[i] = fresh.get(h.id)!;
        this.cache.set(key(h), h.data_version, out[i]);
      });
    }
    return out as string[];
  }
}

/** The OKR's period name in `lang`: the stored Chinese or English name, or the computed Japanese one. */
function periodName(h: OkrHeadRow, lang: Lang): string {
  if (lang === 'en') return h.en_name;
  if (lang === 'zh') return h.zh_name;
  const start = parseMonth(h.start_month);
  const end = parseMonth(h.end_month);
  return start === undefined || end === undefined ? h.en_name : periodJaName(start, end);
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Builds the wire OKRs the caller may read: five queries whatever the number of OKRs, objectives and key results. */
async function assemble(tx: Tx, appId: string, heads: readonly OkrHeadRow[], opts: ReadOptions): Promise<Okr[]> {
  const shown = heads.map((h) => h.id);

  const [objectives, keyResults, records, alignments] = [
    await objectivesOfOkrs(tx, shown),
    await keyResultsOfOkrs(tx, shown),
    await progressRecordRefsOfOkrs(tx, shown),
    await alignmentsOfOkrs(tx, shown),
  ];

  // Parse each rich text once; gather every user the response names so one query fetches them all.
  const contents = new Map<string, Content>();
  const userRefs = new Set<string>();
  const parse = (key: string, json: string) => {
    const content = JSON.parse(json) as Content;
    contents.set(key, content);
    for (const ref of mentionedUsers(content)) userRefs.add(ref);
  };
  for (const o of objectives) {
    parse(o.id, o.content);
    parse(`notes:${o.id}`, o.notes);
  }
  for (const k of keyResults) parse(k.id, k.content);
  for (const a of alignments) userRefs.add(a.other_owner_id);
  const users = new Map<string, AppUserView>((await findUsersByRefs(tx, appId, [...userRefs])).map((u) => [u.id, u]));

  const text = (key: string) => plainText(contents.get(key)!, users, opts.lang);
  const mentions = (key: string) =>
    mentionedUsers(contents.get(key)!).flatMap((ref) => {
      const u = users.get(ref);
      return u ? [userRef(u, opts.user_id_type)] : [];
    });
  const recordsOf = groupBy(records, (r) => r.target_id);
  const krsOf = groupBy(keyResults, (k) => k.objective_id);
  const alignedOf = groupBy(alignments, (a) => `${a.direction}:${a.objective_id}`);
  const objectivesOf = groupBy(objectives, (o) => o.okr_id);

  const tracked = (row: ObjectiveView | KeyResultView) => ({
    progress_rate: { percent: Math.round(row.progress_percent), status: String(row.progress_status) },
    progress_record_list: (recordsOf.get(row.id) ?? []).map((r) => ({ id: r.id })),
    progress_rate_percent_last_updated_time: String(row.progress_rate_percent_last_updated_time),
    progress_rate_status_last_updated_time: String(row.progress_rate_status_last_updated_time),
    progress_record_last_updated_time: String(row.progress_record_last_updated_time),
    progress_report_last_updated_time: String(row.progress_report_last_updated_time),
    score_last_updated_time: String(row.score_last_updated_time),
    deadline: String(row.deadline),
    mentioned_user_list: mentions(row.id),
  });
  const keyResult = (k: KeyResultView): KeyResult => ({
    id: k.id,
    content: text(k.id),
    score: k.score,
    weight: Math.round(k.weight_milli / 10),
    kr_weight: k.weight_milli / 10,
    ...tracked(k),
  });
  const alignedList = (direction: string, objectiveId: string): AlignedObjective[] =>
    (alignedOf.get(`${direction}:${objectiveId}`) ?? []).flatMap((a) => {
      const owner = users.get(a.other_owner_id);
      return owner ? [{ id: a.other_id, okr_id: a.other_okr_id, owner: userRef(owner, opts.user_id_type) }] : [];
    });
  const objective = (o: ObjectiveView): Objective => ({
    id: o.id,
    permission: 1,
    content: text(o.id),
    progress_report: text(`notes:${o.id}`),
    score: o.score,
    weight: o.weight_milli / 10,
    kr_list: (krsOf.get(o.id) ?? []).map(keyResult),
    aligned_objective_list: alignedList('aligned', o.id),
    aligning_objective_list: alignedList('aligning', o.id),
    ...tracked(o),
  });

  return heads.map((h) => ({
    id: h.id,
    permission: 1,
    period_id: h.period_id,
    name: periodName(h, opts.lang),
    confirm_status: h.confirm_status,
    objective_list: (objectivesOf.get(h.id) ?? []).map(objective),
  }));
}
