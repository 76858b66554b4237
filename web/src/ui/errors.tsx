/**
 * Errors as people read them, in their language: the server's `field_violations` (decisions.md OQ-36) name the field
 * and the rule in English; the rules the UI knows are translated (RULES), any other is shown as the server wrote it.
 */
import { ApiError } from '../api/client';
import { useI18n, type I18n, type MessageKey } from '../i18n/i18n';

const RULES: [RegExp, MessageKey, ((m: RegExpExecArray) => Record<string, string>)?][] = [
  [/^must not be empty$/, 'rule.empty'],
  [/^is required$/, 'rule.required'],
  [/^must be between (\S+) and (\S+)$/, 'rule.between', (m) => ({ a: m[1]!, b: m[2]! })],
  [/^at most one decimal$/, 'rule.oneDecimal'],
  [/^at most three decimals$/, 'rule.threeDecimals'],
  [/^must be epoch milliseconds/, 'rule.epochMs'],
  [
    /sum to 1 \(they sum to ([\d.]+)\)/,
    'rule.weightsSum',
    (m) => ({ a: String(Math.round(Number(m[1]) * 1000) / 10) }),
  ],
  [/^must NOT have more than (\d+) characters$/, 'rule.maxLength', (m) => ({ a: m[1]! })],
  // The alignment rules (src/domain/alignment.ts).
  [/^an objective cannot align to itself$/, 'rule.alignSelf'],
  [/^you cannot align to your own objective$/, 'rule.alignOwn'],
  [/cycles do not overlap in time$/, 'rule.alignOverlap'],
  [/^already aligned to objective /, 'rule.alignAlready'],
  [/would make a loop of alignments$/, 'rule.alignLoop'],
];

/** A rule of a field violation in the person's language. */
export function ruleText(description: string, t: I18n['t']): string {
  for (const [re, key, values] of RULES) {
    const m = re.exec(description);
    if (m) return t(key, values?.(m));
  }
  return description;
}

/** One line saying what went wrong, for errors not tied to a field. */
export function errorText(err: unknown, t: I18n['t']): string {
  if (!(err instanceof ApiError)) return t('app.error', { message: err instanceof Error ? err.message : String(err) });
  if (err.status === 0) return t('error.network');
  if (err.code === 99991400) return t('error.rateLimited');
  if (err.code === 1001002) return t('error.noPermission');
  if (err.code === 1001004 || err.code === 1001003) return t('error.notFound');
  if (err.fieldViolations.length > 0) {
    return err.fieldViolations
      .map((v) => t('error.field', { field: v.field, description: ruleText(v.description, t) }))
      .join(' ');
  }
  return t('error.generic', { code: err.code, msg: err.msg });
}

/** The message shown under a form field when the server refused its value; `id` ties it to the field (aria). */
export function FieldError({ error, field, id }: { error: unknown; field: string; id: string }) {
  const { t } = useI18n();
  const v = error instanceof ApiError ? error.violation(field) : undefined;
  if (!v) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {ruleText(v.description, t)}
    </p>
  );
}

/** A banner for an error no field owns. */
export function ErrorBanner({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p className="banner error" role="alert">
      {errorText(error, t)}
    </p>
  );
}
