/**
 * People's names by open_id (mentions, owners), looked up through the contact API ten at a time and kept for the
 * tab's life: a name shown once costs no further call.
 */
import { call } from './client';
import { api } from './operations';

export interface PersonName {
  zh: string;
  en: string;
}

const known = new Map<string, PersonName>();

/** The names of `openIds` (unknown people are left out). */
export async function namesOf(openIds: Iterable<string>): Promise<Map<string, PersonName>> {
  const wanted = [...new Set(openIds)];
  const missing = wanted.filter((id) => !known.has(id));
  const batches: string[][] = [];
  for (let i = 0; i < missing.length; i += 10) batches.push(missing.slice(i, i + 10));
  await Promise.all(
    batches.map(async (user_ids) => {
      const { users } = await call(api.basicBatch, { query: { user_id_type: 'open_id' }, body: { user_ids } });
      for (const u of users) {
        known.set(u.user_id, { zh: u.i18n_name?.zh_cn || u.name, en: u.i18n_name?.en_us || u.name });
      }
    }),
  );
  return new Map(wanted.flatMap((id) => (known.has(id) ? [[id, known.get(id)!] as const] : [])));
}
