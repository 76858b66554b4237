/** Reviews: the review documents and progress reports users keep per period. */
import { inList, type Tx } from './db.js';
import type { ReviewRow } from './rows.js';

/** The tenant's reviews by any of `userRefs` in any of `periodIds`, newest first (one query for the whole grid). */
export async function reviewsOf(
  tx: Tx,
  tenantId: string,
  userRefs: readonly string[],
  periodIds: readonly string[],
): Promise<ReviewRow[]> {
  if (userRefs.length === 0 || periodIds.length === 0) return [];
  return tx.all(
    `SELECT * FROM reviews
      WHERE tenant_id = ? AND user_ref IN (${inList(userRefs.length)}) AND period_id IN (${inList(periodIds.length)})
      ORDER BY create_time DESC, id DESC`,
    [tenantId, ...userRefs, ...periodIds],
  );
}
