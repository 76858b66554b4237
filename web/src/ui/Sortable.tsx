/**
 * A list people reorder by drag and drop or by keyboard: each item gets a handle (a button) that drags, and that moves
 * the item with Alt+↑ / Alt+↓ (or ↑ / ↓ while the handle has focus). `onMove` receives every id in the new order; the
 * move is announced to screen readers and focus stays on the moved item's handle.
 */
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

export interface HandleProps {
  draggable: true;
  onDragStart: (e: DragEvent) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  'aria-label': string;
  'data-sortable-handle': string;
}

export function Sortable<T extends { id: string }>({
  items,
  label,
  onMove,
  render,
}: {
  items: readonly T[];
  /** The list's accessible name. */
  label: string;
  onMove: (ids: string[]) => void;
  render: (item: T, index: number, handle: HandleProps) => ReactNode;
}) {
  const { t } = useI18n();
  const [dragged, setDragged] = useState<string>();
  const [over, setOver] = useState<string>();
  const [announce, setAnnounce] = useState('');
  const focusAfter = useRef<string | undefined>(undefined);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!focusAfter.current) return;
    const el = listRef.current?.querySelector<HTMLElement>(`[data-sortable-handle="${focusAfter.current}"]`);
    el?.focus();
    focusAfter.current = undefined;
  });

  const move = (id: string, to: number) => {
    const ids = items.map((i) => i.id);
    const from = ids.indexOf(id);
    if (from < 0 || to < 0 || to >= ids.length || to === from) return;
    ids.splice(from, 1);
    ids.splice(to, 0, id);
    focusAfter.current = id;
    setAnnounce(t('okrs.moved', { n: to + 1 }));
    onMove(ids);
  };

  const handle = (item: T, index: number): HandleProps => ({
    draggable: true,
    'aria-label': t('okrs.dragHandle'),
    'data-sortable-handle': item.id,
    onDragStart: (e) => {
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', item.id);
      setDragged(item.id);
    },
    onKeyDown: (e) => {
      const up = e.key === 'ArrowUp';
      if (!up && e.key !== 'ArrowDown') return;
      e.preventDefault();
      move(item.id, index + (up ? -1 : 1));
    },
  });

  const drop = (target: T, index: number) => (e: DragEvent) => {
    // Only drags that started in this list (a key result dropped on its objective's list is not the objective's).
    const id = dragged;
    if (!id) return;
    e.preventDefault();
    e.stopPropagation();
    setDragged(undefined);
    setOver(undefined);
    if (id !== target.id) move(id, index);
  };

  return (
    <>
      <ol className="sortable" aria-label={label} ref={listRef}>
        {items.map((item, index) => (
          <li
            key={item.id}
            className={over === item.id ? 'drop-target' : undefined}
            onDragOver={(e) => {
              if (!dragged || !items.some((i) => i.id === dragged)) return;
              e.preventDefault();
              setOver(item.id);
            }}
            onDragLeave={() => setOver((o) => (o === item.id ? undefined : o))}
            onDrop={drop(item, index)}
            onDragEnd={() => {
              setDragged(undefined);
              setOver(undefined);
            }}
          >
            {render(item, index, handle(item, index))}
          </li>
        ))}
      </ol>
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </>
  );
}

/** Alt+↑ / Alt+↓ anywhere inside an item moves it too: wire this to the item's container. */
export function altArrows(handle: HandleProps) {
  return (e: KeyboardEvent) => {
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) handle.onKeyDown(e);
  };
}
