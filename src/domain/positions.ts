/** Ordering siblings (objectives of a cycle, key results of an objective): the v2 position rules. */

/** The highest 1-based position v2 allows, so also the most siblings one order can hold. */
export const MAX_POSITION = 100;

/**
 * Undefined when `requested` is a full order of `current` (every id exactly once, at most 100), else the rule text
 * naming the offending id. The caller prefixes the field (objective_ids, key_result_ids).
 */
export function checkFullOrder(current: readonly string[], requested: readonly string[]): string | undefined {
  if (requested.length > MAX_POSITION) {
    return `at most ${MAX_POSITION} items can be ordered (got ${requested.length})`;
  }
  const known = new Set(current);
  const seen = new Set<string>();
  for (const id of requested) {
    if (seen.has(id)) return `${id} is listed more than once`;
    if (!known.has(id)) return `${id} is not one of the items being ordered`;
    seen.add(id);
  }
  // Positions would have gaps or collide if one were left out, so a partial order is refused, not completed.
  const missing = current.find((id) => !seen.has(id));
  return missing === undefined ? undefined : `${missing} is missing: the order must list every item`;
}
