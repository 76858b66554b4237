/**
 * Progress of an objective or key result (issue 9 items 4 and 7), at `/progress/:kind/:id`: its indicator with a chart
 * of progress over time, a rich-text record of progress with percent and status, the history of records (the
 * person's own editable and deletable), and comment threads on the item (text selected in it starts a selection
 * thread) and on each record. Records are written through v1 and read through v2's lists, as the API has them.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Progress } from '../../../../src/contract/v2/progress.js';
import { call } from '../../api/client';
import { progressApi } from '../../api/progress.operations';
import { useMe } from '../../app/me';
import type { PageProps } from '../../app/pages';
import { Link } from '../../app/router';
import { CommentThreads } from '../../comments/CommentThreads';
import { mentionedIn, toV1, type Content } from '../../editor/rich-model';
import { RichView } from '../../editor/RichView';
import { useNames, type Names } from '../../editor/useNames';
import { useI18n } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { IndicatorPanel } from './IndicatorPanel';
import './progress.css';
import { ProgressChart } from './ProgressChart';
import { RecordForm } from './RecordForm';
import { statusKey } from './status';
import { progressPath, v1Type, type Target } from './target';

type Record = Static<typeof Progress>;
interface Item {
  content?: Content;
  owner: { user_id?: string };
}

const Q = { user_id_type: 'open_id' } as const;

async function loadItem(target: Target): Promise<Item> {
  if (target.kind === 'objective') {
    return (await call(progressApi.getObjective, { params: { objective_id: target.id }, query: Q })).objective;
  }
  return (await call(progressApi.getKeyResult, { params: { key_result_id: target.id }, query: Q })).key_result;
}

async function loadRecords(target: Target): Promise<Record[]> {
  const records: Record[] = [];
  let page_token: string | undefined;
  do {
    const query = { ...Q, page_size: 100, page_token };
    const page =
      target.kind === 'objective'
        ? await call(progressApi.objectiveProgresses, { params: { objective_id: target.id }, query })
        : await call(progressApi.keyResultProgresses, { params: { key_result_id: target.id }, query });
    records.push(...page.items);
    page_token = page.has_more ? page.page_token : undefined;
  } while (page_token);
  return records.sort((a, b) => Number(b.create_time) - Number(a.create_time));
}

/** One record of the history: who, when, percent and status, the text; edit and delete for its author. */
function RecordItem({
  record,
  target,
  names,
  reload,
}: {
  record: Record;
  target: Target;
  names: Names;
  reload: () => Promise<void>;
}) {
  const me = useMe();
  const { t, formatDate } = useI18n();
  const [editing, setEditing] = useState(false);
  const [comments, setComments] = useState(false);
  const [error, setError] = useState<unknown>();
  const mine = record.owner.user_id === me.open_id;
  const rate = record.progress_rate;
  return (
    <li className="record card" data-record-id={record.id}>
      <div className="record-head">
        <span className="who">{names.nameOf(record.owner.user_id ?? '')}</span>{' '}
        <time className="muted">{formatDate(Number(record.create_time))}</time>
        {rate?.progress_percent !== undefined && <span className="pill">{rate.progress_percent}%</span>}
        {rate?.progress_status !== undefined && rate.progress_status !== -1 && (
          <span className={`pill status-${rate.progress_status}`}>{t(statusKey(rate.progress_status))}</span>
        )}
      </div>
      {editing ? (
        <RecordForm
          target={target}
          names={names}
          initial={record.content}
          initialRate={{ percent: rate?.progress_percent, status: rate?.progress_status }}
          label={t('progress.editRecord')}
          onCancel={() => setEditing(false)}
          onSave={async (content, progress_rate) => {
            await call(progressApi.updateRecord, {
              params: { progress_id: record.id },
              query: Q,
              body: { content: toV1(content), progress_rate },
            });
            setEditing(false);
            await reload();
          }}
        />
      ) : (
        <RichView content={record.content} nameOf={names.nameOf} />
      )}
      <div className="buttons">
        {mine && !editing && (
          <>
            <button type="button" onClick={() => setEditing(true)}>
              {t('okrs.edit')}
            </button>
            <button
              type="button"
              onClick={() => {
                if (!confirm(t('progress.confirmDelete'))) return;
                call(progressApi.deleteRecord, { params: { progress_id: record.id } }).then(reload, setError);
              }}
            >
              {t('okrs.delete')}
            </button>
          </>
        )}
        <button type="button" aria-expanded={comments} onClick={() => setComments(!comments)}>
          {t('comments.title')}
        </button>
      </div>
      <ErrorBanner error={error} />
      {comments && (
        <CommentThreads
          target={{ target_type: 'progress', target_id: record.id }}
          ownerId={record.owner.user_id}
          names={names}
        />
      )}
    </li>
  );
}

