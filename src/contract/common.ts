/** Wire shapes shared by every endpoint: the envelope, ids, id types, language. */
import { Type, type TSchema } from '@sinclair/typebox';

/** A string that must be one of `values` (a JSON-schema enum, so errors list the allowed values). */
export function StringEnum<const T extends readonly string[]>(values: T, options: { default?: T[number] } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: values, ...options });
}

/** An integer that must be one of `values` (a JSON-schema enum). */
export function IntEnum<const T extends readonly number[]>(values: T, description?: string) {
  return Type.Unsafe<T[number]>({ type: 'integer', enum: values, ...(description ? { description } : {}) });
}

/** A positive int64 id as a decimal string. */
export const EntityId = Type.String({ pattern: '^[1-9][0-9]{0,18}$', description: 'int64 id as a decimal string' });

/** Epoch milliseconds as a decimal string ("0" = never). */
export const MsString = Type.String({ description: 'epoch milliseconds as a decimal string' });

/** `user_id_type` on v1 read endpoints (people_admin_id included). */
export const UserIdTypeParam = Type.Optional(
  StringEnum(['open_id', 'union_id', 'user_id', 'people_admin_id'], { default: 'open_id' }),
);

/** `lang` on v1 OKR reads: free text (decisions.md OQ-20); `en*` English, `ja*` Japanese, anything else Chinese. */
export const LangParam = Type.Optional(
  Type.String({
    maxLength: 32,
    default: 'zh_cn',
    description: 'zh_cn (default), en_us, ja_jp…: en* renders English names, ja* Japanese, anything else Chinese',
  }),
);

/** A v1 user reference: the app's open_id and the id in the requested type. */
export const UserRef = Type.Object({ open_id: Type.String(), user_id: Type.String() });

/** The success envelope around `data`. */
export function Envelope<T extends TSchema>(data: T) {
  return Type.Object({ code: Type.Integer(), msg: Type.String(), data });
}

/** The error envelope. */
export const ErrorEnvelope = Type.Object({
  code: Type.Integer(),
  msg: Type.String(),
  error: Type.Optional(
    Type.Object({
      log_id: Type.String(),
      permission_violations: Type.Optional(Type.Array(Type.Object({ type: Type.String(), subject: Type.String() }))),
      field_violations: Type.Optional(Type.Array(Type.Object({ field: Type.String(), description: Type.String() }))),
    }),
  ),
});

/** An RGBA colour of rich text (v1 and v2 alike): channels 0–255, alpha 0–1. */
export const Color = Type.Object({
  red: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
  green: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
  blue: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
  alpha: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
});

/** A link inside rich text. */
export const Url = Type.String({ maxLength: 2048 });
