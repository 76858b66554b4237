/**
 * The URL forms real clients send beside the SDK's, read once for every route (spec §10):
 * a trailing slash on an Open API path (decisions.md OQ-18) and `key[]=` list parameters (OQ-19).
 */

// The Open API paths, also behind a doubled leading slash (a base URL ending in "/", served by ignoreDuplicateSlashes).
const OPEN_API_PATH = /^\/+open-apis\//;

/**
 * `url` without the single trailing slash of its path when the path is an Open API one
 * (`POST /open-apis/okr/v1/progress_records/` as lark-cli sends it); any other URL unchanged. Two or more trailing
 * slashes are left alone, so they still find no route.
 */
export function withoutTrailingSlash(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.endsWith('/') || path.endsWith('//') || !OPEN_API_PATH.test(path)) return url;
  return path.slice(0, -1) + (q === -1 ? '' : url.slice(q));
}

/**
 * A query string as routes read it: a key given once is a string, a repeated one a list in order. `key[]` is the
 * same key as `key` (the Node SDK's generic `client.request()` writes lists as `okr_ids[]=a&okr_ids[]=b`, its
 * generated methods as `okr_ids=a&okr_ids=b`), so every list parameter, present and future, takes both forms.
 * Values are never split on commas: `okr_ids=a,b` is one (invalid) id.
 */
export function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  let start = 0;
  while (start < query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) add(out, query, start, end);
    start = end + 1;
  }
  return out;
}

/**
 * Adds the `name=value` pair at query[start, end), decoded exactly as URLSearchParams decodes it. Most pairs (ids,
 * enums) hold nothing to decode and are sliced as they are: a URLSearchParams per query was a visible share of a
 * cached read's cost.
 */
function add(out: Record<string, string | string[]>, query: string, start: number, end: number): void {
  let name: string;
  let value: string;
  const pair = query.slice(start, end);
  if (pair.includes('%') || pair.includes('+')) {
    [name, value] = [...new URLSearchParams(pair)][0]!;
  } else {
    const eq = pair.indexOf('=');
    name = eq === -1 ? pair : pair.slice(0, eq);
    value = eq === -1 ? '' : pair.slice(eq + 1);
  }
  const key = name.endsWith('[]') ? name.slice(0, -2) : name;
  const seen = out[key];
  if (seen === undefined) out[key] = value;
  else if (Array.isArray(seen)) seen.push(value);
  else out[key] = [seen, value];
}
