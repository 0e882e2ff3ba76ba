import type {
  Acled,
  IncidentKind,
  IncidentReported,
  Method,
  PlaceSpec,
  Target,
  TimeSpec,
} from '@incidents/events';
import type { IncidentRecord, State } from '../fold.js';
import { compareCodePoints, instantMicros } from '../order.js';
import type { IncidentStatus } from '../rows.js';

/** Lifecycle & merges (§5.3), effective fields and places (§3.3), operations. */

export interface EffectiveIncident {
  kind: IncidentKind;
  method: Method;
  operation_id: string | null;
  platform: string | null;
  target: Target | null;
  acled: Acled | null;
  cameo_code: string | null;
  time: TimeSpec;
  place: PlaceSpec;
}

export interface ResolvedPlace {
  precision: PlaceSpec['precision'];
  site_id: string | null;
  site_registered: boolean | null;
  name: string | null;
  country_iso3: string | null;
  admin1: string | null;
  admin2: string | null;
  admin3: string | null;
  lat: number | null;
  lon: number | null;
  radius_km: number | null;
}

export interface IncidentView {
  readonly id: string;
  readonly record: IncidentRecord;
  readonly status: IncidentStatus;
  /** final survivor when status is `merged` */
  readonly survivor: string | null;
  readonly loop: boolean;
  readonly counted: boolean;
  readonly eff: EffectiveIncident | null;
  readonly place: ResolvedPlace | null;
  /** start in µs when known at minute/hour precision (§5.9) */
  readonly preciseStart: number | null;
}

export interface OperationView {
  readonly id: string;
  readonly members: string[];
  readonly counted: boolean;
  readonly start: number | null;
  readonly startText: string | null;
  readonly anchor: string | null;
}

export interface Lifecycle {
  readonly incidents: Map<string, IncidentView>;
  readonly operations: Map<string, OperationView>;
  /** where a claim recorded against `id` lands (§5.3): the final survivor, or `id` itself */
  resolve(id: string): string;
  /** direct, effective merge edges reversed: survivor-side id → incidents merged into it */
  readonly mergedFrom: Map<string, string[]>;
  /** operations touched by each IncidentReported / IncidentAmended (before and after), by seq */
  readonly operationChanges: Map<number, string[]>;
}

const LOOP = Symbol('loop');
type Terminal = string | typeof LOOP;

/**
 * Follows effective merge edges (a reported incident whose latest lifecycle event is a
 * merge) to the final survivor; a loop, or a chain that reaches one, yields LOOP.
 */
function resolveMerges(edges: Map<string, string>): Map<string, Terminal> {
  const memo = new Map<string, Terminal>();
  for (const start of edges.keys()) {
    if (memo.has(start)) continue;
    const path: string[] = [];
    const onPath = new Set<string>();
    let cur = start;
    let result: Terminal;
    for (;;) {
      const known = memo.get(cur);
      if (known !== undefined) {
        result = known;
        break;
      }
      if (onPath.has(cur)) {
        result = LOOP;
        break;
      }
      const next = edges.get(cur);
      if (next === undefined) {
        result = cur;
        break;
      }
      onPath.add(cur);
      path.push(cur);
      cur = next;
    }
    for (const id of path) memo.set(id, result);
  }
  return memo;
}

function effectiveFields(
  report: IncidentReported,
  record: IncidentRecord,
  opChanges: Map<number, string[]>,
): EffectiveIncident {
  const eff: EffectiveIncident = {
    kind: report.kind,
    method: report.method,
    operation_id: report.operation_id ?? null,
    platform: report.platform ?? null,
    target: report.target ?? null,
    acled: report.acled ?? null,
    cameo_code: report.cameo_code ?? null,
    time: report.time,
    place: report.place,
  };
  if (record.report !== null && eff.operation_id !== null)
    opChanges.set(record.report.ev.seq, [eff.operation_id]);
  // Amendments apply in logical order, even those whose time precedes the report (§5.3).
  for (const { ev, data } of record.amendments) {
    const c = data.changes;
    const before = eff.operation_id;
    if (c.kind !== undefined) eff.kind = c.kind;
    if (c.method !== undefined) eff.method = c.method;
    if (c.time !== undefined) eff.time = c.time;
    if (c.place !== undefined) eff.place = c.place;
    if (c.operation_id !== undefined) eff.operation_id = c.operation_id;
    if (c.platform !== undefined) eff.platform = c.platform;
    if (c.target !== undefined) eff.target = c.target;
    if (c.acled !== undefined) eff.acled = c.acled;
    if (c.cameo_code !== undefined) eff.cameo_code = c.cameo_code;
    const touched = [before, eff.operation_id].filter((o): o is string => o !== null);
    if (touched.length > 0) opChanges.set(ev.seq, [...new Set(touched)]);
  }
  return eff;
}

