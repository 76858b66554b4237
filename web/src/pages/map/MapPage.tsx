/**
 * The alignment map (issue 9 item 5): the organisation's or a department's objectives of a period as a graph —
 * people in rows down the leader chain, objectives as nodes coloured by status, an arrow from each objective to the
 * one it aligns to — zoomable (buttons, Ctrl + wheel), with the same facts as a list for screen readers. OKRs the
 * person may not see are grey nodes without content, as the API gives them.
 */
import { useEffect, useId, useMemo, useState, type WheelEvent } from 'react';
import { useMe } from '../../app/me';
import type { PageProps } from '../../app/pages';
import { navigate } from '../../app/router';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { ErrorBanner } from '../../ui/errors';
import {
  loadOkrs,
  loadOrganisation,
  periodToOpen,
  type Organisation,
  type Person,
  type TeamOkr,
} from '../team/team.data';
import { BOX, edgePath, layoutMap, type MapNode } from './map.layout';

const STATUS: Record<string, { key: MessageKey; fill: string; stroke: string }> = {
  '-1': { key: 'team.status.none', fill: '#f0f1f3', stroke: '#545b66' },
  '0': { key: 'team.status.normal', fill: '#e3f4ea', stroke: '#0d7a3e' },
  '1': { key: 'team.status.risk', fill: '#fdf1d8', stroke: '#9a6700' },
  '2': { key: 'team.status.delayed', fill: '#fbe4e2', stroke: '#b3261e' },
};
const ZOOMS = [0.4, 0.55, 0.7, 0.85, 1, 1.25, 1.5, 2];

/** The department and every department below it. */
function departmentTree(org: Organisation, root: string): Set<string> {
  const out = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const d of org.departments) {
      if (!out.has(d.department_id) && out.has(d.parent_department_id)) {
        out.add(d.department_id);
        grew = true;
      }
    }
  }
  return out;
}

const clip = (text: string, max: number) =>
  [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;

export default function MapPage({ query }: PageProps) {
  const me = useMe();
  const { t, lang, apiLang, formatMonth } = useI18n();
  const periodSelect = useId();
  const departmentSelect = useId();
  const [org, setOrg] = useState<Organisation>();
  const [okrs, setOkrs] = useState<ReadonlyMap<string, TeamOkr[]>>();
  const [error, setError] = useState<unknown>();
  const [zoom, setZoom] = useState(4);
  const period = org ? periodToOpen(org.periods, query.get('period')) : undefined;
  const department = query.get('department') ?? '';

  useEffect(() => {
    loadOrganisation(me.open_id).then(setOrg, setError);
  }, [me.open_id]);
  const people = useMemo(() => {
    if (!org) return [];
    const wanted = department ? departmentTree(org, department) : undefined;
    const chosen = wanted
      ? [...new Map([...wanted].flatMap((d) => org.membersOf.get(d) ?? []).map((p) => [p.open_id, p])).values()]
      : [...org.people.values()];
    return chosen.sort((a, b) => a.en_name.localeCompare(b.en_name));
  }, [org, department]);
  const periodId = period?.id;
  useEffect(() => {
    if (!periodId || people.length === 0) return;
    setOkrs(undefined);
    loadOkrs(people, periodId, apiLang).then(setOkrs, setError);
  }, [people, periodId, apiLang]);
  const layout = useMemo(() => (okrs ? layoutMap(people, okrs) : undefined), [people, okrs]);

  const nameOf = (p: Person) => (lang === 'zh' ? p.name : p.en_name || p.name);
  const link = (next: { period?: string; department?: string }) => {
    const q = new URLSearchParams();
    const p = next.period ?? periodId;
    const d = next.department ?? department;
    if (p) q.set('period', p);
    if (d) q.set('department', d);
    navigate(`/map?${q.toString()}`, { replace: true });
  };
  const scale = ZOOMS[zoom]!;
  const onWheel = (e: WheelEvent) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    setZoom((z) => Math.max(0, Math.min(ZOOMS.length - 1, z + (e.deltaY < 0 ? 1 : -1))));
  };
  const nodeText = (n: MapNode) =>
    n.hidden
      ? t('map.hiddenNode', { name: nameOf(n.owner) })
      : `${nameOf(n.owner)} ${n.label}: ${n.text} (${n.percent}%, ${t(STATUS[n.status]?.key ?? 'team.status.none')})`;
  const ready = org && (layout || !periodId || people.length === 0);

  return (
    <div className="map" {...(ready ? { 'data-ready': '' } : {})}>
      <div className="page-head">
        <h1>{t('map.title')}</h1>
        {org ? (
          <div className="row">
            <label htmlFor={departmentSelect}>{t('map.scope')}</label>
            <select id={departmentSelect} value={department} onChange={(e) => link({ department: e.target.value })}>
              <option value="">{t('map.organisation')}</option>
              {org.departments.map((d) => (
                <option key={d.department_id} value={d.department_id}>
                  {lang === 'zh' ? d.i18n_name.zh_cn || d.name : d.i18n_name.en_us || d.name}
                </option>
              ))}
            </select>
            <label htmlFor={periodSelect}>{t('team.period')}</label>
            <select id={periodSelect} value={periodId} onChange={(e) => link({ period: e.target.value })}>
              {org.periods.map((p) => (
                <option key={p.id} value={p.id}>
                  {formatMonth(p.start) === formatMonth(p.end)
                    ? formatMonth(p.start)
                    : `${formatMonth(p.start)} – ${formatMonth(p.end)}`}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <ErrorBanner error={error} />
      {!layout ? (
        ready ? (
          <p className="muted">{t('map.empty')}</p>
        ) : (
          <p role="status">{t('app.loading')}</p>
        )
      ) : (
        <>
          <div className="row map-tools">
            <button type="button" onClick={() => setZoom((z) => Math.max(0, z - 1))} disabled={zoom === 0}>
              {t('map.zoomOut')}
            </button>
            <span aria-live="polite">{Math.round(scale * 100)}%</span>
            <button
              type="button"
              onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))}
              disabled={zoom === ZOOMS.length - 1}
            >
              {t('map.zoomIn')}
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
          <div className="map-canvas" onWheel={onWheel} tabIndex={0} role="region" aria-label={t('map.canvas')}>
            <svg
              role="img"
              aria-label={t('map.summary', { nodes: layout.nodes.length, edges: layout.edges.length })}
              width={layout.width * scale}
              height={layout.height * scale}
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
                    {clip(nameOf(p.person), 24)}
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
                        → {t('map.alignsTo', { target: `${nameOf(e.to.owner)} ${e.to.label}` })}
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
