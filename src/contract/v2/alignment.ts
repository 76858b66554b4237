/** v2 alignments between objectives (spec §4.0, §4.1). */
import { Type, type Static } from '@sinclair/typebox';
import { Described, EntityId, IntEnum, MsString, Owner, Page, PagedQuery, StringEnum } from './common.js';

const ObjectiveType = IntEnum([2], '2 objective (the only aligned entity type)');

/** An alignment: the `from` objective supports the `to` objective. */
export const Alignment = Type.Object({
  id: Type.String(),
  create_time: MsString,
  update_time: MsString,
  from_owner: Owner,
  to_owner: Owner,
  from_entity_type: ObjectiveType,
  from_entity_id: Type.String(),
  to_entity_type: ObjectiveType,
  to_entity_id: Type.String(),
});
export type Alignment = Static<typeof Alignment>;

/** The `:alignment_id` path parameter. */
export const AlignmentParams = Type.Object({ alignment_id: EntityId });
export type AlignmentParams = Static<typeof AlignmentParams>;

/** Body of POST /objectives/:objective_id/alignments: the objective to align to. */
export const CreateAlignmentBody = Type.Object({
  to_entity_type: ObjectiveType,
  to_entity_id: EntityId,
});
export type CreateAlignmentBody = Static<typeof CreateAlignmentBody>;

/** Query of GET /objectives/:objective_id/alignments; without `align_type` both directions are listed. */
export const ListAlignmentsQuery = Type.Object({
  ...PagedQuery.properties,
  align_type: Type.Optional(
    Described(
      StringEnum(['aligned', 'aligning']),
      'aligned: others aligned to this objective, aligning: this objective aligns to others; absent: both',
    ),
  ),
});
export type ListAlignmentsQuery = Static<typeof ListAlignmentsQuery>;

/** `data` of an alignment get. */
export const AlignmentData = Type.Object({ alignment: Alignment });
export type AlignmentData = Static<typeof AlignmentData>;

/** `data` of an alignment create or delete. */
export const AlignmentIdData = Type.Object({ alignment_id: Type.String() });
export type AlignmentIdData = Static<typeof AlignmentIdData>;

/** `data` of an objective's alignment list. */
export const ListAlignmentsData = Page(Alignment);
export type ListAlignmentsData = Static<typeof ListAlignmentsData>;
