/**
 * v2 progress lists (spec §4.7): the v1 progress records of an objective or key result as v2 Progress objects
 * (entity_type = target_type, entity_id = target_id), read-only: records are written through v1.
 */
import type { PagedQuery } from '../contract/v2/common.js';
import type { ListProgressData, Progress } from '../contract/v2/progress.js';
import { galleryTokens, mentionedUsers, withImageSources, type Content } from '../domain/rich-text.js';
import { notFound } from '../errors.js';
import type { Db } from '../store/db.js';
import { findKeyResult, findObjective } from '../store/objective.repository.js';
import { listProgressRecords } from '../store/progress-record.repository.js';
import type { ProgressRecordRow } from '../store/rows.js';
import type { Caller } from './auth.service.js';
import { requireCycleReadable } from './cycle-access.js';
import { imageSources, type ImageService } from './image.service.js';
import { decodeCursor, toPage } from './paging.js';
import { toV2 } from './v2-rich-text.mapper.js';
import { WireNames, idTypesOf, type OwnerRefs } from './wire-names.js';

/** Serves GET /okr/v2/objectives/:id/progresses and /key_results/:id/progresses. */
export class ProgressService {
  constructor(
    private readonly db: Db,
    private readonly images: ImageService,
  ) {}

  /**
   * The records on the objective (2) or key result (3), most recently modified first, in a fixed number of queries;
   * gallery images of the tenant at fresh signed URLs on `origin` (ProgressRecordService.get).
   */
  async list(
    caller: Caller,
    entityType: 2 | 3,
    entityId: string,
    query: PagedQuery,
    origin: string,
  ): Promise<ListProgressData> {
    const types = idTypesOf(caller, query);
    const signer = await this.images.urlSigner(origin);
    const pageSize = query.page_size ?? 10;
    const token = query.page_token ? decodeCursor(query.page_token, ['number', 'string']) : undefined;
    return this.db.read(async (tx) => {
      const entity =
        entityType === 2
          ? await findObjective(tx, caller.tenantId, entityId)
          : await findKeyResult(tx, caller.tenantId, entityId);
      if (!entity) throw notFound(entityType === 2 ? 'objective_id' : 'key_result_id', entityId);
      await requireCycleReadable(tx, caller, { ...entity, id: entity.okr_id });
      const rows = await listProgressRecords(
        tx,
        caller.tenantId,
        entityType,
        entityId,
        token && { modify_time: token[0], id: token[1] },
        pageSize + 1,
      );
      const stored = rows.slice(0, pageSize).map((r) => [r.id, JSON.parse(r.content) as Content] as const);
      const sources = await imageSources(
        tx,
        caller.tenantId,
        stored.flatMap(([, c]) => galleryTokens(c)),
        signer,
      );
      const contents = new Map(stored.map(([id, c]) => [id, withImageSources(c, sources)]));
      const names = await new WireNames(caller, types).loadOwners(
        tx,
        [entity],
        [...contents.values()].flatMap(mentionedUsers),
      );
      return toPage(
        rows,
        pageSize,
        (r) => [r.modify_time, r.id],
        (r) => progressView(r, contents.get(r.id)!, entity, names),
      );
    });
  }
}

/** The v2 form of a progress record: owned by its cycle's owner, its rich text with mentions in the requested type. */
function progressView(row: ProgressRecordRow, content: Content, owner: OwnerRefs, names: WireNames): Progress {
  const rate: NonNullable<Progress['progress_rate']> = {};
  if (row.progress_percent !== null) rate.progress_percent = row.progress_percent;
  if (row.progress_status !== null) rate.progress_status = row.progress_status as -1 | 0 | 1 | 2;
  return {
    id: row.id,
    create_time: String(row.created_at),
    update_time: String(row.modify_time),
    owner: names.owner(owner),
    entity_type: row.target_type as 2 | 3,
    entity_id: row.target_id,
    content: toV2(content, (ref) => names.user(ref)),
    ...(row.progress_percent !== null || row.progress_status !== null ? { progress_rate: rate } : {}),
  };
}
