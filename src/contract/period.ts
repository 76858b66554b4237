/** v1 periods and period rules (spec §3.1, §3.4). */
import { Type, type Static } from '@sinclair/typebox';
import { EntityId, Envelope, IntEnum, MsString } from './common.js';

export const ListPeriodsQuery = Type.Object({
  // No documented maximum (spec §10): a larger page_size is served as 100 (decisions.md OQ-21).
  page_size: Type.Optional(Type.Integer({ minimum: 1, default: 10, description: '1–100; larger is served as 100' })),
  page_token: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ListPeriodsQuery = Static<typeof ListPeriodsQuery>;

export const Period = Type.Object({
  id: Type.String(),
  zh_name: Type.String(),
  en_name: Type.String(),
  status: Type.Integer({ description: '0 default, 1 normal, 2 invalid, 3 hidden' }),
  period_start_time: MsString,
  period_end_time: MsString,
});
export type Period = Static<typeof Period>;

export const ListPeriodsResponse = Envelope(
  Type.Object({
    page_token: Type.Optional(Type.String()),
    has_more: Type.Boolean(),
    items: Type.Array(Period),
  }),
);
export type ListPeriodsData = Static<typeof ListPeriodsResponse>['data'];

export const PeriodRule = Type.Object({
  period_rule_id: Type.String(),
  type: Type.String({ description: 'year or month' }),
  length: Type.Integer(),
  first_month: Type.Integer(),
});

export const ListPeriodRulesResponse = Envelope(Type.Object({ period_rules: Type.Array(PeriodRule) }));
export type ListPeriodRulesData = Static<typeof ListPeriodRulesResponse>['data'];

export const CreatePeriodBody = Type.Object({
  period_rule_id: EntityId,
  start_month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }),
});
export type CreatePeriodBody = Static<typeof CreatePeriodBody>;

export const CreatePeriodResponse = Envelope(
  Type.Object({ period_id: Type.String(), start_month: Type.String(), end_month: Type.String() }),
);
export type CreatePeriodData = Static<typeof CreatePeriodResponse>['data'];

export const PatchPeriodParams = Type.Object({ period_id: EntityId });
export const PatchPeriodBody = Type.Object({ status: IntEnum([1, 2, 3], '1 normal, 2 invalid, 3 hidden') });
export const PatchPeriodResponse = Envelope(Type.Object({ period_id: Type.String(), status: Type.Integer() }));
