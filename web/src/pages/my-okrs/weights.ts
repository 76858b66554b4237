/** Weights as people edit them: percent with at most one decimal, stored by the API as 0–1 with three decimals. */

/** 0–1 to percent text (`0.333` → `33.3`). */
export const percentText = (weight: number | undefined) => String(Math.round((weight ?? 0) * 1000) / 10);

/** Percent text to thousandths, or undefined when it is not a number from 0 to 100 with at most one decimal. */
export function thousandths(text: string): number | undefined {
  if (!/^\d{1,3}(\.\d)?$/.test(text.trim())) return undefined;
  const n = Math.round(Number(text) * 10);
  return n <= 1000 ? n : undefined;
}

/** The live check of siblings' weights: their sum in percent and whether they make exactly 100%. */
export function weightCheck(texts: readonly string[]): { sum: number; ok: boolean; valid: boolean } {
  const parts = texts.map(thousandths);
  const valid = parts.every((p) => p !== undefined);
  const total = parts.reduce<number>((s, p) => s + (p ?? 0), 0);
  return { sum: total / 10, ok: valid && total === 1000, valid };
}
