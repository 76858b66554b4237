/** v1 reviews: the query (spec §3.13) in a fixed number of queries, and adding reviews (CLI). */
import type { ReviewKind, ReviewQueryData } from '../contract/review.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import type { UserIdType } from '../domain/users.js';
import { OkrdError, invalidParam, notFound, userNotFound } from '../errors.js';
import type { Db } from '../store/db.js';
import { findVisiblePeriods } from '../store/period.repository.js';
import { reviewsOf } from '../store/review.repository.js';
import type { ReviewRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { findTenant } from '../store/tenant.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import { findUserByEmployeeId, findUsersByWireIds } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';
import { requireIdTypeAllowed, userRef, wireUserId } from './user-view.js';

const REVIEW_KINDS: readonly string[] = ['cycle_review', 'progress_report'] satisfies ReviewKind[];
const MAX_URL_LENGTH = 2048;

/** A review to add: whose, for which period, what kind, where the document is. */
export interface NewReview {
  employee_id: string;
  period_id: string;
  kind: string;
  url: string;
}

/** Serves the review query and adds reviews. */
export class ReviewService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /**
   * GET /okr/v1/reviews/query: one entry per user and, inside it, one per period, both in request order
   * (duplicates dropped); any unknown user (1001003) or period (1001004) fails the whole call (OQ-11).
   */
  async query(
    caller: Caller,
    wireUserIds: readonly string[],
    periodIds: readonly string[],
    idType: UserIdType,
  ): Promise<ReviewQueryData> {
    requireIdTypeAllowed(caller, idType);
    const userIds = [...new Set(wireUserIds)];
    const periods = [...new Set(periodIds)];
    return this.db.read(async (tx) => {
      const users = await findUsersByWireIds(tx, caller.tenantId, caller.appId, idType, userIds);
      const byWireId = new Map(users.map((u) => [wireUserId(u, idType), u]));
      const unknownUser = userIds.find((id) => !byWireId.has(id));
      if (unknownUser !== undefined) throw userNotFound(unknownUser);
      const found = new Set((await findVisiblePeriods(tx, caller.tenantId, periods)).map((p) => p.id));
      const unknownPeriod = periods.find((id) => !found.has(id));
      if (unknownPeriod !== undefined) throw notFound('period_id', unknownPeriod);

      // Rows come newest first, so each list keeps that order (decisions.md OQ-25, as the docs' example lists them).
      const lists = new Map<string, { url: string; create_time: string }[]>();
      const rows = await reviewsOf(
        tx,
        caller.tenantId,
        users.map((u) => u.id),
        periods,
      );
      for (const r of rows) {
        const key = `${r.user_ref}:${r.period_id}:${r.kind}`;
        const doc = { url: r.url, create_time: String(r.create_time) };
        const list = lists.get(key);
        if (list) list.push(doc);
        else lists.set(key, [doc]);
      }
      const documents = (userRefId: string, periodId: string, kind: ReviewKind) =>
        lists.get(`${userRefId}:${periodId}:${kind}`) ?? [];
      return {
        review_list: userIds.map((id) => {
          const user = byWireId.get(id)!;
          return {
            user_id: userRef(user, idType),
            review_period_list: periods.map((periodId) => ({
              period_id: periodId,
              cycle_review_list: documents(user.id, periodId, 'cycle_review'),
              progress_report_list: documents(user.id, periodId, 'progress_report'),
            })),
          };
        }),
      };
    });
  }

  /** Adds a review of the user with employee id `review.employee_id` for a visible period of the tenant. */
  async add(tenantId: string, review: NewReview): Promise<ReviewRow> {
    if (!REVIEW_KINDS.includes(review.kind)) {
      throw invalidParam(`kind: must be one of ${REVIEW_KINDS.join(', ')}`);
    }
    if (!isWebUrl(review.url)) {
      throw invalidParam(`url: must be an http(s) URL of at most ${MAX_URL_LENGTH} characters`);
    }
    return writeTenant(this.db, tenantId, async (tx) => {
      if (!(await findTenant(tx, tenantId))) throw new OkrdError(1001004, `tenant not found: ${tenantId}`);
      const user = await findUserByEmployeeId(tx, tenantId, review.employee_id);
      if (!user) throw userNotFound(review.employee_id);
      const [period] = await findVisiblePeriods(tx, tenantId, [review.period_id]);
      if (!period) throw notFound('period_id', review.period_id);
      const row: ReviewRow = {
        id: this.ids(),
        tenant_id: tenantId,
        user_ref: user.id,
        period_id: period.id,
        kind: review.kind as ReviewKind,
        url: review.url,
        create_time: this.clock(),
      };
      await insertRow(tx, 'reviews', row);
      return row;
    });
  }
}

/** True for an absolute http: or https: URL with a host, not too long to store and show. */
function isWebUrl(text: string): boolean {
  if (text.length > MAX_URL_LENGTH) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
