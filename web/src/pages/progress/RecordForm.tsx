/** Writing a progress record: the rich-text editor (loaded lazily), the percent and the status. */
import { lazy, Suspense, useId, useRef, useState, type FormEvent } from 'react';
import type { ProgressRate } from '../../../../src/contract/progress-record.js';
import { ApiError } from '../../api/client';
import type { RichEditorHandle } from '../../editor/RichEditor';
import type { Content } from '../../editor/rich-model';
import type { Names } from '../../editor/useNames';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner, FieldError } from '../../ui/errors';
import { STATUSES, statusKey } from './status';
import { v1Type, type Target } from './target';

const RichEditor = lazy(() => import('../../editor/RichEditor'));

export function RecordForm({
  target,
  names,
  initial,
  initialRate,
  label,
  onSave,
  onCancel,
}: {
  target: Target;
  names: Names;
  initial?: Content;
  initialRate?: { percent?: number; status?: number };
  label: string;
  onSave: (content: Content, rate: ProgressRate | undefined) => Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const editor = useRef<RichEditorHandle>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const percentText = String(f.get('percent')).trim();
    const status = Number(f.get('status'));
    const rate: ProgressRate = {
      ...(percentText === '' ? {} : { percent: Number(percentText) }),
      ...(status === -1 && !initialRate ? {} : { status: status as ProgressRate['status'] }),
    };
    setBusy(true);
    try {
      await onSave(editor.current!.content(), Object.keys(rate).length > 0 ? rate : undefined);
      setError(undefined);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fieldErr = error instanceof ApiError && error.fieldViolations.length > 0;

  return (
    <form className="record-form" onSubmit={(e) => void submit(e)}>
      <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
        <RichEditor
          ref={editor}
          label={label}
          initial={initial}
          nameOf={names.nameOf}
          target={{ id: target.id, type: v1Type(target) }}
          onMention={names.add}
        />
      </Suspense>
      <FieldError error={error} field="content" id={`${id}-content-err`} />
      <div className="record-rate">
        <div className="field">
          <label htmlFor={`${id}-percent`}>{t('progress.percent')}</label>
          <input
            id={`${id}-percent`}
            name="percent"
            type="number"
            step="0.01"
            defaultValue={initialRate?.percent ?? ''}
            aria-describedby={fieldErr ? `${id}-percent-err` : undefined}
          />
          <FieldError error={error} field="progress_rate.percent" id={`${id}-percent-err`} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-status`}>{t('progress.status')}</label>
          <select id={`${id}-status`} name="status" defaultValue={String(initialRate?.status ?? -1)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(statusKey(s))}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {t('progress.save')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('okrs.cancel')}
          </button>
        )}
      </div>
      <ErrorBanner error={fieldErr ? undefined : error} />
    </form>
  );
}
