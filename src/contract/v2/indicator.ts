/** v2 indicators: the measurable value and status of an objective or key result (spec §4.0, §4.6). */
import { Type, type Static } from '@sinclair/typebox';
import { EntityId, IntEnum, MsString, Owner } from './common.js';

const VALUE_LIMIT = 99_999_999_999;
const Value = Type.Number({ minimum: -VALUE_LIMIT, maximum: VALUE_LIMIT });

const EntityType = IntEnum([2, 3], '2 objective, 3 key result');
const IndicatorStatus = IntEnum([-1, 0, 1, 2], '-1 undefined, 0 normal, 1 at risk, 2 overdue');
const StatusCalculateType = IntEnum(
  [0, 1, 2],
  '0 manual, 1 from progress and the current time, 2 from the riskiest key result (objectives only)',
);
const CurrentValueCalculateType = IntEnum(
  [0, 1, 2],
  '0 manual, 1 from key-result progress (objectives only), 2 from undertaken key results (key results only)',
);
const UnitType = IntEnum([0, 1], '0 public unit (PERCENT, NONE, YUAN, DOLLAR), 1 custom text');

/** An indicator as the API returns it. */
export const Indicator = Type.Object({
  id: Type.String(),
  create_time: MsString,
  update_time: MsString,
  owner: Owner,
  entity_type: EntityType,
  entity_id: Type.String(),
  indicator_status: IndicatorStatus,
  status_calculate_type: StatusCalculateType,
  start_value: Type.Optional(Value),
  target_value: Type.Optional(Value),
  current_value: Type.Optional(Value),
  current_value_calculate_type: Type.Optional(CurrentValueCalculateType),
  unit: Type.Optional(Type.Object({ unit_type: UnitType, unit_value: Type.String() })),
});
export type Indicator = Static<typeof Indicator>;

/** The `:indicator_id` path parameter. */
export const IndicatorParams = Type.Object({ indicator_id: EntityId });
export type IndicatorParams = Static<typeof IndicatorParams>;

/** Body of PATCH /indicators/:indicator_id; which fields an objective or key result accepts is checked by the service. */
export const PatchIndicatorBody = Type.Object({
  current_value_calculate_type: Type.Optional(CurrentValueCalculateType),
  status_calculate_type: Type.Optional(StatusCalculateType),
  start_value: Type.Optional(Value),
  target_value: Type.Optional(Value),
  current_value: Type.Optional(Value),
  unit: Type.Optional(
    Type.Object({
      unit_type: UnitType,
      unit_value: Type.String({
        maxLength: 16,
        description: 'public: PERCENT, NONE, YUAN or DOLLAR; custom: up to 5 characters',
      }),
    }),
  ),
  indicator_status: Type.Optional(IndicatorStatus),
});
export type PatchIndicatorBody = Static<typeof PatchIndicatorBody>;

/** `data` of an indicator list (a single indicator, not an array) or patch. */
export const IndicatorData = Type.Object({ indicator: Indicator });
export type IndicatorData = Static<typeof IndicatorData>;
