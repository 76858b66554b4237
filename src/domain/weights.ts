/** Sibling weights (objectives of a cycle, key results of an objective) as integer thousandths ("milli"). */

// Integers keep sums exact: v2 weights have at most 3 decimals, so 0.125 is stored as 125 and "sums to 1"
// means "sums to 1000" with no float tolerance needed after parsing (OQ-2). v1 shows milli / 10.

/** The weight of a lone item, and the sum every non-empty group of siblings keeps. */
export const WEIGHT_TOTAL = 1000;

/** Milli of a wire weight when it is finite, in [0, 1] and has at most 3 decimals; undefined otherwise. */
export function parseWeight(w: number): number | undefined {
  if (!Number.isFinite(w) || w < 0 || w > 1) return undefined;
  const scaled = w * 1000;
  const milli = Math.round(scaled);
  // Clients compute weights in floats (0.1 + 0.2), so noise far below the third decimal is not a fourth decimal.
  if (Math.abs(scaled - milli) >= 1e-6) return undefined;
  return milli + 0; // + 0 turns -0 into 0
}

/** Undefined when the weights sum to exactly 1000, else the rule text naming their sum as a decimal. */
export function checkWeightSum(milli: readonly number[]): string | undefined {
  const sum = milli.reduce((a, b) => a + b, 0);
  return sum === WEIGHT_TOTAL ? undefined : `weights must sum to 1 (they sum to ${sum / 1000})`;
}

/**
 * New sibling weights after one item is added (OQ-32). Without `given` all n + 1 split 1000 evenly; with `given`
 * (milli) the new item keeps it and the siblings share the rest in proportion. With no siblings the new item gets
 * 1000 whatever was given, because a single item must weigh 1.
 */
export function weightsAfterCreate(
  siblings: readonly number[],
  given?: number,
): { siblings: number[]; created: number } {
  if (siblings.length === 0) return { siblings: [], created: WEIGHT_TOTAL };
  if (given === undefined) {
    // The new item comes last, so the remainder of an uneven split goes to the items already there.
    const split = evenSplit(siblings.length + 1, WEIGHT_TOTAL);
    return { siblings: split.slice(0, -1), created: split[split.length - 1]! };
  }
  const created = Math.min(WEIGHT_TOTAL, Math.max(0, Math.round(given)));
  return { siblings: proportionalSplit(siblings, WEIGHT_TOTAL - created), created };
}

/** Weights of the items left after a delete: they share 1000 in proportion (evenly if all 0); empty stays empty. */
export function weightsAfterDelete(remaining: readonly number[]): number[] {
  return remaining.length === 0 ? [] : proportionalSplit(remaining, WEIGHT_TOTAL);
}

/** `total` cut into n integers differing by at most 1, the larger ones first. */
function evenSplit(n: number, total: number): number[] {
  const base = Math.floor(total / n);
  const extra = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

/** `total` shared in proportion to `weights` by largest-remainder rounding, so the integers sum to it exactly. */
function proportionalSplit(weights: readonly number[], total: number): number[] {
  // Stored rows are trusted but not blindly: a negative or fractional weight must not make the sum drift.
  const clean = weights.map((w) => (Number.isFinite(w) && w > 0 ? Math.round(w) : 0));
  const sum = clean.reduce((a, b) => a + b, 0);
  if (sum === 0) return evenSplit(clean.length, total);
  // Integer division with its remainder keeps every step exact (w * total < 2^53 for any realistic count).
  const shares = clean.map((w, i) => {
    const scaled = w * total;
    const rest = scaled % sum;
    return { i, share: (scaled - rest) / sum, rest };
  });
  let left = total - shares.reduce((a, s) => a + s.share, 0);
  // Ties go to the earlier item so the result does not depend on sort stability details.
  const byRest = [...shares].sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const s of byRest) {
    if (left === 0) break;
    s.share += 1;
    left -= 1;
  }
  return shares.map((s) => s.share);
}
