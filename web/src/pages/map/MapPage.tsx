/**
 * The alignment map (issue 9 item 5): the organisation's or a department's objectives of a period as a graph, from
 * okrd's alignment-map view in one call — people in rows down the leader chain, objectives as nodes coloured by
 * status, an arrow from each objective to the one it aligns to — zoomable (buttons, fit to width, Ctrl + wheel),
 * with the same facts as a list for screen readers. OKRs the person may not see are grey nodes without content, as
 * the API gives them. The view is bounded: when it says it left people out, the page says so.
 */
import { useEffect, useId, useMemo, useRef, useState, type WheelEvent } from 'react';
import { useMe } from '../../app/me';
import type { PageProps } from '../../app/pages';
import { navigate } from '../../app/router';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import { choiceToOpen } from '../../ui/period-choice';
import { PeriodSelect } from '../../ui/PeriodSelect';
import {
  loadMap,
  loadPeriods,
  type AlignmentMap,
  type MapDepartment,
  type MapPerson,
  type TeamPeriod,
} from '../team/team.data';
import { BOX, edgePath, layoutMap, type MapNode } from './map.layout';

const STATUS: Record<string, { key: MessageKey; fill: string; stroke: string }> = {
  '-1': { key: 'team.status.none', fill: '#f0f1f3', stroke: '#545b66' },
  '0': { key: 'team.status.normal', fill: '#e3f4ea', stroke: '#0d7a3e' },
  '1': { key: 'team.status.risk', fill: '#fdf1d8', stroke: '#9a6700' },
  '2': { key: 'team.status.delayed', fill: '#fbe4e2', stroke: '#b3261e' },
};
const ZOOM = { min: 0.2, max: 2, step: 1.25, start: 1 };
const clampZoom = (z: number) => Math.max(ZOOM.min, Math.min(ZOOM.max, z));

