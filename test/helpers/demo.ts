/** Lookups into the demo tenant document, so tests name people and OKRs instead of copying ids. */
import { demoTenantDocument } from '../../src/demo/demo-tenant.js';
import type {
  AppUserRow,
  KeyResultRow,
  ObjectiveRow,
  OkrRow,
  PeriodRow,
  ReviewRow,
  UserRow,
} from '../../src/store/rows.js';

const doc = demoTenantDocument();
const tables = doc.tables as unknown as {
  users: UserRow[];
  app_users: AppUserRow[];
  periods: PeriodRow[];
  okrs: OkrRow[];
  objectives: ObjectiveRow[];
  key_results: KeyResultRow[];
  alignments: { from_objective_id: string; to_objective_id: string }[];
  reviews: ReviewRow[];
};

/** The demo user with this employee id, with the demo app's open_id for them. */
export function demoUser(employeeId: string): UserRow & { open_id: string } {
  const user = tables.users.find((u) => u.employee_id === employeeId);
  if (!user) throw new Error(`no demo user ${employeeId}`);
  return { ...user, open_id: tables.app_users.find((a) => a.user_ref === user.id)!.open_id };
}

/** The demo user with this internal id. */
export function demoUserByRef(ref: string): UserRow & { open_id: string } {
  return demoUser(tables.users.find((u) => u.id === ref)!.employee_id);
}

/** The OKRs of a demo user, in period order (oldest first). */
export function demoOkrsOf(employeeId: string): OkrRow[] {
  const ref = demoUser(employeeId).id;
  const start = new Map(tables.periods.map((p) => [p.id, p.period_start_time]));
  return tables.okrs
    .filter((o) => o.owner_id === ref)
    .sort((a, b) => start.get(a.period_id)! - start.get(b.period_id)!);
}

export const demoTables = tables;

const reviewDoc = (name: string, createTime: number) => ({
  url: `https://okrd.example.com/docs/${name}`,
  create_time: String(createTime),
});

// The demo tenant's reviews as the API lists them, newest first within each kind (decisions.md OQ-25; written out,
// not derived, so a change to the demo shows up).
const DEMO_REVIEWS: Record<string, Record<number, { cycle_review_list: object[]; progress_report_list: object[] }>> = {
  okrd_demo_owner: {
    0: {
      cycle_review_list: [reviewDoc('review-2022-03-chenmin', 1_648_706_400_000)],
      progress_report_list: [
        reviewDoc('report-2022-03-25-chenmin', 1_648_188_000_000),
        reviewDoc('report-2022-03-11-chenmin', 1_646_978_400_000),
      ],
    },
    1: { cycle_review_list: [], progress_report_list: [reviewDoc('report-2022-04-14-chenmin', 1_649_916_000_000)] },
  },
  wangwei: {
    0: { cycle_review_list: [reviewDoc('review-2022-03-wangwei', 1_648_620_000_000)], progress_report_list: [] },
  },
  lina: {
    0: {
      cycle_review_list: [reviewDoc('review-2022-03-lina', 1_648_692_000_000)],
      progress_report_list: [reviewDoc('report-2022-03-18-lina', 1_647_583_200_000)],
    },
  },
};

/** One `review_period_list` entry of the demo tenant: the user's reviews in the demo period at `periodIndex`. */
export function demoReviewPeriod(employeeId: string, periodIndex: number) {
  return {
    period_id: tables.periods[periodIndex]!.id,
    ...(DEMO_REVIEWS[employeeId]?.[periodIndex] ?? { cycle_review_list: [], progress_report_list: [] }),
  };
}
