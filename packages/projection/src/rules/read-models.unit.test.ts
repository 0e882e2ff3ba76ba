// §6 read models: incident_timeline, revision_feed, source_discrepancies, external_stats,
// sources / actors / sites.
import { project, type Projection } from '../index.js';
import { claim, day, exact, incident, report, seg, src, world } from '../fixtures.test.js';
import { at } from '../scenarios.test.js';

const wounded = seg('service_member', 'wounded', 'USA');
const feed = (p: Projection, eventId: string) => {
  const row = p.revision_feed.find((r) => r.event_id === eventId);
  return row === undefined ? undefined : [row.incident_ids, row.operation_ids];
};

describe('incident_timeline', () => {
  it('lists every event naming the incident, plus those of incidents merged into it (via_merge)', () => {
    const g = world();
    report(
      g,
      'dup',
      at(2),
      { provenance: { verification: 'seed_only', note: 'from an article' } },
      { id: 'e-dup' },
    );
    report(g, 'main', at(1), {}, { id: 'e-main' });
    g.add(
      'IncidentMerged',
      at(3),
      { incident_id: 'dup', into_incident_id: 'main', reason: 'duplicate_report' },
      { id: 'e-merge' },
    );
    g.add(
      'ResponseLinked',
      at(2),
      {
        link_id: 'l',
        trigger_incident_ids: ['dup'],
        response_incident_ids: ['main'],
        basis: 'media',
        likelihood: 'likely',
        source: src('s-a'),
      },
      { id: 'e-link' },
    );
    claim(g, 'c', at(2), { incident_id: 'dup' }, wounded, exact(1), 's-a', {}, { id: 'e-claim' });
    const p = project(g.events);
    const timeline = (id: string) =>
      p.incident_timeline
        .filter((t) => t.incident_id === id)
        .map((t) => `${t.event_id}${t.via_merge ? '*' : ''}`);
    expect(timeline('dup')).toEqual(['e-claim', 'e-dup', 'e-link', 'e-merge']);
    expect(timeline('main')).toEqual(['e-main', 'e-claim*', 'e-dup*', 'e-link', 'e-merge']);
    expect(
      p.incident_timeline.find((t) => t.incident_id === 'main' && t.event_id === 'e-dup'),
    ).toMatchObject({
      merged_from: 'dup',
      provenance: { verification: 'seed_only', note: 'from an article' },
      source_id: 's-a',
    });
  });

  it('shows each event’s source reliability as of the evaluation instant', () => {
    const g = world();
    report(g, 'i-1', at(2), { source: src('s-c') });
    g.add('SourceReliabilityRated', at(5), { source_id: 's-c', reliability: 'A' });
    const reliability = (asOf?: string) =>
      project(g.events, asOf === undefined ? {} : { asOf }).incident_timeline.map((t) => [
        t.source_id,
        t.source_reliability,
        t.source_registered,
      ]);
    expect(reliability(at(3))).toEqual([['s-c', 'C', true]]);
    expect(reliability()).toEqual([['s-c', 'A', true]]);
  });
});

