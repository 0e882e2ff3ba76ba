// §5.5 figures from claims.
import { project, type Projection } from '../index.js';
import {
  approx,
  atLeast,
  claim,
  exact,
  incident,
  lbh,
  report,
  seg,
  src,
  tally,
  vague,
  world,
} from '../fixtures.test.js';
import { at } from '../scenarios.test.js';

const wounded = seg('service_member', 'wounded', 'USA');
const I = { incident_id: 'i-1' };
const figure = (p: Projection, id = 'i-1', outcome = 'wounded') =>
  incident(p, id).casualties.find((c) => c.outcome === outcome);
const series = (p: Projection, field = 'casualties:service_member/wounded/USA', id = 'i-1') =>
  p.source_discrepancies
    .find((d) => d.scope_id === id && d.field === field)
    ?.series.map((s) => [s.source_id, lbh(s), s.delta_without_base]);

describe('§5.5 series', () => {
  it('folds one source’s claims in logical order: a total replaces, a delta adds', () => {
    const g = world();
    report(g, 'i-1', at(1));
    // listed out of time order
    claim(g, 'c3', at(4), I, wounded, exact(2), 's-a', { mode: 'delta' });
    claim(g, 'c2', at(3), I, wounded, exact(10), 's-a');
    claim(g, 'c1', at(2), I, wounded, exact(5), 's-a');
    claim(g, 'c4', at(5), I, wounded, approx(1, 2, 4), 's-a', { mode: 'delta' });
    expect(series(project(g.events))).toEqual([['s-a', '13 / 14 / 16', false]]);
    expect(series(project(g.events, { asOf: at(3) }))).toEqual([['s-a', '10 / 10 / 10', false]]);
  });

  it('starts a series that begins with a delta from 0 and flags it delta_without_base', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(g, 'd1', at(2), I, wounded, exact(4), 's-a', { mode: 'delta' });
    claim(g, 'd2', at(3), I, wounded, exact(1), 's-a', { mode: 'delta' });
    const p = project(g.events);
    expect(series(p)).toEqual([['s-a', '5 / 5 / 5', true]]);
    expect(figure(p)?.delta_without_base).toBe(true);
  });

  it('makes a component null when either operand’s is null', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(g, 't', at(2), I, wounded, atLeast(3), 's-a');
    claim(g, 'd', at(3), I, wounded, exact(2), 's-a', { mode: 'delta' });
    expect(series(project(g.events))).toEqual([['s-a', '5 / ? / ?', false]]);
  });

  it('leaves out retracted claims, even when the retraction arrives first', () => {
    const g = world();
    report(g, 'i-1', at(1));
    g.add('CasualtyClaimRetracted', at(2), { claim_id: 'c2', scope: I, reason: 'r' });
    claim(g, 'c1', at(2), I, wounded, exact(5), 's-a');
    const c2 = claim(g, 'c2', at(3), I, wounded, exact(2), 's-a', { mode: 'delta' });
    const p = project(g.events);
    expect(series(p)).toEqual([['s-a', '5 / 5 / 5', false]]);
    expect(p.incident_timeline.find((t) => t.event_id === c2.id)).toMatchObject({
      retracted: true,
      superseded: false,
    });
  });

  it('every IncidentReported.munitions, MunitionCountReported and InterceptionReported is a total for its source', () => {
    const g = world();
    report(g, 'i-1', at(1), { munitions: exact(5) });
    g.add('MunitionCountReported', at(3), {
      incident_id: 'i-1',
      munitions: exact(6),
      source: src('s-a'),
    });
    g.add('MunitionCountReported', at(2), {
      incident_id: 'i-1',
      munitions: exact(9),
      source: src('s-b'),
    });
    g.add('InterceptionReported', at(2), {
      incident_id: 'i-1',
      intercepted: exact(2),
      source: src('s-a'),
    });
    g.add('InterceptionReported', at(3), {
      incident_id: 'i-1',
      intercepted: exact(1),
      source: src('s-a'),
    });
    const p = project(g.events);
    expect(series(p, 'munitions')).toEqual([
      ['s-a', '6 / 6 / 6', false],
      ['s-b', '9 / 9 / 9', false],
    ]);
    expect(lbh(incident(p, 'i-1').munitions)).toBe('6 / 6 / 9');
    expect(lbh(incident(p, 'i-1').intercepted)).toBe('1 / 1 / 1');
  });

  it('ignores a duplicate report’s munitions (§5.2)', () => {
    const g = world();
    report(g, 'i-1', at(1), { munitions: exact(5) });
    report(g, 'i-1', at(2), { munitions: exact(50), source: src('s-b') });
    expect(lbh(incident(project(g.events), 'i-1').munitions)).toBe('5 / 5 / 5');
  });
});

