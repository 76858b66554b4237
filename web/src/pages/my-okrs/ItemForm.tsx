/**
 * Editing an objective or a key result inline: its text, deadline, score and (objectives) category. Only the fields
 * that changed are sent; the server's field_violations appear beside their fields, in the person's language.
 */
import { useContext, useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner, FieldError } from '../../ui/errors';
import { ApiError } from '../../api/client';
import { contentOf, textOf } from './content';
import type { Category, KeyResult, Objective } from './data';
import { dateInput, deadlineOf } from './dates';
import { MentionNames } from './names';

export interface ItemPatch {
  content?: ReturnType<typeof contentOf>;
  deadline?: string;
  score?: number;
  category_id?: string;
}

export function ItemForm({
  item,
  categories,
  onSave,
  onCancel,
}: {
  item: Objective | KeyResult;
  /** Objectives only: the categories to file it under. */
  categories?: readonly Category[];
  onSave: (patch: ItemPatch) => Promise<void>;
  onCancel: () => void;
}) {
  const { t, lang, utcOffsetMinutes } = useI18n();
  const id = useId();
  const nameOf = useContext(MentionNames);
  // Fixed when the form opens: names arriving later must not make unchanged text look changed.
  const [original] = useState(() => ({
    text: textOf(item.content, nameOf),
    deadline: dateInput(item.deadline, utcOffsetMinutes),
    score: item.score === undefined ? '' : String(item.score),
    category: 'category_id' in item ? (item.category_id ?? '') : '',
  }));
  const [v, setV] = useState(original);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const patch: ItemPatch = {};
    if (v.text !== original.text) patch.content = contentOf(v.text);
    if (v.deadline !== original.deadline) patch.deadline = deadlineOf(v.deadline, utcOffsetMinutes);
    if (v.score !== original.score && v.score !== '') patch.score = Number(v.score);
    if (categories && v.category !== original.category && v.category) patch.category_id = v.category;
    if (Object.keys(patch).length === 0) return onCancel();
    setBusy(true);
    try {
      await onSave(patch);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const invalid = (field: string) => (error instanceof ApiError && error.violation(field) ? true : undefined);
  const described = (field: string) => (invalid(field) ? `${id}-${field}-error` : undefined);

  return (
    <form className="item-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={`${id}-text`}>{t('okrs.content')}</label>
      <textarea
        id={`${id}-text`}
        value={v.text}
        rows={2}
        onChange={(e) => setV({ ...v, text: e.target.value })}
        aria-invalid={invalid('content')}
        aria-describedby={described('content')}
        autoFocus
      />
      <FieldError error={error} field="content" id={`${id}-content-error`} />
      <div className="fields">
        <div>
          <label htmlFor={`${id}-deadline`}>{t('okrs.deadline')}</label>
          <input
            id={`${id}-deadline`}
            type="date"
            value={v.deadline}
            onChange={(e) => setV({ ...v, deadline: e.target.value })}
            aria-invalid={invalid('deadline')}
            aria-describedby={described('deadline')}
          />
          <FieldError error={error} field="deadline" id={`${id}-deadline-error`} />
        </div>
        <div>
          <label htmlFor={`${id}-score`}>{t('okrs.score')}</label>
          <input
            id={`${id}-score`}
            type="number"
            inputMode="decimal"
            step="any"
            value={v.score}
            onChange={(e) => setV({ ...v, score: e.target.value })}
            aria-invalid={invalid('score')}
            aria-describedby={described('score')}
          />
          <FieldError error={error} field="score" id={`${id}-score-error`} />
        </div>
        {categories && (
          <div>
            <label htmlFor={`${id}-category`}>{t('okrs.category')}</label>
            <select id={`${id}-category`} value={v.category} onChange={(e) => setV({ ...v, category: e.target.value })}>
              <option value="">{t('okrs.noCategory')}</option>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {(lang === 'zh' ? c.name.zh : c.name.en) ?? c.name.zh ?? c.name.en ?? c.id}
                </option>
              ))}
            </select>
            <FieldError error={error} field="category_id" id={`${id}-category_id-error`} />
          </div>
        )}
      </div>
      {error instanceof ApiError && error.fieldViolations.length > 0 ? null : <ErrorBanner error={error} />}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {t('okrs.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('okrs.cancel')}
        </button>
      </div>
    </form>
  );
}
