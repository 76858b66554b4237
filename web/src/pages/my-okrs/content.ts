/**
 * Objectives and key results are written as plain text here: the v2 rich-text document (`content.blocks`) read as
 * text, and text written back as one paragraph per line. Content is sent only when its text changed, so rich text made
 * elsewhere (mentions, links, styles) survives edits of other fields.
 */
import type { Static } from '@sinclair/typebox';
import type { V2ContentBlock } from '../../../../src/contract/v2/common.js';

type Content = Static<typeof V2ContentBlock>;

/**
 * The document's text: paragraphs as lines; a mention as `@name` (`nameOf` its user_id, an open_id here), a doc link as
 * its title.
 */
export function textOf(content: Content | undefined, nameOf: (userId: string) => string = () => ''): string {
  const mention = (userId: string | undefined) => `@${nameOf(userId ?? '')}`;
  return (content?.blocks ?? [])
    .map((block) =>
      (block.paragraph?.elements ?? [])
        .map(
          (e) =>
            e.text_run?.text ??
            (e.docs_link ? (e.docs_link.title ?? e.docs_link.url ?? '') : e.mention ? mention(e.mention.user_id) : ''),
        )
        .join(''),
    )
    .join('\n');
}

/** The user_ids mentioned in the document. */
export const mentionsOf = (content: Content | undefined): string[] =>
  (content?.blocks ?? []).flatMap((b) =>
    (b.paragraph?.elements ?? []).flatMap((e) => (e.mention?.user_id ? [e.mention.user_id] : [])),
  );

/** `text` as a document: one paragraph per line (an empty text gives no blocks: the server says it must not be empty). */
export function contentOf(text: string): Content {
  const lines = text.trim() === '' ? [] : text.replace(/\r/g, '').split('\n');
  return {
    blocks: lines.map((line) => ({
      block_element_type: 'paragraph' as const,
      paragraph: { elements: [{ paragraph_element_type: 'textRun' as const, text_run: { text: line } }] },
    })),
  };
}
