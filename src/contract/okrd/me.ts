/** `GET /okrd/api/me`: who the signed-in person is and the tenant's settings a client needs (the web UI's start). */
import { Type, type Static } from '@sinclair/typebox';

export const MeData = Type.Object({
  open_id: Type.String({ description: "the person's open_id in the calling app" }),
  user_id: Type.Optional(Type.String({ description: 'employee id; only with contact:user.employee_id:readonly' })),
  name_zh: Type.String(),
  name_en: Type.String(),
  /** Whether the /okrd/admin/ API answers this person (with a token holding okrd:admin). */
  is_admin: Type.Boolean(),
  tenant: Type.Object({
    id: Type.String(),
    name: Type.String(),
    utc_offset_minutes: Type.Integer({ description: "the tenant's time zone: periods start at its local midnight" }),
  }),
});
export type MeData = Static<typeof MeData>;
