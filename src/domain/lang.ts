/** The languages v1 reads render names in, from the free-text `lang` clients send (decisions.md OQ-20). */

/** A language okrd renders: Chinese, English or Japanese. */
export type Lang = 'zh' | 'en' | 'ja';

/**
 * The language a `lang` value asks for: anything starting with `en` (any case: `en_us`, `en-GB`, `EN`) is English,
 * with `ja` Japanese, and everything else (`zh_cn`, `zh_tw`, `fr_fr`, an empty string, nothing) Chinese.
 */
export function resolveLang(raw: string | undefined): Lang {
  const lower = (raw ?? '').slice(0, 2).toLowerCase();
  if (lower === 'en') return 'en';
  if (lower === 'ja') return 'ja';
  return 'zh';
}
