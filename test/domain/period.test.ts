import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fitsRule,
  formatMonth,
  monthStartTime,
  parseMonth,
  periodBounds,
  periodLength,
  periodJaName,
  periodNames,
  type PeriodRuleShape,
} from '../../src/domain/period.js';

const month = (s: string) => {
  const m = parseMonth(s);
  assert.notEqual(m, undefined, `${s} parses`);
  return m!;
};
/** The start months (1–12) of one year that a rule accepts. */
const startMonths = (rule: PeriodRuleShape) =>
  Array.from({ length: 12 }, (_, i) => i + 1).filter((m) =>
    fitsRule(rule, month(`2023-${String(m).padStart(2, '0')}`)),
  );

describe('parseMonth / formatMonth', () => {
  it('parses YYYY-MM into year * 12 + month - 1', () => {
    assert.equal(parseMonth('2022-03'), 2022 * 12 + 2);
    assert.equal(parseMonth('2022-01'), 2022 * 12);
    assert.equal(parseMonth('2022-12'), 2022 * 12 + 11);
    assert.equal(parseMonth('0001-01'), 12);
  });

  it('rejects anything but a four-digit year and a two-digit month 01–12', () => {
    for (const bad of ['2022-00', '2022-13', '2022-3', '22-03', '2022/03', '2022-03-01', ' 2022-03', '2022-03 ', '']) {
      assert.equal(parseMonth(bad), undefined, JSON.stringify(bad));
    }
  });

  it('formats back to the same string, across year ends', () => {
    for (const s of ['2021-12', '2022-01', '2022-03', '2022-12', '0999-07', '9999-12']) {
      assert.equal(formatMonth(month(s)), s);
    }
    assert.equal(formatMonth(month('2022-12') + 1), '2023-01');
    assert.equal(formatMonth(month('2023-01') - 1), '2022-12');
  });
});