describe('§5.5 supersession', () => {
  it('supersedes across scopes and sources; retracting the superseding claim revives the superseded one', () => {
    const g = world();
    report(g, 'i-1', at(1));
    report(g, 'i-2', at(1));
    const x = claim(g, 'x', at(2), I, wounded, exact(7), 's-b');
    claim(g, 'y', at(3), { incident_id: 'i-2' }, seg('civilian', 'killed'), exact(1), 's-c', {
      supersedes_claim_id: 'x',
    });
    expect(incident(project(g.events), 'i-1').casualties).toEqual([]);
    expect(project(g.events).incident_timeline.find((t) => t.event_id === x.id)).toMatchObject({
      superseded: true,
    });
    g.add('CasualtyClaimRetracted', at(4), {
      claim_id: 'y',
      scope: { incident_id: 'i-2' },
      reason: 'r',
    });
    expect(lbh(figure(project(g.events)) ?? null)).toBe('7 / 7 / 7');
    expect(lbh(figure(project(g.events, { asOf: at(3) })) ?? null)).toBe('—');
  });

  it('applies a supersession that arrives before its target', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(g, 'new', at(2), I, wounded, exact(3), 's-a', { supersedes_claim_id: 'old' });
    claim(g, 'old', at(5), I, wounded, exact(9), 's-b');
    expect(series(project(g.events))).toEqual([['s-a', '3 / 3 / 3', false]]);
  });

  it('a superseding total ends a delta series', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(g, 'd', at(2), I, seg('service_member', 'injured_tbi', 'USA'), exact(4), 's-a', {
      mode: 'delta',
    });
    claim(g, 't', at(3), I, seg('service_member', 'injured_tbi', 'USA'), exact(11), 's-a', {
      supersedes_claim_id: 'd',
    });
    const f = figure(project(g.events), 'i-1', 'injured_tbi');
    expect([lbh(f ?? null), f?.delta_without_base]).toEqual(['11 / 11 / 11', false]);
  });
});

