/**
 * The v2 wire views of objectives and key results (spec §4.0), from the one model v1 reads too (decisions.md OQ-12):
 * scores stored 0–100 show as score / 100, weights stored in thousandths as milli / 1000, a deadline only when set.
 */
import type { KeyResult } from '../../contract/v2/key-result.js';
import type { Objective } from '../../contract/v2/objective.js';
import { mentionedUsers, type Content } from '../../domain/rich-text.js';
import type { KeyResultRow, ObjectiveRow } from '../../store/rows.js';
import { toV2 } from '../v2-rich-text.mapper.js';
import type { OwnerRefs, WireNames } from '../wire-names.js';

/** An objective row with its cycle's owner (ObjectiveWithCycle, or a row spread with its cycle's owner columns). */
export type ObjectiveViewRow = ObjectiveRow & OwnerRefs;
/** A key-result row with its cycle's owner. */
export type KeyResultViewRow = KeyResultRow & OwnerRefs;

const parse = (json: string) => JSON.parse(json) as Content;

/**
 * The users the views of `rows` mention in their rich text (content, and notes of objectives): pass them to
 * WireNames.loadOwners beside the owners, so one query names them all.
 */
export function mentionedUserRefs(rows: readonly (ObjectiveRow | KeyResultRow)[]): string[] {
  const refs = new Set<string>();
  for (const row of rows) {
    for (const ref of mentionedUsers(parse(row.content))) refs.add(ref);
    if ('notes' in row) for (const ref of mentionedUsers(parse(row.notes))) refs.add(ref);
  }
  return [...refs];
}

/** The fields objectives and key results share. */
function common(row: ObjectiveViewRow | KeyResultViewRow, names: WireNames) {
  return {
    id: row.id,
    create_time: String(row.created_at),
    update_time: String(row.updated_at),
    owner: names.owner(row),
  };
}

const deadlineOf = (row: { deadline: number }) => (row.deadline ? { deadline: String(row.deadline) } : {});

/** The v2 Objective of a row; `names` must have loaded its owner and mentionedUserRefs([row]). */
export function objectiveView(row: ObjectiveViewRow, names: WireNames): Objective {
  const user = names.user.bind(names);
  return {
    ...common(row, names),
    cycle_id: row.okr_id,
    position: row.position,
    content: toV2(parse(row.content), user),
    score: row.score / 100,
    notes: toV2(parse(row.notes), user),
    weight: row.weight_milli / 1000,
    ...deadlineOf(row),
    ...(row.category_id ? { category_id: row.category_id } : {}),
  };
}

/** The v2 KeyResult of a row; `names` must have loaded its owner and mentionedUserRefs([row]). */
export function keyResultView(row: KeyResultViewRow, names: WireNames): KeyResult {
  return {
    ...common(row, names),
    objective_id: row.objective_id,
    position: row.position,
    content: toV2(parse(row.content), names.user.bind(names)),
    score: row.score / 100,
    weight: row.weight_milli / 1000,
    ...deadlineOf(row),
  };
}
