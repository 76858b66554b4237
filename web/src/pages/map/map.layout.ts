/**
 * The alignment map's layout (pure): people in rows by how far down the leader chain they sit within the map (a
 * person whose leader is not on the map starts a row 0), each person a column of their objectives, and an edge from
 * each objective to the objective it aligns to when both are on the map. Coordinates in SVG user units.
 */
import type { Person, TeamOkr } from '../team/team.data';

export const BOX = { width: 230, head: 28, node: 46, gap: 8, colGap: 40, rowGap: 90, pad: 20 } as const;

export interface MapNode {
  /** Objective id; '' for an OKR the viewer may not see. */
  id: string;
  owner: Person;
  /** O1, O2, … within the owner's OKR. */
  label: string;
  text: string;
  percent: number;
  status: string;
  hidden: boolean;
  /** The row of the owner (0: the top of the chain on the map). */
  row: number;
  x: number;
  y: number;
}
export interface MapPerson {
  person: Person;
  x: number;
  y: number;
  height: number;
}
export interface MapEdge {
  from: MapNode;
  to: MapNode;
}
export interface MapLayout {
  people: MapPerson[];
  nodes: MapNode[];
  edges: MapEdge[];
  width: number;
  height: number;
}

/** Lays out `people` (in the order given) with their OKRs of the period. */
export function layoutMap(people: readonly Person[], okrsOf: ReadonlyMap<string, readonly TeamOkr[]>): MapLayout {
  const onMap = new Map(people.map((p) => [p.open_id, p]));
  const depthOf = new Map<string, number>();
  const depth = (p: Person, seen = new Set<string>()): number => {
    const known = depthOf.get(p.open_id);
    if (known !== undefined) return known;
    const leader = p.leader_user_id ? onMap.get(p.leader_user_id) : undefined;
    // A circular chain (bad data) stops where it repeats.
    const d = leader && !seen.has(leader.open_id) ? depth(leader, seen.add(p.open_id)) + 1 : 0;
    depthOf.set(p.open_id, d);
    return d;
  };
  const rows: Person[][] = [];
  for (const p of people) (rows[depth(p)] ??= []).push(p);

  const placed: MapPerson[] = [];
  const nodes: MapNode[] = [];
  let y = BOX.pad;
  let width = 0;
  for (const [rowIndex, row] of rows.filter(Boolean).entries()) {
    let rowHeight = 0;
    row.forEach((person, col) => {
      const x = BOX.pad + col * (BOX.width + BOX.colGap);
      const objectives = (okrsOf.get(person.open_id) ?? []).flatMap((okr) =>
        okr.permission === 0
          ? [{ id: '', hidden: true, label: '', text: '', percent: 0, status: '-1' }]
          : (okr.objective_list ?? []).map((o, i) => ({
              id: o.id,
              hidden: o.permission === 0,
              label: `O${i + 1}`,
              text: o.content ?? '',
              percent: o.progress_rate?.percent ?? 0,
              status: o.progress_rate?.status ?? '-1',
            })),
      );
      objectives.forEach((o, i) => {
        nodes.push({ ...o, owner: person, row: rowIndex, x: x + 8, y: y + BOX.head + i * (BOX.node + BOX.gap) });
      });
      const height = BOX.head + Math.max(1, objectives.length) * (BOX.node + BOX.gap);
      placed.push({ person, x, y, height });
      rowHeight = Math.max(rowHeight, height);
      width = Math.max(width, x + BOX.width + BOX.pad);
    });
    y += rowHeight + BOX.rowGap;
  }
  const byId = new Map(nodes.filter((n) => n.id).map((n) => [n.id, n]));
  const edges: MapEdge[] = [];
  for (const person of people) {
    for (const okr of okrsOf.get(person.open_id) ?? []) {
      for (const o of okr.objective_list ?? []) {
        for (const target of o.aligned_objective_list ?? []) {
          const from = byId.get(o.id);
          const to = byId.get(target.id);
          if (from && to) edges.push({ from, to });
        }
      }
    }
  }
  return { people: placed, nodes, edges, width: Math.max(width, 320), height: Math.max(y - BOX.rowGap + BOX.pad, 120) };
}

/** The SVG path of an edge: vertical between rows (leaving and entering on the facing sides), sideways within one. */
export function edgePath({ from, to }: MapEdge): string {
  const w = BOX.width - 16;
  const h = BOX.node;
  if (from.x === to.x) {
    // The same person's objectives: a loop on the right.
    const x = from.x + w;
    return `M${x},${from.y + h / 2} C${x + 40},${from.y + h / 2} ${x + 40},${to.y + h / 2} ${x},${to.y + h / 2}`;
  }
  if (from.row === to.row) {
    // Side by side in one row.
    const right = to.x > from.x;
    const x1 = right ? from.x + w : from.x;
    const x2 = right ? to.x : to.x + w;
    const mid = (x1 + x2) / 2;
    return `M${x1},${from.y + h / 2} C${mid},${from.y + h / 2} ${mid},${to.y + h / 2} ${x2},${to.y + h / 2}`;
  }
  const up = to.y < from.y;
  const x1 = from.x + w / 2;
  const x2 = to.x + w / 2;
  const y1 = up ? from.y : from.y + h;
  const y2 = up ? to.y + h : to.y;
  const bend = Math.max(30, Math.abs(y1 - y2) / 2);
  return `M${x1},${y1} C${x1},${up ? y1 - bend : y1 + bend} ${x2},${up ? y2 + bend : y2 - bend} ${x2},${y2}`;
}
