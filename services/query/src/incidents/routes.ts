import { Router } from 'express';
import { ProblemError } from '@incidents/http';
import type { CasualtyFigure, SeriesValue, SourceDiscrepancyRow } from '@incidents/projection';
import { IdPath, IncidentListParams, IncidentParams, parseParams } from '../params.js';
import type { Reads } from '../read/context.js';
import { edgeOut } from '../responses/routes.js';
import { countFigure, listIncidents, loadIncident, type IncidentBundle, type IncidentRow } from './queries.js';

const href = (id: string) => `/v1/incidents/${id}`;

function summary(r: IncidentRow) {
  return {
    incident_id: r.incident_id,
    href: href(r.incident_id),
    status: r.status,
    merged_into: r.merged_into,
    counted: r.counted,
    kind: r.kind,
    method: r.method,
    operation_id: r.operation_id,
    local_date: r.local_date,
    time_precision: r.time_precision,
    time_start: r.time_start,
    time_end: r.time_end,
    time_tz: r.time_tz,
    place_precision: r.place_precision,
    site_id: r.site_id,
    place_name: r.place_name,
    country_iso3: r.country_iso3,
    admin1: r.admin1,
    lat: r.lat,
    lon: r.lon,
    munitions: countFigure(r.munitions),
    intercepted: countFigure(r.intercepted),
    top_perpetrator: r.top_perpetrator,
    top_perpetrator_likelihood: r.top_perpetrator_likelihood,
    has_casualties: r.has_casualties,
    has_discrepancy: r.has_discrepancy,
    reported_at: r.reported_at,
  };
}

function series(s: SeriesValue) {
  return {
    source_id: s.source_id,
    reliability: s.reliability,
    low: s.low,
    best: s.best,
    high: s.high,
    claim_ids: s.claim_ids,
    last_time: s.last_time,
    delta_without_base: s.delta_without_base,
    via_merge: s.via_merge,
  };
}

function discrepancy(d: SourceDiscrepancyRow) {
  return {
    scope_kind: d.scope_kind,
    scope_id: d.scope_id,
    field: d.field,
    flagged: d.flagged,
    figure: d.figure === null ? null : { low: d.figure.low, best: d.figure.best, high: d.figure.high },
    figure_source: d.figure_source,
    series: d.series.map(series),
  };
}

function casualties(figures: CasualtyFigure[], scopeKind: 'incident' | 'operation', scopeId: string, rows: SourceDiscrepancyRow[]) {
  const claims = (f: CasualtyFigure) =>
    rows.find((d) => d.scope_kind === scopeKind && d.scope_id === scopeId && d.field === `casualties:${f.role}/${f.outcome}/${f.nationality}`)
      ?.series ?? [];
  return figures.map((f) => ({
    role: f.role,
    outcome: f.outcome,
    nationality: f.nationality === '' ? null : f.nationality,
    side: f.side,
    affiliation_actor_id: f.affiliation_actor_id,
    low: f.low,
    best: f.best,
    high: f.high,
    source: f.source,
    covered: f.covered,
    covered_by_operation: f.covered_by_operation,
    delta_without_base: f.delta_without_base,
    vague_source: f.vague_source,
    incomplete: f.incomplete,
    via_merge: f.via_merge,
    claim_ids: f.claim_ids,
    adoption_event_id: f.adoption_event_id,
    adoption_policy: f.adoption_policy,
    claims: claims(f).map(series),
  }));
}

