/**
 * The administration page's form pieces: a labelled field whose server-side violation (OQ-36) shows beside it, and
 * a submit runner that keeps the failure for those fields (or a banner) and reports success.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ErrorBanner, FieldError } from '../../ui/errors';

/** A label and its control; `field` names the request field whose violation is shown under it. */
export function Field({
  label,
  field,
  error,
  children,
}: {
  label: MessageKey;
  field: string;
  error: unknown;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const { t } = useI18n();
  const id = useId();
  const invalid = error instanceof ApiError && !!error.violation(field);
  return (
    <div className="field">
      <label htmlFor={id}>{t(label)}</label>
      {children({
        id,
        ...(invalid ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {}),
      })}
      <FieldError error={error} field={field} id={`${id}-error`} />
    </div>
  );
}

/** Runs a form's submission: `busy` while it runs, its error kept for the fields, `done` after a success. */
export function useSubmit(fields: readonly string[]) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const run = (action: () => Promise<void>) => async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setDone(false);
    try {
      await action();
      setError(undefined);
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // Errors no field shows go to the banner.
  const banner = error instanceof ApiError && fields.some((f) => error.violation(f)) ? undefined : error;
  return { busy, error, done, run, banner: <ErrorBanner error={banner} /> };
}

/** A value shown once (a secret, a link) with a button copying it. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="banner shown-once" role="status">
      <p id={id}>{label}</p>
      <div className="row">
        <input type="text" readOnly value={value} aria-labelledby={id} className="secret" />
        <button type="button" onClick={() => void navigator.clipboard?.writeText(value)}>
          {t('admin.copy')}
        </button>
      </div>
    </div>
  );
}

/** Loads `load()` once and keeps its answer; `reload` runs it again after a change. */
export function useLoaded<T>(load: () => Promise<T>): [T | undefined, () => Promise<void>, unknown] {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<unknown>();
  // The first render's loader: the callers' closures read nothing that changes.
  const loader = useRef(load);
  const reload = useCallback(async () => {
    try {
      setValue(await loader.current());
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [value, reload, error];
}

/** A person, by employee id: a text input offering the people loaded so far (the tenant may hold more than that). */
export function PersonInput({
  people,
  nameOf,
  value,
  onChange,
  ...control
}: {
  people: readonly { user_id: string }[];
  nameOf: (user_id: string) => string;
  value: string;
  onChange: (user_id: string) => void;
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  const { t } = useI18n();
  const listId = useId();
  return (
    <>
      <input
        {...control}
        type="text"
        list={listId}
        autoComplete="off"
        placeholder={t('admin.person.byEmployeeId')}
        value={value}
        onChange={(e) => onChange(e.target.value.trim())}
      />
      <datalist id={listId}>
        {people.map((u) => (
          <option key={u.user_id} value={u.user_id}>
            {nameOf(u.user_id)}
          </option>
        ))}
      </datalist>
    </>
  );
}

/** An administration table: its caption for screen readers, a header per column and, last, an unlabelled actions column. */
export function AdminTable({
  caption,
  columns,
  actions = false,
  children,
}: {
  caption: MessageKey;
  columns: readonly MessageKey[];
  actions?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{t(caption)}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c}>
                {t(c)}
              </th>
            ))}
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">{t('admin.actions')}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
