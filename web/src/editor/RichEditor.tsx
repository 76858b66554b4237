/**
 * A small rich-text editor over contentEditable, for progress records: bold, strike-through, text and background
 * colours, links, bulleted and numbered lists, @-mentions found by person search, and images uploaded from a file or
 * pasted. The DOM is read back as the API's block model (rich-model.ts) when the record is saved, so the editor keeps no
 * model of its own. Loaded lazily: the first page does not carry it.
 */
import { forwardRef, useEffect, useId, useImperativeHandle, useRef, useState, type KeyboardEvent } from 'react';
import { call } from '../api/client';
import { progressApi } from '../api/progress.operations';
import { useI18n } from '../i18n/i18n';
import { ErrorBanner } from '../ui/errors';
import { contentToDom, domToContent, galleryNode, type Content, type NameOf } from './rich-model';

export interface RichEditorHandle {
  /** The document as it stands. */
  content(): Content;
}

export interface RichEditorProps {
  label: string;
  /** What the editor opens with (editing a record). */
  initial?: Content;
  nameOf: NameOf;
  /** The objective (2) or key result (3) images are uploaded for. */
  target: { id: string; type: 2 | 3 };
  /** A person picked for a mention, so the page can show their name elsewhere too. */
  onMention?: (openId: string, name: string) => void;
}

const COLORS = [
  { key: 'editor.colorRed', css: 'rgb(216, 57, 49)' },
  { key: 'editor.colorGreen', css: 'rgb(46, 125, 50)' },
  { key: 'editor.colorBlue', css: 'rgb(21, 101, 192)' },
] as const;
const HIGHLIGHT = 'rgb(255, 241, 118)';

type Found = { open_id: string; name: string };

const RichEditor = forwardRef<RichEditorHandle, RichEditorProps>(function RichEditor(
  { label, initial, nameOf, target, onMention },
  ref,
) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const saved = useRef<Range | null>(null);
  const searchId = useId();
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found[]>();
  const [error, setError] = useState<unknown>();

  useImperativeHandle(ref, () => ({ content: () => domToContent(box.current!) }), []);

  useEffect(() => {
    document.execCommand('styleWithCSS', false, 'true');
    document.execCommand('defaultParagraphSeparator', false, 'p');
    box.current!.replaceChildren(contentToDom(document, initial, nameOf));
    // The initial document is read once; later name look-ups do not reset what is being written.
  }, []);

  /** Remembers where the caret is, for commands issued from outside the editor (mention search, file picker). */
  const keep = () => {
    const sel = getSelection();
    if (sel && sel.rangeCount > 0 && box.current!.contains(sel.anchorNode))
      saved.current = sel.getRangeAt(0).cloneRange();
  };
  const restore = () => {
    box.current!.focus();
    const sel = getSelection()!;
    if (saved.current) {
      sel.removeAllRanges();
      sel.addRange(saved.current);
    } else {
      sel.selectAllChildren(box.current!);
      sel.collapseToEnd();
    }
  };
  const insertNode = (node: Node) => {
    restore();
    const range = getSelection()!.getRangeAt(0);
    range.deleteContents();
    range.insertNode(node);
    range.setStartAfter(node);
    range.collapse(true);
    const sel = getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
    keep();
  };
  const command = (name: string, value?: string) => {
    box.current!.focus();
    document.execCommand(name, false, value);
    keep();
  };

  const upload = async (files: Iterable<File>) => {
    for (const f of files) {
      if (!f.type.startsWith('image/')) continue;
      const form = new FormData();
      form.append('data', f, f.name || 'pasted.png');
      form.append('target_id', target.id);
      form.append('target_type', String(target.type));
      const { file_token, url } = await call(progressApi.uploadImage, { body: form });
      insertNode(galleryNode(document, [{ file_token, src: url }]));
    }
  };

  const typedAt = useRef(false);
  const openSearch = (byKey = false) => {
    typedAt.current = byKey;
    keep();
    setSearching(true);
    setQuery('');
    setFound(undefined);
  };
  useEffect(() => {
    if (!searching || query.trim() === '') return setFound(undefined);
    let live = true;
    const timer = setTimeout(() => {
      call(progressApi.searchUsers, { query: { query: query.trim(), page_size: 8 } }).then(
        (r) => live && setFound(r.users.map((u) => ({ open_id: u.open_id, name: u.name }))),
        (e: unknown) => live && setError(e),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [searching, query]);
  const pick = (person: Found) => {
    setSearching(false);
    onMention?.(person.open_id, person.name);
    const span = document.createElement('span');
    span.className = 'mention';
    span.dataset.mention = person.open_id;
    span.contentEditable = 'false';
    span.textContent = `@${person.name}`;
    insertNode(span);
    insertNode(document.createTextNode('\u00a0'));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === '@') {
      e.preventDefault();
      openSearch(true);
    }
  };

  return (
    <div className="editor">
      <div className="editor-toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => command('bold')}>
          <b>{t('editor.bold')}</b>
        </button>
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => command('strikeThrough')}>
          <s>{t('editor.strike')}</s>
        </button>
        {COLORS.map((c) => (
          <button
            key={c.key}
            type="button"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => command('foreColor', c.css)}
          >
            <span style={{ color: c.css }}>{t(c.key)}</span>
          </button>
        ))}
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => command('hiliteColor', HIGHLIGHT)}>
          {t('editor.highlight')}
        </button>
        <button
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            const url = prompt(t('editor.linkPrompt'), 'https://');
            if (url && /^https?:\/\/\S+$/.test(url)) command('createLink', url);
          }}
        >
          {t('editor.link')}
        </button>
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => command('insertUnorderedList')}>
          {t('editor.bullets')}
        </button>
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => command('insertOrderedList')}>
          {t('editor.numbers')}
        </button>
        <button type="button" onMouseDown={(e) => e.preventDefault()} onClick={() => openSearch()}>
          {t('editor.mention')}
        </button>
        <button
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            keep();
            file.current!.click();
          }}
        >
          {t('editor.image')}
        </button>
        <input
          ref={file}
          type="file"
          accept="image/*"
          hidden
          aria-label={t('editor.image')}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            upload(files).catch(setError);
          }}
        />
      </div>
      {searching && (
        <div className="mention-search">
          <label htmlFor={searchId}>{t('editor.mentionSearch')}</label>
          <input
            id={searchId}
            autoFocus
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                // Not a mention after all: an "@" typed in the text stays there as text.
                setSearching(false);
                restore();
                if (typedAt.current) document.execCommand('insertText', false, '@');
              }
            }}
          />
          {found && (
            <ul aria-label={t('editor.mentionResults')}>
              {found.length === 0 && <li className="muted">{t('editor.nobody')}</li>}
              {found.map((p) => (
                <li key={p.open_id}>
                  <button type="button" onClick={() => pick(p)}>
                    {p.name}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div
        ref={box}
        className="editor-box rich"
        contentEditable
        suppressContentEditableWarning
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        tabIndex={0}
        onKeyUp={keep}
        onMouseUp={keep}
        onBlur={keep}
        onKeyDown={onKeyDown}
        onPaste={(e) => {
          const images = [...e.clipboardData.files].filter((f) => f.type.startsWith('image/'));
          if (images.length === 0) return;
          e.preventDefault();
          keep();
          upload(images).catch(setError);
        }}
      />
      <ErrorBanner error={error} />
    </div>
  );
});

export default RichEditor;