describe('revision_feed', () => {
  it('lists both ends of a merge, the final survivor and what was merged into the merged incident', () => {
    const g = world();
    for (const id of ['a', 'b', 'c']) report(g, id, at(1));
    g.add(
      'IncidentMerged',
      at(2),
      { incident_id: 'a', into_incident_id: 'b', reason: 'duplicate_report' },
      { id: 'm-ab' },
    );
    g.add(
      'IncidentMerged',
      at(3),
      { incident_id: 'b', into_incident_id: 'c', reason: 'duplicate_report' },
      { id: 'm-bc' },
    );
    g.add('IncidentReinstated', at(4), { incident_id: 'b', reason: 'r' }, { id: 're-b' });
    const p = project(g.events);
    expect(feed(p, 'm-ab')).toEqual([['a', 'b'], []]);
    expect(feed(p, 'm-bc')).toEqual([['a', 'b', 'c'], []]);
    expect(feed(p, 're-b')).toEqual([['a', 'b', 'c'], []]);
  });

  it('lists the scopes a claim event affects: its own, reassigned, superseded, and their operations', () => {
    const g = world();
    report(g, 'a', at(1), { operation_id: 'op' });
    report(g, 'b', at(1));
    claim(g, 'c1', at(2), { incident_id: 'a' }, wounded, exact(1), 's-a', {}, { id: 'e-c1' });
    g.add(
      'CasualtyClaimReassigned',
      at(3),
      { claim_id: 'c1', from_incident_id: 'a', to_incident_id: 'b' },
      { id: 'e-move' },
    );
    claim(
      g,
      'c2',
      at(4),
      { operation_id: 'op' },
      wounded,
      exact(2),
      's-a',
      { supersedes_claim_id: 'c1' },
      { id: 'e-c2' },
    );
    g.add(
      'CasualtyClaimRetracted',
      at(5),
      { claim_id: 'c2', scope: { operation_id: 'op' }, reason: 'r' },
      { id: 'e-retract' },
    );
    const p = project(g.events);
    expect(feed(p, 'e-c1')).toEqual([['a', 'b'], ['op']]);
    expect(feed(p, 'e-move')).toEqual([['a', 'b'], ['op']]);
    // an operation-scope claim also changes its members' covered_by_operation marks
    expect(feed(p, 'e-c2')).toEqual([['a', 'b'], ['op']]);
    expect(feed(p, 'e-retract')).toEqual([['a', 'b'], ['op']]);
  });

  it('lists, for a rating, every incident and operation citing the source; for a site, its incidents', () => {
    const g = world();
    report(g, 'a', at(1), { source: src('s-b'), place: { site_id: 'base', precision: 'site' } });
    claim(g, 'c', at(2), { operation_id: 'op' }, wounded, exact(1), 's-b');
    report(g, 'z', at(1));
    g.add('SourceReliabilityRated', at(3), { source_id: 's-b', reliability: 'E' }, { id: 'rate' });
    g.add(
      'SiteRegistered',
      at(3),
      {
        site_id: 'base',
        names: ['B'],
        kind: 'base',
        place: { name: 'B', country_iso3: 'SYR', admin1: 'Homs', precision: 'site' },
      },
      { id: 'site' },
    );
    g.add('ActorRegistered', at(3), { actor_id: 'x', name: 'X', actor_type: 1 }, { id: 'actor' });
    const p = project(g.events);
    expect(feed(p, 'rate')).toEqual([['a'], ['op']]);
    expect(feed(p, 'site')).toEqual([['a'], []]);
    expect(feed(p, 'actor')).toEqual([[], []]);
    expect(p.revision_feed).toHaveLength(g.events.length);
  });

  it('lists nothing for a rating that changes no grade at any instant (§5.8)', () => {
    const g = world(); // s-b registered B on 2024-01-01
    report(g, 'a', at(1), { source: src('s-b') });
    report(g, 'n', at(1), { source: src('s-new') });
    // s-new: rated before its registration (unregistered is F whatever its ratings; from the
    // registration on, the registration is the latest), then registered C
    g.add('SourceReliabilityRated', at(1), { source_id: 's-new', reliability: 'A' }, { id: 'early' });
    g.add(
      'SourceRegistered',
      at(2),
      { source_id: 's-new', name: 'New', kind: 'wire', scale: 'International', reliability: 'C' },
      { id: 'reg-new' },
    );
    // s-b: B again; then E and D at one instant (E is never the latest: D, later by id, is)
    g.add('SourceReliabilityRated', at(3), { source_id: 's-b', reliability: 'B' }, { id: 'same' });
    g.add('SourceReliabilityRated', at(4), { source_id: 's-b', reliability: 'E' }, { id: 'r-1' });
    g.add('SourceReliabilityRated', at(4), { source_id: 's-b', reliability: 'D' }, { id: 'r-2' });
    const p = project(g.events);
    expect(feed(p, 'early')).toEqual([[], []]);
    expect(feed(p, 'reg-new')).toEqual([['n'], []]);
    expect(feed(p, 'same')).toEqual([[], []]);
    expect(feed(p, 'r-1')).toEqual([[], []]);
    expect(feed(p, 'r-2')).toEqual([['a'], []]);
  });
});

