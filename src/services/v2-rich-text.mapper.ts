/**
 * v2 rich text ↔ the stored model. They have the same shape (the stored model is the v2 ContentBlock); only a
 * mention's `user_id` differs: on the wire it is in the request's `user_id_type`, stored it is okrd's internal id.
 */
import type { V2ContentBlock } from '../contract/v2/common.js';
import type { Content } from '../domain/rich-text.js';
import { invalidParam } from '../errors.js';
import { existingImageTokens } from '../store/progress-record.repository.js';
import type { Tx } from '../store/db.js';
import { findUsersByWireIds } from '../store/user.repository.js';
import type { Caller } from './auth.service.js';
import { distinctImageTokens, storedKeysOnly } from './rich-text.mapper.js';
import { wireUserId } from './user-view.js';
import type { V2UserIdType } from './wire-names.js';

/** The most different people one document may mention. */
export const MAX_MENTIONED_PEOPLE = 200;

/** `content` with every mention's user_id replaced by `map(user_id)`. */
function mapMentions<T extends Content | V2ContentBlock>(content: T, map: (id: string) => string): T {
  if (!content.blocks) return { ...content };
  return {
    ...content,
    blocks: content.blocks.map((block) =>
      block.paragraph?.elements
        ? {
            ...block,
            paragraph: {
              ...block.paragraph,
              elements: block.paragraph.elements.map((el) =>
                el.mention?.user_id !== undefined
                  ? { ...el, mention: { ...el.mention, user_id: map(el.mention.user_id) } }
                  : el,
              ),
            },
          }
        : block,
    ),
  } as T;
}

/** The user ids a document mentions, in order, without repeats. */
export function mentionIds(content: Content | V2ContentBlock): string[] {
  const ids = new Set<string>();
  for (const block of content.blocks ?? []) {
    for (const el of block.paragraph?.elements ?? [])
      if (el.mention?.user_id !== undefined) ids.add(el.mention.user_id);
  }
  return [...ids];
}

/** The file tokens a document's galleries name, without repeats (at most MAX_DOCUMENT_IMAGES, else 1001001 on `field`). */
export function fileTokens(content: Content | V2ContentBlock, field: string): string[] {
  return distinctImageTokens(
    (content.blocks ?? []).flatMap((b) =>
      (b.gallery?.images ?? []).flatMap((i) => (i.file_token ? [i.file_token] : [])),
    ),
    field,
  );
}

/** The wire form of a stored document; `wireOf` names each mentioned user (WireNames.user). */
export function toV2(content: Content, wireOf: (userRef: string) => string): V2ContentBlock {
  return mapMentions(content, wireOf) as V2ContentBlock;
}

/**
 * The stored form of a v2 document, after checking that everyone it mentions is a user of the tenant (named in
 * `idType`) and every gallery image was uploaded here; 1001001 naming `field` otherwise.
 */
export async function fromV2(
  tx: Tx,
  caller: Caller,
  idType: V2UserIdType,
  content: V2ContentBlock,
  field: string,
): Promise<Content> {
  const ids = mentionIds(content);
  // One query looks them all up: a bound on distinct people keeps it within every engine's parameter limit.
  if (ids.length > MAX_MENTIONED_PEOPLE) {
    throw invalidParam(`${field}: at most ${MAX_MENTIONED_PEOPLE} different people may be mentioned`);
  }
  const users = await findUsersByWireIds(tx, caller.tenantId, caller.appId, idType, ids);
  const refOf = new Map(users.map((u) => [wireUserId(u, idType), u.id]));
  const unknown = ids.find((id) => !refOf.has(id));
  if (unknown !== undefined) throw invalidParam(`${field}: mention.user_id ${unknown} is not a user of this tenant`);
  const tokens = fileTokens(content, field);
  const uploaded = await existingImageTokens(tx, caller.tenantId, tokens);
  const missing = tokens.find((t) => !uploaded.has(t));
  if (missing !== undefined)
    throw invalidParam(`${field}: gallery file_token ${missing} is not an image uploaded here`);
  return storedKeysOnly(mapMentions(content as Content, (id) => refOf.get(id)!));
}

/** True when a document holds no visible text, mention, link or image (an objective's content must not be empty). */
export function isBlank(content: V2ContentBlock): boolean {
  return !(content.blocks ?? []).some(
    (b) =>
      (b.gallery?.images?.length ?? 0) > 0 ||
      (b.paragraph?.elements ?? []).some(
        (el) => (el.text_run?.text ?? '').trim() !== '' || el.mention?.user_id !== undefined || el.docs_link?.url,
      ),
  );
}
