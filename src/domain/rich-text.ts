/**
 * The stored rich-text model of objectives, key results, notes and progress records.
 *
 * It is the v2 wire ContentBlock (snake_case), except that a mention's `user_id` is okrd's internal user id:
 * each API view maps it to the id type the caller asked for, and v1 renders plain text from it.
 */
import type { Lang } from './lang.js';

/** An RGBA colour as Feishu sends it. */
export interface Color {
  red?: number;
  green?: number;
  blue?: number;
  alpha?: number;
}

/** One run of a paragraph: styled text, a cloud-doc link, or an @-mention. */
export interface ParagraphElement {
  paragraph_element_type?: 'textRun' | 'docsLink' | 'mention';
  text_run?: {
    text?: string;
    style?: {
      bold?: boolean;
      strike_through?: boolean;
      back_color?: Color;
      text_color?: Color;
      link?: { url?: string };
    };
  };
  docs_link?: { url?: string; title?: string };
  mention?: { user_id?: string };
}

/** One line: a paragraph or a gallery of images. */
export interface Block {
  block_element_type?: 'paragraph' | 'gallery';
  paragraph?: {
    style?: {
      list?: {
        list_type?: 'number' | 'bullet' | 'checkBox' | 'checkedBox' | 'indent';
        indent_level?: number;
        number?: number;
      };
    };
    elements?: ParagraphElement[];
  };
  gallery?: { images?: { file_token?: string; src?: string; width?: number; height?: number }[] };
}

/** A whole rich-text document. */
export interface Content {
  blocks?: Block[];
}

/** Display names of a mentioned user in both languages. */
export interface MentionName {
  name_zh: string;
  name_en: string;
}

/** The internal user ids mentioned in `content`, in order of first appearance, without repeats. */
export function mentionedUsers(content: Content): string[] {
  const seen = new Set<string>();
  for (const block of content.blocks ?? []) {
    for (const el of block.paragraph?.elements ?? []) {
      const id = el.mention?.user_id;
      if (id !== undefined) seen.add(id);
    }
  }
  return [...seen];
}

/**
 * Renders `content` as the plain text v1 shows: one line per paragraph, mentions as "@Name" in `lang`
 * (falling back to the other language's name when one is empty; users have no Japanese name, so `ja` shows the
 * English one), doc links as their title.
 */
export function plainText(content: Content, names: ReadonlyMap<string, MentionName>, lang: Lang): string {
  const lines: string[] = [];
  for (const block of content.blocks ?? []) {
    if (!block.paragraph) continue;
    let line = '';
    for (const el of block.paragraph.elements ?? []) {
      if (el.text_run) line += el.text_run.text ?? '';
      else if (el.docs_link) line += el.docs_link.title ?? el.docs_link.url ?? '';
      else if (el.mention?.user_id !== undefined) {
        const n = names.get(el.mention.user_id);
        const name = n ? (lang === 'zh' ? n.name_zh || n.name_en : n.name_en || n.name_zh) : '';
        line += `@${name}`;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/** Builds a one-paragraph document from text pieces and `{mention: internalUserId}` pieces. */
export function paragraph(...pieces: (string | { mention: string })[]): Content {
  const elements: ParagraphElement[] = pieces.map((p) =>
    typeof p === 'string'
      ? { paragraph_element_type: 'textRun', text_run: { text: p } }
      : { paragraph_element_type: 'mention', mention: { user_id: p.mention } },
  );
  return { blocks: [{ block_element_type: 'paragraph', paragraph: { elements } }] };
}

/** The file tokens `content`'s galleries name, in order of first appearance, without repeats. */
export function galleryTokens(content: Content): string[] {
  const seen = new Set<string>();
  for (const block of content.blocks ?? []) {
    for (const image of block.gallery?.images ?? []) if (image.file_token !== undefined) seen.add(image.file_token);
  }
  return [...seen];
}

/**
 * `content` with the `src` of every gallery image whose token `srcOf` knows replaced by that URL (a fresh signed
 * one: the stored src expires); other images keep the src they were written with. Returns `content` itself when
 * nothing changes.
 */
export function withImageSources(content: Content, srcOf: ReadonlyMap<string, string>): Content {
  if (srcOf.size === 0 || !content.blocks?.some((b) => b.gallery)) return content;
  return {
    ...content,
    blocks: content.blocks.map((block) =>
      block.gallery?.images
        ? {
            ...block,
            gallery: {
              ...block.gallery,
              images: block.gallery.images.map((image) => {
                const src = image.file_token === undefined ? undefined : srcOf.get(image.file_token);
                return src === undefined ? image : { ...image, src };
              }),
            },
          }
        : block,
    ),
  };
}