/** §3.3: a site's registered place fills the fields the incident omits. */
function resolvePlace(s: State, place: PlaceSpec): ResolvedPlace {
  const siteId = place.site_id ?? null;
  const site = siteId === null ? null : (s.sites.get(siteId)?.registration?.data.place ?? null);
  const ownLatLon = place.lat !== undefined && place.lon !== undefined;
  return {
    precision: place.precision,
    site_id: siteId,
    site_registered: siteId === null ? null : site !== null,
    name: place.name ?? site?.name ?? null,
    country_iso3: place.country_iso3 ?? site?.country_iso3 ?? null,
    admin1: place.admin1 ?? site?.admin1 ?? null,
    admin2: place.admin2 ?? site?.admin2 ?? null,
    admin3: place.admin3 ?? site?.admin3 ?? null,
    lat: ownLatLon ? (place.lat ?? null) : (site?.lat ?? null),
    lon: ownLatLon ? (place.lon ?? null) : (site?.lon ?? null),
    radius_km: place.radius_km ?? site?.radius_km ?? null,
  };
}

function preciseStart(time: TimeSpec): number | null {
  return (time.precision === 'minute' || time.precision === 'hour') && time.start !== undefined
    ? instantMicros(time.start)
    : null;
}

export function deriveLifecycle(s: State): Lifecycle {
  const edges = new Map<string, string>();
  for (const rec of s.incidents.values()) {
    if (rec.report !== null && rec.lifecycle?.kind === 'merged' && rec.lifecycle.into !== null) {
      edges.set(rec.id, rec.lifecycle.into);
    }
  }
  const terminals = resolveMerges(edges);
  const mergedFrom = new Map<string, string[]>();
  for (const [from, into] of edges) {
    const list = mergedFrom.get(into);
    if (list === undefined) mergedFrom.set(into, [from]);
    else list.push(from);
  }

  const operationChanges = new Map<number, string[]>();
  const incidents = new Map<string, IncidentView>();
  for (const rec of s.incidents.values()) {
    const terminal = terminals.get(rec.id);
    const loop = terminal === LOOP;
    let status: IncidentStatus;
    if (rec.report === null) status = 'unreported';
    else if (loop) status = 'retracted';
    else if (rec.lifecycle === null || rec.lifecycle.kind === 'reinstated') status = 'active';
    else status = rec.lifecycle.kind;
    const eff =
      rec.report === null ? null : effectiveFields(rec.report.data, rec, operationChanges);
    incidents.set(rec.id, {
      id: rec.id,
      record: rec,
      status,
      survivor: status === 'merged' && typeof terminal === 'string' ? terminal : null,
      loop,
      counted: status === 'active',
      eff,
      place: eff === null ? null : resolvePlace(s, eff.place),
      preciseStart: eff === null ? null : preciseStart(eff.time),
    });
  }

  const resolve = (id: string): string => incidents.get(id)?.survivor ?? id;
  return {
    incidents,
    operations: deriveOperations(s, incidents),
    resolve,
    mergedFrom,
    operationChanges,
  };
}

function deriveOperations(
  s: State,
  incidents: Map<string, IncidentView>,
): Map<string, OperationView> {
  const members = new Map<string, IncidentView[]>();
  for (const id of s.operations) members.set(id, []);
  for (const inc of incidents.values()) {
    const op = inc.eff?.operation_id ?? null;
    if (op === null) continue;
    if (!members.has(op)) members.set(op, []);
    if (inc.counted) members.get(op)?.push(inc);
  }
  const ops = new Map<string, OperationView>();
  for (const [id, list] of members) {
    let start: number | null = null;
    let startText: string | null = null;
    let anchor: IncidentView | null = null;
    for (const m of list) {
      if (m.preciseStart !== null && (start === null || m.preciseStart < start)) {
        start = m.preciseStart;
        startText = m.eff?.time.start ?? null;
      }
      if (anchor === null || compareAnchor(m, anchor) < 0) anchor = m;
    }
    ops.set(id, {
      id,
      members: list.map((m) => m.id).sort(compareCodePoints),
      counted: list.length > 0,
      start,
      startText,
      anchor: anchor?.id ?? null,
    });
  }
  return ops;
}

/** §5.6: smallest (local_date, start, incident_id), a missing start last. */
function compareAnchor(a: IncidentView, b: IncidentView): number {
  const ta = a.eff?.time;
  const tb = b.eff?.time;
  const byDate = compareCodePoints(ta?.local_date ?? '', tb?.local_date ?? '');
  if (byDate !== 0) return byDate;
  const sa = ta?.start === undefined ? null : instantMicros(ta.start);
  const sb = tb?.start === undefined ? null : instantMicros(tb.start);
  if (sa !== sb) {
    if (sa === null) return 1;
    if (sb === null) return -1;
    return sa - sb;
  }
  return compareCodePoints(a.id, b.id);
}
