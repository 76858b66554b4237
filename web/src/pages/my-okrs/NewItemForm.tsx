/** Writing a new objective or key result: its text (the server's rules on it shown beside the field). */
import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ErrorBanner, FieldError } from '../../ui/errors';

export function NewItemForm({
  label,
  placeholder,
  onAdd,
}: {
  label: MessageKey;
  placeholder: MessageKey;
  onAdd: (text: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onAdd(text);
      setText('');
      setError(undefined);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const invalid = error instanceof ApiError && !!error.violation('content');
  return (
    <form className="new-item" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>{t(label)}</label>
      <div className="row">
        <input
          id={id}
          type="text"
          value={text}
          placeholder={t(placeholder)}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-error` : undefined}
        />
        <button type="submit" className="primary" disabled={busy}>
          {t('okrs.add')}
        </button>
      </div>
      <FieldError error={error} field="content" id={`${id}-error`} />
      {invalid ? null : <ErrorBanner error={error} />}
    </form>
  );
}
