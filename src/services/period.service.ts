/** v1 periods and period rules. */
import type { ListPeriodRulesData, ListPeriodsData } from '../contract/period.js';
import { invalidParam } from '../errors.js';
import type { Db } from '../store/db.js';
import { listPeriodRules, listVisiblePeriods, type PeriodCursor } from '../store/period.repository.js';
import type { Caller } from './auth.service.js';

function encodeCursor(c: PeriodCursor): string {
  return Buffer.from(`${c.start_time}:${c.id}`).toString('base64url');
}

function decodeCursor(token: string): PeriodCursor {
  const m = /^(-?\d{1,16}):([1-9]\d{0,18})$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m) throw invalidParam('page_token is not a token this server issued');
  return { start_time: Number(m[1]), id: m[2]! };
}

/** Serves period reads. */
export class PeriodService {
  constructor(private readonly db: Db) {}

  /** GET /okr/v1/periods: visible periods, newest first, page_token paging. */
  async list(caller: Caller, pageSize: number, pageToken: string | undefined): Promise<ListPeriodsData> {
    const cursor = pageToken ? decodeCursor(pageToken) : undefined;
    const rows = await this.db.read((tx) => listVisiblePeriods(tx, caller.tenantId, cursor, pageSize + 1));
    const page = rows.slice(0, pageSize);
    const last = page[page.length - 1];
    const hasMore = rows.length > pageSize && last !== undefined;
    return {
      has_more: hasMore,
      ...(hasMore ? { page_token: encodeCursor({ start_time: last.period_start_time, id: last.id }) } : {}),
      items: page.map((p) => ({
        id: p.id,
        zh_name: p.zh_name,
        en_name: p.en_name,
        status: p.status,
        period_start_time: String(p.period_start_time),
        period_end_time: String(p.period_end_time),
      })),
    };
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