export default function ProgressPage({ params }: PageProps) {
  const me = useMe();
  const { t } = useI18n();
  const names = useNames();
  const { learn } = names;
  const kind = params.kind === 'objective' ? 'objective' : params.kind === 'key_result' ? 'key_result' : undefined;
  const target: Target | undefined = kind && params.id ? { kind, id: params.id } : undefined;
  const [item, setItem] = useState<Item>();
  const [records, setRecords] = useState<Record[]>();
  const [error, setError] = useState<unknown>();
  const [selection, setSelection] = useState<string>();
  const [formKey, setFormKey] = useState(0);

  const reload = useCallback(async () => {
    if (!target) return;
    const next = await loadRecords(target);
    learn(next.flatMap((r) => [r.owner.user_id ?? '', ...mentionedIn(r.content)]));
    setRecords(next);
  }, [target?.kind, target?.id, learn]);

  useEffect(() => {
    if (!target) return;
    setItem(undefined);
    setRecords(undefined);
    loadItem(target).then((i) => {
      learn(mentionedIn(i.content));
      setItem(i);
    }, setError);
    reload().catch(setError);
  }, [reload]);

  if (!target) return <p data-ready="">{t('app.notFound')}</p>;
  const mine = item?.owner.user_id === me.open_id;
  const ready = item !== undefined && records !== undefined;
  const points = (records ?? []).flatMap((r) =>
    r.progress_rate?.progress_percent === undefined
      ? []
      : [{ time: Number(r.create_time), percent: r.progress_rate.progress_percent }],
  );

  return (
    <div className="progress-page" data-ready={ready || error ? '' : undefined}>
      <div className="page-head">
        <h1>{t(kind === 'objective' ? 'progress.titleObjective' : 'progress.titleKeyResult')}</h1>
        <Link to="/okrs">{t('progress.back')}</Link>
      </div>
      <ErrorBanner error={error} />
      {!ready && !error && <p role="status">{t('app.loading')}</p>}
      {item && (
        <section className="card target-text" aria-label={t('progress.itemText')}>
          <RichView
            content={item.content}
            nameOf={names.nameOf}
            className="selectable"
            onMouseUp={(e) => {
              const sel = getSelection();
              const text = sel?.toString().trim() ?? '';
              if (text && sel && e.currentTarget.contains(sel.anchorNode)) setSelection(text.slice(0, 1000));
            }}
          />
          <p className="muted hint">{t('progress.selectHint')}</p>
        </section>
      )}
      {ready && (
        <>
          <div className="progress-top">
            <IndicatorPanel target={target} mine={mine} />
            <section className="card" aria-label={t('progress.chart')}>
              <h2>{t('progress.chart')}</h2>
              <ProgressChart points={points} />
            </section>
          </div>
          <section className="card" aria-labelledby="record-new">
            <h2 id="record-new">{t('progress.newRecord')}</h2>
            <RecordForm
              key={formKey}
              target={target}
              names={names}
              label={t('progress.newRecord')}
              onSave={async (content, progress_rate) => {
                await call(progressApi.createRecord, {
                  query: Q,
                  body: {
                    source_title: 'okrd',
                    source_url: location.origin + progressPath(target),
                    target_id: target.id,
                    target_type: v1Type(target),
                    content: toV1(content),
                    progress_rate,
                  },
                });
                setFormKey((k) => k + 1);
                await reload();
              }}
            />
          </section>
          <section aria-labelledby="record-history">
            <h2 id="record-history">{t('progress.history')}</h2>
            {records!.length === 0 && <p className="muted">{t('progress.noRecords')}</p>}
            <ol className="records">
              {records!.map((r) => (
                <RecordItem key={r.id} record={r} target={target} names={names} reload={reload} />
              ))}
            </ol>
          </section>
          <section className="card">
            <CommentThreads
              target={{ target_type: target.kind, target_id: target.id }}
              ownerId={item!.owner.user_id}
              names={names}
              selection={selection}
              onSelectionUsed={() => setSelection(undefined)}
            />
          </section>
        </>
      )}
    </div>
  );
}