function detail(b: IncidentBundle) {
  const r = b.row;
  const own = (field: string) => b.discrepancies.find((d) => d.scope_kind === 'incident' && d.scope_id === r.incident_id && d.field === field);
  const actor = (id: string | null, likelihood: string | null) => (id === null ? null : { actor_id: id, likelihood: likelihood ?? '' });
  return {
    incident: {
      ...summary(r),
      merge_loop: r.merge_loop,
      reported_by: r.reported_by,
      report_event_id: r.report_event_id,
      amendment_count: r.amendment_count,
      duplicate_report_count: r.duplicate_report_count,
      platform: r.platform,
      target: r.target,
      acled: r.acled,
      cameo_code: r.cameo_code,
      site_registered: r.site_registered,
      admin2: r.admin2,
      admin3: r.admin3,
      radius_km: r.radius_km,
      unresolved: r.unresolved,
    },
    merged_into: r.status === 'merged' && r.merged_into !== null ? { incident_id: r.merged_into, href: href(r.merged_into) } : null,
    munitions: { figure: countFigure(r.munitions), claims: (own('munitions')?.series ?? []).map(series) },
    intercepted: { figure: countFigure(r.intercepted), claims: (own('intercepted')?.series ?? []).map(series) },
    casualties: casualties(r.casualties, 'incident', r.incident_id, b.discrepancies),
    operation:
      b.operation === null
        ? null
        : {
            operation_id: b.operation.operation_id,
            member_incident_ids: b.operation.member_incident_ids,
            counted: b.operation.counted,
            start: b.operation.start,
            anchor_incident_id: b.operation.anchor_incident_id,
            casualties: casualties(b.operation.casualties, 'operation', b.operation.operation_id, b.discrepancies),
            has_discrepancy: b.operation.has_discrepancy,
          },
    damage: r.damage.map((d) => ({
      object: d.object,
      extent: d.extent,
      distance_from_target_km: d.distance_from_target_km,
      source_id: d.source_id,
      event_id: d.event_id,
      time: d.time,
      via_merge: d.via_merge,
    })),
    attribution: {
      top_perpetrator: actor(r.top_perpetrator, r.top_perpetrator_likelihood),
      materiel_origin: actor(r.materiel_origin, r.materiel_origin_likelihood),
      assertions: r.attributions.map((a) => ({
        assertion_id: a.assertion_id,
        actor_id: a.actor_id,
        role: a.role,
        likelihood: a.likelihood,
        basis: a.basis,
        source_id: a.source_id,
        as_stated: a.as_stated,
        time: a.time,
        via_merge: a.via_merge,
      })),
      claimed_by: r.claimed_by,
      denied_by: r.denied_by,
    },
    responses: {
      triggered: b.edges.filter((e) => e.trigger_incident_id === r.incident_id).map(edgeOut),
      answered: b.edges.filter((e) => e.trigger_incident_id !== r.incident_id).map(edgeOut),
    },
    discrepancies: b.discrepancies.filter((d) => d.flagged).map(discrepancy),
    timeline: b.timeline.map((t) => ({
      time: t.time,
      event_id: t.event_id,
      event_source: t.event_source,
      type: t.type,
      subject: t.subject,
      via_merge: t.via_merge,
      merged_from: t.merged_from,
      duplicate_entity: t.duplicate_entity,
      superseded: t.superseded,
      retracted: t.retracted,
      flags: t.flags,
      source_id: t.source_id,
      source_reliability: t.source_reliability,
      source_registered: t.source_registered,
      provenance: t.provenance,
      data: t.data,
    })),
  };
}

/** `GET /v1/incidents` (filtered, keyset-paginated list) and `GET /v1/incidents/{id}` (detail). */
export function incidentRoutes(reads: Reads, shared: boolean): Router {
  const router = Router();
  router.get('/v1/incidents', async (req, res) => {
    const p = parseParams(IncidentListParams, req.query);
    await reads.answer(
      req,
      res,
      { asOf: p.asOf, position: p.position, shared },
      (ctx) => listIncidents(ctx, p),
      (value) => ({ body: { items: value.rows.map(summary), next_cursor: value.nextCursor, limit: value.limit } }),
    );
  });
  router.get('/v1/incidents/:id', async (req, res) => {
    const { id } = parseParams(IdPath, req.params, 'path');
    const p = parseParams(IncidentParams, req.query);
    await reads.answer(
      req,
      res,
      { asOf: p.asOf, position: p.position, shared },
      (ctx) => loadIncident(ctx, id),
      (value, ctx) => {
        if (value === undefined) {
          throw new ProblemError(
            404,
            'not-found',
            'Incident not found',
            `No incident ${id}${ctx.asOf === null ? '' : ` as of ${ctx.asOf}`}.`,
            undefined,
            ctx.stale ? { 'X-Data-Stale': 'true' } : {},
            { stale: ctx.stale },
          );
        }
        const merged = value.row.status === 'merged' && value.row.merged_into !== null;
        return { body: detail(value), ...(merged ? { headers: { Link: `<${href(value.row.merged_into!)}>; rel="canonical"` } } : {}) };
      },
    );
  });
  return router;
}
