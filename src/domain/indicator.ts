/** v2 indicators (spec §4.0, §4.6): progress and status computed when read (OQ-31), and the PATCH rules. */

/** Indicator status: -1 undefined, 0 normal, 1 at risk, 2 overdue/delayed (same integers as v1 progress status). */
export type IndicatorStatus = -1 | 0 | 1 | 2;

/** How the status is found: 0 manual, 1 from progress and time, 2 from the riskiest key result (objectives only). */
export type StatusCalc = 0 | 1 | 2;

/**
 * How the current value is found: 0 manual, 1 from the key results' progress (objectives only), 2 from undertaken
 * progress (key results only; okrd has no undertaking, so 2 means the key result's own progress percent).
 */
export type ValueCalc = 0 | 1 | 2;

/** Which entity an indicator belongs to; the PATCH rules differ between the two. */
export type IndicatorKind = 'objective' | 'key_result';

/** The numeric values of an indicator, each possibly unset. */
export interface IndicatorValues {
  start_value?: number | null;
  target_value?: number | null;
  current_value?: number | null;
}

/** The calculate types an indicator has now; an unset value calculate type counts as 0 (manual). */
export interface IndicatorCalcState {
  status_calculate_type: number;
  current_value_calculate_type?: number | null;
}

/** The unit of a PATCH body; both fields are required on the wire but checked here so the message is ours. */
export interface IndicatorUnitPatch {
  unit_type?: number;
  unit_value?: string;
}

/** A PATCH /okr/v2/indicators/:id body; a field that is undefined was not sent, null asks to clear a value. */
export interface IndicatorPatch extends IndicatorValues {
  current_value_calculate_type?: number;
  status_calculate_type?: number;
  unit?: IndicatorUnitPatch;
  indicator_status?: number;
}

/** The largest magnitude an indicator value may have (±99999999999, spec §4.0). */
export const MAX_INDICATOR_VALUE = 99_999_999_999;

/** The public units (unit_type 0). */
export const PUBLIC_UNITS: readonly string[] = ['PERCENT', 'NONE', 'YUAN', 'DOLLAR'];

/** The most characters a custom unit (unit_type 1) may have. */
export const MAX_CUSTOM_UNIT_LENGTH = 5;

// How far behind the time-proportional expectation progress may fall before it is "at risk", in percent points.
const RISK_MARGIN = 20;
const MANUAL_ONLY = '(only when it is 0, manual)';

/** Rounds to 2 decimals, half away from zero, ignoring float noise (1.005 → 1.01, not 1.00). */
export function round2(x: number): number {
  // toPrecision(15) drops the binary tail (100.49999999999999 → 100.5) before deciding which way to round.
  const hundredths = Math.round(Number((Math.abs(x) * 100).toPrecision(15)));
  return (Math.sign(x) * hundredths) / 100 + 0; // + 0 turns -0 into 0
}

/**
 * Progress percent: from the indicator's values when start, target and current are set and start ≠ target (2
 * decimals, may leave 0–100 as §5.9 allows), else `recordPercent`, the percent the progress records set.
 */
export function progressOf(ind: IndicatorValues, recordPercent: number): number {
  const { start_value: start, target_value: target, current_value: current } = ind;
  if (start == null || target == null || current == null || start === target) return recordPercent;
  return round2(((current - start) / (target - start)) * 100);
}

/**
 * Status from progress and time (status_calculate_type 1): done is normal, past `end` is overdue, and more than 20
 * points behind the share of [start, end] already elapsed is at risk. `end` is the deadline if set, else the cycle end.
 */
export function statusFromTime(progress: number, now: number, start: number, end: number): IndicatorStatus {
  if (progress >= 100) return 0;
  if (now > end) return 2;
  // A zero-length span (deadline at or before the cycle start) expects everything once it has begun.
  const elapsed = end > start ? (now - start) / (end - start) : now >= start ? 1 : 0;
  const expected = Math.min(1, Math.max(0, elapsed)) * 100;
  return progress < expected - RISK_MARGIN ? 1 : 0;
}

/** The riskiest of some statuses (2 over 1 over 0 over -1); -1 when there are none (status_calculate_type 2). */
export function riskiest(statuses: readonly IndicatorStatus[]): IndicatorStatus {
  return statuses.reduce<IndicatorStatus>((worst, s) => (s > worst ? s : worst), -1);
}

