import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkIndicatorPatch,
  type IndicatorCalcState,
  type IndicatorPatch,
  type IndicatorStatus,
  progressOf,
  riskiest,
  round2,
  statusFromTime,
  weightedProgress,
} from '../../src/domain/indicator.js';

describe('round2', () => {
  it('rounds half away from zero, ignoring float noise', () => {
    const table: [number, number][] = [
      [1.005, 1.01],
      [1.004, 1],
      [-1.005, -1.01],
      [33.333333, 33.33],
      [66.666666, 66.67],
      [0.1 + 0.2, 0.3],
      [100, 100],
      [-0.001, 0],
    ];
    for (const [x, want] of table) assert.equal(round2(x), want, String(x));
    assert.ok(Object.is(round2(-0.001), 0), 'no -0');
  });
});

describe('progressOf', () => {
  it('computes the percent from start, target and current', () => {
    assert.equal(progressOf({ start_value: 0, target_value: 200, current_value: 50 }, 0), 25);
    assert.equal(progressOf({ start_value: 100, target_value: 400, current_value: 200 }, 0), 33.33);
    assert.equal(progressOf({ start_value: 0, target_value: 3, current_value: 2 }, 0), 66.67);
  });

  it('works for falling targets and leaves 0–100 when the values do', () => {
    assert.equal(progressOf({ start_value: 100, target_value: 50, current_value: 75 }, 0), 50, 'reduce to 50');
    assert.equal(progressOf({ start_value: 0, target_value: 10, current_value: 15 }, 0), 150, 'over-achieved');
    assert.equal(progressOf({ start_value: 10, target_value: 20, current_value: 5 }, 0), -50, 'went backwards');
  });

  it('falls back to the progress records when a value is missing or start equals target', () => {
    assert.equal(progressOf({}, 42.5), 42.5);
    assert.equal(progressOf({ start_value: 0, target_value: 10 }, 12), 12, 'no current');
    assert.equal(progressOf({ start_value: 0, target_value: 10, current_value: null }, 12), 12, 'null current');
    assert.equal(progressOf({ start_value: null, target_value: 10, current_value: 5 }, 12), 12, 'no start');
    assert.equal(progressOf({ start_value: 0, current_value: 5 }, 12), 12, 'no target');
    assert.equal(progressOf({ start_value: 5, target_value: 5, current_value: 5 }, 12), 12, 'start = target');
  });

  it('treats 0 as a set value', () => {
    assert.equal(progressOf({ start_value: 0, target_value: 10, current_value: 0 }, 77), 0);
  });
});

describe('statusFromTime', () => {
  const start = 0;
  const end = 1000;

  it('is normal once progress reaches 100, even overdue', () => {
    assert.equal(statusFromTime(100, 500, start, end), 0);
    assert.equal(statusFromTime(130, 5000, start, end), 0);
  });

  it('is overdue after the end, but not at it', () => {
    assert.equal(statusFromTime(99.99, 1001, start, end), 2);
    assert.equal(statusFromTime(80, 1000, start, end), 0);
    assert.equal(statusFromTime(79.99, 1000, start, end), 1);
  });

  it('is at risk when more than 20 points behind the elapsed share', () => {
    assert.equal(statusFromTime(30, 500, start, end), 0, 'exactly 20 behind');
    assert.equal(statusFromTime(29.99, 500, start, end), 1);
    assert.equal(statusFromTime(0, 200, start, end), 0);
    assert.equal(statusFromTime(0, 201, start, end), 1);
  });

  it('expects nothing before the start', () => {
    assert.equal(statusFromTime(0, -5000, start, end), 0);
    assert.equal(statusFromTime(-50, -5000, start, end), 1, 'negative progress is 20 behind 0');
  });

  it('handles a zero-length span', () => {
    assert.equal(statusFromTime(50, 100, 100, 100), 1, 'at the instant: everything expected');
    assert.equal(statusFromTime(50, 99, 100, 100), 0, 'before it');
    assert.equal(statusFromTime(50, 101, 100, 100), 2, 'after it');
    assert.equal(statusFromTime(50, 40, 100, 50), 0, 'deadline before the cycle start, not yet reached');
  });
});

