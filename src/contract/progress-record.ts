/** v1 progress records and their rich text (spec §3.7–3.10, §3.12): camelCase keys, every inner field optional. */
import { Type, type Static } from '@sinclair/typebox';
import { Color, EntityId, Envelope, IntEnum, MsString, StringEnum, Url } from './common.js';

const ParagraphElement = Type.Object({
  type: Type.Optional(StringEnum(['textRun', 'docsLink', 'person'])),
  textRun: Type.Optional(
    Type.Object({
      text: Type.Optional(Type.String({ maxLength: 10_000 })),
      style: Type.Optional(
        Type.Object({
          bold: Type.Optional(Type.Boolean()),
          strikeThrough: Type.Optional(Type.Boolean()),
          backColor: Type.Optional(Color),
          textColor: Type.Optional(Color),
          link: Type.Optional(Type.Object({ url: Type.Optional(Url) })),
        }),
      ),
    }),
  ),
  docsLink: Type.Optional(
    Type.Object({ url: Type.Optional(Url), title: Type.Optional(Type.String({ maxLength: 1000 })) }),
  ),
  person: Type.Optional(
    Type.Object({ openId: Type.Optional(Type.String({ maxLength: 64 })), userId: Type.Optional(Type.String()) }),
  ),
});

const Image = Type.Object({
  fileToken: Type.Optional(Type.String({ maxLength: 128 })),
  src: Type.Optional(Url),
  width: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  height: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
});

const Block = Type.Object({
  type: Type.Optional(StringEnum(['paragraph', 'gallery'])),
  paragraph: Type.Optional(
    Type.Object({
      style: Type.Optional(
        Type.Object({
          list: Type.Optional(
            Type.Object({
              type: Type.Optional(StringEnum(['number', 'bullet', 'checkBox', 'checkedBox', 'indent'])),
              indentLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
              number: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
            }),
          ),
        }),
      ),
      elements: Type.Optional(Type.Array(ParagraphElement, { maxItems: 500 })),
    }),
  ),
  gallery: Type.Optional(Type.Object({ imageList: Type.Optional(Type.Array(Image, { maxItems: 50 })) })),
});

/** A v1 rich-text document. */
export const ContentBlock = Type.Object({ blocks: Type.Optional(Type.Array(Block, { maxItems: 1000 })) });
export type ContentBlock = Static<typeof ContentBlock>;
export type V1Block = Static<typeof Block>;
export type V1ParagraphElement = Static<typeof ParagraphElement>;
export type V1Image = Static<typeof Image>;

const PERCENT_LIMIT = 99_999_999_999;

/** Progress written with a record: percent (two decimals kept) and status (decisions.md OQ-3). */
export const ProgressRate = Type.Object({
  percent: Type.Optional(Type.Number({ minimum: -PERCENT_LIMIT, maximum: PERCENT_LIMIT })),
  status: Type.Optional(IntEnum([-1, 0, 1, 2], '-1 none, 0 normal, 1 at risk, 2 delayed')),
});
export type ProgressRate = Static<typeof ProgressRate>;

const SourceUrl = Type.String({ pattern: '^https?://.*$', maxLength: 2048 });

export const ProgressRecordQuery = Type.Object({
  user_id_type: Type.Optional(StringEnum(['open_id', 'union_id', 'user_id'], { default: 'open_id' })),
});
export type ProgressRecordQuery = Static<typeof ProgressRecordQuery>;

export const ProgressRecordParams = Type.Object({ progress_id: EntityId });

export const CreateProgressRecordBody = Type.Object({
  source_title: Type.String({ minLength: 1, maxLength: 200 }),
  source_url: SourceUrl,
  source_url_pc: Type.Optional(SourceUrl),
  source_url_mobile: Type.Optional(SourceUrl),
  target_id: EntityId,
  target_type: IntEnum([2, 3], '2 objective, 3 key result'),
  content: ContentBlock,
  progress_rate: Type.Optional(ProgressRate),
});
export type CreateProgressRecordBody = Static<typeof CreateProgressRecordBody>;

export const UpdateProgressRecordBody = Type.Object({
  content: ContentBlock,
  progress_rate: Type.Optional(ProgressRate),
});
export type UpdateProgressRecordBody = Static<typeof UpdateProgressRecordBody>;

/** A record as the API returns it. */
export const ProgressRecord = Type.Object({
  progress_id: Type.String(),
  modify_time: MsString,
  content: ContentBlock,
  progress_rate: Type.Optional(ProgressRate),
});
export type ProgressRecord = Static<typeof ProgressRecord>;

export const ProgressRecordResponse = Envelope(ProgressRecord);
export const DeleteProgressRecordResponse = Type.Object({ code: Type.Integer(), msg: Type.String() });
