/** v2 objective categories (spec §4.0, §4.2). */
import { Type, type Static } from '@sinclair/typebox';
import { Described, MsString, Page, PageSizeParam, PageTokenParam, StringEnum } from './common.js';

/** A category objectives can be filed under, with its display colour and localised names. */
export const Category = Type.Object({
  id: Type.String(),
  create_time: MsString,
  update_time: MsString,
  category_type: Described(
    StringEnum(['person', 'team']),
    'person: for personal OKRs, team: for team (department) OKRs',
  ),
  enabled: Type.Boolean(),
  color: Described(
    StringEnum(['blue', 'purple', 'wathet', 'turquoise', 'indigo', 'orange']),
    'display colour (wathet is light blue)',
  ),
  name: Type.Object({
    zh: Type.Optional(Type.String()),
    en: Type.Optional(Type.String()),
    ja: Type.Optional(Type.String()),
  }),
});
export type Category = Static<typeof Category>;

/** Query of GET /categories; without `owner_type` both kinds are listed. */
export const ListCategoriesQuery = Type.Object({
  page_size: PageSizeParam,
  page_token: PageTokenParam,
  owner_type: Type.Optional(
    Described(StringEnum(['user', 'department']), 'user: person categories, department: team categories'),
  ),
});
export type ListCategoriesQuery = Static<typeof ListCategoriesQuery>;

/** `data` of the category list. */
export const ListCategoriesData = Page(Category);
export type ListCategoriesData = Static<typeof ListCategoriesData>;
