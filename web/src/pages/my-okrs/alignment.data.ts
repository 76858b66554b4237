/**
 * An objective's alignments as My OKRs shows them: which way (aligned to / aligned by), whose objective is at the other
 * end and its text; and what a person may align to: another person's cycles that overlap this one in time (the
 * server's rule) and their objectives.
 */
import { alignmentApi } from '../../api/alignment.operations';
import { ApiError, call } from '../../api/client';
import { progressApi } from '../../api/progress.operations';
import { namesOf, type PersonName } from '../../api/people';
import { mentionsOf } from './content';
import { all, loadCycles, type Cycle, type Objective } from './data';

const Q = { user_id_type: 'open_id' } as const;

/** One alignment seen from one of its objectives. */
export interface AlignmentView {
  id: string;
  /** `to`: this objective aligns to the other; `by`: the other aligns to this one. */
  direction: 'to' | 'by';
  /** The other objective's owner (an open_id; a department's OKRs have none). */
  ownerId?: string;
  /** The other objective; undefined when the person may not read it (its id and owner are not secret, OQ-29). */
  other?: Objective;
}

/** What the alignments of an objective need to be shown: them, and the names of people they name. */
export interface Alignments {
  items: AlignmentView[];
  names: ReadonlyMap<string, PersonName>;
}

/** An objective the person may not read comes back as 1001002: shown without its text, not as an error. */
async function readable(objectiveId: string): Promise<Objective | undefined> {
  try {
    return (await call(progressApi.getObjective, { params: { objective_id: objectiveId }, query: Q })).objective;
  } catch (err) {
    if (err instanceof ApiError && err.code === 1001002) return undefined;
    throw err;
  }
}

/**
 * The alignments of `objectiveId` with the other ends' objectives and people's names: those it aligns to first, then
 * those aligned to it, each oldest first.
 */
export async function loadAlignments(objectiveId: string): Promise<Alignments> {
  const rows = await all((token) =>
    call(alignmentApi.listAlignments, {
      params: { objective_id: objectiveId },
      query: { ...Q, page_size: 100, page_token: token },
    }),
  );
  const items = await Promise.all(
    rows.map(async (a): Promise<AlignmentView> => {
      const direction = a.from_entity_id === objectiveId ? 'to' : 'by';
      const [otherId, owner] = direction === 'to' ? [a.to_entity_id, a.to_owner] : [a.from_entity_id, a.from_owner];
      return { id: a.id, direction, ownerId: owner.user_id, other: await readable(otherId) };
    }),
  );
  items.sort((a, b) => Number(b.direction === 'to') - Number(a.direction === 'to'));
  const people = items.flatMap((i) => [...(i.ownerId ? [i.ownerId] : []), ...mentionsOf(i.other?.content)]);
  return { items, names: people.length > 0 ? await namesOf(people) : new Map() };
}

/** `openId`'s cycles that overlap `cycle` in time, the latest first: the only ones the server lets it align to. */
export async function overlappingCycles(openId: string, cycle: Cycle): Promise<Cycle[]> {
  const start = Number(cycle.start_time);
  const end = Number(cycle.end_time);
  return (await loadCycles(openId))
    .filter((c) => Number(c.start_time) <= end && start <= Number(c.end_time))
    .sort((a, b) => Number(b.start_time) - Number(a.start_time));
}

/** `objectiveId` aligns to `targetId`. */
export const align = (objectiveId: string, targetId: string) =>
  call(alignmentApi.createAlignment, {
    params: { objective_id: objectiveId },
    query: Q,
    body: { to_entity_type: 2, to_entity_id: targetId },
  });

/** Removes an alignment (both objectives stay). */
export const unalign = (alignmentId: string) =>
  call(alignmentApi.deleteAlignment, { params: { alignment_id: alignmentId } });