describe('riskiest', () => {
  it('orders 2 over 1 over 0 over -1', () => {
    const table: [IndicatorStatus[], IndicatorStatus][] = [
      [[], -1],
      [[-1], -1],
      [[-1, 0], 0],
      [[0, 1, -1], 1],
      [[1, 2, 0], 2],
      [[2, -1], 2],
    ];
    for (const [statuses, want] of table) assert.equal(riskiest(statuses), want, JSON.stringify(statuses));
  });
});

describe('weightedProgress', () => {
  it('weights each key result by its milli', () => {
    assert.equal(
      weightedProgress([
        { progress: 100, weightMilli: 250 },
        { progress: 50, weightMilli: 750 },
      ]),
      62.5,
    );
    assert.equal(
      weightedProgress([
        { progress: 10, weightMilli: 333 },
        { progress: 20, weightMilli: 333 },
        { progress: 40, weightMilli: 334 },
      ]),
      23.35,
    );
    assert.equal(weightedProgress([{ progress: 150, weightMilli: 1000 }]), 150);
  });

  it('averages when every weight is 0, and is 0 without key results', () => {
    assert.equal(
      weightedProgress([
        { progress: 10, weightMilli: 0 },
        { progress: 20, weightMilli: 0 },
        { progress: 40, weightMilli: 0 },
      ]),
      23.33,
    );
    assert.equal(weightedProgress([]), 0);
  });
});

