/** The tenant's departments (a tree under the root "0"): names, parent, leader and members; a new department. */
import { useState } from 'react';
import { call } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { Field, useLoaded, useSubmit } from './form';
import { admin, type Department, type User } from './operations';

const EMPTY = { name_zh: '', name_en: '', parent_department_id: '', leader_user_id: '' };

export function DepartmentsSection() {
  const { t, lang } = useI18n();
  const [data, reload, loadError] = useLoaded(async () => {
    const [{ items: departments }, { items: users }] = await Promise.all([
      call(admin.departments, {}),
      call(admin.users, { query: { page_size: 100 } }),
    ]);
    return { departments, users };
  });
  const create = useSubmit(Object.keys(EMPTY));
  const [draft, setDraft] = useState(EMPTY);
  if (!data) return <ErrorBanner error={loadError} />;
  const deptName = (d: Department) => (lang === 'zh' ? d.name_zh : d.name_en || d.name_zh);
  const userName = (u: User) => (lang === 'zh' ? u.name_zh || u.name_en : u.name_en || u.name_zh) || u.user_id;
  const users = new Map(data.users.map((u) => [u.user_id, u]));
  const depts = new Map(data.departments.map((d) => [d.department_id, d]));
  const person = (id: string | null) => (id ? (users.has(id) ? userName(users.get(id)!) : id) : '');

  const add = create.run(async () => {
    await call(admin.createDepartment, {
      body: {
        name_zh: draft.name_zh,
        ...(draft.name_en ? { name_en: draft.name_en } : {}),
        ...(draft.parent_department_id ? { parent_department_id: draft.parent_department_id } : {}),
        ...(draft.leader_user_id ? { leader_user_id: draft.leader_user_id } : {}),
      },
    });
    setDraft(EMPTY);
    await reload();
  });
  const select = (k: 'parent_department_id' | 'leader_user_id', options: [string, string][]) => (p: object) => (
    <select {...p} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}>
      <option value="">{t('admin.none')}</option>
      {options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );

  return (
    <section data-ready="" aria-labelledby="departments-head">
      <h2 id="departments-head">{t('admin.tab.departments')}</h2>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t('admin.tab.departments')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.department.name')}</th>
              <th scope="col">{t('admin.department.parent')}</th>
              <th scope="col">{t('admin.department.leader')}</th>
              <th scope="col">{t('admin.department.members')}</th>
            </tr>
          </thead>
          <tbody>
            {data.departments.map((d) => (
              <tr key={d.department_id}>
                <td>{deptName(d)}</td>
                <td>{depts.has(d.parent_department_id) ? deptName(depts.get(d.parent_department_id)!) : ''}</td>
                <td>{person(d.leader_user_id)}</td>
                <td>{d.member_user_ids.map(person).join(lang === 'zh' ? '、' : ', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="card admin-form" onSubmit={(e) => void add(e)} aria-labelledby="new-department-head">
        <h3 id="new-department-head">{t('admin.department.new')}</h3>
        <div className="fields">
          <Field label="admin.department.nameZh" field="name_zh" error={create.error}>
            {(p) => (
              <input
                {...p}
                type="text"
                value={draft.name_zh}
                onChange={(e) => setDraft({ ...draft, name_zh: e.target.value })}
              />
            )}
          </Field>
          <Field label="admin.department.nameEn" field="name_en" error={create.error}>
            {(p) => (
              <input
                {...p}
                type="text"
                value={draft.name_en}
                onChange={(e) => setDraft({ ...draft, name_en: e.target.value })}
              />
            )}
          </Field>
          <Field label="admin.department.parent" field="parent_department_id" error={create.error}>
            {select(
              'parent_department_id',
              data.departments.map((d) => [d.department_id, deptName(d)]),
            )}
          </Field>
          <Field label="admin.department.leader" field="leader_user_id" error={create.error}>
            {select(
              'leader_user_id',
              data.users.map((u) => [u.user_id, userName(u)]),
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
    </section>
  );
}
