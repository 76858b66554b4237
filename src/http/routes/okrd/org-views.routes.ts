/**
 * okrd's read views of the organisation for the web UI (decisions OQ-37: user tokens, counted per person): the team
 * page and the alignment map, one call each instead of one Feishu call per person.
 */
import { AlignmentMapData, AlignmentMapQuery, TeamData, TeamQuery } from '../../../contract/okrd/org-views.js';
import { resolveLang } from '../../../domain/lang.js';
import { endpoint } from '../../endpoint.js';

const access = { tokens: ['user'], scopes: ['okr:okr', 'okr:okr:readonly'] } as const;

export const orgViewEndpoints = [
  endpoint({
    method: 'GET',
    url: '/okrd/api/team',
    tag: 'okrd',
    summary:
      'A page of the people I lead (my leader chain downwards, then the members of departments I lead) with their OKR of a period at a glance',
    access,
    schema: { querystring: TeamQuery, data: TeamData },
    handler: async ({ caller, query, services }) =>
      services.orgViews.team(caller, {
        period_id: query.period_id,
        page_size: query.page_size ?? 50,
        page_token: query.page_token || undefined,
        lang: resolveLang(query.lang),
      }),
  }),
  endpoint({
    method: 'GET',
    url: '/okrd/api/alignment_map',
    tag: 'okrd',
    summary:
      "A period's objectives of the organisation or of a department as nodes, and their alignments as edges (bounded)",
    access,
    schema: { querystring: AlignmentMapQuery, data: AlignmentMapData },
    handler: async ({ caller, query, services }) =>
      services.orgViews.alignmentMap(caller, {
        period_id: query.period_id,
        department_id: query.department_id,
        lang: resolveLang(query.lang),
      }),
  }),
];
