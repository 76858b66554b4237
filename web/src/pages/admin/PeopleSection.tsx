/**
 * The tenant's people: a new person (their invitation link made at once and shown this one time: okrd keeps only its
 * hash), and for each person their OKR visibility (everyone, or their leaders only), administrator and active flags,
 * and a password reset link.
 */
import { useState } from 'react';
import { call } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { Field, ShownOnce, useLoaded, useSubmit } from './form';
import { admin, type User, type UserPatch } from './operations';

const EMPTY = { user_id: '', name_zh: '', name_en: '', email: '', leader_user_id: '', department_id: '' };
type Link = { user_id: string; purpose: 'invite' | 'reset'; url: string };

export function PeopleSection() {
  const { t, lang, formatDate } = useI18n();
  const [data, reload, loadError] = useLoaded(async () => {
    const [{ items: departments }, first] = await Promise.all([
      call(admin.departments, {}),
      call(admin.users, { query: { page_size: 100 } }),
    ]);
    const users = [...first.items];
    // Every page: the leader list and the table need the whole tenant (administrators' tenants are small enough).
    for (let page = first; page.has_more && page.page_token;) {
      page = await call(admin.users, { query: { page_size: 100, page_token: page.page_token } });
      users.push(...page.items);
    }
    return { users, departments };
  });
  const create = useSubmit(Object.keys(EMPTY).concat('department_ids'));
  const change = useSubmit([]);
  const [draft, setDraft] = useState(EMPTY);
  const [link, setLink] = useState<Link>();
  if (!data) return <ErrorBanner error={loadError} />;
  const nameOf = (u: User) => (lang === 'zh' ? u.name_zh || u.name_en : u.name_en || u.name_zh) || u.user_id;
  const byId = new Map(data.users.map((u) => [u.user_id, u]));

  const add = create.run(async () => {
    const user = await call(admin.createUser, {
      body: {
        user_id: draft.user_id.trim(),
        name_zh: draft.name_zh,
        name_en: draft.name_en,
        ...(draft.email ? { email: draft.email } : {}),
        ...(draft.leader_user_id ? { leader_user_id: draft.leader_user_id } : {}),
        ...(draft.department_id ? { department_ids: [draft.department_id] } : {}),
      },
    });
    const made = await call(admin.signInLink, { params: { user_id: user.user_id }, body: { purpose: 'invite' } });
    setLink(made);
    setDraft(EMPTY);
    await reload();
  });
  const patch = (u: User, body: UserPatch) =>
    void change.run(async () => {
      await call(admin.patchUser, { params: { user_id: u.user_id }, body });
      await reload();
    })();
  const resetLink = (u: User) =>
    void change.run(async () => {
      setLink(await call(admin.signInLink, { params: { user_id: u.user_id }, body: { purpose: 'reset' } }));
    })();
  const input =
    (k: keyof typeof EMPTY, type = 'text') =>
    (p: object) => (
      <input {...p} type={type} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
    );

  return (
    <section data-ready="" aria-labelledby="people-head">
      <h2 id="people-head">{t('admin.tab.people')}</h2>
      {link ? (
        <ShownOnce
          label={t(link.purpose === 'invite' ? 'admin.person.inviteLink' : 'admin.person.resetLink', {
            name: byId.get(link.user_id) ? nameOf(byId.get(link.user_id)!) : link.user_id,
          })}
          value={link.url}
        />
      ) : null}
      <form className="card admin-form" onSubmit={(e) => void add(e)} aria-labelledby="new-person-head">
        <h3 id="new-person-head">{t('admin.person.new')}</h3>
        <div className="fields">
          <Field label="admin.person.userId" field="user_id" error={create.error}>
            {input('user_id')}
          </Field>
          <Field label="admin.person.nameZh" field="name_zh" error={create.error}>
            {input('name_zh')}
          </Field>
          <Field label="admin.person.nameEn" field="name_en" error={create.error}>
            {input('name_en')}
          </Field>
          <Field label="admin.person.email" field="email" error={create.error}>
            {input('email', 'email')}
          </Field>
          <Field label="admin.person.leader" field="leader_user_id" error={create.error}>
            {(p) => (
              <select
                {...p}
                value={draft.leader_user_id}
                onChange={(e) => setDraft({ ...draft, leader_user_id: e.target.value })}
              >
                <option value="">{t('admin.none')}</option>
                {data.users.map((u) => (
                  <option key={u.user_id} value={u.user_id}>
                    {nameOf(u)} ({u.user_id})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="admin.person.department" field="department_ids" error={create.error}>
            {(p) => (
              <select
                {...p}
                value={draft.department_id}
                onChange={(e) => setDraft({ ...draft, department_id: e.target.value })}
              >
                <option value="">{t('admin.none')}</option>
                {data.departments.map((d) => (
                  <option key={d.department_id} value={d.department_id}>
                    {lang === 'zh' ? d.name_zh : d.name_en || d.name_zh}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={create.busy}>
            {t('admin.person.create')}
          </button>
        </div>
        {create.banner}
      </form>
      {change.banner}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('admin.tab.people')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.person.name')}</th>
              <th scope="col">{t('admin.person.leader')}</th>
              <th scope="col">{t('admin.person.visibility')}</th>
              <th scope="col">{t('admin.person.admin')}</th>
              <th scope="col">{t('admin.person.active')}</th>
              <th scope="col">{t('admin.person.since')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.users.map((u) => (
              <tr key={u.user_id}>
                <td>
                  {nameOf(u)} <span className="muted">{u.user_id}</span>
                </td>
                <td>
                  {u.leader_user_id
                    ? nameOf(byId.get(u.leader_user_id) ?? ({ user_id: u.leader_user_id } as User))
                    : ''}
                </td>
                <td>
                  <select
                    aria-label={t('admin.person.visibilityOf', { name: nameOf(u) })}
                    value={u.okr_visibility}
                    onChange={(e) => patch(u, { visibility: e.target.value as 'tenant' | 'leaders' })}
                  >
                    <option value="tenant">{t('admin.person.visibleTenant')}</option>
                    <option value="leaders">{t('admin.person.visibleLeaders')}</option>
                  </select>
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('admin.person.adminOf', { name: nameOf(u) })}
                    checked={u.is_admin}
                    onChange={(e) => patch(u, { is_admin: e.target.checked })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('admin.person.activeOf', { name: nameOf(u) })}
                    checked={u.active}
                    onChange={(e) => patch(u, { active: e.target.checked })}
                  />
                </td>
                <td>{formatDate(u.created_at)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => resetLink(u)}
                    aria-label={t('admin.person.resetOf', { name: nameOf(u) })}
                  >
                    {t('admin.person.reset')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
