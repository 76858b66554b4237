/** v1 progress records: create, read, replace and delete, keeping the target objective / key result in step. */
import type {
  ContentBlock,
  CreateProgressRecordBody,
  ProgressRate,
  ProgressRecord,
  UpdateProgressRecordBody,
} from '../contract/progress-record.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { galleryTokens, mentionedUsers, withImageSources, type Content } from '../domain/rich-text.js';
import type { UserIdType } from '../domain/users.js';
import { invalidParam, notFound } from '../errors.js';
import type { Db, Tx } from '../store/db.js';
import {
  deleteProgressRecord,
  existingImageTokens,
  findProgressRecord,
  findTarget,
  setTargetPercent,
  setTargetStatus,
  touchTargetRecords,
  updateProgressRecord,
  type TargetType,
} from '../store/progress-record.repository.js';
import type { ProgressRecordRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { writeTenant, type TenantTx } from '../store/tenant-write.js';
import { findUsersByRefs, findUsersByWireIds, type AppUserView } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';
import { imageSources, type ImageService } from './image.service.js';
import { fromV1, toV1, v1FileTokens, v1OpenIds } from './rich-text.mapper.js';
import { MAX_MENTIONED_PEOPLE } from './v2-rich-text.mapper.js';
import { requireIdTypeAllowed, wireUserId } from './user-view.js';
import { requireReadable, requireWritable } from './visibility.js';

/** Ids of progress-record mentions: the three the progress-record endpoints accept. */
export type RecordIdType = Exclude<UserIdType, 'people_admin_id'>;

/** Serves the v1 progress-record endpoints. */
export class ProgressRecordService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly images: ImageService,
  ) {}

  /**
   * POST /okr/v1/progress_records. `origin` is where clients reach okrd: gallery images are answered with fresh
   * URLs there (see `get`).
   */
  async create(
    caller: Caller,
    body: CreateProgressRecordBody,
    idType: RecordIdType,
    origin: string,
  ): Promise<ProgressRecord> {
    requireIdTypeAllowed(caller, idType);
    checkPercent(body.progress_rate);
    const signer = await this.images.urlSigner(origin);
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const type = body.target_type as TargetType;
      const target = await findTarget(tx, caller.tenantId, type, body.target_id);
      if (!target) throw notFound('target_id', body.target_id);
      requireWritable(caller, target);
      const { content, users } = await storedContent(tx, caller, body.content);
      const now = this.clock();
      const row: ProgressRecordRow = {
        id: this.ids(),
        tenant_id: caller.tenantId,
        okr_id: target.okr_id,
        target_type: type,
        target_id: target.id,
        source_title: body.source_title,
        source_url: body.source_url,
        source_url_pc: body.source_url_pc ?? null,
        source_url_mobile: body.source_url_mobile ?? null,
        content: JSON.stringify(content),
        progress_percent: body.progress_rate?.percent ?? null,
        progress_status: body.progress_rate?.status ?? null,
        created_by: caller.userRef ?? null,
        created_at: now,
        modify_time: now,
      };
      await insertRow(tx, 'progress_records', row);
      await applyToTarget(tx, type, target.id, body.progress_rate, now);
      return view(row, await freshSources(tx, caller, content, signer), users, idType);
    });
  }

  /**
   * GET /okr/v1/progress_records/:id. A gallery image of the tenant is answered with a freshly signed `src` on
   * `origin`: the URL it was written with expires (IMAGE_URL_TTL_SECONDS), the image does not.
   */
  async get(caller: Caller, id: string, idType: RecordIdType, origin: string): Promise<ProgressRecord> {
    requireIdTypeAllowed(caller, idType);
    const signer = await this.images.urlSigner(origin);
    return this.db.read(async (tx) => {
      const record = await findProgressRecord(tx, caller.tenantId, id);
      if (!record) throw notFound('progress_id', id);
      await requireReadable(tx, caller, record);
      const content = JSON.parse(record.content) as Content;
      const users = await findUsersByRefs(tx, caller.appId, mentionedUsers(content));
      return view(record, await freshSources(tx, caller, content, signer), users, idType);
    });
  }

  /** PUT /okr/v1/progress_records/:id: new content, and progress when given; the source cannot change. */
  async update(
    caller: Caller,
    id: string,
    body: UpdateProgressRecordBody,
    idType: RecordIdType,
    origin: string,
  ): Promise<ProgressRecord> {
    requireIdTypeAllowed(caller, idType);
    checkPercent(body.progress_rate);
    const signer = await this.images.urlSigner(origin);
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const record = await findProgressRecord(tx, caller.tenantId, id);
      if (!record) throw notFound('progress_id', id);
      requireWritable(caller, record);
      const { content, users } = await storedContent(tx, caller, body.content);
      const now = this.clock();
      const updated: ProgressRecordRow = {
        ...record,
        content: JSON.stringify(content),
        progress_percent: body.progress_rate ? (body.progress_rate.percent ?? null) : record.progress_percent,
        progress_status: body.progress_rate ? (body.progress_rate.status ?? null) : record.progress_status,
        modify_time: now,
      };
      await updateProgressRecord(tx, id, updated.content, updated.progress_percent, updated.progress_status, now);
      await applyToTarget(tx, record.target_type as TargetType, record.target_id, body.progress_rate, now);
      return view(updated, await freshSources(tx, caller, content, signer), users, idType);
    });
  }

  /** DELETE /okr/v1/progress_records/:id. */
  async delete(caller: Caller, id: string): Promise<void> {
    await writeTenant(this.db, caller.tenantId, async (tx) => {
      const record = await findProgressRecord(tx, caller.tenantId, id);
      if (!record) throw notFound('progress_id', id);
      requireWritable(caller, record);
      await deleteProgressRecord(tx, id);
      await applyToTarget(tx, record.target_type as TargetType, record.target_id, undefined, this.clock());
    });
  }
}

