/** The tenant's name, time zone (minutes east of UTC) and sign-in settings; the OIDC client secret is write-only. */
import { useState } from 'react';
import { call } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { Field, useLoaded, useSubmit } from './form';
import { admin } from './operations';

const FIELDS = ['name', 'utc_offset_minutes', 'oidc_issuer', 'oidc_client_id', 'oidc_client_secret'];

export function TenantSection() {
  const { t } = useI18n();
  const [tenant, reload, loadError] = useLoaded(() => call(admin.tenant, {}));
  const form = useSubmit(FIELDS);
  const [edits, setEdits] = useState<Record<string, string | boolean>>({});
  if (!tenant) return <ErrorBanner error={loadError} />;
  const value = <K extends keyof typeof tenant>(k: K) => (k in edits ? edits[k] : tenant[k]);
  const set = (k: string, v: string | boolean) => setEdits((e) => ({ ...e, [k]: v }));
  const text = (k: string) => (typeof edits[k] === 'string' ? (edits[k] as string) : undefined);
  const save = form.run(async () => {
    const secret = text('oidc_client_secret');
    await call(admin.patchTenant, {
      body: {
        ...(text('name') !== undefined ? { name: text('name') } : {}),
        ...(text('utc_offset_minutes') !== undefined ? { utc_offset_minutes: Number(text('utc_offset_minutes')) } : {}),
        ...(typeof edits.password_sign_in === 'boolean' ? { password_sign_in: edits.password_sign_in } : {}),
        ...(text('oidc_issuer') !== undefined ? { oidc_issuer: text('oidc_issuer') || null } : {}),
        ...(text('oidc_client_id') !== undefined ? { oidc_client_id: text('oidc_client_id') || null } : {}),
        ...(secret ? { oidc_client_secret: secret } : {}),
        ...(typeof edits.oidc_create_users === 'boolean' ? { oidc_create_users: edits.oidc_create_users } : {}),
      },
    });
    setEdits({});
    await reload();
  });
  return (
    <section data-ready="" aria-labelledby="tenant-head">
      <h2 id="tenant-head">{t('admin.tab.tenant')}</h2>
      <form className="card admin-form" onSubmit={(e) => void save(e)}>
        <Field label="admin.tenant.name" field="name" error={form.error}>
          {(p) => (
            <input {...p} type="text" value={String(value('name'))} onChange={(e) => set('name', e.target.value)} />
          )}
        </Field>
        <Field label="admin.tenant.utcOffset" field="utc_offset_minutes" error={form.error}>
          {(p) => (
            <input
              {...p}
              type="number"
              step={15}
              value={String(value('utc_offset_minutes'))}
              onChange={(e) => set('utc_offset_minutes', e.target.value)}
            />
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={Boolean(value('password_sign_in'))}
            onChange={(e) => set('password_sign_in', e.target.checked)}
          />
          {t('admin.tenant.passwordSignIn')}
        </label>
        <Field label="admin.tenant.oidcIssuer" field="oidc_issuer" error={form.error}>
          {(p) => (
            <input
              {...p}
              type="url"
              value={String(value('oidc_issuer') ?? '')}
              onChange={(e) => set('oidc_issuer', e.target.value)}
            />
          )}
        </Field>
        <Field label="admin.tenant.oidcClientId" field="oidc_client_id" error={form.error}>
          {(p) => (
            <input
              {...p}
              type="text"
              value={String(value('oidc_client_id') ?? '')}
              onChange={(e) => set('oidc_client_id', e.target.value)}
            />
          )}
        </Field>
        <Field label="admin.tenant.oidcClientSecret" field="oidc_client_secret" error={form.error}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="off"
              placeholder={tenant.oidc_client_secret_set ? t('admin.tenant.secretSet') : ''}
              value={text('oidc_client_secret') ?? ''}
              onChange={(e) => set('oidc_client_secret', e.target.value)}
            />
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={Boolean(value('oidc_create_users'))}
            onChange={(e) => set('oidc_create_users', e.target.checked)}
          />
          {t('admin.tenant.oidcCreateUsers')}
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={form.busy}>
            {t('admin.save')}
          </button>
          {form.done ? <span role="status">{t('admin.saved')}</span> : null}
        </div>
        {form.banner}
      </form>
    </section>
  );
}