describe('§5.5 claim scope', () => {
  it('uses the latest reassignment in logical order, then merges; a mismatching from is applied and flagged', () => {
    const g = world();
    for (const id of ['i-1', 'i-2', 'i-3', 'i-4']) report(g, id, at(1));
    claim(g, 'c', at(2), I, wounded, exact(2), 's-a');
    g.add('CasualtyClaimReassigned', at(4), {
      claim_id: 'c',
      from_incident_id: 'i-9',
      to_incident_id: 'i-3',
    });
    g.add('CasualtyClaimReassigned', at(3), {
      claim_id: 'c',
      from_incident_id: 'i-1',
      to_incident_id: 'i-2',
    });
    g.add('IncidentMerged', at(5), {
      incident_id: 'i-3',
      into_incident_id: 'i-4',
      reason: 'duplicate_report',
    });
    const p = project(g.events);
    expect(['i-1', 'i-2', 'i-3', 'i-4'].map((id) => tally(p, 'incident', id))).toEqual([
      {},
      {},
      {},
      { 'service_member/wounded/USA': '2 / 2 / 2' },
    ]);
    expect(figure(p, 'i-4')?.via_merge).toBe(true);
    const flags = p.incident_timeline
      .filter((t) => t.type === 'CasualtyClaimReassigned' && t.incident_id === 'i-3')
      .map((t) => t.flags);
    expect(flags).toEqual([['from_incident_mismatch']]);
    expect(tally(project(g.events, { asOf: at(3) }), 'incident', 'i-2')).toEqual({
      'service_member/wounded/USA': '2 / 2 / 2',
    });
  });

  it('applies a reassignment that arrives before its claim', () => {
    const g = world();
    report(g, 'i-1', at(1));
    report(g, 'i-2', at(1));
    g.add('CasualtyClaimReassigned', at(2), {
      claim_id: 'c',
      from_incident_id: 'i-1',
      to_incident_id: 'i-2',
    });
    claim(g, 'c', at(3), I, wounded, exact(2), 's-a');
    expect(tally(project(g.events), 'incident', 'i-2')).toEqual({
      'service_member/wounded/USA': '2 / 2 / 2',
    });
  });
});

describe('§5.5 default figure', () => {
  it('takes bounds as min(low ?? best) / max(high ?? best) and best from the most reliable source', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(g, 'c', at(2), I, wounded, exact(20), 's-c');
    claim(g, 'b', at(3), I, wounded, approx(null, 8, 9), 's-b');
    claim(g, 'a', at(2), I, wounded, approx(6, 7, null), 's-a');
    expect(lbh(figure(project(g.events)) ?? null)).toBe('6 / 7 / 20');
  });

  it('ranks an unregistered source as F even when rated (§5.8)', () => {
    const g = world();
    report(g, 'i-1', at(1));
    g.add('SourceReliabilityRated', at(1), { source_id: 's-x', reliability: 'A' });
    claim(g, 'x', at(3), I, wounded, exact(3), 's-x');
    claim(g, 'c', at(2), I, wounded, exact(4), 's-c');
    expect(figure(project(g.events))?.best).toBe(4);
    g.add('SourceRegistered', at(4), {
      source_id: 's-x',
      name: 'x',
      kind: 'wire',
      scale: 'Local',
      reliability: 'D',
    });
    // registered D, then the earlier A rating is superseded by the registration: D < C
    expect(figure(project(g.events))?.best).toBe(4);
    g.add('SourceReliabilityRated', at(5), { source_id: 's-x', reliability: 'B' });
    expect(figure(project(g.events))?.best).toBe(3);
  });

  it('breaks reliability ties by the latest last claim, then the greatest claim id', () => {
    const g = world();
    g.add('SourceRegistered', at(1), {
      source_id: 's-b2',
      name: 'b2',
      kind: 'wire',
      scale: 'Local',
      reliability: 'B',
    });
    report(g, 'i-1', at(1));
    claim(g, 'b-early', at(2), I, wounded, exact(5), 's-b');
    claim(g, 'b2-late', at(3), I, wounded, exact(6), 's-b2');
    expect(figure(project(g.events))?.best).toBe(6);
    const h = world();
    h.add('SourceRegistered', at(1), {
      source_id: 's-b2',
      name: 'b2',
      kind: 'wire',
      scale: 'Local',
      reliability: 'B',
    });
    report(h, 'i-1', at(1));
    claim(h, 'zz', at(2), I, wounded, exact(5), 's-b');
    claim(h, 'aa', at(2), I, wounded, exact(6), 's-b2');
    expect(figure(project(h.events))?.best).toBe(5);
  });

  it('breaks munitions ties by the greatest event id', () => {
    const g = world();
    g.add('SourceRegistered', at(1), {
      source_id: 's-b2',
      name: 'b2',
      kind: 'wire',
      scale: 'Local',
      reliability: 'B',
    });
    report(g, 'i-1', at(1));
    g.add(
      'MunitionCountReported',
      at(2),
      { incident_id: 'i-1', munitions: exact(4), source: src('s-b') },
      { id: 'm-2' },
    );
    g.add(
      'MunitionCountReported',
      at(2),
      { incident_id: 'i-1', munitions: exact(8), source: src('s-b2') },
      { id: 'm-1' },
    );
    expect(lbh(incident(project(g.events), 'i-1').munitions)).toBe('4 / 4 / 8');
  });

  it('is unknown (null) with no number at all, counted in munitions_unknown', () => {
    const g = world();
    report(g, 'i-1', at(1), { munitions: vague('rockets') });
    report(g, 'i-2', at(1));
    const p = project(g.events);
    expect([incident(p, 'i-1').munitions, incident(p, 'i-2').munitions]).toEqual([null, null]);
    expect(p.attack_counts.find((r) => r.grain === 'day' && r.geo_level === 'all')).toMatchObject({
      incidents: 2,
      munitions_unknown: 2,
      munitions_best: 0,
    });
  });

  it('flags vague_source when another current series has no number', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(g, 'v', at(2), I, seg('civilian', 'killed'), vague('a number of civilians'), 's-c');
    claim(g, 'n', at(3), I, seg('civilian', 'killed'), exact(2), 's-a');
    const f = figure(project(g.events), 'i-1', 'killed');
    expect([lbh(f ?? null), f?.vague_source]).toEqual(['2 / 2 / 2', true]);
    const only = figure(project(g.events, { asOf: at(2) }), 'i-1', 'killed');
    expect([lbh(only ?? null), only?.vague_source, only?.incomplete]).toEqual([
      '? / ? / ?',
      false,
      true,
    ]);
  });
});

