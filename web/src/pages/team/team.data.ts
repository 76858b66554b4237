/**
 * The team page's and the alignment map's data, through okrd's read views (`/okrd/api/team`,
 * `/okrd/api/alignment_map`): one call per page of people or per map, where the Feishu API takes one per person.
 * The periods to choose from are those of my own cycles (v1's period list takes tenant tokens only).
 */
import type { Static } from '@sinclair/typebox';
import type {
  AlignmentMapData,
  AlignmentMapQuery,
  TeamData,
  TeamQuery,
} from '../../../../src/contract/okrd/org-views.js';
import { call, op } from '../../api/client';
import { choiceOfCycle, type PeriodChoice } from '../../ui/period-choice';
import { loadCycles } from '../my-okrs/data';

export type TeamPage = Static<typeof TeamData>;
export type Member = TeamPage['items'][number];
export type TeamOkr = NonNullable<Member['okr']>;
export type AlignmentMap = Static<typeof AlignmentMapData>;
export type MapPerson = AlignmentMap['people'][number];
export type MapDepartment = AlignmentMap['departments'][number];

/** A tenant period (v1 period_id), as my own cycle of it tells it. */
export type TeamPeriod = PeriodChoice;

const ops = {
  team: op<{ query: typeof TeamQuery; data: typeof TeamData }>('GET', '/okrd/api/team'),
  map: op<{ query: typeof AlignmentMapQuery; data: typeof AlignmentMapData }>('GET', '/okrd/api/alignment_map'),
};

/** The periods of `me`'s (an open_id) cycles that are in use, newest first. */
export async function loadPeriods(me: string): Promise<TeamPeriod[]> {
  return (await loadCycles(me))
    .filter((c) => c.cycle_status !== 2 && c.cycle_status !== 3)
    .map((c) => ({ ...choiceOfCycle(c), id: c.tenant_cycle_id }))
    .sort((a, b) => b.start - a.start);
}

/** A page of the people I lead with their OKR of the period (the next page after `pageToken`). */
export const loadTeamPage = (periodId: string, lang: 'zh_cn' | 'en_us', pageToken?: string) =>
  call(ops.team, {
    query: { period_id: periodId, lang, page_size: 100, ...(pageToken ? { page_token: pageToken } : {}) },
  });

/** The period's alignment map of the organisation, or of `departmentId` and the departments below it. */
export const loadMap = (periodId: string, lang: 'zh_cn' | 'en_us', departmentId: string) =>
  call(ops.map, { query: { period_id: periodId, lang, ...(departmentId ? { department_id: departmentId } : {}) } });
