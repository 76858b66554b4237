/** v1 periods and period rules. */
import type { CreatePeriodData, ListPeriodRulesData, ListPeriodsData } from '../contract/period.js';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { fitsRule, formatMonth, parseMonth, periodBounds, periodLength, periodNames } from '../domain/period.js';
import { invalidParam, notFound, periodExists, periodRuleMismatch } from '../errors.js';
import type { Db } from '../store/db.js';
import {
  findPeriodRule,
  listPeriodRules,
  listPeriods,
  lockTenantPeriods,
  periodOverlaps,
  setPeriodStatus,
} from '../store/period.repository.js';
import type { PeriodRow } from '../store/rows.js';
import { insertRow } from '../store/table.repository.js';
import { findTenant } from '../store/tenant.repository.js';
import { writeTenant } from '../store/tenant-write.js';
import type { Caller } from './auth.service.js';
import { decodeCursor, toPage } from './paging.js';

/** The largest page of periods served; larger requests get this many. */
const MAX_PAGE_SIZE = 100;

/** Serves the v1 period endpoints. */
export class PeriodService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  /** POST /okr/v1/periods: a period of the rule starting in `startMonth`, unless one already covers that time. */
  async create(caller: Caller, ruleId: string, startMonth: string): Promise<CreatePeriodData> {
    const start = parseMonth(startMonth);
    if (start === undefined) throw invalidParam('start_month: must be YYYY-MM');
    return writeTenant(this.db, caller.tenantId, async (tx) => {
      const rule = await findPeriodRule(tx, caller.tenantId, ruleId);
      if (!rule) throw notFound('period_rule_id', ruleId);
      if (!fitsRule(rule, start)) throw periodRuleMismatch();
      const end = start + periodLength(rule) - 1;
      const tenant = await findTenant(tx, caller.tenantId);
      const bounds = periodBounds(start, end, tenant!.utc_offset_minutes);
      await lockTenantPeriods(tx, caller.tenantId);
      if (await periodOverlaps(tx, caller.tenantId, bounds.period_start_time, bounds.period_end_time))
        throw periodExists();
      const now = this.clock();
      const row: PeriodRow = {
        id: this.ids(),
        tenant_id: caller.tenantId,
        rule_id: rule.id,
        ...periodNames(start, end),
        status: 0,
        start_month: formatMonth(start),
        end_month: formatMonth(end),
        ...bounds,
        created_at: now,
        updated_at: now,
      };
      await insertRow(tx, 'periods', row);
      return { period_id: row.id, start_month: row.start_month, end_month: row.end_month };
    });
  }

  /** PATCH /okr/v1/periods/:id: the status of the period for the whole tenant. */
  async setStatus(caller: Caller, periodId: string, status: 1 | 2 | 3): Promise<{ period_id: string; status: number }> {
    const found = await writeTenant(this.db, caller.tenantId, (tx) =>
      setPeriodStatus(tx, periodId, status, this.clock()),
    );
    if (!found) throw notFound('period_id', periodId);
    return { period_id: periodId, status };
  }

  /**
   * GET /okr/v1/periods: every period, hidden ones too (`status: 3`), newest first, page_token paging; a `page_size`
   * above 100 is served as 100 (decisions.md OQ-21).
   */
  async list(caller: Caller, requestedPageSize: number, pageToken: string | undefined): Promise<ListPeriodsData> {
    const pageSize = Math.min(requestedPageSize, MAX_PAGE_SIZE);
    const cursor = pageToken ? decodeCursor(pageToken, ['number', 'string']) : undefined;
    const rows = await this.db.read((tx) =>
      listPeriods(tx, caller.tenantId, cursor && { start_time: cursor[0], id: cursor[1] }, pageSize + 1),
    );
    return toPage(
      rows,
      pageSize,
      (p) => [p.period_start_time, p.id],
      (p) => ({
        id: p.id,
        zh_name: p.zh_name,
        en_name: p.en_name,
        status: p.status,
        period_start_time: String(p.period_start_time),
        period_end_time: String(p.period_end_time),
      }),
    );
  }

  /** GET /okr/v1/period_rules. */
  async rules(caller: Caller): Promise<ListPeriodRulesData> {
    const rows = await this.db.read((tx) => listPeriodRules(tx, caller.tenantId));
    return {
      period_rules: rows.map((r) => ({
        period_rule_id: r.id,
        type: r.type,
        length: r.length,
        first_month: r.first_month,
      })),
    };
  }
}
