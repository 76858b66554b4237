/** The indicator of an objective or key result (start, target, current, unit; v2 indicator endpoints), editable. */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Indicator } from '../../../../src/contract/v2/indicator.js';
import { ApiError, call } from '../../api/client';
import { progressApi } from '../../api/progress.operations';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner, FieldError } from '../../ui/errors';
import type { Target } from './target';

const Q = { user_id_type: 'open_id' } as const;
const PUBLIC_UNITS = ['PERCENT', 'NONE', 'YUAN', 'DOLLAR'] as const;
type PublicUnit = (typeof PUBLIC_UNITS)[number];
const UNIT_KEYS = {
  PERCENT: 'progress.unitPERCENT',
  NONE: 'progress.unitNONE',
  YUAN: 'progress.unitYUAN',
  DOLLAR: 'progress.unitDOLLAR',
} as const satisfies Record<PublicUnit, string>;

export function IndicatorPanel({ target, mine }: { target: Target; mine: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const [indicator, setIndicator] = useState<Static<typeof Indicator>>();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const read =
      target.kind === 'objective'
        ? call(progressApi.objectiveIndicator, { params: { objective_id: target.id }, query: Q })
        : call(progressApi.keyResultIndicator, { params: { key_result_id: target.id }, query: Q });
    read.then((d) => setIndicator(d.indicator), setError);
  }, [target.kind, target.id]);

  if (!indicator) return <ErrorBanner error={error} />;
  const unit = indicator.unit;
  const unitText = !unit
    ? ''
    : unit.unit_type === 1
      ? unit.unit_value
      : t(UNIT_KEYS[unit.unit_value as PublicUnit] ?? 'progress.unitNONE');
  const value = (v: number | undefined) =>
    v === undefined ? '–' : unit?.unit_type === 0 && unit.unit_value === 'NONE' ? String(v) : `${v} ${unitText}`;

  const violated = (field: string) => error instanceof ApiError && error.violation(field) !== undefined;
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const num = (name: string) => (String(f.get(name)).trim() === '' ? undefined : Number(f.get(name)));
    const unitValue = String(f.get('unit'));
    const custom = String(f.get('custom') ?? '').trim();
    try {
      const { indicator: next } = await call(progressApi.patchIndicator, {
        params: { indicator_id: indicator.id },
        query: Q,
        body: {
          start_value: num('start'),
          target_value: num('target'),
          ...(indicator.current_value_calculate_type ? {} : { current_value: num('current') }),
          unit: unitValue === 'custom' ? { unit_type: 1, unit_value: custom } : { unit_type: 0, unit_value: unitValue },
        },
      });
      setIndicator(next);
      setEditing(false);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="card indicator" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('progress.indicator')}</h2>
      {editing ? (
        <form onSubmit={(e) => void save(e)} className="indicator-form">
          {(['start', 'target', 'current'] as const).map((name) => (
            <div key={name} className="field">
              <label htmlFor={`${id}-${name}`}>{t(`progress.${name}`)}</label>
              <input
                id={`${id}-${name}`}
                name={name}
                type="number"
                step="any"
                disabled={name === 'current' && Boolean(indicator.current_value_calculate_type)}
                defaultValue={indicator[`${name}_value`] ?? ''}
                aria-invalid={violated(`${name}_value`) ? true : undefined}
                aria-describedby={violated(`${name}_value`) ? `${id}-${name}-err` : undefined}
              />
              <FieldError error={error} field={`${name}_value`} id={`${id}-${name}-err`} />
            </div>
          ))}
          <div className="field">
            <label htmlFor={`${id}-unit`}>{t('progress.unit')}</label>
            <select
              id={`${id}-unit`}
              name="unit"
              defaultValue={indicator.unit?.unit_type === 1 ? 'custom' : (indicator.unit?.unit_value ?? 'PERCENT')}
            >
              {PUBLIC_UNITS.map((u) => (
                <option key={u} value={u}>
                  {t(UNIT_KEYS[u])}
                </option>
              ))}
              <option value="custom">{t('progress.unitCustom')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-custom`}>{t('progress.unitCustomText')}</label>
            <input
              id={`${id}-custom`}
              name="custom"
              maxLength={5}
              defaultValue={indicator.unit?.unit_type === 1 ? indicator.unit.unit_value : ''}
            />
            <FieldError error={error} field="unit" id={`${id}-unit-err`} />
          </div>
          <div className="buttons">
            <button type="submit">{t('okrs.save')}</button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('okrs.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>{t('progress.start')}</dt>
              <dd>{value(indicator.start_value)}</dd>
            </div>
            <div>
              <dt>{t('progress.target')}</dt>
              <dd>{value(indicator.target_value)}</dd>
            </div>
            <div>
              <dt>{t('progress.current')}</dt>
              <dd>{value(indicator.current_value)}</dd>
            </div>
          </dl>
          {mine && (
            <button type="button" onClick={() => setEditing(true)}>
              {t('progress.editIndicator')}
            </button>
          )}
        </>
      )}
      <ErrorBanner
        error={editing && error instanceof ApiError && error.fieldViolations.length > 0 ? undefined : error}
      />
    </section>
  );
}
