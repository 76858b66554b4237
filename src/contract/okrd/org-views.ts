/**
 * okrd's own read views of the organisation for the web UI (issue 9 items 5 and 6), each one call where the Feishu
 * API would take one per person: `GET /okrd/api/team` (the people I lead and their OKR of a period at a glance) and
 * `GET /okrd/api/alignment_map` (a period's objectives as nodes, alignments as edges). People are named by the
 * calling app's open_id. Visibility is v1's: an OKR the caller may not read comes as `{okr_id, permission: 0}`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EntityId, IntEnum, LangParam, StringEnum } from '../common.js';

const Name = { name_zh: Type.String(), name_en: Type.String() };
const Percent = Type.Integer({ minimum: 0, maximum: 100, description: 'progress, rounded' });
const Status = IntEnum([-1, 0, 1, 2], '-1 none, 0 normal, 1 at risk, 2 delayed');
const DepartmentId = Type.String({ minLength: 1, maxLength: 64, description: "the tenant's own id of a department" });

// ---- team -----------------------------------------------------------------------------------------------------------

export const TEAM_PAGE_MAX = 100;

export const TeamQuery = Type.Object({
  period_id: EntityId,
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: TEAM_PAGE_MAX, default: 50 })),
  page_token: Type.Optional(Type.String({ maxLength: 200 })),
  lang: LangParam,
});

export const TeamObjective = Type.Object({
  id: Type.String(),
  content: Type.String({ description: 'plain text in `lang`' }),
  progress_percent: Percent,
  status: Status,
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  kr_count: Type.Integer({ minimum: 0 }),
});

export const TeamOkr = Type.Object({
  okr_id: Type.String(),
  permission: IntEnum([0, 1], '0: the caller may not read it (nothing else is given)'),
  visibility: Type.Optional(StringEnum(['tenant', 'leaders'])),
  objective_count: Type.Optional(Type.Integer({ minimum: 1 })),
  progress_percent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'weighted by objective' })),
  status: Type.Optional(Status),
  score: Type.Optional(
    Type.Number({ minimum: 0, maximum: 1, description: 'the cycle score (v2 scale), once an objective is scored' }),
  ),
  objectives: Type.Optional(Type.Array(TeamObjective)),
});

export const TeamMember = Type.Object({
  open_id: Type.String(),
  ...Name,
  depth: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'how far down my leader chain (1: reports to me); absent: only in a department I lead',
    }),
  ),
  department_ids: Type.Array(DepartmentId, { description: 'the departments I lead directly that they belong to' }),
  okr: Type.Optional(TeamOkr),
});

export const TeamDepartment = Type.Object({
  department_id: DepartmentId,
  ...Name,
  member_count: Type.Integer({ minimum: 0 }),
});

export const TeamData = Type.Object({
  departments: Type.Array(TeamDepartment, { description: 'the departments I lead directly' }),
  has_more: Type.Boolean(),
  page_token: Type.Optional(Type.String()),
  items: Type.Array(TeamMember, { description: 'my leader chain downwards (by depth), then my departments’ people' }),
});
export type TeamData = Static<typeof TeamData>;
export type TeamMember = Static<typeof TeamMember>;
export type TeamOkr = Static<typeof TeamOkr>;

// ---- alignment map ------------------------------------------------------------------------------------------------

/** At most this many OKRs (people) on one map; more sets `truncated`. */
export const MAP_OKRS_MAX = 200;
/** At most this many objectives on one map; more sets `truncated`. */
export const MAP_OBJECTIVES_MAX = 1000;
/** At most this many departments listed with a map (for choosing its scope). */
export const MAP_DEPARTMENTS_MAX = 1000;

export const AlignmentMapQuery = Type.Object({
  period_id: EntityId,
  department_id: Type.Optional(DepartmentId),
  lang: LangParam,
});

export const MapPerson = Type.Object({
  open_id: Type.String(),
  ...Name,
  leader_open_id: Type.Optional(Type.String()),
});

export const MapNode = Type.Object({
  okr_id: Type.String(),
  owner_open_id: Type.String(),
  permission: IntEnum([0, 1], '0: an OKR the caller may not read, one node without content'),
  id: Type.Optional(Type.String({ description: 'objective id' })),
  position: Type.Optional(Type.Integer({ minimum: 1, description: 'O1, O2… within the OKR' })),
  content: Type.Optional(Type.String()),
  progress_percent: Type.Optional(Percent),
  status: Type.Optional(Status),
});

export const MapEdge = Type.Object({
  from: Type.String({ description: 'the aligning objective' }),
  to: Type.String({ description: 'the objective it aligns to' }),
});

export const MapDepartment = Type.Object({
  department_id: DepartmentId,
  parent_department_id: Type.Optional(DepartmentId),
  ...Name,
});

export const AlignmentMapData = Type.Object({
  people: Type.Array(MapPerson),
  nodes: Type.Array(MapNode),
  edges: Type.Array(MapEdge, { description: 'alignments between two objectives on the map' }),
  truncated: Type.Boolean({
    description: `more than ${MAP_OKRS_MAX} OKRs or ${MAP_OBJECTIVES_MAX} objectives: the first by employee id`,
  }),
  departments: Type.Array(MapDepartment, { description: `the tenant's departments (at most ${MAP_DEPARTMENTS_MAX})` }),
});
export type AlignmentMapData = Static<typeof AlignmentMapData>;
export type MapNode = Static<typeof MapNode>;
