import { Router } from 'express';
import type { ResponseEdgeRow } from '@incidents/projection';
import { LIMIT_DEFAULT, likelihoodRank, parseParams, ResponseParams } from '../params.js';
import type { Reads } from '../read/context.js';
import { after, Bind, decodeCursor, encodeCursor, orderBy } from '../read/sql.js';
import { likelihoodSql } from '../incidents/queries.js';

/** A response_graph row as the API shows it (§5.9). */
export function edgeOut(r: ResponseEdgeRow) {
  return {
    link_id: r.link_id,
    trigger: { incident_id: r.trigger_incident_id, status: r.trigger_status },
    response: { kind: r.response_kind, id: r.response_id, status: r.response_status },
    basis: r.basis,
    likelihood: r.likelihood,
    lag_minutes: r.lag_minutes,
    as_stated: r.as_stated,
    also_cites: r.also_cites,
    source_id: r.source_id,
    linked_at: r.linked_at,
    via_merge: r.via_merge,
    component_id: r.component_id,
  };
}

const KEY = ['link_id', 'trigger_incident_id', 'response_kind', 'response_id'];

/** `GET /v1/responses`: attack → response edges with basis, likelihood and lag. */
export function responseRoutes(reads: Reads, shared: boolean): Router {
  const router = Router();
  router.get('/v1/responses', async (req, res) => {
    const p = parseParams(ResponseParams, req.query);
    const limit = p.limit ?? LIMIT_DEFAULT;
    await reads.answer(
      req,
      res,
      { asOf: p.asOf, position: p.position, shared },
      (ctx) => {
        const bind = new Bind();
        bind.when(p.trigger, (v) => `trigger_incident_id = ANY(${v}::text[])`);
        bind.when(p.response, (v) => `response_id = ANY(${v}::text[])`);
        bind.when(p.incident, (v) => `(trigger_incident_id = ANY(${v}::text[]) OR (response_kind = 'incident' AND response_id = ANY(${v}::text[])))`);
        bind.when(p.link, (v) => `link_id = ANY(${v}::text[])`);
        bind.when(p.basis, (v) => `basis = ANY(${v}::text[])`);
        if (p.minLikelihood !== undefined) bind.and(`${likelihoodSql(bind, 'likelihood')} >= ${bind.$(likelihoodRank(p.minLikelihood))}`);
        if (p.cursor !== undefined) bind.and(after(bind, KEY, decodeCursor(p.cursor, 'edges', KEY.length), false));
        return ctx.query<ResponseEdgeRow>(
          `SELECT * FROM response_graph ${bind.clause()} ORDER BY ${orderBy(KEY, false)} LIMIT ${bind.$(limit + 1)}`,
          bind.values,
        );
      },
      (value) => {
        const page = value.slice(0, limit);
        const last = page.at(-1);
        return {
          body: {
            items: page.map(edgeOut),
            next_cursor: value.length > limit && last ? encodeCursor('edges', KEY.map((k) => String(last[k as keyof ResponseEdgeRow]))) : null,
            limit,
          },
        };
      },
    );
  });
  return router;
}
