/**
 * Comment threads on an objective, a key result or a progress record (v2 comments, spec §4.8): each thread is a
 * comment and its replies, open or solved; anyone who may read the target comments and replies, the thread's author
 * or the target's owner solves and reopens (decisions.md OQ-29: the server decides, the UI offers it only to them). A
 * selection thread quotes the text it was started on.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { Static } from '@sinclair/typebox';
import type { Comment } from '../../../src/contract/v2/comment.js';
import { ApiError, call } from '../api/client';
import { progressApi } from '../api/progress.operations';
import { useMe } from '../app/me';
import { useI18n } from '../i18n/i18n';
import { contentOf, textOf } from '../pages/my-okrs/content';
import { ErrorBanner, FieldError } from '../ui/errors';
import type { Names } from '../editor/useNames';

type CommentT = Static<typeof Comment>;
export interface CommentTarget {
  target_type: 'objective' | 'key_result' | 'progress';
  target_id: string;
}
interface Thread {
  root: CommentT;
  replies: CommentT[];
}

const Q = { user_id_type: 'open_id' } as const;

async function loadComments(target: CommentTarget): Promise<CommentT[]> {
  const all: CommentT[] = [];
  let page_token: string | undefined;
  do {
    const page = await call(progressApi.listComments, { query: { ...target, ...Q, page_size: 100, page_token } });
    all.push(...page.items);
    page_token = page.has_more ? page.page_token : undefined;
  } while (page_token);
  return all;
}

/** Threads in order of their first comment, each reply under the thread it answers (replies to replies included). */
export function threadsOf(comments: readonly CommentT[]): Thread[] {
  const byId = new Map(comments.map((c) => [c.id, c]));
  const rootOf = (c: CommentT): CommentT => {
    let at = c;
    for (let hops = 0; at.ref_comment_id && byId.has(at.ref_comment_id) && hops < comments.length; hops += 1) {
      at = byId.get(at.ref_comment_id)!;
    }
    return at;
  };
  const threads = new Map<string, Thread>();
  const sorted = [...comments].sort((a, b) => Number(a.create_time) - Number(b.create_time));
  for (const c of sorted) if (rootOf(c) === c) threads.set(c.id, { root: c, replies: [] });
  for (const c of sorted) {
    const root = rootOf(c);
    if (root !== c) threads.get(root.id)?.replies.push(c);
  }
  return [...threads.values()];
}

/** A text box and a button: a new comment or a reply. */
function CommentForm({
  label,
  submit,
  onDone,
}: {
  label: string;
  submit: (text: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const send = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await submit(text);
      setText('');
      setError(undefined);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="comment-form" onSubmit={(e) => void send(e)}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={2}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-describedby={error instanceof ApiError && error.violation('content') ? `${id}-err` : undefined}
      />
      <FieldError error={error} field="content" id={`${id}-err`} />
      <button type="submit" disabled={text.trim() === ''}>
        {t('comments.send')}
      </button>
      <ErrorBanner error={error} />
    </form>
  );
}

export function CommentThreads({
  target,
  ownerId,
  names,
  selection,
  onSelectionUsed,
}: {
  target: CommentTarget;
  /** The target's owner (open_id): they may solve and reopen every thread. */
  ownerId?: string;
  names: Names;
  /** Text the person selected to comment on (objectives and key results). */
  selection?: string;
  onSelectionUsed?: () => void;
}) {
  const me = useMe();
  const { t, formatDate } = useI18n();
  const headingId = useId();
  const [threads, setThreads] = useState<Thread[]>();
  const [error, setError] = useState<unknown>();
  const { learn, nameOf } = names;

  const reload = useCallback(async () => {
    const comments = await loadComments(target);
    learn(comments.map((c) => c.commentator_id));
    setThreads(threadsOf(comments));
  }, [target.target_type, target.target_id, learn]);
  useEffect(() => {
    reload().catch(setError);
  }, [reload]);

  const create = (text: string, extra: { selected_text?: string; ref_comment_id?: string } = {}) =>
    call(progressApi.createComment, { query: Q, body: { target, content: contentOf(text), ...extra } });
  const setStatus = async (thread: Thread, solve: boolean) => {
    try {
      await call(solve ? progressApi.solveComment : progressApi.reopenComment, {
        params: { comment_id: thread.root.id },
        query: Q,
      });
      await reload();
    } catch (err) {
      setError(err);
    }
  };
  const line = (c: CommentT) => (
    <div className="comment" data-comment-id={c.id}>
      <span className="who">{nameOf(c.commentator_id) || t('comments.someone')}</span>{' '}
      <time className="muted">{formatDate(Number(c.create_time))}</time>
      <p>{textOf(c.content, nameOf)}</p>
    </div>
  );

  return (
    <section className="comments" aria-labelledby={headingId} data-comments-ready={threads ? '' : undefined}>
      <h3 id={headingId}>{t('comments.title')}</h3>
      <ErrorBanner error={error} />
      {threads?.length === 0 && <p className="muted">{t('comments.none')}</p>}
      {threads?.map((thread) => {
        const solved = thread.root.status === 'solved';
        const maySolve = thread.root.commentator_id === me.open_id || ownerId === me.open_id;
        return (
          <article key={thread.root.id} className={`thread${solved ? ' solved' : ''}`}>
            {thread.root.selection?.selected_text && (
              <blockquote className="quote">{thread.root.selection.selected_text}</blockquote>
            )}
            {line(thread.root)}
            {thread.replies.map((r) => (
              <div key={r.id} className="reply">
                {line(r)}
              </div>
            ))}
            <p className="status">{solved ? t('comments.solved') : t('comments.open')}</p>
            {maySolve && (
              <button type="button" onClick={() => void setStatus(thread, !solved)}>
                {solved ? t('comments.reopen') : t('comments.solve')}
              </button>
            )}
            {!solved && (
              <CommentForm
                label={t('comments.reply')}
                submit={(text) => create(text, { ref_comment_id: thread.root.id })}
                onDone={() => void reload().catch(setError)}
              />
            )}
          </article>
        );
      })}
      {selection && (
        <div className="selection-comment">
          <blockquote className="quote">{selection}</blockquote>
          <CommentForm
            label={t('comments.onSelection')}
            submit={(text) => create(text, { selected_text: selection })}
            onDone={() => {
              onSelectionUsed?.();
              void reload().catch(setError);
            }}
          />
        </div>
      )}
      <CommentForm
        label={t('comments.new')}
        submit={(text) => create(text)}
        onDone={() => void reload().catch(setError)}
      />
    </section>
  );
}
