/**
 * v1 rich text (camelCase, `person.openId`) ↔ the stored model (v2 snake_case, internal user ids).
 * One table of key names drives both directions, and both copy exactly the keys that are present, so a document
 * reads back exactly as it was written.
 */
import type { ContentBlock } from '../contract/progress-record.js';
import type { Content } from '../domain/rich-text.js';
import { invalidParam } from '../errors.js';

/** How one kind of object's keys map: v1 key → stored key, with the shape of the value when it is an object (or list of them). */
interface Field {
  stored: string;
  shape?: Shape;
  /** Enum values that differ between the two ('person' ↔ 'mention'). */
  values?: Record<string, string>;
  /** The @-mention: its value holds a user, converted by the caller. */
  mention?: true;
}
type Shape = Record<string, Field>;

const same = (...keys: string[]): Shape => Object.fromEntries(keys.map((k) => [k, { stored: k }]));

// Every object of the model has its keys listed, links and colours included: keys outside it are dropped, never stored.
const COLOR: Shape = same('red', 'green', 'blue', 'alpha');
const TEXT_STYLE: Shape = {
  ...same('bold'),
  link: { stored: 'link', shape: same('url') },
  strikeThrough: { stored: 'strike_through' },
  backColor: { stored: 'back_color', shape: COLOR },
  textColor: { stored: 'text_color', shape: COLOR },
};
const ELEMENT: Shape = {
  type: { stored: 'paragraph_element_type', values: { person: 'mention' } },
  textRun: { stored: 'text_run', shape: { ...same('text'), style: { stored: 'style', shape: TEXT_STYLE } } },
  docsLink: { stored: 'docs_link', shape: same('url', 'title') },
  person: { stored: 'mention', mention: true },
};
const LIST_STYLE: Shape = { type: { stored: 'list_type' }, indentLevel: { stored: 'indent_level' }, ...same('number') };
const IMAGE: Shape = { fileToken: { stored: 'file_token' }, ...same('src', 'width', 'height') };
const BLOCK: Shape = {
  type: { stored: 'block_element_type' },
  paragraph: {
    stored: 'paragraph',
    shape: {
      style: { stored: 'style', shape: { list: { stored: 'list', shape: LIST_STYLE } } },
      elements: { stored: 'elements', shape: ELEMENT },
    },
  },
  gallery: { stored: 'gallery', shape: { imageList: { stored: 'images', shape: IMAGE } } },
};
const DOCUMENT: Shape = { blocks: { stored: 'blocks', shape: BLOCK } };

/** The same table read from the stored side. */
function inverse(shape: Shape): Shape {
  return Object.fromEntries(
    Object.entries(shape).map(([v1, f]) => [
      f.stored,
      {
        stored: v1,
        ...(f.shape ? { shape: inverse(f.shape) } : {}),
        ...(f.values ? { values: Object.fromEntries(Object.entries(f.values).map(([a, b]) => [b, a])) } : {}),
        ...(f.mention ? { mention: true as const } : {}),
      },
    ]),
  );
}
const STORED_DOCUMENT = inverse(DOCUMENT);

/** The table with stored names on both sides: which keys the stored model has (a mention holds only `user_id`). */
function identity(shape: Shape): Shape {
  return Object.fromEntries(
    Object.values(shape).map((f) => [
      f.stored,
      { stored: f.stored, ...(f.shape ? { shape: identity(f.shape) } : f.mention ? { shape: same('user_id') } : {}) },
    ]),
  );
}
const STORED_KEYS = identity(DOCUMENT);

/** `content` with only the keys of the stored model (what v2 clients send beside them is dropped, as v1's is). */
export function storedKeysOnly(content: Content): Content {
  return convert(content, STORED_KEYS, () => ({})) as Content;
}

/** The most different images one document may show: one query checks them all, within every engine's limits. */
export const MAX_DOCUMENT_IMAGES = 200;

/** `tokens` without repeats; 1001001 naming `field` when more than MAX_DOCUMENT_IMAGES different ones remain. */
export function distinctImageTokens(tokens: string[], field: string): string[] {
  const distinct = [...new Set(tokens)];
  if (distinct.length > MAX_DOCUMENT_IMAGES) {
    throw invalidParam(`${field}: at most ${MAX_DOCUMENT_IMAGES} different images may be shown`);
  }
  return distinct;
}

/** Renames the keys of `value` by `shape`, recursively; `mention` converts the value of a mention field. */
function convert(value: unknown, shape: Shape, mention: (v: Record<string, unknown>) => object): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, shape, mention));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = shape[key];
    if (!field || v === undefined) continue; // keys outside the model are dropped (the schema already strips them)
    if (field.mention) out[field.stored] = mention(v as Record<string, unknown>);
    else if (field.values && typeof v === 'string') out[field.stored] = field.values[v] ?? v;
    else out[field.stored] = field.shape ? convert(v, field.shape, mention) : v;
  }
  return out;
}

/** The open_ids a v1 document mentions. */
export function v1OpenIds(content: ContentBlock): string[] {
  return (content.blocks ?? []).flatMap((b) =>
    (b.paragraph?.elements ?? []).flatMap((e) => (e.person?.openId !== undefined ? [e.person.openId] : [])),
  );
}

/** The file tokens a v1 document's galleries name, without repeats (at most MAX_DOCUMENT_IMAGES, else 1001001). */
export function v1FileTokens(content: ContentBlock): string[] {
  return distinctImageTokens(
    (content.blocks ?? []).flatMap((b) =>
      (b.gallery?.imageList ?? []).flatMap((i) => (i.fileToken ? [i.fileToken] : [])),
    ),
    'content',
  );
}

/** The stored form of a v1 document; `refOf` maps every mentioned open_id to its internal user id. */
export function fromV1(content: ContentBlock, refOf: (openId: string) => string): Content {
  return convert(content, DOCUMENT, (person) =>
    typeof person.openId === 'string' ? { user_id: refOf(person.openId) } : {},
  ) as Content;
}

/** How a mentioned user is written back: the caller app's open_id, and `userId` when the caller asked for another id type. */
export type PersonOf = (userRef: string) => { openId: string; userId?: string };

/** The v1 form of a stored document. */
export function toV1(content: Content, personOf: PersonOf): ContentBlock {
  return convert(content, STORED_DOCUMENT, (mention) =>
    typeof mention.user_id === 'string' ? personOf(mention.user_id) : {},
  ) as ContentBlock;
}
