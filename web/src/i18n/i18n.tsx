/**
 * A small i18n module: one message catalogue per language (en.ts, zh.ts; typed keys), the chosen language remembered
 * in localStorage (first visit: the browser's), `t(key, values)` through the useI18n() hook, and dates shown in the
 * tenant's time zone (the UI never uses the browser's own).
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { zh } from './zh';

export type Lang = 'zh' | 'en';
export type { MessageKey };

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, zh };
const STORAGE_KEY = 'okrd.lang';

/** The remembered language, else the browser's first preference that is Chinese or English, else English. */
export function initialLang(): Lang {
  const kept = localStorage.getItem(STORAGE_KEY);
  if (kept === 'zh' || kept === 'en') return kept;
  for (const l of navigator.languages ?? [navigator.language]) {
    if (l.toLowerCase().startsWith('zh')) return 'zh';
    if (l.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

/** The message of `key` in `lang` with `{name}` placeholders filled from `values`. */
export function translate(lang: Lang, key: MessageKey, values: Record<string, string | number> = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? String(values[name]) : m));
}

/** What pages get from useI18n(). */
export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** The Feishu API's `lang` parameter for this language. */
  apiLang: 'zh_cn' | 'en_us';
  /** Minutes east of UTC of the tenant (set once the person is known; 0 until then). */
  utcOffsetMinutes: number;
  setUtcOffsetMinutes: (minutes: number) => void;
  /** A date (epoch ms) as the tenant's calendar shows it, e.g. 2026-03-31. */
  formatDate: (ms: number) => string;
  /** A month (epoch ms of its first day) in the tenant's calendar, e.g. "March 2026" / "2026年3月". */
  formatMonth: (ms: number) => string;
}

const Ctx = createContext<I18n | null>(null);

/** Shifts an instant so that its UTC fields read as the tenant's local calendar. */
const local = (ms: number, offset: number) => new Date(ms + offset * 60_000);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [utcOffsetMinutes, setUtcOffsetMinutes] = useState(0);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
    const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' });
    return {
      lang,
      setLang,
      t: (key, values) => translate(lang, key, values),
      apiLang: lang === 'zh' ? 'zh_cn' : 'en_us',
      utcOffsetMinutes,
      setUtcOffsetMinutes,
      formatDate: (ms) => local(ms, utcOffsetMinutes).toISOString().slice(0, 10),
      formatMonth: (ms) => month.format(local(ms, utcOffsetMinutes)),
    };
  }, [lang, setLang, utcOffsetMinutes]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Ctx);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
