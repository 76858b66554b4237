/**
 * The team page's data, through the Feishu APIs the UI already calls: the organisation's departments and people (the
 * contact API, 50 a page), the people whose leader chain reaches me, and each one's OKR of a period (v1, one call a
 * person: as many calls as the team has people, so a very large organisation would want an okrd read endpoint).
 */
import type { Static } from '@sinclair/typebox';
import type {
  ChildrenQuery,
  ContactDepartment,
  ContactUser,
  DepartmentPageData,
  DepartmentParams,
  FindByDepartmentQuery,
  UserPageData,
} from '../../../../src/contract/contact/contact.js';
import type { Okr, UserOkrsParams, UserOkrsQuery, UserOkrsResponse } from '../../../../src/contract/okr.js';
import { call, op } from '../../api/client';
import { loadCycles } from '../my-okrs/data';

export type Person = Static<typeof ContactUser>;
export type Department = Static<typeof ContactDepartment>;
export type TeamOkr = Static<typeof Okr>;
/** A tenant period (v1 period_id), as my own cycle of it tells it (v1's period list takes tenant tokens only). */
export interface TeamPeriod {
  id: string;
  start: number;
  end: number;
}

const ops = {
  children: op<{ params: typeof DepartmentParams; query: typeof ChildrenQuery; data: typeof DepartmentPageData }>(
    'GET',
    '/open-apis/contact/v3/departments/:department_id/children',
  ),
  members: op<{ query: typeof FindByDepartmentQuery; data: typeof UserPageData }>(
    'GET',
    '/open-apis/contact/v3/users/find_by_department',
  ),
  userOkrs: op<{
    params: typeof UserOkrsParams;
    query: typeof UserOkrsQuery;
    data: (typeof UserOkrsResponse)['properties']['data'];
  }>('GET', '/open-apis/okr/v1/users/:user_id/okrs'),
};

const IDS = { user_id_type: 'open_id', department_id_type: 'department_id' } as const;

/** Every page of a paged list. */
async function all<T>(page: (token?: string) => Promise<{ has_more: boolean; page_token?: string; items: T[] }>) {
  const out: T[] = [];
  for (let token: string | undefined, more = true; more;) {
    const got = await page(token);
    out.push(...got.items);
    more = got.has_more && !!got.page_token;
    token = got.page_token;
  }
  return out;
}

/** A person I lead, with how far down my chain they are (1: reports to me). */
export interface Member {
  person: Person;
  depth: number;
}

export interface Team {
  members: Member[];
  /** The departments I lead, with their members. */
  departments: { department: Department; members: Person[] }[];
  periods: TeamPeriod[];
}

/** The organisation as the contact API shows it: its departments, their direct members, everyone by open_id. */
export interface Organisation {
  departments: Department[];
  /** Department id ("0": in no department) → its direct members. */
  membersOf: Map<string, Person[]>;
  people: Map<string, Person>;
  /** The periods of my cycles, newest first. */
  periods: TeamPeriod[];
}

/** The organisation's departments and active people, and the periods of `me`'s (an open_id) cycles. */
export async function loadOrganisation(me: string): Promise<Organisation> {
  const [departments, cycles] = await Promise.all([
    all((page_token) =>
      call(ops.children, {
        params: { department_id: '0' },
        query: { ...IDS, fetch_child: true, page_size: 50, ...(page_token ? { page_token } : {}) },
      }),
    ),
    loadCycles(me),
  ]);
  const membersOf = new Map<string, Person[]>();
  await Promise.all(
    ['0', ...departments.map((d) => d.department_id)].map(async (department_id) => {
      membersOf.set(
        department_id,
        await all((page_token) =>
          call(ops.members, {
            query: { ...IDS, department_id, page_size: 50, ...(page_token ? { page_token } : {}) },
          }),
        ),
      );
    }),
  );
  return {
    departments,
    membersOf,
    people: new Map([...membersOf.values()].flat().map((p) => [p.open_id, p])),
    periods: cycles
      .filter((c) => c.cycle_status !== 2 && c.cycle_status !== 3)
      .map((c) => ({ id: c.tenant_cycle_id, start: Number(c.start_time), end: Number(c.end_time) }))
      .sort((a, b) => b.start - a.start),
  };
}

/** The people and departments `me` (an open_id) leads, and the periods of my cycles. */
export async function loadTeam(me: string): Promise<Team> {
  const org = await loadOrganisation(me);
  // Walk down from me, breadth first: each person once, at their shortest distance (a bad chain cannot loop).
  const reports = new Map<string, Person[]>();
  for (const p of org.people.values()) {
    if (p.leader_user_id) reports.set(p.leader_user_id, [...(reports.get(p.leader_user_id) ?? []), p]);
  }
  const members: Member[] = [];
  const seen = new Set([me]);
  for (let level = reports.get(me) ?? [], depth = 1; level.length > 0; depth++) {
    const next: Person[] = [];
    for (const p of level) {
      if (seen.has(p.open_id)) continue;
      seen.add(p.open_id);
      members.push({ person: p, depth });
      next.push(...(reports.get(p.open_id) ?? []));
    }
    level = next;
  }
  return {
    members,
    departments: org.departments
      .filter((d) => d.leader_user_id === me)
      .map((department) => ({ department, members: org.membersOf.get(department.department_id) ?? [] })),
    periods: org.periods,
  };
}

/** The period the link names, else the one containing now, else the latest that has started, else the newest. */
export function periodToOpen(periods: readonly TeamPeriod[], asked: string | null): TeamPeriod | undefined {
  const now = Date.now();
  return (
    periods.find((p) => p.id === asked) ??
    periods.find((p) => p.start <= now && now <= p.end) ??
    periods.find((p) => p.start <= now) ??
    periods[0]
  );
}

/** Each person's OKRs of `periodId` (one call a person, all at once). */
export async function loadOkrs(people: readonly Person[], periodId: string, lang: 'zh_cn' | 'en_us') {
  const okrs = await Promise.all(
    people.map(async (person) => {
      const { okr_list } = await call(ops.userOkrs, {
        params: { user_id: person.open_id },
        query: { offset: '0', limit: '10', user_id_type: 'open_id', lang, period_ids: [periodId] },
      });
      return [person.open_id, okr_list] as const;
    }),
  );
  return new Map(okrs);
}