describe('§5.5 adopted figure', () => {
  it('uses the latest adoption by time (ties by id) over the default', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(g, 'c', at(2), I, wounded, exact(4), 's-a');
    g.add(
      'CasualtyEstimateAdopted',
      at(4),
      { scope: I, segment: wounded, count: approx(1, 2, 3), policy: 'editorial' },
      { id: 'adopt-b' },
    );
    g.add(
      'CasualtyEstimateAdopted',
      at(4),
      { scope: I, segment: wounded, count: approx(5, 6, 7), policy: 'editorial' },
      { id: 'adopt-a' },
    );
    g.add('CasualtyEstimateAdopted', at(3), {
      scope: I,
      segment: wounded,
      count: approx(8, 9, 10),
      policy: 'editorial',
    });
    const f = figure(project(g.events));
    expect([lbh(f ?? null), f?.source, f?.adoption_event_id]).toEqual([
      '1 / 2 / 3',
      'adopted',
      'adopt-b',
    ]);
    expect(figure(project(g.events, { asOf: at(2) }))?.source).toBe('default');
  });

  it('takes side and affiliation from the adoption, or from what all claims share', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(
      g,
      'a',
      at(2),
      I,
      seg('militant', 'killed', undefined, { affiliation_actor_id: 'm-1' }),
      exact(2),
      's-a',
    );
    claim(
      g,
      'b',
      at(2),
      I,
      seg('militant', 'killed', undefined, { affiliation_actor_id: 'm-2' }),
      exact(3),
      's-b',
    );
    let f = figure(project(g.events), 'i-1', 'killed');
    expect([f?.side, f?.affiliation_actor_id]).toEqual(['target', null]);
    g.add('CasualtyEstimateAdopted', at(3), {
      scope: I,
      segment: seg('militant', 'killed', undefined, {
        side: 'attacker',
        affiliation_actor_id: 'm-3',
      }),
      count: exact(5),
      policy: 'editorial',
    });
    f = figure(project(g.events), 'i-1', 'killed');
    expect([f?.side, f?.affiliation_actor_id]).toEqual(['attacker', 'm-3']);
  });
});
