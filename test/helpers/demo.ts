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
