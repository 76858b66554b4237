/**
 * The tenant's people, a hundred at a time ("Show more" for the next hundred): a new person (their invitation link
 * made at once and shown this one time: okrd keeps only its hash); for each person their OKR visibility (everyone,
 * or their leaders only), administrator and active flags (unticking "active" deactivates them: their tokens and
 * sessions end), a password reset link, and an editor of their names, email, leader and departments.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { call } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { AdminTable, Field, PersonInput, ShownOnce, useLoaded, useSubmit } from './form';
import { admin, type Department, type User, type UserPatch } from './operations';

const EMPTY = { user_id: '', name_zh: '', name_en: '', email: '', leader_user_id: '', department_id: '' };
const PAGE_SIZE = 100;
type Link = { user_id: string; purpose: 'invite' | 'reset'; url: string };
type People = { users: User[]; departments: Department[]; page_token: string | undefined };

/** The changes of a person's editor: names, email, leader and departments. */
function PersonEditor({
  user,
  people,
  departments,
  nameOf,
  onSaved,
  onClose,
}: {
  user: User;
  people: readonly User[];
  departments: readonly Department[];
  nameOf: (user_id: string) => string;
  onSaved: (u: User) => void;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const headId = useId();
  const [draft, setDraft] = useState({
    name_zh: user.name_zh,
    name_en: user.name_en,
    email: user.email ?? '',
    leader_user_id: user.leader_user_id ?? '',
    department_ids: user.department_ids,
  });
  const save = useSubmit(['name_zh', 'name_en', 'email', 'leader_user_id', 'department_ids']);
  const submit = save.run(async () => {
    const body: UserPatch = {
      name_zh: draft.name_zh,
      name_en: draft.name_en,
      email: draft.email.trim() || null,
      leader_user_id: draft.leader_user_id || null,
      department_ids: draft.department_ids,
    };
    onSaved(await call(admin.patchUser, { params: { user_id: user.user_id }, body }));
    onClose();
  });
  const text =
    (k: 'name_zh' | 'name_en' | 'email', type = 'text') =>
    (p: object) => (
      <input {...p} type={type} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
    );
  // Opened from a row far down the table: bring the editor into view, focus in its first field.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector('input')?.focus(), []);
  return (
    <form ref={form} className="card admin-form" onSubmit={(e) => void submit(e)} aria-labelledby={headId}>
      <h3 id={headId}>{t('admin.person.editOf', { name: nameOf(user.user_id) })}</h3>
      <div className="fields">
        <Field label="admin.person.nameZh" field="name_zh" error={save.error}>
          {text('name_zh')}
        </Field>
        <Field label="admin.person.nameEn" field="name_en" error={save.error}>
          {text('name_en')}
        </Field>
        <Field label="admin.person.email" field="email" error={save.error}>
          {text('email', 'email')}
        </Field>
        <Field label="admin.person.leader" field="leader_user_id" error={save.error}>
          {(p) => (
            <PersonInput
              {...p}
              people={people.filter((u) => u.user_id !== user.user_id)}
              nameOf={nameOf}
              value={draft.leader_user_id}
              onChange={(leader_user_id) => setDraft({ ...draft, leader_user_id })}
            />
          )}
        </Field>
      </div>
      <fieldset className="scopes">
        <legend>{t('admin.person.departments')}</legend>
        {departments.map((d) => (
          <label key={d.department_id} className="check">
            <input
              type="checkbox"
              checked={draft.department_ids.includes(d.department_id)}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  department_ids: e.target.checked
                    ? [...draft.department_ids, d.department_id]
                    : draft.department_ids.filter((id) => id !== d.department_id),
                })
              }
            />
            {lang === 'zh' ? d.name_zh : d.name_en || d.name_zh}
          </label>
        ))}
      </fieldset>
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

