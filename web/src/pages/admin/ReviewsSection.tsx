/** Review links (a cycle's review document or a progress report) of people and periods: newest first, add, remove. */
import { useState } from 'react';
import { call } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { AdminTable, Field, useLoaded, useSubmit } from './form';
import { admin, type Review } from './operations';

type Kind = Review['kind'];
const EMPTY = { user_id: '', period_id: '', kind: 'cycle_review' as Kind, url: '' };

export function ReviewsSection() {
  const { t, lang, formatDate } = useI18n();
  const [data, reload, loadError] = useLoaded(async () => {
    const [reviews, { items: periods }, { items: users }] = await Promise.all([
      call(admin.reviews, { query: { page_size: 100 } }),
      call(admin.periods, {}),
      call(admin.users, { query: { page_size: 100 } }),
    ]);
    return { reviews: reviews.items, periods, users };
  });
  const create = useSubmit(Object.keys(EMPTY));
  const remove = useSubmit([]);
  const [draft, setDraft] = useState(EMPTY);
  if (!data) return <ErrorBanner error={loadError} />;
  const users = new Map(data.users.map((u) => [u.user_id, lang === 'zh' ? u.name_zh : u.name_en || u.name_zh]));
  const periods = new Map(data.periods.map((p) => [p.period_id, lang === 'zh' ? p.zh_name : p.en_name]));
  const kindText = (k: Kind) => t(k === 'cycle_review' ? 'admin.review.cycleReview' : 'admin.review.progressReport');
  const userId = draft.user_id || data.users[0]?.user_id || '';
  const periodId = draft.period_id || data.periods[0]?.period_id || '';

  const add = create.run(async () => {
    await call(admin.createReview, { body: { ...draft, user_id: userId, period_id: periodId } });
    setDraft({ ...EMPTY, user_id: userId, period_id: periodId });
    await reload();
  });
  const drop = (r: Review) =>
    void remove.run(async () => {
      await call(admin.removeReview, { params: { review_id: r.id } });
      await reload();
    })();

  return (
    <section data-ready="" aria-labelledby="reviews-head">
      <h2 id="reviews-head">{t('admin.tab.reviews')}</h2>
      <form className="card admin-form" onSubmit={(e) => void add(e)} aria-labelledby="new-review-head">
        <h3 id="new-review-head">{t('admin.review.new')}</h3>
        <div className="fields">
          <Field label="admin.review.person" field="user_id" error={create.error}>
            {(p) => (
              <select {...p} value={userId} onChange={(e) => setDraft({ ...draft, user_id: e.target.value })}>
                {data.users.map((u) => (
                  <option key={u.user_id} value={u.user_id}>
                    {users.get(u.user_id)} ({u.user_id})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="admin.review.period" field="period_id" error={create.error}>
            {(p) => (
              <select {...p} value={periodId} onChange={(e) => setDraft({ ...draft, period_id: e.target.value })}>
                {data.periods.map((pd) => (
                  <option key={pd.period_id} value={pd.period_id}>
                    {periods.get(pd.period_id)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="admin.review.kind" field="kind" error={create.error}>
            {(p) => (
              <select {...p} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Kind })}>
                <option value="cycle_review">{kindText('cycle_review')}</option>
                <option value="progress_report">{kindText('progress_report')}</option>
              </select>
            )}
          </Field>
          <Field label="admin.review.url" field="url" error={create.error}>
            {(p) => (
              <input
                {...p}
                type="url"
                value={draft.url}
                onChange={(e) => setDraft({ ...draft, url: e.target.value })}
              />
            )}
          </Field>
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={create.busy}>
            {t('admin.create')}
          </button>
        </div>
        {create.banner}
      </form>
      {remove.banner}
      <AdminTable
        caption="admin.tab.reviews"
        columns={[
          'admin.review.person',
          'admin.review.period',
          'admin.review.kind',
          'admin.review.url',
          'admin.review.added',
        ]}
        actions
      >
        {data.reviews.map((r) => (
          <tr key={r.id}>
            <td>{users.get(r.user_id) ?? r.user_id}</td>
            <td>{periods.get(r.period_id) ?? r.period_id}</td>
            <td>{kindText(r.kind)}</td>
            <td className="wrap">
              <a href={r.url} rel="noreferrer noopener" target="_blank">
                {r.url}
              </a>
            </td>
            <td>{formatDate(r.create_time)}</td>
            <td>
              <button type="button" onClick={() => drop(r)} aria-label={t('admin.review.removeOf', { url: r.url })}>
                {t('admin.remove')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
    </section>
  );
}
