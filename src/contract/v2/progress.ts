/** v2 progress records, read-only (spec §4.0, §4.7); writes stay on v1. */
import { Type, type Static } from '@sinclair/typebox';
import { IntEnum, MsString, Owner, Page, V2ContentBlock } from './common.js';

const PERCENT_LIMIT = 99_999_999_999;

/** A progress record as the v2 lists return it. */
export const Progress = Type.Object({
  id: Type.String(),
  create_time: MsString,
  update_time: MsString,
  owner: Owner,
  entity_type: IntEnum([2, 3], '2 objective, 3 key result'),
  entity_id: Type.String(),
  content: Type.Optional(V2ContentBlock),
  progress_rate: Type.Optional(
    Type.Object({
      progress_percent: Type.Optional(
        Type.Number({ minimum: -PERCENT_LIMIT, maximum: PERCENT_LIMIT, description: 'percent, two decimals' }),
      ),
      progress_status: Type.Optional(IntEnum([-1, 0, 1, 2], '-1 none, 0 normal, 1 at risk, 2 delayed')),
    }),
  ),
});
export type Progress = Static<typeof Progress>;

/** `data` of an objective's or key result's progress list. */
export const ListProgressData = Page(Progress);
export type ListProgressData = Static<typeof ListProgressData>;
