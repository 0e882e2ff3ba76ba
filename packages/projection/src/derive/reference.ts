import type { State } from '../fold.js';
import { sortByKey } from '../order.js';
import type {
  ActorRelation,
  ActorRow,
  DocumentRow,
  ExternalStatRow,
  SiteRow,
  SourceRow,
} from '../rows.js';
import type { Reliabilities } from './reliability.js';

/** sources, actors, sites (§5.8), external_stats and seed documents. */

const byId = <T>(rows: T[], id: (row: T) => string): T[] => sortByKey(rows, (r) => [id(r)]);

export function deriveSources(s: State, rel: Reliabilities): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const [id, src] of s.sources) {
    const reg = src.registration?.data;
    rows.push({
      source_id: id,
      registered: reg !== undefined,
      name: reg?.name ?? null,
      kind: reg?.kind ?? null,
      scale: reg?.scale ?? null,
      language: reg?.language ?? null,
      reliability: rel.of(id),
      reliability_history: src.reliability.map((r) => ({
        time: r.ev.event.time,
        event_id: r.ev.id,
        via: r.via,
        reliability: r.reliability,
        rationale: r.rationale,
      })),
    });
  }
  return byId(rows, (r) => r.source_id);
}

export function deriveActors(s: State): ActorRow[] {
  // Relations towards an actor in logical order (as relations from it are): the order must
  // not depend on which other events named the actors first.
  const incoming = new Map<string, { seq: number; relation: ActorRelation }[]>();
  const outgoing = new Map<string, ActorRelation[]>();
  for (const [id, actor] of s.actors) {
    const list = actor.relations.map(({ ev, data }) => ({
      seq: ev.seq,
      relation: {
        from_actor_id: data.from_actor_id,
        to_actor_id: data.to_actor_id,
        relation: data.relation,
        likelihood: data.likelihood,
        basis: data.basis,
        source_id: data.source.source_id,
        time: ev.event.time,
        event_id: ev.id,
      },
    }));
    outgoing.set(
      id,
      list.map((r) => r.relation),
    );
    for (const r of list) {
      const target = incoming.get(r.relation.to_actor_id);
      if (target === undefined) incoming.set(r.relation.to_actor_id, [r]);
      else target.push(r);
    }
  }
  const rows: ActorRow[] = [];
  for (const [id, actor] of s.actors) {
    const reg = actor.registration?.data;
    rows.push({
      actor_id: id,
      registered: reg !== undefined,
      name: reg?.name ?? null,
      actor_type: reg?.actor_type ?? null,
      home_country_iso3: reg?.home_country_iso3 ?? null,
      aliases: reg?.aliases ?? [],
      relations: outgoing.get(id) ?? [],
      related_from: (incoming.get(id) ?? []).sort((a, b) => a.seq - b.seq).map((r) => r.relation),
    });
  }
  return byId(rows, (r) => r.actor_id);
}

export function deriveSites(s: State): SiteRow[] {
  const rows: SiteRow[] = [];
  for (const [id, site] of s.sites) {
    const reg = site.registration?.data;
    rows.push({
      site_id: id,
      registered: reg !== undefined,
      names: reg?.names ?? [],
      kind: reg?.kind ?? null,
      place: reg?.place ?? null,
      country_iso3: reg?.place.country_iso3 ?? null,
      admin1: reg?.place.admin1 ?? null,
      operator_actor_ids: reg?.operator_actor_ids ?? [],
      defense_posture: site.posture.map(({ ev, data }) => ({
        system: data.system,
        status: data.status,
        at: data.at,
        source_id: data.source.source_id,
        time: ev.event.time,
        event_id: ev.id,
      })),
    });
  }
  return byId(rows, (r) => r.site_id);
}

export function deriveExternalStats(s: State): ExternalStatRow[] {
  const rows: ExternalStatRow[] = [];
  for (const [id, { ev, data }] of s.stats) {
    rows.push({
      stat_id: id,
      metric: data.metric,
      low: data.value.low,
      best: data.value.best,
      high: data.value.high,
      qualifier: data.value.qualifier,
      raw: data.value.raw ?? null,
      period_from: data.period.from,
      period_to: data.period.to,
      geography: data.geography,
      issuer: data.issuer,
      source_id: data.source.source_id,
      time: ev.event.time,
      event_id: ev.id,
      provenance: data.provenance ?? null,
    });
  }
  return byId(rows, (r) => r.stat_id);
}

export function deriveDocuments(s: State): DocumentRow[] {
  const rows: DocumentRow[] = [];
  for (const [id, { ev, data }] of s.docs) {
    rows.push({
      doc_id: id,
      published_at: data.published_at,
      outlet: data.outlet ?? null,
      extracted_claims: data.extracted_claims,
      source_id: data.source.source_id,
      time: ev.event.time,
      event_id: ev.id,
    });
  }
  return byId(rows, (r) => r.doc_id);
}
