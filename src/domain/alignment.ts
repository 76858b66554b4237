/** The v2 alignment rules: which objective may align to which. */

/** One side of an alignment: the objective, who owns it and its cycle's time bounds (epoch ms, inclusive). */
export interface AlignmentEnd {
  objectiveId: string;
  /** Identifies the owner (user or department) so "your own objective" compares one value. */
  ownerKey: string;
  start: number;
  end: number;
}

/** An existing alignment: objective `from` aligns to objective `to`. */
export interface AlignmentEdge {
  from: string;
  to: string;
}

/** Undefined when `from` may align to `to` given the `existing` alignments, else the rule text. */
export function alignmentRule(
  from: AlignmentEnd,
  to: AlignmentEnd,
  existing: readonly AlignmentEdge[],
): string | undefined {
  if (from.objectiveId === to.objectiveId) return 'an objective cannot align to itself';
  if (from.ownerKey === to.ownerKey) return 'you cannot align to your own objective';
  if (from.start > to.end || to.start > from.end) return "the two objectives' cycles do not overlap in time";
  if (existing.some((e) => e.from === from.objectiveId && e.to === to.objectiveId)) {
    return `already aligned to objective ${to.objectiveId}`;
  }
  if (reaches(to.objectiveId, from.objectiveId, existing)) {
    return `aligning to objective ${to.objectiveId} would make a loop of alignments`;
  }
  return undefined;
}

/** True when following alignments from `start` can arrive at `goal`. */
function reaches(start: string, goal: string, edges: readonly AlignmentEdge[]): boolean {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const list = next.get(e.from);
    if (list) list.push(e.to);
    else next.set(e.from, [e.to]);
  }
  // Iterative walk with a visited set: stored data may already hold a loop, and that must not hang the check.
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const to of next.get(stack.pop()!) ?? []) {
      if (to === goal) return true;
      if (!seen.has(to)) {
        seen.add(to);
        stack.push(to);
      }
    }
  }
  return false;
}
