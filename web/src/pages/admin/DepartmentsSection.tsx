/**
 * The tenant's departments (a tree under the root "0"): names, parent, leader and members; a new department, and an
 * editor of a department's names, parent and leader. Leaders are named by employee id, offered from the first
 * hundred people (a tenant may hold more).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { call } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { AdminTable, Field, PersonInput, useLoaded, useSubmit } from './form';
import { admin, type Department, type User } from './operations';

const EMPTY = { name_zh: '', name_en: '', parent_department_id: '', leader_user_id: '' };
type Draft = typeof EMPTY;
const FIELDS = Object.keys(EMPTY);

/** The fields of a department: names, parent (a select of the others) and leader. */
function DepartmentFields({
  draft,
  setDraft,
  error,
  parents,
  users,
  nameOf,
}: {
  draft: Draft;
  setDraft: (d: Draft) => void;
  error: unknown;
  parents: [string, string][];
  users: readonly User[];
  nameOf: (user_id: string) => string;
}) {
  const { t } = useI18n();
  const text = (k: 'name_zh' | 'name_en') => (p: object) => (
    <input {...p} type="text" value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
  );
  return (
    <div className="fields">
      <Field label="admin.department.nameZh" field="name_zh" error={error}>
        {text('name_zh')}
      </Field>
      <Field label="admin.department.nameEn" field="name_en" error={error}>
        {text('name_en')}
      </Field>
      <Field label="admin.department.parent" field="parent_department_id" error={error}>
        {(p) => (
          <select
            {...p}
            value={draft.parent_department_id}
            onChange={(e) => setDraft({ ...draft, parent_department_id: e.target.value })}
          >
            <option value="">{t('admin.department.root')}</option>
            {parents.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="admin.department.leader" field="leader_user_id" error={error}>
        {(p) => (
          <PersonInput
            {...p}
            people={users}
            nameOf={nameOf}
            value={draft.leader_user_id}
            onChange={(leader_user_id) => setDraft({ ...draft, leader_user_id })}
          />
        )}
      </Field>
    </div>
  );
}

/** The editor of one department. */
function DepartmentEditor({
  department,
  parents,
  users,
  nameOf,
  onSaved,
  onClose,
}: {
  department: Department;
  parents: [string, string][];
  users: readonly User[];
  nameOf: (user_id: string) => string;
  onSaved: () => Promise<void>;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const headId = useId();
  const [draft, setDraft] = useState<Draft>({
    name_zh: department.name_zh,
    name_en: department.name_en,
    parent_department_id: department.parent_department_id === '0' ? '' : department.parent_department_id,
    leader_user_id: department.leader_user_id ?? '',
  });
  const save = useSubmit(FIELDS);
  const submit = save.run(async () => {
    await call(admin.patchDepartment, {
      params: { department_id: department.department_id },
      body: {
        name_zh: draft.name_zh,
        name_en: draft.name_en,
        parent_department_id: draft.parent_department_id || '0',
        leader_user_id: draft.leader_user_id || null,
      },
    });
    onClose();
    await onSaved();
  });
  // Opened from a row of the table: bring the editor into view, focus in its first field.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector('input')?.focus(), []);
  return (
    <form ref={form} className="card admin-form" onSubmit={(e) => void submit(e)} aria-labelledby={headId}>
      <h3 id={headId}>
        {t('admin.department.editOf', {
          name: lang === 'zh' ? department.name_zh : department.name_en || department.name_zh,
        })}
      </h3>
      <DepartmentFields
        draft={draft}
        setDraft={setDraft}
        error={save.error}
        parents={parents.filter(([id]) => id !== department.department_id)}
        users={users}
        nameOf={nameOf}
      />
      <div className="row">
        <button type="submit" className="primary" disabled={save.busy}>
          {t('admin.save')}
        </button>
        <button type="button" onClick={onClose}>
          {t('admin.cancel')}
        </button>
      </div>
      {save.banner}
    </form>
  );
}

export function DepartmentsSection() {
  const { t, lang } = useI18n();
  const [data, reload, loadError] = useLoaded(async () => {
    const [{ items: departments }, { items: users }] = await Promise.all([
      call(admin.departments, {}),
      call(admin.users, { query: { page_size: 100 } }),
    ]);
    return { departments, users };
  });
  const create = useSubmit(FIELDS);
  const [draft, setDraft] = useState(EMPTY);
  const [editing, setEditing] = useState<string>();
  if (!data) return <ErrorBanner error={loadError} />;
  const deptName = (d: Department) => (lang === 'zh' ? d.name_zh : d.name_en || d.name_zh);
  const users = new Map(data.users.map((u) => [u.user_id, u]));
  const depts = new Map(data.departments.map((d) => [d.department_id, d]));
  const nameOf = (id: string) => {
    const u = users.get(id);
    return (u && (lang === 'zh' ? u.name_zh || u.name_en : u.name_en || u.name_zh)) || id;
  };
  const parents = data.departments.map((d): [string, string] => [d.department_id, deptName(d)]);
  const editingDepartment = editing ? depts.get(editing) : undefined;

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

  return (
    <section data-ready="" aria-labelledby="departments-head">
      <h2 id="departments-head">{t('admin.tab.departments')}</h2>
      {editingDepartment ? (
        <DepartmentEditor
          key={editingDepartment.department_id}
          department={editingDepartment}
          parents={parents}
          users={data.users}
          nameOf={nameOf}
          onSaved={reload}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
      <AdminTable
        caption="admin.tab.departments"
        columns={[
          'admin.department.name',
          'admin.department.parent',
          'admin.department.leader',
          'admin.department.members',
        ]}
        actions
      >
        {data.departments.map((d) => (
          <tr key={d.department_id}>
            <td>{deptName(d)}</td>
            <td>{depts.has(d.parent_department_id) ? deptName(depts.get(d.parent_department_id)!) : ''}</td>
            <td>{d.leader_user_id ? nameOf(d.leader_user_id) : ''}</td>
            <td>{d.member_user_ids.map(nameOf).join(lang === 'zh' ? '、' : ', ')}</td>
            <td>
              <button
                type="button"
                onClick={() => setEditing(d.department_id)}
                aria-label={t('admin.department.editOf', { name: deptName(d) })}
              >
                {t('admin.edit')}
              </button>
            </td>
          </tr>
        ))}
      </AdminTable>
      <form className="card admin-form" onSubmit={(e) => void add(e)} aria-labelledby="new-department-head">
        <h3 id="new-department-head">{t('admin.department.new')}</h3>
        <DepartmentFields
          draft={draft}
          setDraft={setDraft}
          error={create.error}
          parents={parents}
          users={data.users}
          nameOf={nameOf}
        />
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