describe('source_discrepancies', () => {
  it('has a row per scope and field with its series, flagged when two sources give different non-null bests', () => {
    const g = world();
    report(g, 'i-1', at(1), { munitions: exact(4) });
    g.add('MunitionCountReported', at(2), {
      incident_id: 'i-1',
      munitions: exact(4),
      source: src('s-b'),
    });
    g.add('MunitionCountReported', at(2), {
      incident_id: 'i-1',
      munitions: { low: null, best: null, high: null, qualifier: 'vague', raw: 'rockets' },
      source: src('s-c'),
    });
    claim(g, 'x', at(2), { incident_id: 'i-1' }, wounded, exact(1), 's-a');
    claim(g, 'y', at(2), { incident_id: 'i-1' }, wounded, exact(2), 's-b');
    const p = project(g.events);
    expect(
      p.source_discrepancies.map((d) => [d.scope_id, d.field, d.flagged, d.series.length]),
    ).toEqual([
      ['i-1', 'casualties:service_member/wounded/USA', true, 2],
      ['i-1', 'munitions', false, 3],
    ]);
    expect(incident(p, 'i-1').has_discrepancy).toBe(true);
  });

  it('does not propagate an operation’s discrepancy to its members', () => {
    const g = world();
    report(g, 'i-1', at(1), { operation_id: 'op' });
    claim(g, 'x', at(2), { operation_id: 'op' }, wounded, exact(1), 's-a');
    claim(g, 'y', at(2), { operation_id: 'op' }, wounded, exact(2), 's-b');
    const p = project(g.events);
    expect(p.source_discrepancies.map((d) => [d.scope_kind, d.scope_id, d.flagged])).toEqual([
      ['operation', 'op', true],
    ]);
    expect(incident(p, 'i-1').has_discrepancy).toBe(false);
  });
});

describe('reference and context read models', () => {
  it('keeps external statistics apart from our counts; the first stat id wins', () => {
    const g = world();
    g.add('ExternalStatisticReported', at(2), {
      stat_id: 'x',
      metric: 'attacks',
      value: exact(78),
      period: { from: '2021-01-01', to: '2023-03-23' },
      geography: ['IRQ', 'SYR'],
      issuer: 'CENTCOM',
      source: src('s-a'),
    });
    g.add('ExternalStatisticReported', at(3), {
      stat_id: 'x',
      metric: 'attacks',
      value: exact(80),
      period: { from: '2021-01-01', to: '2023-03-23' },
      geography: ['SYR'],
      issuer: 'CENTCOM',
      source: src('s-a'),
    });
    const p = project(g.events);
    expect(
      p.external_stats.map((s) => [
        s.stat_id,
        s.best,
        s.period_from,
        s.period_to,
        s.geography,
        s.issuer,
      ]),
    ).toEqual([['x', 78, '2021-01-01', '2023-03-23', ['IRQ', 'SYR'], 'CENTCOM']]);
    expect(p.attack_counts).toEqual([]);
  });

  it('shows actor relations both ways and the defence posture history of a site', () => {
    const g = world();
    g.add('ActorRelationAsserted', at(2), {
      from_actor_id: 'front',
      to_actor_id: 'parent',
      relation: 'facade_of',
      likelihood: 'likely',
      basis: 'analyst',
      source: src('s-b'),
    });
    g.add('DefensePostureReported', at(3), {
      site_id: 'base',
      system: 'Avenger',
      status: 'operational',
      at: day('2024-01-03'),
      source: src('s-a'),
    });
    g.add('DefensePostureReported', at(2), {
      site_id: 'base',
      system: 'Avenger',
      status: 'not_fully_operational',
      at: day('2024-01-01'),
      source: src('s-b'),
    });
    const p = project(g.events);
    expect(
      p.actors.map((a) => [a.actor_id, a.registered, a.relations.length, a.related_from.length]),
    ).toEqual([
      ['front', false, 1, 0],
      ['parent', false, 0, 1],
    ]);
    expect(p.sites[0]?.defense_posture.map((d) => d.status)).toEqual([
      'not_fully_operational',
      'operational',
    ]);
  });
});
