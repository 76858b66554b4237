/**
 * The one page-token cursor of every paged list (v1 periods, every v2 list): an opaque base64url token holding the
 * sort key of the last item served, so a page never repeats or skips items when others are added in between.
 */
import { invalidParam } from '../errors.js';

/** A sort key: the values of the columns a list is ordered by, in order. */
export type CursorKey = readonly (string | number)[];

/** A page of a list, as every Feishu paged list answers it (`page_token` only with `has_more`). */
export interface Page<T> {
  has_more: boolean;
  page_token?: string;
  items: T[];
}

/** The token of a key. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a token holds, checked against the kinds of its values; 1001001 for anything okrd did not issue. */
export function decodeCursor<const K extends readonly ('string' | 'number')[]>(
  token: string,
  kinds: K,
): { [I in keyof K]: K[I] extends 'number' ? number : string } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const ok =
    Array.isArray(key) &&
    key.length === kinds.length &&
    key.every((v, i) => (kinds[i] === 'number' ? Number.isSafeInteger(v) : typeof v === 'string' && v.length <= 64));
  if (!ok) throw invalidParam('page_token: is not a token this server issued');
  return key as never;
}

/**
 * The page made of `rows`, which the caller fetched with LIMIT pageSize + 1 after the cursor: the extra row only
 * tells that there is more. `keyOf` gives the sort key of a row, `view` its wire form.
 */
export function toPage<R, T>(
  rows: readonly R[],
  pageSize: number,
  keyOf: (row: R) => CursorKey,
  view: (row: R) => T,
): Page<T> {
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  const hasMore = rows.length > pageSize && last !== undefined;
  return {
    has_more: hasMore,
    ...(hasMore ? { page_token: encodeCursor(keyOf(last)) } : {}),
    items: page.map(view),
  };
}
