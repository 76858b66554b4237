/**
 * v1 rich text (camelCase, `person.openId`) ↔ the stored model (v2 snake_case, internal user ids).
 * Both directions copy exactly the keys that are present, so a document reads back exactly as it was written.
 */
import type { ContentBlock, V1Block, V1Image, V1ParagraphElement } from '../contract/progress-record.js';
import type { Block, Content, ParagraphElement } from '../domain/rich-text.js';

/** Copies `from[key]` to `to[as]` only when present. */
function carry<T extends object, K extends keyof T>(to: Record<string, unknown>, as: string, from: T, key: K): void {
  if (from[key] !== undefined) to[as] = from[key];
}

/** The open_ids a v1 document mentions. */
export function v1OpenIds(content: ContentBlock): string[] {
  return (content.blocks ?? []).flatMap((b) =>
    (b.paragraph?.elements ?? []).flatMap((e) => (e.person?.openId !== undefined ? [e.person.openId] : [])),
  );
}

/** The file tokens a v1 document's galleries name. */
export function v1FileTokens(content: ContentBlock): string[] {
  return (content.blocks ?? []).flatMap((b) =>
    (b.gallery?.imageList ?? []).flatMap((i) => (i.fileToken ? [i.fileToken] : [])),
  );
}

/** The stored form of a v1 document; `refOf` maps every mentioned open_id to its internal user id. */
export function fromV1(content: ContentBlock, refOf: (openId: string) => string): Content {
  const out: Content = {};
  if (content.blocks) out.blocks = content.blocks.map((b) => blockFromV1(b, refOf));
  return out;
}

function blockFromV1(b: V1Block, refOf: (openId: string) => string): Block {
  const out: Record<string, unknown> = {};
  carry(out, 'block_element_type', b, 'type');
  if (b.paragraph) {
    const p: Record<string, unknown> = {};
    if (b.paragraph.style) {
      const style: Record<string, unknown> = {};
      const list = b.paragraph.style.list;
      if (list) {
        const l: Record<string, unknown> = {};
        carry(l, 'list_type', list, 'type');
        carry(l, 'indent_level', list, 'indentLevel');
        carry(l, 'number', list, 'number');
        style.list = l;
      }
      p.style = style;
    }
    if (b.paragraph.elements) p.elements = b.paragraph.elements.map((e) => elementFromV1(e, refOf));
    out.paragraph = p;
  }
  if (b.gallery) {
    const g: Record<string, unknown> = {};
    if (b.gallery.imageList) g.images = b.gallery.imageList.map(imageFromV1);
    out.gallery = g;
  }
  return out as Block;
}

function elementFromV1(e: V1ParagraphElement, refOf: (openId: string) => string): ParagraphElement {
  const out: Record<string, unknown> = {};
  if (e.type !== undefined) out.paragraph_element_type = e.type === 'person' ? 'mention' : e.type;
  if (e.textRun) {
    const run: Record<string, unknown> = {};
    carry(run, 'text', e.textRun, 'text');
    if (e.textRun.style) {
      const s: Record<string, unknown> = {};
      carry(s, 'bold', e.textRun.style, 'bold');
      carry(s, 'strike_through', e.textRun.style, 'strikeThrough');
      carry(s, 'back_color', e.textRun.style, 'backColor');
      carry(s, 'text_color', e.textRun.style, 'textColor');
      carry(s, 'link', e.textRun.style, 'link');
      run.style = s;
    }
    out.text_run = run;
  }
  carry(out, 'docs_link', e, 'docsLink');
  if (e.person) out.mention = e.person.openId !== undefined ? { user_id: refOf(e.person.openId) } : {};
  return out as ParagraphElement;
}

function imageFromV1(i: V1Image): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  carry(out, 'file_token', i, 'fileToken');
  carry(out, 'src', i, 'src');
  carry(out, 'width', i, 'width');
  carry(out, 'height', i, 'height');
  return out;
}

/** How a mentioned user is written back: the caller app's open_id, and `userId` when the caller asked for another id type. */
export type PersonOf = (userRef: string) => { openId: string; userId?: string };

/** The v1 form of a stored document. */
export function toV1(content: Content, personOf: PersonOf): ContentBlock {
  const out: ContentBlock = {};
  if (content.blocks) out.blocks = content.blocks.map((b) => blockToV1(b, personOf));
  return out;
}

function blockToV1(b: Block, personOf: PersonOf): V1Block {
  const out: Record<string, unknown> = {};
  carry(out, 'type', b, 'block_element_type');
  if (b.paragraph) {
    const p: Record<string, unknown> = {};
    if (b.paragraph.style) {
      const style: Record<string, unknown> = {};
      const list = b.paragraph.style.list;
      if (list) {
        const l: Record<string, unknown> = {};
        carry(l, 'type', list, 'list_type');
        carry(l, 'indentLevel', list, 'indent_level');
        carry(l, 'number', list, 'number');
        style.list = l;
      }
      p.style = style;
    }
    if (b.paragraph.elements) p.elements = b.paragraph.elements.map((e) => elementToV1(e, personOf));
    out.paragraph = p;
  }
  if (b.gallery) {
    const g: Record<string, unknown> = {};
    if (b.gallery.images) {
      g.imageList = b.gallery.images.map((i) => {
        const img: Record<string, unknown> = {};
        carry(img, 'fileToken', i, 'file_token');
        carry(img, 'src', i, 'src');
        carry(img, 'width', i, 'width');
        carry(img, 'height', i, 'height');
        return img;
      });
    }
    out.gallery = g;
  }
  return out as V1Block;
}

function elementToV1(e: ParagraphElement, personOf: PersonOf): V1ParagraphElement {
  const out: Record<string, unknown> = {};
  if (e.paragraph_element_type !== undefined) {
    out.type = e.paragraph_element_type === 'mention' ? 'person' : e.paragraph_element_type;
  }
  if (e.text_run) {
    const run: Record<string, unknown> = {};
    carry(run, 'text', e.text_run, 'text');
    if (e.text_run.style) {
      const s: Record<string, unknown> = {};
      carry(s, 'bold', e.text_run.style, 'bold');
      carry(s, 'strikeThrough', e.text_run.style, 'strike_through');
      carry(s, 'backColor', e.text_run.style, 'back_color');
      carry(s, 'textColor', e.text_run.style, 'text_color');
      carry(s, 'link', e.text_run.style, 'link');
      run.style = s;
    }
    out.textRun = run;
  }
  carry(out, 'docsLink', e, 'docs_link');
  if (e.mention) out.person = e.mention.user_id !== undefined ? personOf(e.mention.user_id) : {};
  return out as V1ParagraphElement;
}
