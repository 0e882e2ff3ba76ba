import { Router } from 'express';
import type { ActorRow, ExternalStatRow, SiteRow, SourceRow } from '@incidents/projection';
import { ActorParams, ExternalStatParams, parseParams, SiteParams, SourceParams } from '../params.js';
import type { Reads } from '../read/context.js';
import { Bind } from '../read/sql.js';

/**
 * Reference and context data: `/v1/external-stats`, `/v1/sources`, `/v1/actors`,
 * `/v1/sites`. These lists are small, so they are answered whole (no pagination).
 */
export function referenceRoutes(reads: Reads, shared: boolean): Router {
  const router = Router();

  router.get('/v1/external-stats', async (req, res) => {
    const p = parseParams(ExternalStatParams, req.query);
    const bind = new Bind();
    bind.when(p.metric, (v) => `metric = ANY(${v}::text[])`);
    bind.when(p.country, (v) => `geography ?| ${v}::text[]`);
    await reads.answer(
      req,
      res,
      { asOf: p.asOf, position: p.position, shared },
      (ctx) => ctx.query<ExternalStatRow>(`SELECT * FROM external_stats ${bind.clause()} ORDER BY stat_id COLLATE "C"`, bind.values),
      (value) => ({
        body: {
          note: 'Third-party aggregates, shown for context; never summed into this platform’s counts.',
          items: value.map((s) => ({
            stat_id: s.stat_id,
            metric: s.metric,
            value: { low: num(s.low), best: num(s.best), high: num(s.high), qualifier: s.qualifier, raw: s.raw },
            period: { from: s.period_from, to: s.period_to },
            geography: s.geography,
            issuer: s.issuer,
            source_id: s.source_id,
            time: s.time,
            event_id: s.event_id,
            provenance: s.provenance ?? null,
          })),
        },
      }),
    );
  });

  router.get('/v1/sources', async (req, res) => {
    const p = parseParams(SourceParams, req.query);
    const bind = new Bind();
    bind.when(p.registered, (v) => `registered = ${v}`);
    bind.when(p.kind, (v) => `kind = ANY(${v}::text[])`);
    bind.when(p.reliability, (v) => `reliability = ANY(${v}::text[])`);
    await reads.answer(
      req,
      res,
      { asOf: p.asOf, position: p.position, shared },
      (ctx) => ctx.query<SourceRow>(`SELECT * FROM sources ${bind.clause()} ORDER BY source_id COLLATE "C"`, bind.values),
      (value) => ({
        body: {
          items: value.map((s) => ({
            source_id: s.source_id,
            registered: s.registered,
            name: s.name,
            kind: s.kind,
            scale: s.scale,
            language: s.language,
            reliability: s.reliability,
            reliability_history: s.reliability_history,
          })),
        },
      }),
    );
  });

  router.get('/v1/actors', async (req, res) => {
    const p = parseParams(ActorParams, req.query);
    const bind = new Bind();
    bind.when(p.registered, (v) => `registered = ${v}`);
    bind.when(p.actorType?.map(Number), (v) => `actor_type = ANY(${v}::int[])`);
    await reads.answer(
      req,
      res,
      { asOf: p.asOf, position: p.position, shared },
      (ctx) => ctx.query<ActorRow>(`SELECT * FROM actors ${bind.clause()} ORDER BY actor_id COLLATE "C"`, bind.values),
      (value) => ({
        body: {
          items: value.map((a) => ({
            actor_id: a.actor_id,
            registered: a.registered,
            name: a.name,
            actor_type: a.actor_type,
            home_country_iso3: a.home_country_iso3,
            aliases: a.aliases,
            relations: a.relations,
            related_from: a.related_from,
          })),
        },
      }),
    );
  });

  router.get('/v1/sites', async (req, res) => {
    const p = parseParams(SiteParams, req.query);
    const bind = new Bind();
    bind.when(p.registered, (v) => `registered = ${v}`);
    bind.when(p.country, (v) => `country_iso3 = ANY(${v}::text[])`);
    await reads.answer(
      req,
      res,
      { asOf: p.asOf, position: p.position, shared },
      (ctx) => ctx.query<SiteRow>(`SELECT * FROM sites ${bind.clause()} ORDER BY site_id COLLATE "C"`, bind.values),
      (value) => ({
        body: {
          items: value.map((s) => ({
            site_id: s.site_id,
            registered: s.registered,
            names: s.names,
            kind: s.kind,
            place: s.place,
            country_iso3: s.country_iso3,
            admin1: s.admin1,
            operator_actor_ids: s.operator_actor_ids,
            defense_posture: s.defense_posture,
          })),
        },
      }),
    );
  });

  return router;
}

/** bigint columns arrive as strings (the db package keeps int8 exact). */
function num(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}