/** Percent keeps two decimals (spec §3.7): more precision is refused rather than silently rounded. */
function checkPercent(rate: ProgressRate | undefined): void {
  const p = rate?.percent;
  if (p !== undefined && Math.abs(Math.round(p * 100) - p * 100) > 1e-6) {
    throw invalidParam('progress_rate.percent: at most two decimal places');
  }
}

/** The stored form of a v1 document, after checking that its mentions are users and its images were uploaded here. */
async function storedContent(
  tx: Tx,
  caller: Caller,
  v1: ContentBlock,
): Promise<{ content: Content; users: AppUserView[] }> {
  const openIds = [...new Set(v1OpenIds(v1))];
  if (openIds.length > MAX_MENTIONED_PEOPLE) {
    throw invalidParam(`content: at most ${MAX_MENTIONED_PEOPLE} different people may be mentioned`);
  }
  const users = await findUsersByWireIds(tx, caller.tenantId, caller.appId, 'open_id', openIds);
  const refOf = new Map(users.map((u) => [u.open_id, u.id]));
  const unknown = openIds.find((o) => !refOf.has(o));
  if (unknown !== undefined) throw invalidParam(`content: person.openId ${unknown} is not a user of this tenant`);
  const tokens = [...new Set(v1FileTokens(v1))];
  const uploaded = await existingImageTokens(tx, caller.tenantId, tokens);
  const missing = tokens.find((t) => !uploaded.has(t));
  if (missing !== undefined) throw invalidParam(`content: gallery fileToken ${missing} is not an image uploaded here`);
  return { content: fromV1(v1, (openId) => refOf.get(openId)!), users };
}

/** `content` with its tenant's gallery images at fresh signed URLs. */
async function freshSources(
  tx: Tx,
  caller: Caller,
  content: Content,
  signer: (fileToken: string) => string,
): Promise<Content> {
  return withImageSources(content, await imageSources(tx, caller.tenantId, galleryTokens(content), signer));
}

/** Applies a record's progress to its target and stamps what changed. */
async function applyToTarget(
  tx: TenantTx,
  type: TargetType,
  id: string,
  rate: ProgressRate | undefined,
  now: number,
): Promise<void> {
  await touchTargetRecords(tx, type, id, now);
  if (rate?.percent !== undefined) await setTargetPercent(tx, type, id, rate.percent, now);
  if (rate?.status !== undefined) await setTargetStatus(tx, type, id, rate.status, now);
}

function view(
  row: ProgressRecordRow,
  content: Content,
  users: readonly AppUserView[],
  idType: RecordIdType,
): ProgressRecord {
  const byRef = new Map(users.map((u) => [u.id, u]));
  const v1 = toV1(content, (ref) => {
    const u = byRef.get(ref);
    if (!u) return { openId: '' };
    return idType === 'open_id' ? { openId: u.open_id } : { openId: u.open_id, userId: wireUserId(u, idType) };
  });
  const rate: ProgressRate = {};
  if (row.progress_percent !== null) rate.percent = row.progress_percent;
  if (row.progress_status !== null) rate.status = row.progress_status as ProgressRate['status'];
  return {
    progress_id: row.id,
    modify_time: String(row.modify_time),
    content: v1,
    ...(row.progress_percent !== null || row.progress_status !== null ? { progress_rate: rate } : {}),
  };
}
