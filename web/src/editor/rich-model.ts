/**
 * The editor's document model: the v2 rich-text block model of the API (src/contract/v2/common.ts V2ContentBlock) read
 * from and written to the editor's DOM, and converted to the v1 camelCase model progress records are written with.
 *
 * The DOM the editor holds: block elements (`p`, `div`, `li` of `ul`/`ol`, `figure.gallery` of `img`) whose inline
 * content is text, `b`/`strong`, `s`/`strike`/`del`, `span` with `color`/`background-color`, `a[href]`, `br`, and
 * `span[data-mention]` (an @-mention, not editable). Anything else (pasted markup) is read for its text alone, so what
 * is saved is always a document the API accepts.
 */
import type { Static } from '@sinclair/typebox';
import type { V1Block, V1ParagraphElement } from '../../../src/contract/progress-record.js';
import type { V2Block, V2ContentBlock, V2ParagraphElement } from '../../../src/contract/v2/common.js';

export type Content = Static<typeof V2ContentBlock>;
type Style = NonNullable<NonNullable<V2ParagraphElement['text_run']>['style']>;
type Color = NonNullable<Style['text_color']>;
type ListStyle = NonNullable<NonNullable<NonNullable<V2Block['paragraph']>['style']>['list']>;
type Image = NonNullable<NonNullable<V2Block['gallery']>['images']>[number];

/** `rgb(1, 2, 3)`, `rgba(…)` or `#rrggbb` as the API's colour; undefined for anything else. */
export function colorOf(css: string): Color | undefined {
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)$/.exec(css.trim());
  if (rgb) {
    const alpha = rgb[4] === undefined ? 1 : Number(rgb[4]);
    return alpha === 0 ? undefined : { red: +rgb[1]!, green: +rgb[2]!, blue: +rgb[3]!, alpha };
  }
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css.trim());
  return hex
    ? { red: parseInt(hex[1]!, 16), green: parseInt(hex[2]!, 16), blue: parseInt(hex[3]!, 16), alpha: 1 }
    : undefined;
}

/** Only web links become links: a document's `javascript:` URL must never reach an href. */
const isWebUrl = (url: string | undefined): url is string => url !== undefined && /^https?:\/\//i.test(url);
const cssOf = (c: Color) => `rgba(${c.red ?? 0}, ${c.green ?? 0}, ${c.blue ?? 0}, ${c.alpha ?? 1})`;
const BLOCK_TAGS = new Set(['P', 'DIV', 'LI', 'H1', 'H2', 'H3', 'H4', 'BLOCKQUOTE', 'PRE']);
const sameStyle = (a: Style | undefined, b: Style | undefined) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

/** Reads the editor's DOM as a document (empty paragraphs dropped, adjacent runs of one style merged). */
export function domToContent(root: HTMLElement): Content {
  const blocks: V2Block[] = [];
  let elements: V2ParagraphElement[] = [];
  let list: ListStyle | undefined;

  const flush = () => {
    const hasText = elements.some((e) => e.mention || (e.text_run?.text ?? '').trim() !== '');
    if (hasText) {
      blocks.push({
        block_element_type: 'paragraph',
        paragraph: { ...(list ? { style: { list: { ...list } } } : {}), elements },
      });
    }
    elements = [];
  };
  const text = (value: string, style: Style) => {
    if (value === '') return;
    const last = elements.at(-1);
    if (last?.text_run && sameStyle(last.text_run.style, style))
      last.text_run.text = (last.text_run.text ?? '') + value;
    else {
      const run = Object.keys(style).length > 0 ? { text: value, style: { ...style } } : { text: value };
      elements.push({ paragraph_element_type: 'textRun', text_run: run });
    }
  };
  const image = (img: HTMLImageElement) => {
    const token = img.dataset.token;
    const entry: Image = {
      // The API keeps src as sent (the signed URL of the upload) and shows it to every reader.
      ...(token ? { file_token: token } : {}),
      src: img.src,
      ...(img.naturalWidth ? { width: img.naturalWidth, height: img.naturalHeight } : {}),
    };
    const last = blocks.at(-1);
    if (elements.length === 0 && last?.gallery) last.gallery.images = [...(last.gallery.images ?? []), entry];
    else {
      flush();
      blocks.push({ block_element_type: 'gallery', gallery: { images: [entry] } });
    }
  };

  const walk = (node: Node, style: Style, depth: number) => {
    if (node.nodeType === Node.TEXT_NODE) return text((node.textContent ?? '').replace(/\u200b/g, ''), style);
    if (!(node instanceof HTMLElement)) return;
    const tag = node.tagName;
    if (tag === 'BR') return flush();
    if (tag === 'IMG') return image(node as HTMLImageElement);
    if (node.dataset.mention) {
      elements.push({ paragraph_element_type: 'mention', mention: { user_id: node.dataset.mention } });
      return;
    }
    if (tag === 'UL' || tag === 'OL') {
      flush();
      let n = 0;
      for (const child of node.children) {
        if (child.tagName === 'UL' || child.tagName === 'OL') {
          walk(child, style, depth + 1);
          continue;
        }
        n += 1;
        list = {
          list_type: tag === 'OL' ? 'number' : 'bullet',
          indent_level: Math.min(depth + 1, 16),
          ...(tag === 'OL' ? { number: n } : {}),
        };
        for (const inner of child.childNodes) walk(inner, style, depth + 1);
        flush();
        list = undefined;
      }
      return;
    }
    const next: Style = { ...style };
    if (tag === 'B' || tag === 'STRONG' || Number(node.style.fontWeight) >= 600 || node.style.fontWeight === 'bold') {
      next.bold = true;
    }
    if (tag === 'S' || tag === 'STRIKE' || tag === 'DEL' || node.style.textDecoration.includes('line-through')) {
      next.strike_through = true;
    }
    const color = colorOf(node.style.color || node.getAttribute('color') || '');
    if (color) next.text_color = color;
    const back = colorOf(node.style.backgroundColor);
    if (back) next.back_color = back;
    if (tag === 'A') {
      const href = (node as HTMLAnchorElement).href;
      if (isWebUrl(href)) next.link = { url: href };
    }
    const block = BLOCK_TAGS.has(tag) && node !== root;
    if (block) flush();
    for (const child of node.childNodes) walk(child, next, depth);
    if (block) flush();
  };
  walk(root, {}, 0);
  flush();
  return { blocks };
}