/**
 * An objective's progress from its key results (current_value_calculate_type 1): Σ progress × weight / 1000 to 2
 * decimals; the plain average when every weight is 0; 0 without key results.
 */
export function weightedProgress(krs: readonly { progress: number; weightMilli: number }[]): number {
  if (krs.length === 0) return 0;
  const totalWeight = krs.reduce((a, kr) => a + kr.weightMilli, 0);
  // All-zero weights would make every objective 0 %; treating them as equal is what a person would expect.
  if (totalWeight === 0) return round2(krs.reduce((a, kr) => a + kr.progress, 0) / krs.length);
  return round2(krs.reduce((a, kr) => a + kr.progress * kr.weightMilli, 0) / 1000);
}

/**
 * Undefined when `patch` may be applied to an indicator of `kind` whose calculate types are now `current`, else
 * "field: rule". Rules that depend on a calculate type use the type the patch leaves, so one call can switch to
 * manual and set the value.
 */
export function checkIndicatorPatch(
  kind: IndicatorKind,
  current: IndicatorCalcState,
  patch: IndicatorPatch,
): string | undefined {
  const onObjective = kind === 'objective';
  const entity = onObjective ? "an objective's indicator" : "a key result's indicator";

  const valueCalc = patch.current_value_calculate_type;
  if (valueCalc !== undefined && !(onObjective ? [0, 1] : [0, 2]).includes(valueCalc)) {
    return `current_value_calculate_type: must be ${onObjective ? '0 or 1' : '0 or 2'} for ${entity}`;
  }
  const statusCalc = patch.status_calculate_type;
  if (statusCalc !== undefined && !(onObjective ? [0, 1, 2] : [0, 1]).includes(statusCalc)) {
    return `status_calculate_type: must be ${onObjective ? '0, 1 or 2' : '0 or 1'} for ${entity}`;
  }

  // An objective's indicator only mirrors its key results or a manual value, so it has no scale of its own.
  if (onObjective) {
    for (const field of ['start_value', 'target_value', 'unit'] as const) {
      if (patch[field] !== undefined) return `${field}: cannot be set on ${entity}`;
    }
  }

  for (const field of ['start_value', 'target_value', 'current_value'] as const) {
    const v = patch[field];
    if (v != null && !(Number.isFinite(v) && Math.abs(v) <= MAX_INDICATOR_VALUE)) {
      return `${field}: must be between -${MAX_INDICATOR_VALUE} and ${MAX_INDICATOR_VALUE}`;
    }
  }

  const resultingValueCalc = valueCalc ?? current.current_value_calculate_type ?? 0;
  if (patch.current_value !== undefined && resultingValueCalc !== 0) {
    return `current_value: cannot be set while current_value_calculate_type is ${resultingValueCalc} ${MANUAL_ONLY}`;
  }

  if (patch.indicator_status !== undefined) {
    if (![-1, 0, 1, 2].includes(patch.indicator_status)) return 'indicator_status: must be -1, 0, 1 or 2';
    const resultingStatusCalc = statusCalc ?? current.status_calculate_type;
    if (resultingStatusCalc !== 0) {
      return `indicator_status: cannot be set while status_calculate_type is ${resultingStatusCalc} ${MANUAL_ONLY}`;
    }
  }

  return patch.unit === undefined ? undefined : checkUnit(patch.unit);
}

/** The unit rules: public units by name, custom units 1 to 5 characters. */
function checkUnit(unit: IndicatorUnitPatch): string | undefined {
  if (unit.unit_type === undefined) return 'unit.unit_type: is required';
  if (unit.unit_value === undefined) return 'unit.unit_value: is required';
  if (unit.unit_type === 0) {
    const names = `${PUBLIC_UNITS.slice(0, -1).join(', ')} or ${PUBLIC_UNITS.at(-1)}`;
    return PUBLIC_UNITS.includes(unit.unit_value) ? undefined : `unit.unit_value: must be ${names} when unit_type is 0`;
  }
  if (unit.unit_type === 1) {
    // Count code points, not UTF-16 units, so "个" or "件" is one character as a person counts it.
    const length = [...unit.unit_value].length;
    return length >= 1 && length <= MAX_CUSTOM_UNIT_LENGTH
      ? undefined
      : `unit.unit_value: must be 1 to ${MAX_CUSTOM_UNIT_LENGTH} characters when unit_type is 1`;
  }
  return 'unit.unit_type: must be 0 (public) or 1 (custom)';
}