describe('checkIndicatorPatch', () => {
  const manual: IndicatorCalcState = { status_calculate_type: 0, current_value_calculate_type: 0 };
  const auto: IndicatorCalcState = { status_calculate_type: 1, current_value_calculate_type: 1 };
  const krAuto: IndicatorCalcState = { status_calculate_type: 1, current_value_calculate_type: 2 };
  const check = (kind: 'objective' | 'key_result', current: IndicatorCalcState, patch: IndicatorPatch) =>
    checkIndicatorPatch(kind, current, patch);

  it('accepts an empty patch and the fields each kind allows', () => {
    assert.equal(check('objective', manual, {}), undefined);
    assert.equal(check('key_result', manual, {}), undefined);
    assert.equal(check('objective', manual, { current_value_calculate_type: 1, status_calculate_type: 2 }), undefined);
    assert.equal(check('objective', manual, { current_value: 3, indicator_status: 1 }), undefined);
    assert.equal(
      check('key_result', manual, {
        current_value_calculate_type: 0,
        status_calculate_type: 0,
        start_value: 0,
        target_value: 100,
        current_value: 40,
        unit: { unit_type: 0, unit_value: 'PERCENT' },
        indicator_status: 2,
      }),
      undefined,
    );
  });

  it('limits current_value_calculate_type by kind', () => {
    for (const t of [0, 1]) assert.equal(check('objective', manual, { current_value_calculate_type: t }), undefined);
    for (const t of [2, 3, -1, 0.5]) {
      assert.equal(
        check('objective', manual, { current_value_calculate_type: t }),
        "current_value_calculate_type: must be 0 or 1 for an objective's indicator",
      );
    }
    for (const t of [0, 2]) assert.equal(check('key_result', manual, { current_value_calculate_type: t }), undefined);
    for (const t of [1, 3]) {
      assert.equal(
        check('key_result', manual, { current_value_calculate_type: t }),
        "current_value_calculate_type: must be 0 or 2 for a key result's indicator",
      );
    }
  });

  it('limits status_calculate_type by kind', () => {
    for (const t of [0, 1, 2]) assert.equal(check('objective', manual, { status_calculate_type: t }), undefined);
    assert.equal(
      check('objective', manual, { status_calculate_type: 3 }),
      "status_calculate_type: must be 0, 1 or 2 for an objective's indicator",
    );
    for (const t of [0, 1]) assert.equal(check('key_result', manual, { status_calculate_type: t }), undefined);
    for (const t of [2, -1]) {
      assert.equal(
        check('key_result', manual, { status_calculate_type: t }),
        "status_calculate_type: must be 0 or 1 for a key result's indicator",
      );
    }
  });

  it("refuses start_value, target_value and unit on an objective's indicator, even null", () => {
    assert.equal(
      check('objective', manual, { start_value: 1 }),
      "start_value: cannot be set on an objective's indicator",
    );
    assert.equal(
      check('objective', manual, { target_value: null }),
      "target_value: cannot be set on an objective's indicator",
    );
    assert.equal(
      check('objective', manual, { unit: { unit_type: 0, unit_value: 'NONE' } }),
      "unit: cannot be set on an objective's indicator",
    );
  });

  it('keeps values within ±99999999999', () => {
    const range = 'must be between -99999999999 and 99999999999';
    assert.equal(check('key_result', manual, { start_value: -99999999999, target_value: 99999999999 }), undefined);
    assert.equal(check('key_result', manual, { start_value: -100000000000 }), `start_value: ${range}`);
    assert.equal(check('key_result', manual, { target_value: 100000000000 }), `target_value: ${range}`);
    assert.equal(check('key_result', manual, { current_value: NaN }), `current_value: ${range}`);
    assert.equal(check('objective', manual, { current_value: Infinity }), `current_value: ${range}`);
    assert.equal(check('key_result', manual, { start_value: null, current_value: null }), undefined, 'null clears');
  });

  it('refuses current_value while the resulting value calculation is automatic', () => {
    assert.equal(
      check('objective', auto, { current_value: 5 }),
      'current_value: cannot be set while current_value_calculate_type is 1 (only when it is 0, manual)',
    );
    assert.equal(
      check('key_result', krAuto, { current_value: 5 }),
      'current_value: cannot be set while current_value_calculate_type is 2 (only when it is 0, manual)',
    );
    assert.equal(
      check('objective', manual, { current_value_calculate_type: 1, current_value: 5 }),
      'current_value: cannot be set while current_value_calculate_type is 1 (only when it is 0, manual)',
      'switched to automatic in the same patch',
    );
    assert.equal(check('objective', auto, { current_value_calculate_type: 0, current_value: 5 }), undefined);
    assert.equal(
      check('key_result', { status_calculate_type: 0 }, { current_value: 5 }),
      undefined,
      'unset counts as manual',
    );
    assert.equal(
      check('key_result', { status_calculate_type: 0, current_value_calculate_type: null }, { current_value: 5 }),
      undefined,
    );
  });

  it('allows indicator_status only while the resulting status calculation is manual', () => {
    assert.equal(
      check('objective', auto, { indicator_status: 1 }),
      'indicator_status: cannot be set while status_calculate_type is 1 (only when it is 0, manual)',
    );
    assert.equal(
      check('objective', manual, { status_calculate_type: 2, indicator_status: 1 }),
      'indicator_status: cannot be set while status_calculate_type is 2 (only when it is 0, manual)',
    );
    assert.equal(check('key_result', krAuto, { status_calculate_type: 0, indicator_status: -1 }), undefined);
    for (const bad of [3, -2, 0.5]) {
      assert.equal(check('key_result', manual, { indicator_status: bad }), 'indicator_status: must be -1, 0, 1 or 2');
    }
  });

  it('checks units: public by name, custom 1 to 5 characters', () => {
    for (const v of ['PERCENT', 'NONE', 'YUAN', 'DOLLAR']) {
      assert.equal(check('key_result', manual, { unit: { unit_type: 0, unit_value: v } }), undefined, v);
    }
    for (const v of ['percent', 'EUR', '']) {
      assert.equal(
        check('key_result', manual, { unit: { unit_type: 0, unit_value: v } }),
        'unit.unit_value: must be PERCENT, NONE, YUAN or DOLLAR when unit_type is 0',
        v,
      );
    }
    for (const v of ['个', 'km', '12345', '客户家数量', '😀😀😀😀😀']) {
      assert.equal(check('key_result', manual, { unit: { unit_type: 1, unit_value: v } }), undefined, v);
    }
    for (const v of ['', '123456', '客户家数量多']) {
      assert.equal(
        check('key_result', manual, { unit: { unit_type: 1, unit_value: v } }),
        'unit.unit_value: must be 1 to 5 characters when unit_type is 1',
        v,
      );
    }
    assert.equal(
      check('key_result', manual, { unit: { unit_type: 2, unit_value: 'NONE' } }),
      'unit.unit_type: must be 0 (public) or 1 (custom)',
    );
    assert.equal(check('key_result', manual, { unit: { unit_value: 'NONE' } }), 'unit.unit_type: is required');
    assert.equal(check('key_result', manual, { unit: { unit_type: 0 } }), 'unit.unit_value: is required');
  });
});
