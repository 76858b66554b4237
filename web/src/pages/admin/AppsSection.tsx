/**
 * The tenant's apps: scopes and redirect URIs, a new app (a confidential app's secret shown this once), a new
 * secret for a confidential app (shown once; the old one stops at once), and deleting an app with its tokens. okrd
 * never answers a stored secret.
 */
import { useId, useState } from 'react';
import { ALL_SCOPES } from '../../../../src/contract/scopes.js';
import { call } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { Field, ShownOnce, useLoaded, useSubmit } from './form';
import { admin, type App } from './operations';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Scopes as checkboxes in a fieldset. */
function ScopePicker({ value, onChange }: { value: readonly string[]; onChange: (next: string[]) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className="scopes">
      <legend>{t('admin.app.scopes')}</legend>
      {ALL_SCOPES.map((s) => (
        <label key={s} className="check">
          <input
            type="checkbox"
            checked={value.includes(s)}
            onChange={(e) => onChange(e.target.checked ? [...value, s] : value.filter((v) => v !== s))}
          />
          <code>{s}</code>
        </label>
      ))}
    </fieldset>
  );
}

/** One app: its facts, and its scopes and redirect URIs to change. */
function AppCard({
  app,
  onSaved,
  onSecret,
}: {
  app: App;
  onSaved: () => Promise<void>;
  onSecret: (s: string) => void;
}) {
  const { t, formatDate } = useI18n();
  const headId = useId();
  const [editing, setEditing] = useState(false);
  const [scopes, setScopes] = useState<string[]>(app.scopes);
  const [uris, setUris] = useState(app.redirect_uris.join('\n'));
  const save = useSubmit(['scopes', 'redirect_uris']);
  const rotate = useSubmit([]);
  const remove = useSubmit([]);
  const submit = save.run(async () => {
    await call(admin.patchApp, { params: { app_id: app.app_id }, body: { scopes, redirect_uris: lines(uris) } });
    setEditing(false);
    await onSaved();
  });
  const newSecret = rotate.run(async () => {
    if (!confirm(t('admin.app.confirmRotate', { name: app.name }))) return;
    onSecret((await call(admin.rotateSecret, { params: { app_id: app.app_id } })).app_secret);
  });
  const deleteApp = remove.run(async () => {
    if (!confirm(t('admin.app.confirmDelete', { name: app.name }))) return;
    await call(admin.deleteApp, { params: { app_id: app.app_id } });
    await onSaved();
  });
  return (
    <li className="card" aria-labelledby={headId}>
      <h3 id={headId}>{app.name}</h3>
      <dl className="facts">
        <div>
          <dt>{t('admin.app.id')}</dt>
          <dd>
            <code>{app.app_id}</code>
          </dd>
        </div>
        <div>
          <dt>{t('admin.app.type')}</dt>
          <dd>{t(app.client_type === 'public' ? 'admin.app.public' : 'admin.app.confidential')}</dd>
        </div>
        <div>
          <dt>{t('admin.app.created')}</dt>
          <dd>{formatDate(app.created_at)}</dd>
        </div>
        <div>
          <dt>{t('admin.app.scopes')}</dt>
          <dd>{app.scopes.length}</dd>
        </div>
        <div>
          <dt>{t('admin.app.redirectUris')}</dt>
          <dd className="wrap">{app.redirect_uris.join(' ') || t('admin.none')}</dd>
        </div>
      </dl>
      {editing ? (
        <form className="admin-form" onSubmit={(e) => void submit(e)}>
          <ScopePicker value={scopes} onChange={setScopes} />
          <Field label="admin.app.redirectUrisHint" field="redirect_uris" error={save.error}>
            {(p) => <textarea {...p} rows={3} value={uris} onChange={(e) => setUris(e.target.value)} />}
          </Field>
          <div className="row">
            <button type="submit" className="primary" disabled={save.busy}>
              {t('admin.save')}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('admin.cancel')}
            </button>
          </div>
          {save.banner}
        </form>
      ) : (
        <div className="row">
          <button type="button" onClick={() => setEditing(true)}>
            {t('admin.edit')}
          </button>
          {app.client_type === 'confidential' ? (
            <button type="button" onClick={() => void newSecret()} disabled={rotate.busy}>
              {t('admin.app.rotate')}
            </button>
          ) : null}
          <button
            type="button"
            onClick={() => void deleteApp()}
            disabled={remove.busy}
            aria-label={t('admin.app.deleteOf', { name: app.name })}
          >
            {t('admin.app.delete')}
          </button>
        </div>
      )}
      {rotate.banner}
      {remove.banner}
    </li>
  );
}

export function AppsSection() {
  const { t } = useI18n();
  const [apps, reload, loadError] = useLoaded(async () => (await call(admin.apps, {})).items);
  const create = useSubmit(['name', 'scopes', 'client_type', 'redirect_uris']);
  const [secret, setSecret] = useState<{ app: string; secret: string }>();
  const [draft, setDraft] = useState({ name: '', client_type: 'confidential' as 'confidential' | 'public', uris: '' });
  const [scopes, setScopes] = useState<string[]>(['okr:okr:readonly']);
  if (!apps) return <ErrorBanner error={loadError} />;
  const add = create.run(async () => {
    const made = await call(admin.createApp, {
      body: { name: draft.name, client_type: draft.client_type, scopes, redirect_uris: lines(draft.uris) },
    });
    if (made.app_secret) setSecret({ app: made.name, secret: made.app_secret });
    setDraft({ name: '', client_type: 'confidential', uris: '' });
    await reload();
  });
  return (
    <section data-ready="" aria-labelledby="apps-head">
      <h2 id="apps-head">{t('admin.tab.apps')}</h2>
      {secret ? <ShownOnce label={t('admin.app.secretOnce', { name: secret.app })} value={secret.secret} /> : null}
      <ul className="plain">
        {apps.map((a) => (
          <AppCard
            key={`${a.app_id}:${a.scopes.join()}:${a.redirect_uris.join()}`}
            app={a}
            onSaved={reload}
            onSecret={(s) => setSecret({ app: a.name, secret: s })}
          />
        ))}
      </ul>
      <form className="card admin-form" onSubmit={(e) => void add(e)} aria-labelledby="new-app-head">
        <h3 id="new-app-head">{t('admin.app.new')}</h3>
        <div className="fields">
          <Field label="admin.app.name" field="name" error={create.error}>
            {(p) => (
              <input
                {...p}
                type="text"
                value={draft.name}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              />
            )}
          </Field>
          <Field label="admin.app.type" field="client_type" error={create.error}>
            {(p) => (
              <select
                {...p}
                value={draft.client_type}
                onChange={(e) => setDraft({ ...draft, client_type: e.target.value as 'public' })}
              >
                <option value="confidential">{t('admin.app.confidential')}</option>
                <option value="public">{t('admin.app.public')}</option>
              </select>
            )}
          </Field>
        </div>
        <ScopePicker value={scopes} onChange={setScopes} />
        <Field label="admin.app.redirectUrisHint" field="redirect_uris" error={create.error}>
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={draft.uris}
              onChange={(e) => setDraft({ ...draft, uris: e.target.value })}
            />
          )}
        </Field>
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
