/**
 * The alignment map's layout (pure): people in rows by how far down the leader chain they sit within the map (a
 * person whose leader is not on the map starts a row 0), each person a column of their objectives, each row ordered
 * by the column of the leader above (so a leader's reports sit together, below them, and edges cross less), and an
 * edge from each objective to the objective it aligns to. Coordinates in SVG user units.
 */
import type { AlignmentMap, MapPerson } from '../team/team.data';

export const BOX = { width: 230, head: 28, node: 46, gap: 8, colGap: 40, rowGap: 90, pad: 20 } as const;

export interface MapNode {
  /** Objective id; '' for an OKR the viewer may not see. */
  id: string;
  owner: MapPerson;
  /** O1, O2, … within the owner's OKR. */
  label: string;
  text: string;
  percent: number;
  status: number;
  hidden: boolean;
  /** The row of the owner (0: the top of the chain on the map) and where that row starts. */
  row: number;
  rowTop: number;
  x: number;
  y: number;
}
export interface PlacedPerson {
  person: MapPerson;
  x: number;
  y: number;
  height: number;
}
export interface MapEdge {
  from: MapNode;
  to: MapNode;
}
export interface MapLayout {
  people: PlacedPerson[];
  nodes: MapNode[];
  edges: MapEdge[];
  width: number;
  height: number;
}

/** The rows of people: depth within the map's leader chains, each row after the first ordered by its leaders. */
function rowsOf(people: readonly MapPerson[]): MapPerson[][] {
  const onMap = new Map(people.map((p) => [p.open_id, p]));
  const depthOf = new Map<string, number>();
  const depth = (p: MapPerson, seen = new Set<string>()): number => {
    const known = depthOf.get(p.open_id);
    if (known !== undefined) return known;
    const leader = p.leader_open_id ? onMap.get(p.leader_open_id) : undefined;
    // A circular chain (bad data) stops where it repeats.
    const d = leader && !seen.has(leader.open_id) ? depth(leader, seen.add(p.open_id)) + 1 : 0;
    depthOf.set(p.open_id, d);
    return d;
  };
  const rows: MapPerson[][] = [];
  for (const p of people) (rows[depth(p)] ??= []).push(p);
  const dense = rows.filter(Boolean);
  const column = new Map<string, number>();
  dense.forEach((row, r) => {
    if (r > 0) {
      const leaderColumn = (p: MapPerson) => column.get(p.leader_open_id ?? '') ?? Number.MAX_SAFE_INTEGER;
      // A stable sort: people of one leader keep the order the API gave (by employee id).
      row.sort((a, b) => leaderColumn(a) - leaderColumn(b));
    }
    row.forEach((p, i) => column.set(p.open_id, i));
  });
  return dense;
}

/** Lays out the map the API answered. */
export function layoutMap(map: AlignmentMap): MapLayout {
  const nodesOf = new Map<string, AlignmentMap['nodes']>();
  for (const n of map.nodes) nodesOf.set(n.owner_open_id, [...(nodesOf.get(n.owner_open_id) ?? []), n]);

  const placed: PlacedPerson[] = [];
  const nodes: MapNode[] = [];
  let y = BOX.pad;
  let width = 0;
  for (const [rowIndex, row] of rowsOf(map.people).entries()) {
    let rowHeight = 0;
    row.forEach((person, col) => {
      const x = BOX.pad + col * (BOX.width + BOX.colGap);
      const own = nodesOf.get(person.open_id) ?? [];
      own.forEach((n, i) => {
        nodes.push({
          id: n.id ?? '',
          owner: person,
          label: n.position ? `O${n.position}` : '',
          text: n.content ?? '',
          percent: n.progress_percent ?? 0,
          status: n.status ?? -1,
          hidden: n.permission === 0,
          row: rowIndex,
          rowTop: y,
          x: x + 8,
          y: y + BOX.head + i * (BOX.node + BOX.gap),
        });
      });
      const height = BOX.head + Math.max(1, own.length) * (BOX.node + BOX.gap);
      placed.push({ person, x, y, height });
      rowHeight = Math.max(rowHeight, height);
      width = Math.max(width, x + BOX.width + BOX.pad);
    });
    y += rowHeight + BOX.rowGap;
  }
  const byId = new Map(nodes.filter((n) => n.id).map((n) => [n.id, n]));
  const edges = map.edges.flatMap((e) => {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    return from && to ? [{ from, to }] : [];
  });
  return { people: placed, nodes, edges, width: Math.max(width, 320), height: Math.max(y - BOX.rowGap + BOX.pad, 120) };
}

/** The SVG path of an edge: vertical between rows (leaving and entering on the facing sides), sideways within one. */
export function edgePath({ from, to }: MapEdge): string {
  const w = BOX.width - 16;
  const h = BOX.node;
  if (from.owner === to.owner) {
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
  // Between rows: out of the side facing the target, along the gap beside the source's column to the free band
  // above the lower row, across it, and up or down the gap beside the target's column into its facing side — never
  // over another objective of either column.
  const toRight = to.x + w / 2 >= from.x + w / 2;
  const sx = toRight ? from.x + w : from.x;
  const tx = toRight ? to.x : to.x + w;
  const beside = (BOX.colGap + 16) / 2;
  const band = (to.y < from.y ? from.rowTop : to.rowTop) - BOX.rowGap / 2;
  return rounded([
    [sx, from.y + h / 2],
    [toRight ? sx + beside : sx - beside, from.y + h / 2],
    [toRight ? sx + beside : sx - beside, band],
    [toRight ? tx - beside : tx + beside, band],
    [toRight ? tx - beside : tx + beside, to.y + h / 2],
    [tx, to.y + h / 2],
  ]);
}

/** A path through `points` with each corner rounded (radius up to 10, less where the legs are short). */
function rounded(points: readonly (readonly [number, number])[]): string {
  let d = `M${points[0]![0]},${points[0]![1]}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [px, py] = points[i - 1]!;
    const [x, y] = points[i]!;
    const [nx, ny] = points[i + 1]!;
    const r = Math.min(10, Math.hypot(x - px, y - py) / 2, Math.hypot(nx - x, ny - y) / 2);
    const towards = (ax: number, ay: number) => {
      const len = Math.hypot(ax - x, ay - y) || 1;
      return `${x + ((ax - x) / len) * r},${y + ((ay - y) / len) * r}`;
    };
    d += ` L${towards(px, py)} Q${x},${y} ${towards(nx, ny)}`;
  }
  const [lx, ly] = points[points.length - 1]!;
  return `${d} L${lx},${ly}`;
}