/** How a mention is shown: the person's name, or their id until the name is known. */
export type NameOf = (userId: string) => string;

function inlineNode(doc: Document, el: V2ParagraphElement, nameOf: NameOf): Node {
  if (el.mention) {
    const span = doc.createElement('span');
    span.className = 'mention';
    span.dataset.mention = el.mention.user_id ?? '';
    span.contentEditable = 'false';
    span.textContent = `@${nameOf(el.mention.user_id ?? '')}`;
    return span;
  }
  if (el.docs_link) {
    const a = doc.createElement('a');
    if (isWebUrl(el.docs_link.url)) a.href = el.docs_link.url;
    a.textContent = el.docs_link.title || el.docs_link.url || '';
    return a;
  }
  const style = el.text_run?.style ?? {};
  let node: Node = doc.createTextNode(el.text_run?.text ?? '');
  const wrap = (tag: string) => {
    const outer = doc.createElement(tag);
    outer.append(node);
    node = outer;
    return outer;
  };
  if (style.bold) wrap('b');
  if (style.strike_through) wrap('s');
  if (style.text_color || style.back_color) {
    const span = wrap('span');
    if (style.text_color) span.style.color = cssOf(style.text_color);
    if (style.back_color) span.style.backgroundColor = cssOf(style.back_color);
  }
  if (isWebUrl(style.link?.url)) {
    const a = wrap('a') as HTMLAnchorElement;
    a.href = style.link.url;
    a.rel = 'noopener noreferrer';
    a.target = '_blank';
  }
  return node;
}

/** A gallery as the editor and the history show it. */
export function galleryNode(doc: Document, images: readonly Image[]): HTMLElement {
  const figure = doc.createElement('figure');
  figure.className = 'gallery';
  figure.contentEditable = 'false';
  for (const image of images) {
    if (!image.src) continue;
    const img = doc.createElement('img');
    img.src = image.src;
    img.alt = '';
    if (image.file_token) img.dataset.token = image.file_token;
    figure.append(img);
  }
  return figure;
}

/** The document as DOM (built node by node: nothing of it is parsed as HTML). */
export function contentToDom(doc: Document, content: Content | undefined, nameOf: NameOf): DocumentFragment {
  const out = doc.createDocumentFragment();
  let openList: { el: HTMLElement; type: string } | undefined;
  for (const block of content?.blocks ?? []) {
    if (block.gallery) {
      openList = undefined;
      out.append(galleryNode(doc, block.gallery.images ?? []));
      continue;
    }
    const elements = block.paragraph?.elements ?? [];
    const listType = block.paragraph?.style?.list?.list_type;
    const line = doc.createElement(listType === 'number' || listType === 'bullet' ? 'li' : 'p');
    line.append(...elements.map((e) => inlineNode(doc, e, nameOf)));
    if (line.tagName === 'LI') {
      const tag = listType === 'number' ? 'ol' : 'ul';
      if (openList?.type !== tag) {
        openList = { el: doc.createElement(tag), type: tag };
        out.append(openList.el);
      }
      openList.el.append(line);
    } else {
      openList = undefined;
      out.append(line);
    }
  }
  return out;
}

/** The people mentioned in the document (v2 user ids in the id type asked for). */
export const mentionedIn = (content: Content | undefined): string[] =>
  (content?.blocks ?? []).flatMap((b) =>
    (b.paragraph?.elements ?? []).flatMap((e) => (e.mention?.user_id ? [e.mention.user_id] : [])),
  );

function v1Element(el: V2ParagraphElement): V1ParagraphElement {
  if (el.mention) return { type: 'person', person: { openId: el.mention.user_id } };
  if (el.docs_link) return { type: 'docsLink', docsLink: el.docs_link };
  const style = el.text_run?.style;
  return {
    type: 'textRun',
    textRun: {
      text: el.text_run?.text,
      ...(style
        ? {
            style: {
              bold: style.bold,
              strikeThrough: style.strike_through,
              backColor: style.back_color,
              textColor: style.text_color,
              link: style.link,
            },
          }
        : {}),
    },
  };
}

/** The document in v1's camelCase model (progress records are written through v1; mentions are open_ids). */
export function toV1(content: Content): { blocks: V1Block[] } {
  return {
    blocks: (content.blocks ?? []).map((b): V1Block => {
      if (b.gallery) {
        return {
          type: 'gallery',
          gallery: {
            imageList: (b.gallery.images ?? []).map((i) => ({
              fileToken: i.file_token,
              src: i.src,
              width: i.width,
              height: i.height,
            })),
          },
        };
      }
      const list = b.paragraph?.style?.list;
      return {
        type: 'paragraph',
        paragraph: {
          ...(list
            ? { style: { list: { type: list.list_type, indentLevel: list.indent_level, number: list.number } } }
            : {}),
          elements: (b.paragraph?.elements ?? []).map(v1Element),
        },
      };
    }),
  };
}