const clip = (text: string, max: number) =>
  [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;

/** The departments in tree order (each after its parent), with their depth for indenting. */
function departmentTree(departments: readonly MapDepartment[]): { department: MapDepartment; depth: number }[] {
  const children = new Map<string, MapDepartment[]>();
  const known = new Set(departments.map((d) => d.department_id));
  for (const d of departments) {
    const parent = d.parent_department_id && known.has(d.parent_department_id) ? d.parent_department_id : '';
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const out: { department: MapDepartment; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string, depth: number) => {
    for (const d of children.get(parent) ?? []) {
      // A circular tree (bad data) is cut where it repeats.
      if (seen.has(d.department_id)) continue;
      seen.add(d.department_id);
      out.push({ department: d, depth });
      walk(d.department_id, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

export default function MapPage({ query }: PageProps) {
  const me = useMe();
  const { t, lang, apiLang } = useI18n();
  const departmentSelect = useId();
  const canvas = useRef<HTMLDivElement>(null);
  const [periods, setPeriods] = useState<TeamPeriod[]>();
  const [map, setMap] = useState<AlignmentMap>();
  const [error, setError] = useState<unknown>();
  const [zoom, setZoom] = useState(ZOOM.start);
  const period = periods ? choiceToOpen(periods, query.get('period')) : undefined;
  const department = query.get('department') ?? '';
  const periodId = period?.id;

  useEffect(() => {
    loadPeriods(me.open_id).then(setPeriods, setError);
  }, [me.open_id]);
  useEffect(() => {
    if (!periodId) return;
    setMap(undefined);
    loadMap(periodId, apiLang, department).then(setMap, setError);
  }, [periodId, apiLang, department]);
  const layout = useMemo(() => (map && map.nodes.length > 0 ? layoutMap(map) : undefined), [map]);
  const departments = useMemo(() => departmentTree(map?.departments ?? []), [map]);

  const nameOf = (p: { name_zh: string; name_en: string }) => (lang === 'zh' ? p.name_zh : p.name_en || p.name_zh);
  const link = (next: { period?: string; department?: string }) => {
    const q = new URLSearchParams();
    const p = next.period ?? periodId;
    const d = next.department ?? department;
    if (p) q.set('period', p);
    if (d) q.set('department', d);
    navigate(`/map?${q.toString()}`, { replace: true });
  };
  const onWheel = (e: WheelEvent) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    setZoom((z) => clampZoom(e.deltaY < 0 ? z * ZOOM.step : z / ZOOM.step));
  };
  const fit = () => {
    if (layout && canvas.current) setZoom(clampZoom(canvas.current.clientWidth / layout.width));
  };
  const ownerName = (p: MapPerson) => nameOf(p);
  const nodeText = (n: MapNode) =>
    n.hidden
      ? t('map.hiddenNode', { name: ownerName(n.owner) })
      : `${ownerName(n.owner)} ${n.label}: ${n.text} (${n.percent}%, ${t(STATUS[n.status]?.key ?? 'team.status.none')})`;
  const ready = periods && (map || !periodId);

  return (
    <div className="map" {...(ready ? { 'data-ready': '' } : {})}>
      <div className="page-head">
        <h1>{t('map.title')}</h1>
        {periods ? (
          <div className="row">
            <label htmlFor={departmentSelect}>{t('map.scope')}</label>
            <select id={departmentSelect} value={department} onChange={(e) => link({ department: e.target.value })}>
              <option value="">{t('map.organisation')}</option>
              {departments.map(({ department: d, depth }) => (
                <option key={d.department_id} value={d.department_id}>
                  {`${'\u00a0\u00a0'.repeat(depth)}${nameOf(d)}`}
                </option>
              ))}
            </select>
            <PeriodSelect kind="period" choices={periods} value={periodId} onChange={(id) => link({ period: id })} />
          </div>
        ) : null}
      </div>
      <ErrorBanner error={error} />
      {map?.truncated ? (
        <p className="banner" role="status">
          {t('map.truncated', { n: map.people.length })}
        </p>
      ) : null}
      {!layout ? (
        ready ? (
          <p className="muted">{t('map.empty')}</p>
        ) : (
          <p role="status">{t('app.loading')}</p>
        )
      ) : (
        <>
          <div className="row map-tools">
            <button type="button" onClick={() => setZoom((z) => clampZoom(z / ZOOM.step))} disabled={zoom <= ZOOM.min}>
              {t('map.zoomOut')}
            </button>
            <span aria-live="polite">{Math.round(zoom * 100)}%</span>
            <button type="button" onClick={() => setZoom((z) => clampZoom(z * ZOOM.step))} disabled={zoom >= ZOOM.max}>
              {t('map.zoomIn')}
            </button>
            <button type="button" onClick={fit}>
              {t('map.fit')}
            </button>
            <ul className="legend" aria-label={t('map.legend')}>
              {Object.entries(STATUS).map(([k, s]) => (
                <li key={k}>
                  <span className="swatch" style={{ background: s.fill, borderColor: s.stroke }} aria-hidden="true" />
                  {t(s.key)}
                </li>
              ))}
            </ul>
          </div>
          <div
            ref={canvas}
            className="map-canvas"
            onWheel={onWheel}
            tabIndex={0}
            role="region"
            aria-label={t('map.canvas')}
          >
            <svg
              role="img"
              aria-label={t('map.summary', { nodes: layout.nodes.length, edges: layout.edges.length })}
              width={Math.round(layout.width * zoom)}
              height={Math.round(layout.height * zoom)}
              viewBox={`0 0 ${layout.width} ${layout.height}`}
            >
              <defs>
                <marker
                  id="map-arrow"
                  viewBox="0 0 10 10"
                  refX="9"
                  refY="5"
                  markerWidth="7"
                  markerHeight="7"
                  orient="auto"
                >
                  <path d="M0,0 L10,5 L0,10 z" fill="#1f5fe0" />
                </marker>
              </defs>
              {layout.people.map((p) => (
                <g key={p.person.open_id}>
                  <rect x={p.x} y={p.y} width={BOX.width} height={p.height} rx={8} fill="#fff" stroke="#d5d9e0" />
                  <text x={p.x + 10} y={p.y + 19} fontWeight={700} fontSize={14} fill="#1f2329">
                    {clip(ownerName(p.person), 24)}
                  </text>
                </g>
              ))}
              {layout.edges.map((e, i) => (
                <path
                  key={i}
                  d={edgePath(e)}
                  fill="none"
                  stroke="#1f5fe0"
                  strokeWidth={1.5}
                  markerEnd="url(#map-arrow)"
                />
              ))}
              {layout.nodes.map((n, i) => {
                const s = STATUS[n.status] ?? STATUS['-1']!;
                return (
                  <g key={n.id || `hidden-${i}`}>
                    <title>{nodeText(n)}</title>
                    <rect
                      x={n.x}
                      y={n.y}
                      width={BOX.width - 16}
                      height={BOX.node}
                      rx={6}
                      fill={n.hidden ? '#f0f1f3' : s.fill}
                      stroke={n.hidden ? '#8a9099' : s.stroke}
                      strokeDasharray={n.hidden ? '4 3' : undefined}
                    />
                    <text x={n.x + 8} y={n.y + 18} fontSize={13} fill="#1f2329">
                      {n.hidden ? t('map.hidden') : `${n.label} ${clip(n.text, 15)}`}
                    </text>
                    {n.hidden ? null : (
                      <text x={n.x + 8} y={n.y + 36} fontSize={12} fill="#545b66">
                        {n.percent}% · {t(s.key)}
                      </text>
                    )}
                  </g>
                );
              })}
            </svg>
          </div>
          <details className="map-list">
            <summary>{t('map.asList')}</summary>
            <ul>
              {layout.nodes.map((n, i) => (
                <li key={n.id || `hidden-${i}`}>
                  {nodeText(n)}
                  {layout.edges
                    .filter((e) => e.from === n)
                    .map((e) => (
                      <span key={e.to.id}>
                        {' '}
                        → {t('map.alignsTo', { target: `${ownerName(e.to.owner)} ${e.to.label}` })}
                      </span>
                    ))}
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
    </div>
  );
}
