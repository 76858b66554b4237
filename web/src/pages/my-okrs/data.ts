/** Loading a person's cycles and a cycle's objectives with their key results, every page of each list. */
import { call } from '../../api/client';
import { api } from '../../api/operations';
import { choiceOfCycle, choiceToOpen } from '../../ui/period-choice';

type CyclePage = Awaited<ReturnType<typeof listCyclesPage>>;
export type Cycle = CyclePage['items'][number];
export type Objective = Awaited<ReturnType<typeof objectivesPage>>['items'][number];
export type KeyResult = Awaited<ReturnType<typeof keyResultsPage>>['items'][number];
export type Category = Awaited<ReturnType<typeof categoriesPage>>['items'][number];
export type ObjectiveWithKrs = Objective & { keyResults: KeyResult[] };

const listCyclesPage = (userId: string, pageToken?: string) =>
  call(api.listCycles, { query: { user_id: userId, user_id_type: 'open_id', page_size: 100, page_token: pageToken } });
const objectivesPage = (cycleId: string, pageToken?: string) =>
  call(api.listObjectives, {
    params: { cycle_id: cycleId },
    query: { user_id_type: 'open_id', page_size: 100, page_token: pageToken },
  });
const keyResultsPage = (objectiveId: string, pageToken?: string) =>
  call(api.listKeyResults, {
    params: { objective_id: objectiveId },
    query: { user_id_type: 'open_id', page_size: 100, page_token: pageToken },
  });
const categoriesPage = (pageToken?: string) =>
  call(api.listCategories, { query: { owner_type: 'user', page_size: 100, page_token: pageToken } });

/** Every item of a paged list. */
export async function all<T>(
  page: (token?: string) => Promise<{ items?: T[]; has_more: boolean; page_token?: string }>,
) {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    items.push(...(p.items ?? []));
    token = p.has_more ? p.page_token : undefined;
  } while (token);
  return items;
}

export const loadCycles = (openId: string) => all((token) => listCyclesPage(openId, token));
export const loadCategories = () => all(categoriesPage);

/** A cycle's objectives in order, without their key results (another person's, to align to). */
export const loadObjectiveList = async (cycleId: string) =>
  (await all((token) => objectivesPage(cycleId, token))).sort((a, b) => a.position - b.position);

const loadKeyResults = async (objectiveId: string) =>
  (await all((token) => keyResultsPage(objectiveId, token))).sort((a, b) => a.position - b.position);

/**
 * The cycle's objectives in order, each with its key results in order. Key results already in `known` are kept
 * (only new objectives' are fetched, side by side): after a change to the objectives, one list call rather than one per
 * objective, which keeps a person well inside the per-person rate limit (decisions.md OQ-37).
 */
export async function loadObjectives(
  cycleId: string,
  known: readonly ObjectiveWithKrs[] = [],
): Promise<ObjectiveWithKrs[]> {
  const objectives = await loadObjectiveList(cycleId);
  const krs = await Promise.all(
    objectives.map(async (o) => known.find((k) => k.id === o.id)?.keyResults ?? loadKeyResults(o.id)),
  );
  return objectives.map((o, i) => ({ ...o, keyResults: krs[i]! }));
}

/** `objectives` with the key results of one of them read again (after a change to them). */
export async function withKeyResultsOf(
  objectives: readonly ObjectiveWithKrs[],
  objectiveId: string,
): Promise<ObjectiveWithKrs[]> {
  const keyResults = await loadKeyResults(objectiveId);
  return objectives.map((o) => (o.id === objectiveId ? { ...o, keyResults } : o));
}

/** The cycle to open: the one named in the link, else the one running now, else the latest begun, else the first. */
export function cycleToOpen(cycles: readonly Cycle[], wanted: string | null, now = Date.now()): Cycle | undefined {
  const id = choiceToOpen(cycles.map(choiceOfCycle), wanted, now)?.id;
  return cycles.find((c) => c.id === id);
}