describe('fitsRule', () => {
  it('monthly rules of length 1 accept every month', () => {
    assert.deepEqual(
      startMonths({ type: 'month', length: 1, first_month: 1 }),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
  });

  it('quarterly rules accept every third month counted from first_month', () => {
    assert.deepEqual(startMonths({ type: 'month', length: 3, first_month: 1 }), [1, 4, 7, 10]);
    assert.deepEqual(startMonths({ type: 'month', length: 3, first_month: 2 }), [2, 5, 8, 11]);
    assert.deepEqual(startMonths({ type: 'month', length: 3, first_month: 12 }), [3, 6, 9, 12]);
  });

  it('half-year and two-month rules line up with first_month too', () => {
    assert.deepEqual(startMonths({ type: 'month', length: 6, first_month: 4 }), [4, 10]);
    assert.deepEqual(startMonths({ type: 'month', length: 2, first_month: 2 }), [2, 4, 6, 8, 10, 12]);
  });

  it('yearly rules accept only first_month, whatever length says', () => {
    assert.deepEqual(startMonths({ type: 'year', length: 1, first_month: 1 }), [1]);
    assert.deepEqual(startMonths({ type: 'year', length: 3, first_month: 7 }), [7]);
    assert.equal(periodLength({ type: 'year', length: 3, first_month: 7 }), 12);
    assert.equal(periodLength({ type: 'month', length: 3, first_month: 7 }), 3);
  });

  it('gives the same answer in every year', () => {
    const rule: PeriodRuleShape = { type: 'month', length: 3, first_month: 2 };
    for (const year of [1999, 2022, 2023, 2100]) {
      assert.equal(fitsRule(rule, month(`${year}-05`)), true, `${year}-05`);
      assert.equal(fitsRule(rule, month(`${year}-06`)), false, `${year}-06`);
    }
  });
});

describe('periodNames', () => {
  it('names one month as Feishu does', () => {
    assert.deepEqual(periodNames(month('2022-03'), month('2022-03')), { zh_name: '2022 年 3 月', en_name: 'Mar 2022' });
    assert.deepEqual(periodNames(month('2022-12'), month('2022-12')), {
      zh_name: '2022 年 12 月',
      en_name: 'Dec 2022',
    });
  });

  it('names a range inside one year with the year once, as the docs’ example does', () => {
    assert.deepEqual(periodNames(month('2022-01'), month('2022-03')), {
      zh_name: '2022 年 1 月 - 3 月',
      en_name: 'Jan - Mar 2022',
    });
    assert.deepEqual(periodNames(month('2022-07'), month('2022-12')), {
      zh_name: '2022 年 7 月 - 12 月',
      en_name: 'Jul - Dec 2022',
    });
  });

  it('names a whole calendar year by its number', () => {
    assert.deepEqual(periodNames(month('2022-01'), month('2022-12')), { zh_name: '2022 年', en_name: '2022' });
  });

  it('names a range across years with both years', () => {
    assert.deepEqual(periodNames(month('2022-11'), month('2023-01')), {
      zh_name: '2022 年 11 月 - 2023 年 1 月',
      en_name: 'Nov 2022 - Jan 2023',
    });
    // Twelve months that are not January–December are not "a year".
    assert.deepEqual(periodNames(month('2022-04'), month('2023-03')), {
      zh_name: '2022 年 4 月 - 2023 年 3 月',
      en_name: 'Apr 2022 - Mar 2023',
    });
  });
});

describe('periodJaName', () => {
  it('names periods the Japanese way: no spaces, a wave dash between months', () => {
    assert.equal(periodJaName(month('2022-03'), month('2022-03')), '2022年3月');
    assert.equal(periodJaName(month('2022-12'), month('2022-12')), '2022年12月');
    assert.equal(periodJaName(month('2022-01'), month('2022-03')), '2022年1月～3月');
    assert.equal(periodJaName(month('2022-01'), month('2022-12')), '2022年');
    assert.equal(periodJaName(month('2022-11'), month('2023-01')), '2022年11月～2023年1月');
    assert.equal(periodJaName(month('2022-04'), month('2023-03')), '2022年4月～2023年3月');
  });
});

describe('periodBounds', () => {
  it('runs from local midnight on the 1st to the last millisecond of the last month (+08:00)', () => {
    const m = month('2022-03');
    assert.deepEqual(periodBounds(m, m, 480), { period_start_time: 1646064000000, period_end_time: 1648742399999 });
    assert.equal(new Date(1646064000000).toISOString(), '2022-02-28T16:00:00.000Z');
    assert.equal(new Date(1648742399999).toISOString(), '2022-03-31T15:59:59.999Z');
  });

  it('follows the tenant offset, east and west of UTC', () => {
    const m = month('2022-03');
    assert.deepEqual(periodBounds(m, m, 0), {
      period_start_time: Date.parse('2022-03-01T00:00:00Z'),
      period_end_time: Date.parse('2022-03-31T23:59:59.999Z'),
    });
    assert.equal(monthStartTime(m, -300), Date.parse('2022-03-01T05:00:00Z'));
    assert.equal(monthStartTime(m, 330), Date.parse('2022-02-28T18:30:00Z'));
  });

  it('ends a range at the end of its last month, across a year end and through a leap February', () => {
    assert.deepEqual(periodBounds(month('2023-11'), month('2024-02'), 480), {
      period_start_time: Date.parse('2023-11-01T00:00:00+08:00'),
      period_end_time: Date.parse('2024-02-29T23:59:59.999+08:00'),
    });
    assert.equal(periodBounds(month('2022-12'), month('2022-12'), 480).period_end_time, 1672502399999);
  });

  it('makes consecutive periods meet without a gap or an overlap', () => {
    const march = periodBounds(month('2022-03'), month('2022-03'), 480);
    const april = periodBounds(month('2022-04'), month('2022-04'), 480);
    assert.equal(april.period_start_time, march.period_end_time + 1);
  });
});
