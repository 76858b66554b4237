/** Period rules (monthly lengths or a year, from a first month) and the periods made of them, with their status. */
import { useState } from 'react';
import { call } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { AdminTable, Field, useLoaded, useSubmit } from './form';
import { admin, type Period } from './operations';

const STATUSES = [1, 2, 3] as const;
const STATUS_KEYS = {
  0: 'admin.period.status0',
  1: 'admin.period.status1',
  2: 'admin.period.status2',
  3: 'admin.period.status3',
} as const;

export function PeriodsSection() {
  const { t, lang } = useI18n();
  const [data, reload, loadError] = useLoaded(async () => {
    const [{ period_rules }, { items }] = await Promise.all([call(admin.periodRules, {}), call(admin.periods, {})]);
    return { rules: period_rules, periods: items };
  });
  const ruleForm = useSubmit(['type', 'length', 'first_month']);
  const periodForm = useSubmit(['period_rule_id', 'start_month']);
  const statusForm = useSubmit(['status']);
  const [rule, setRule] = useState({ type: 'month' as 'month' | 'year', length: '3', first_month: '1' });
  const [period, setPeriod] = useState({ period_rule_id: '', start_month: '' });
  if (!data) return <ErrorBanner error={loadError} />;
  const ruleName = (r: (typeof data.rules)[number]) =>
    r.type === 'year'
      ? t('admin.rule.year', { first: r.first_month })
      : t('admin.rule.months', { length: r.length, first: r.first_month });
  const ruleId = period.period_rule_id || data.rules[0]?.period_rule_id || '';

  const addRule = ruleForm.run(async () => {
    await call(admin.createPeriodRule, {
      body: {
        type: rule.type,
        ...(rule.type === 'month' ? { length: Number(rule.length) } : {}),
        first_month: Number(rule.first_month),
      },
    });
    await reload();
  });
  const addPeriod = periodForm.run(async () => {
    await call(admin.createPeriod, { body: { period_rule_id: ruleId, start_month: period.start_month } });
    setPeriod({ period_rule_id: ruleId, start_month: '' });
    await reload();
  });
  const setStatus = (p: Period, status: 1 | 2 | 3) =>
    void statusForm.run(async () => {
      await call(admin.patchPeriod, { params: { period_id: p.period_id }, body: { status } });
      await reload();
    })();

  return (
    <section data-ready="" aria-labelledby="periods-head">
      <h2 id="periods-head">{t('admin.tab.periods')}</h2>
      <form className="card admin-form" onSubmit={(e) => void addPeriod(e)} aria-labelledby="new-period-head">
        <h3 id="new-period-head">{t('admin.period.new')}</h3>
        <div className="fields">
          <Field label="admin.period.rule" field="period_rule_id" error={periodForm.error}>
            {(p) => (
              <select {...p} value={ruleId} onChange={(e) => setPeriod({ ...period, period_rule_id: e.target.value })}>
                {data.rules.map((r) => (
                  <option key={r.period_rule_id} value={r.period_rule_id}>
                    {ruleName(r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="admin.period.startMonth" field="start_month" error={periodForm.error}>
            {(p) => (
              <input
                {...p}
                type="month"
                required
                value={period.start_month}
                onChange={(e) => setPeriod({ ...period, start_month: e.target.value })}
              />
            )}
          </Field>
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={periodForm.busy || !ruleId}>
            {t('admin.create')}
          </button>
        </div>
        {periodForm.banner}
      </form>
      {statusForm.banner}
      <AdminTable
        caption="admin.tab.periods"
        columns={['admin.period.name', 'admin.period.months', 'admin.period.status']}
      >
        {data.periods.map((p) => (
          <tr key={p.period_id}>
            <td>{lang === 'zh' ? p.zh_name : p.en_name}</td>
            <td>
              {p.start_month} – {p.end_month}
            </td>
            <td>
              <select
                aria-label={t('admin.period.statusOf', { name: lang === 'zh' ? p.zh_name : p.en_name })}
                value={p.status}
                onChange={(e) => setStatus(p, Number(e.target.value) as 1 | 2 | 3)}
              >
                {p.status === 0 ? <option value={0}>{t(STATUS_KEYS[0])}</option> : null}
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(STATUS_KEYS[s])}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </AdminTable>

      <h3 id="rules-head">{t('admin.rule.title')}</h3>
      <ul className="plain">
        {data.rules.map((r) => (
          <li key={r.period_rule_id}>{ruleName(r)}</li>
        ))}
      </ul>
      <form className="card admin-form" onSubmit={(e) => void addRule(e)} aria-labelledby="new-rule-head">
        <h4 id="new-rule-head">{t('admin.rule.new')}</h4>
        <div className="fields">
          <Field label="admin.rule.type" field="type" error={ruleForm.error}>
            {(p) => (
              <select {...p} value={rule.type} onChange={(e) => setRule({ ...rule, type: e.target.value as 'month' })}>
                <option value="month">{t('admin.rule.typeMonth')}</option>
                <option value="year">{t('admin.rule.typeYear')}</option>
              </select>
            )}
          </Field>
          {rule.type === 'month' ? (
            <Field label="admin.rule.length" field="length" error={ruleForm.error}>
              {(p) => (
                <select {...p} value={rule.length} onChange={(e) => setRule({ ...rule, length: e.target.value })}>
                  {[1, 2, 3, 4, 6].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
          <Field label="admin.rule.firstMonth" field="first_month" error={ruleForm.error}>
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={12}
                value={rule.first_month}
                onChange={(e) => setRule({ ...rule, first_month: e.target.value })}
              />
            )}
          </Field>
        </div>
        <div className="row">
          <button type="submit" disabled={ruleForm.busy}>
            {t('admin.create')}
          </button>
        </div>
        {ruleForm.banner}
      </form>
    </section>
  );
}
