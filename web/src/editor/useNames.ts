/**
 * People's names for mentions, authors and commentators, in the person's language: looked up (people.ts caches them
 * for the tab's life) as ids appear, so a page asks once for everyone it shows.
 */
import { useCallback, useState } from 'react';
import { namesOf, type PersonName } from '../api/people';
import { useI18n } from '../i18n/i18n';

export interface Names {
  nameOf: (openId: string) => string;
  /** Looks up the names of `openIds` not known yet. */
  learn: (openIds: Iterable<string>) => void;
  /** A name known already (a person just picked from a search). */
  add: (openId: string, name: string) => void;
}

export function useNames(): Names {
  const { lang } = useI18n();
  const [names, setNames] = useState<ReadonlyMap<string, PersonName>>(new Map());
  const learn = useCallback((openIds: Iterable<string>) => {
    const ids = [...openIds].filter(Boolean);
    if (ids.length === 0) return;
    // Without a name a person shows by nothing worse than a bare "@"; a failed look-up is not worth an error.
    namesOf(ids).then(
      (found) => setNames((old) => new Map([...old, ...found])),
      () => undefined,
    );
  }, []);
  const add = useCallback(
    (openId: string, name: string) => setNames((old) => new Map([...old, [openId, { zh: name, en: name }]])),
    [],
  );
  const nameOf = (openId: string) => {
    const n = names.get(openId);
    return n ? (lang === 'zh' ? n.zh : n.en) : '';
  };
  return { nameOf, learn, add };
}
