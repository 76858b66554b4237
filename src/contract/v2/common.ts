/** Wire pieces shared by the v2 endpoints (spec §1.5, §1.6, §4.0): rich text, owners, id types, paging. */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
// The shared helpers of the v1 contract, re-exported so every other v2 file imports only its siblings.
import { Color, EntityId, Envelope, IntEnum, MsString, StringEnum, Url } from '../common.js';

export { EntityId, Envelope, IntEnum, MsString, StringEnum };

/** `schema` with a one-line `description` for the OpenAPI document. */
export function Described<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, description };
}

/** A deadline as a client writes it: epoch milliseconds, 1–15 digits. */
export const DeadlineInput = Type.String({
  pattern: '^\\d{1,15}$',
  description: 'epoch milliseconds as a decimal string',
});

/** A v2 score: 0–1 with one decimal. */
export const V2Score = Type.Number({ minimum: 0, maximum: 1, description: '0–1, one decimal' });

/** A v2 weight: 0–1 with at most three decimals; siblings sum to 1. */
export const V2Weight = Type.Number({ minimum: 0, maximum: 1, description: '0–1, at most three decimals' });

const ParagraphElement = Type.Object({
  paragraph_element_type: Type.Optional(
    Described(
      StringEnum(['textRun', 'docsLink', 'mention']),
      'textRun: styled text, docsLink: a link to a document, mention: an @-mentioned person',
    ),
  ),
  text_run: Type.Optional(
    Type.Object({
      text: Type.Optional(Type.String({ maxLength: 10_000 })),
      style: Type.Optional(
        Type.Object({
          bold: Type.Optional(Type.Boolean()),
          strike_through: Type.Optional(Type.Boolean()),
          back_color: Type.Optional(Color),
          text_color: Type.Optional(Color),
          link: Type.Optional(Type.Object({ url: Type.Optional(Url) })),
        }),
      ),
    }),
  ),
  docs_link: Type.Optional(
    Type.Object({ url: Type.Optional(Url), title: Type.Optional(Type.String({ maxLength: 1000 })) }),
  ),
  mention: Type.Optional(
    Type.Object({
      user_id: Type.Optional(
        Type.String({ maxLength: 100, description: 'the person, in the id type of user_id_type' }),
      ),
    }),
  ),
});

const Image = Type.Object({
  file_token: Type.Optional(Type.String({ maxLength: 128, description: 'from the v1 image upload; not editable' })),
  src: Type.Optional(Url),
  width: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  height: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
});

const Block = Type.Object({
  block_element_type: Type.Optional(
    Described(StringEnum(['paragraph', 'gallery']), 'paragraph: a line of text, gallery: a row of images'),
  ),
  paragraph: Type.Optional(
    Type.Object({
      style: Type.Optional(
        Type.Object({
          list: Type.Optional(
            Type.Object({
              list_type: Type.Optional(
                Described(
                  StringEnum(['number', 'bullet', 'checkBox', 'checkedBox', 'indent']),
                  'number: numbered, bullet: bulleted, checkBox: unticked, checkedBox: ticked, indent: indented only',
                ),
              ),
              indent_level: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
              number: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
            }),
          ),
        }),
      ),
      elements: Type.Optional(Type.Array(ParagraphElement, { maxItems: 500 })),
    }),
  ),
  gallery: Type.Optional(Type.Object({ images: Type.Optional(Type.Array(Image, { maxItems: 50 })) })),
});

/** A v2 rich-text document: v1's content block with snake_case keys and `mention.user_id`. */
export const V2ContentBlock = Type.Object({ blocks: Type.Optional(Type.Array(Block, { maxItems: 1000 })) });
export type V2ContentBlock = Static<typeof V2ContentBlock>;
export type V2Block = Static<typeof Block>;
export type V2ParagraphElement = Static<typeof ParagraphElement>;
export type V2Image = Static<typeof Image>;

/** Who owns an OKR entity: a person, or a department for okrd's team OKRs (decisions.md OQ-34). */
export const Owner = Type.Object({
  owner_type: Described(StringEnum(['user', 'department']), 'user: a person, department: a team (okrd extension)'),
  user_id: Type.Optional(Type.String({ description: 'set when owner_type is user; id type per user_id_type' })),
  department_id: Type.Optional(
    Type.String({ description: 'set when owner_type is department; id type per department_id_type' }),
  ),
});
export type Owner = Static<typeof Owner>;

/** `user_id_type` on v2 endpoints (no people_admin_id). */
export const V2UserIdTypeParam = Type.Optional(
  Described(
    StringEnum(['open_id', 'union_id', 'user_id'], { default: 'open_id' }),
    'id type of user ids in the request and the response',
  ),
);

/** `department_id_type` on v2 endpoints. */
export const DepartmentIdTypeParam = Type.Optional(
  Described(
    StringEnum(['department_id', 'open_department_id'], { default: 'open_department_id' }),
    'id type of department ids in the request and the response',
  ),
);

/** `page_size` on v2 lists. */
export const PageSizeParam = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 }));

/** `page_token` on v2 lists: opaque, absent or empty for the first page. */
export const PageTokenParam = Type.Optional(Type.String({ maxLength: 512 }));

/** One page of a v2 list; `page_token` is present exactly when `has_more` is true. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    has_more: Type.Boolean(),
    page_token: Type.Optional(Type.String()),
    items: Type.Array(item),
  });
}

/** The id-type query parameters most v2 endpoints take. */
export const IdTypesQuery = Type.Object({
  user_id_type: V2UserIdTypeParam,
  department_id_type: DepartmentIdTypeParam,
});
export type IdTypesQuery = Static<typeof IdTypesQuery>;

/** The id types plus paging, the query of most v2 lists. */
export const PagedQuery = Type.Object({
  ...IdTypesQuery.properties,
  page_size: PageSizeParam,
  page_token: PageTokenParam,
});
export type PagedQuery = Static<typeof PagedQuery>;