export function PeopleSection() {
  const { t, lang, formatDate } = useI18n();
  const [data, reload, loadError] = useLoaded(async (): Promise<People> => {
    const [{ items: departments }, first] = await Promise.all([
      call(admin.departments, {}),
      call(admin.users, { query: { page_size: PAGE_SIZE } }),
    ]);
    return { users: first.items, departments, page_token: first.has_more ? first.page_token : undefined };
  });
  // The pages loaded after the first, and people changed since their page was loaded.
  const [more, setMore] = useState<{ users: User[]; page_token: string | undefined }>();
  const [changed, setChanged] = useState<ReadonlyMap<string, User>>(new Map());
  const create = useSubmit(Object.keys(EMPTY).concat('department_ids'));
  const change = useSubmit([]);
  const paging = useSubmit([]);
  const [draft, setDraft] = useState(EMPTY);
  const [link, setLink] = useState<Link>();
  const [editing, setEditing] = useState<string>();
  if (!data) return <ErrorBanner error={loadError} />;
  const users = [...data.users, ...(more?.users ?? [])].map((u) => changed.get(u.user_id) ?? u);
  const pageToken = more ? more.page_token : data.page_token;
  const byId = new Map(users.map((u) => [u.user_id, u]));
  const nameOf = (id: string) => {
    const u = byId.get(id);
    return (u && (lang === 'zh' ? u.name_zh || u.name_en : u.name_en || u.name_zh)) || id;
  };
  const saved = (u: User) => setChanged(new Map(changed).set(u.user_id, u));

  const showMore = paging.run(async () => {
    if (!pageToken) return;
    const page = await call(admin.users, { query: { page_size: PAGE_SIZE, page_token: pageToken } });
    setMore({
      users: [...(more?.users ?? []), ...page.items],
      page_token: page.has_more ? page.page_token : undefined,
    });
  });
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
    // The new person sorts anywhere among the pages: start again from the first.
    setMore(undefined);
    setChanged(new Map());
    await reload();
  });
  const patch = (u: User, body: UserPatch) =>
    void change.run(async () => {
      saved(await call(admin.patchUser, { params: { user_id: u.user_id }, body }));
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
  const editingUser = editing ? byId.get(editing) : undefined;

  return (
    <section data-ready="" aria-labelledby="people-head">
      <h2 id="people-head">{t('admin.tab.people')}</h2>
      {link ? (
        <ShownOnce
          label={t(link.purpose === 'invite' ? 'admin.person.inviteLink' : 'admin.person.resetLink', {
            name: nameOf(link.user_id),
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
              <PersonInput
                {...p}
                people={users}
                nameOf={nameOf}
                value={draft.leader_user_id}
                onChange={(leader_user_id) => setDraft({ ...draft, leader_user_id })}
              />
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
      {editingUser ? (
        <PersonEditor
          key={editingUser.user_id}
          user={editingUser}
          people={users}
          departments={data.departments}
          nameOf={nameOf}
          onSaved={saved}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
      {change.banner}
      <AdminTable
        caption="admin.tab.people"
        columns={[
          'admin.person.name',
          'admin.person.leader',
          'admin.person.visibility',
          'admin.person.admin',
          'admin.person.active',
          'admin.person.since',
        ]}
        actions
      >
        {users.map((u) => (
          <tr key={u.user_id}>
            <td>
              {nameOf(u.user_id)} <span className="muted">{u.user_id}</span>
            </td>
            <td>{u.leader_user_id ? nameOf(u.leader_user_id) : ''}</td>
            <td>
              <select
                aria-label={t('admin.person.visibilityOf', { name: nameOf(u.user_id) })}
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
                aria-label={t('admin.person.adminOf', { name: nameOf(u.user_id) })}
                checked={u.is_admin}
                onChange={(e) => patch(u, { is_admin: e.target.checked })}
              />
            </td>
            <td>
              <input
                type="checkbox"
                aria-label={t('admin.person.activeOf', { name: nameOf(u.user_id) })}
                checked={u.active}
                onChange={(e) => patch(u, { active: e.target.checked })}
              />
            </td>
            <td>{formatDate(u.created_at)}</td>
            <td>
              <div className="row">
                <button
                  type="button"
                  onClick={() => setEditing(u.user_id)}
                  aria-label={t('admin.person.editOf', { name: nameOf(u.user_id) })}
                >
                  {t('admin.edit')}
                </button>
                <button
                  type="button"
                  onClick={() => resetLink(u)}
                  aria-label={t('admin.person.resetOf', { name: nameOf(u.user_id) })}
                >
                  {t('admin.person.reset')}
                </button>
              </div>
            </td>
          </tr>
        ))}
      </AdminTable>
      {pageToken ? (
        <div className="row">
          <button type="button" onClick={() => void showMore()} disabled={paging.busy}>
            {t('admin.more')}
          </button>
          <span className="muted">{t('admin.shown', { n: users.length })}</span>
        </div>
      ) : null}
      {paging.banner}
    </section>
  );
}
