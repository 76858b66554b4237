/** One objective: its text and attributes (edited inline), its key results (reordered, weighted, added, edited). */
import { useContext, useState } from 'react';
import { call } from '../../api/client';
import { api } from '../../api/operations';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { altArrows, Sortable, type HandleProps } from '../../ui/Sortable';
import { Alignments } from './Alignments';
import { contentOf, textOf } from './content';
import type { Category, Cycle, KeyResult, ObjectiveWithKrs } from './data';
import { ItemForm, type ItemPatch } from './ItemForm';
import { MentionNames } from './names';
import { NewItemForm } from './NewItemForm';
import { percentText } from './weights';
import { WeightsCheck } from './WeightsCheck';

const Q = { user_id_type: 'open_id' } as const;

/** What an item shows when not being edited: weight, deadline, category, score. */
function Facts({
  item,
  category,
}: {
  item: { weight?: number; deadline?: string; score?: number };
  category?: string;
}) {
  const { t, formatDate } = useI18n();
  return (
    <dl className="facts">
      <div>
        <dt>{t('okrs.weightFact')}</dt>
        <dd>{percentText(item.weight)}%</dd>
      </div>
      <div>
        <dt>{t('okrs.deadline')}</dt>
        <dd>{item.deadline && item.deadline !== '0' ? formatDate(Number(item.deadline)) : t('okrs.noDeadline')}</dd>
      </div>
      {category !== undefined && (
        <div>
          <dt>{t('okrs.category')}</dt>
          <dd>{category || t('okrs.noCategory')}</dd>
        </div>
      )}
      <div>
        <dt>{t('okrs.score')}</dt>
        <dd>{item.score ?? '–'}</dd>
      </div>
    </dl>
  );
}

/** The row of an objective or key result: handle, label, text, facts, edit and delete. */
function ItemRow({
  label,
  item,
  handle,
  categories,
  categoryName,
  onPatch,
  onDelete,
}: {
  label: string;
  item: ObjectiveWithKrs | KeyResult;
  handle: HandleProps;
  categories?: readonly Category[];
  categoryName?: string;
  onPatch: (patch: ItemPatch) => Promise<void>;
  onDelete: () => Promise<void>;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>();
  const text = textOf(item.content, useContext(MentionNames));
  return (
    <div className="item" onKeyDown={altArrows(handle)}>
      <div className="item-head">
        <button type="button" className="handle" {...handle}>
          <span aria-hidden="true">⠿</span>
        </button>
        <span className="label">{label}</span>
        {!editing && <span className="text">{text}</span>}
        {!editing && (
          <span className="actions">
            <Link
              to={`/progress/${'keyResults' in item ? 'objective' : 'key_result'}/${item.id}`}
              aria-label={`${t('progress.open')} ${label}`}
            >
              {t('progress.open')}
            </Link>
            <button type="button" onClick={() => setEditing(true)} aria-label={`${t('okrs.edit')} ${label}`}>
              {t('okrs.edit')}
            </button>
            <button
              type="button"
              aria-label={`${t('okrs.delete')} ${label}`}
              onClick={() => {
                if (!confirm(t('okrs.confirmDelete', { text }))) return;
                onDelete().catch(setError);
              }}
            >
              {t('okrs.delete')}
            </button>
          </span>
        )}
      </div>
      {editing ? (
        <ItemForm
          item={item}
          categories={categories}
          onCancel={() => setEditing(false)}
          onSave={async (patch) => {
            await onPatch(patch);
            setEditing(false);
          }}
        />
      ) : (
        <Facts item={item} category={categories ? (categoryName ?? '') : undefined} />
      )}
      <ErrorBanner error={error} />
    </div>
  );
}

export function ObjectiveCard({
  cycle,
  objective,
  index,
  handle,
  categories,
  reload,
  reloadKeyResults,
}: {
  cycle: Cycle;
  objective: ObjectiveWithKrs;
  index: number;
  handle: HandleProps;
  categories: readonly Category[];
  /** Reads the cycle's objectives again (their key results kept). */
  reload: () => Promise<void>;
  /** Reads this objective's key results again. */
  reloadKeyResults: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const params = { objective_id: objective.id };
  const category = categories.find((c) => c.id === objective.category_id);
  const label = t('okrs.objective', { n: index + 1 });
  const [error, setError] = useState<unknown>();
  return (
    <section className="card objective" aria-label={label}>
      <ItemRow
        label={`O${index + 1}`}
        item={objective}
        handle={handle}
        categories={categories}
        categoryName={
          category ? ((lang === 'zh' ? category.name.zh : category.name.en) ?? category.name.zh) : undefined
        }
        onPatch={async (body) => {
          await call(api.patchObjective, { params, query: Q, body });
          await reload();
        }}
        onDelete={async () => {
          await call(api.deleteObjective, { params, query: Q });
          await reload();
        }}
      />
      <Alignments objectiveId={objective.id} label={label} cycle={cycle} />
      <Sortable
        items={objective.keyResults}
        label={t('okrs.keyResults', { name: label })}
        onMove={(ids) =>
          void call(api.keyResultsPosition, { params, query: Q, body: { key_result_ids: ids } })
            .then(reloadKeyResults)
            .catch(setError)
        }
        render={(kr, i, krHandle) => (
          <ItemRow
            label={`KR${i + 1}`}
            item={kr}
            handle={krHandle}
            onPatch={async (body) => {
              await call(api.patchKeyResult, { params: { key_result_id: kr.id }, query: Q, body });
              await reloadKeyResults();
            }}
            onDelete={async () => {
              await call(api.deleteKeyResult, { params: { key_result_id: kr.id }, query: Q });
              await reloadKeyResults();
            }}
          />
        )}
      />
      {objective.keyResults.length > 1 && (
        <WeightsCheck
          items={objective.keyResults}
          labelOf={(i) => t('okrs.keyResult', { n: i + 1 })}
          onSave={async (weights) => {
            await call(api.keyResultsWeight, {
              params,
              query: Q,
              body: { key_result_weights: weights.map((w) => ({ key_result_id: w.id, weight: w.weight })) },
            });
            await reloadKeyResults();
          }}
        />
      )}
      <ErrorBanner error={error} />
      <NewItemForm
        label="okrs.newKeyResult"
        placeholder="okrs.newKeyResultPlaceholder"
        onAdd={async (text) => {
          await call(api.createKeyResult, { params, query: Q, body: { content: contentOf(text) } });
          await reloadKeyResults();
        }}
      />
    </section>
  );
}
