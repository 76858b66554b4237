/** Period (OKR cycle) arithmetic: months, names in Chinese, English and Japanese, and time bounds. */

/** How a tenant cuts the year into periods (Feishu "period rule"). */
export interface PeriodRuleShape {
  type: 'month' | 'year';
  /** Period length in months. */
  length: number;
  /** First start month of the year, 1–12. */
  first_month: number;
}

/** A month as a single integer: year * 12 + (month - 1). */
export type MonthIndex = number;

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses "YYYY-MM"; undefined when malformed. */
export function parseMonth(s: string): MonthIndex | undefined {
  const m = MONTH_PATTERN.exec(s);
  return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : undefined;
}

/** Formats a month index as "YYYY-MM". */
export function formatMonth(month: MonthIndex): string {
  const y = Math.floor(month / 12);
  return `${String(y).padStart(4, '0')}-${String((month % 12) + 1).padStart(2, '0')}`;
}

/** The months a rule makes a period last. */
export function periodLength(rule: PeriodRuleShape): number {
  return rule.type === 'year' ? 12 : rule.length;
}

/** True when a period of this rule may start in `start` (its month lines up with first_month and the length). */
export function fitsRule(rule: PeriodRuleShape, start: MonthIndex): boolean {
  const len = periodLength(rule);
  return ((((start % 12) - (rule.first_month - 1)) % len) + len) % len === 0;
}

/** The years (e.g. 2022) and months (1–12) of the period [start, end]. */
function span(start: MonthIndex, end: MonthIndex) {
  return { sy: Math.floor(start / 12), ey: Math.floor(end / 12), sm: (start % 12) + 1, em: (end % 12) + 1 };
}

/**
 * Chinese and English display names of the period [start, end] (inclusive months), as Feishu shows them: "2022 年 3 月"
 * / "Mar 2022", "2022 年 1 月 - 3 月" / "Jan - Mar 2022" (the docs' example of a multi-month period), "2022 年" / "2022"
 * for a calendar year, and both years when the period crosses one.
 */
export function periodNames(start: MonthIndex, end: MonthIndex): { zh_name: string; en_name: string } {
  const { sy, ey, sm, em } = span(start, end);
  if (start === end) return { zh_name: `${sy} 年 ${sm} 月`, en_name: `${EN_MONTHS[sm - 1]} ${sy}` };
  if (sy === ey && sm === 1 && em === 12) return { zh_name: `${sy} 年`, en_name: `${sy}` };
  if (sy === ey) {
    return { zh_name: `${sy} 年 ${sm} 月 - ${em} 月`, en_name: `${EN_MONTHS[sm - 1]} - ${EN_MONTHS[em - 1]} ${sy}` };
  }
  return {
    zh_name: `${sy} 年 ${sm} 月 - ${ey} 年 ${em} 月`,
    en_name: `${EN_MONTHS[sm - 1]} ${sy} - ${EN_MONTHS[em - 1]} ${ey}`,
  };
}

/**
 * The Japanese display name of the period [start, end], computed (periods keep no Japanese name): "2022年3月",
 * "2022年1月～3月", "2022年" for a calendar year, "2022年11月～2023年1月" across years. Japanese writes dates without
 * spaces and ranges with a wave dash.
 */
export function periodJaName(start: MonthIndex, end: MonthIndex): string {
  const { sy, ey, sm, em } = span(start, end);
  if (start === end) return `${sy}年${sm}月`;
  if (sy === ey && sm === 1 && em === 12) return `${sy}年`;
  if (sy === ey) return `${sy}年${sm}月～${em}月`;
  return `${sy}年${sm}月～${ey}年${em}月`;
}

/** Epoch ms of local midnight on the first day of `month`, for a tenant `utcOffsetMinutes` east of UTC. */
export function monthStartTime(month: MonthIndex, utcOffsetMinutes: number): number {
  return Date.UTC(Math.floor(month / 12), month % 12, 1) - utcOffsetMinutes * 60_000;
}

/** The time bounds of the period [start, end]: first ms of its first month to last ms of its last month. */
export function periodBounds(
  start: MonthIndex,
  end: MonthIndex,
  utcOffsetMinutes: number,
): { period_start_time: number; period_end_time: number } {
  return {
    period_start_time: monthStartTime(start, utcOffsetMinutes),
    period_end_time: monthStartTime(end + 1, utcOffsetMinutes) - 1,
  };
}
