// §5.1 idempotency, §5.2 order and duplicates, §5.7 as-of, §5.8 unregistered references.
import { project, ProjectionError } from '../index.js';
import { claim, exact, incident, report, seg, src, tally, world } from '../fixtures.test.js';
import { at } from '../scenarios.test.js';

const wounded = seg('service_member', 'wounded', 'USA');

describe('§5.1 idempotency', () => {
  it('counts the same (source, id) once, whatever its trace context', () => {
    const g = world();
    report(g, 'i-1', at(1));
    const c = claim(g, 'c', at(2), { incident_id: 'i-1' }, wounded, exact(2), 's-a');
    const again = {
      ...structuredClone(c),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    const p = project([...g.events, again, structuredClone(c)]);
    expect(p).toEqual(project(g.events));
    expect(p.rejected).toEqual([]);
  });

  it('applies the variant whose canonical JSON sorts first and rejects the others, in any arrival order', () => {
    const g = world();
    report(g, 'i-1', at(1));
    const base = g.events.slice();
    const v1 = claim(
      g,
      'c',
      at(2),
      { incident_id: 'i-1' },
      wounded,
      exact(9),
      's-a',
      {},
      { id: 'dup' },
    );
    const v2 = { ...structuredClone(v1), data: { ...v1.data, count: exact(1) } };
    const v3 = { ...structuredClone(v1), time: at(9) };
    for (const order of [
      [v1, v2, v3],
      [v3, v2, v1],
      [v2, v3, v1],
    ]) {
      const p = project([...base, ...order]);
      expect(tally(p, 'overall')).toEqual({ 'service_member/wounded/USA': '1 / 1 / 1' });
      expect(p.rejected.map((r) => [r.id, r.code, r.time])).toEqual([
        ['dup', 'CONFLICTING_DUPLICATE', at(2)],
        ['dup', 'CONFLICTING_DUPLICATE', at(9)],
      ]);
    }
  });

  it('keys idempotency on (source, id): the same id from another feed is another event', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(g, 'c1', at(2), { incident_id: 'i-1' }, wounded, exact(2), 's-a', {}, { id: 'same' });
    const other = {
      ...structuredClone(g.events[4]!),
      source: '/feeds/other',
      data: { ...(g.events[4]!.data as object), claim_id: 'c2', source: src('s-b') },
    };
    const p = project([...g.events, other as (typeof g.events)[number]]);
    expect(p.rejected).toEqual([]);
    expect(
      p.source_discrepancies.find((d) => d.scope_id === 'i-1')?.series.map((s) => s.source_id),
    ).toEqual(['s-a', 's-b']);
  });
});

describe('§5.2 duplicates and registrations', () => {
  it('lets the first entity creation in logical order win; the later one only shows in the timeline', () => {
    const g = world();
    report(g, 'i-1', at(3), { method: 'mortar', munitions: exact(9) }, { id: 'first-listed' });
    report(g, 'i-1', at(2), { method: 'rocket' }, { id: 'second-listed' });
    claim(
      g,
      'c',
      at(4),
      { incident_id: 'i-1' },
      wounded,
      exact(5),
      's-a',
      {},
      { id: 'claim-late' },
    );
    claim(
      g,
      'c',
      at(3),
      { incident_id: 'i-1' },
      wounded,
      exact(2),
      's-b',
      {},
      { id: 'claim-early' },
    );
    g.add('AttributionAsserted', at(5), {
      assertion_id: 'as',
      incident_id: 'i-1',
      actor_id: 'late',
      role: 'perpetrator',
      basis: 'media',
      likelihood: 'almost_certain',
      source: src('s-a'),
    });
    g.add('AttributionAsserted', at(4), {
      assertion_id: 'as',
      incident_id: 'i-1',
      actor_id: 'early',
      role: 'perpetrator',
      basis: 'media',
      likelihood: 'unlikely',
      source: src('s-a'),
    });
    const p = project(g.events);
    const r = incident(p, 'i-1');
    expect([
      r.method,
      r.munitions,
      r.report_event_id,
      r.duplicate_report_count,
      r.top_perpetrator,
    ]).toEqual(['rocket', null, 'second-listed', 1, 'early']);
    expect(tally(p, 'overall')).toEqual({ 'service_member/wounded/USA': '2 / 2 / 2' });
    expect(p.incident_timeline.filter((t) => t.duplicate_entity).map((t) => t.event_id)).toEqual([
      'first-listed',
      'claim-late',
      g.events[7]!.id,
    ]);
  });

  it('replaces a re-sent registration; reliability is the latest registration or rating', () => {
    const g = world();
    g.add('SourceReliabilityRated', at(2), { source_id: 's-a', reliability: 'E' });
    g.add('SourceRegistered', at(3), {
      source_id: 's-a',
      name: 'renamed',
      kind: 'wire',
      scale: 'International',
      reliability: 'C',
    });
    g.add('ActorRegistered', at(2), { actor_id: 'x', name: 'X one', actor_type: 2 });
    g.add('ActorRegistered', at(1), { actor_id: 'x', name: 'X zero', actor_type: 3 });
    const p = project(g.events);
    expect(p.sources.find((s) => s.source_id === 's-a')).toMatchObject({
      name: 'renamed',
      reliability: 'C',
    });
    expect(
      project(g.events, { asOf: at(2) }).sources.find((s) => s.source_id === 's-a'),
    ).toMatchObject({ name: 's-a', reliability: 'E' });
    expect(p.actors).toMatchObject([{ actor_id: 'x', name: 'X one', actor_type: 2 }]);
  });
});

describe('§5.7 as-of', () => {
  it('evaluates over the events with time ≤ asOf, including ones delivered late', () => {
    const g = world();
    report(g, 'i-1', at(1));
    claim(g, 'c1', at(2), { incident_id: 'i-1' }, wounded, exact(2), 's-a');
    claim(g, 'c2', at(4), { incident_id: 'i-1' }, wounded, exact(1), 's-a', { mode: 'delta' });
    expect(tally(project(g.events, { asOf: at(3) }), 'overall')).toEqual({
      'service_member/wounded/USA': '2 / 2 / 2',
    });
    expect(tally(project(g.events, { asOf: at(4) }), 'overall')).toEqual({
      'service_member/wounded/USA': '3 / 3 / 3',
    });
    // a late-delivered correction recorded upstream at 03:00 changes the answer for at(3)
    g.add('CasualtyReported', at(3), {
      claim_id: 'c0',
      scope: { incident_id: 'i-1' },
      segment: wounded,
      count: exact(7),
      mode: 'total',
      supersedes_claim_id: 'c1',
      source: src('s-a'),
    });
    expect(tally(project(g.events, { asOf: at(3) }), 'overall')).toEqual({
      'service_member/wounded/USA': '7 / 7 / 7',
    });
  });

  it('compares instants exactly, whatever the fractional digits', () => {
    const g = world();
    report(g, 'i-1', '2024-01-02T00:00:00.000001Z');
    expect(project(g.events, { asOf: '2024-01-02T00:00:00Z' }).incident_current).toEqual([]);
    expect(
      project(g.events, { asOf: '2024-01-02T00:00:00.000001Z' }).incident_current,
    ).toHaveLength(1);
    expect(
      project(g.events, { asOf: '2024-01-02T00:00:00.00000100Z' }).incident_current,
    ).toHaveLength(1);
  });
});

describe('§5.8 unregistered references', () => {
  it('accepts them, shows registered: false and lists them as unresolved until they arrive', () => {
    const g = world();
    report(g, 'i-1', at(1), {
      place: { site_id: 'base', precision: 'site' },
      source: src('s-new'),
      target: { target_actor_id: 'tgt' },
    });
    g.add('ResponseLinked', at(2), {
      link_id: 'l',
      trigger_incident_ids: ['i-1'],
      response_incident_ids: ['i-later'],
      basis: 'media',
      likelihood: 'likely',
      source: src('s-a'),
    });
    const p = project(g.events);
    expect(p.sources.find((s) => s.source_id === 's-new')).toMatchObject({
      registered: false,
      reliability: 'F',
    });
    expect(p.sites).toMatchObject([{ site_id: 'base', registered: false, country_iso3: null }]);
    expect(p.actors).toMatchObject([{ actor_id: 'tgt', registered: false }]);
    expect(incident(p, 'i-1')).toMatchObject({
      site_registered: false,
      country_iso3: null,
      admin1: null,
    });
    expect(incident(p, 'i-1').unresolved).toEqual([
      'actor/tgt',
      'incident/i-later',
      'site/base',
      'source/s-new',
    ]);
    expect(incident(p, 'i-later').status).toBe('unreported');
    report(g, 'i-later', at(3));
    g.add('SourceRegistered', at(3), {
      source_id: 's-new',
      name: 'n',
      kind: 'wire',
      scale: 'Local',
      reliability: 'B',
    });
    expect(incident(project(g.events), 'i-1').unresolved).toEqual(['actor/tgt', 'site/base']);
  });
});

describe('arguments', () => {
  it('rejects an asOf that is not an instant with a coded error', () => {
    expect(() => project([], { asOf: 'yesterday' })).toThrow(ProjectionError);
    try {
      project([], { asOf: 'yesterday' });
    } catch (e) {
      expect((e as ProjectionError).code).toBe('INVALID_AS_OF');
    }
  });
});

describe('§5.2 a duplicate entity contributes nothing', () => {
  it('creates no source, actor, site or operation rows and no unresolved references', () => {
    const g = world();
    report(g, 'i-1', at(1));
    report(g, 'i-1', at(2), {
      operation_id: 'op-x',
      place: { site_id: 'ghost-site', precision: 'site' },
      source: src('ghost-src'),
      target: { target_actor_id: 'ghost-actor' },
    });
    const p = project(g.events);
    expect([p.operations, p.sites, p.actors, p.sources.map((s) => s.source_id)]).toEqual([
      [],
      [],
      [],
      ['s-a', 's-b', 's-c'],
    ]);
    expect(incident(p, 'i-1')).toMatchObject({ unresolved: [], duplicate_report_count: 1 });
    expect(p.incident_timeline.map((t) => t.duplicate_entity)).toEqual([false, true]);
  });
});

describe('§5.2 events that arrive before their targets', () => {
  it('applies a merge received before either incident is reported', () => {
    const g = world();
    g.add('IncidentMerged', at(1), {
      incident_id: 'dup',
      into_incident_id: 'main',
      reason: 'duplicate_report',
    });
    report(g, 'dup', at(3), { munitions: exact(4) });
    report(g, 'main', at(4));
    const p = project(g.events);
    expect(incident(p, 'dup')).toMatchObject({ status: 'merged', merged_into: 'main' });
    expect(incident(p, 'main').munitions).toMatchObject({ best: 4, via_merge: true });
    expect(incident(project(g.events, { asOf: at(3) }), 'main').status).toBe('unreported');
  });

  it('keeps the first ResponseLinked and SeedDocumentIngested of an id in logical order', () => {
    const g = world();
    report(g, 'a', at(1));
    report(g, 'b', at(1));
    g.add('ResponseLinked', at(3), {
      link_id: 'l',
      trigger_incident_ids: ['b'],
      response_incident_ids: ['a'],
      basis: 'media',
      likelihood: 'unlikely',
      source: src('s-b'),
    });
    g.add('ResponseLinked', at(2), {
      link_id: 'l',
      trigger_incident_ids: ['a'],
      response_incident_ids: ['b'],
      basis: 'analyst',
      likelihood: 'likely',
      source: src('s-a'),
    });
    g.add('SeedDocumentIngested', at(3), {
      doc_id: 'd',
      published_at: '2024-01-03',
      extracted_claims: [{ text: 'late', event_ids: ['x'] }],
      source: src('s-a'),
    });
    g.add('SeedDocumentIngested', at(2), {
      doc_id: 'd',
      published_at: '2024-01-02',
      extracted_claims: [{ text: 'early', event_ids: ['y'] }],
      source: src('s-a'),
    });
    const p = project(g.events);
    expect(p.response_graph.map((e) => [e.trigger_incident_id, e.response_id, e.basis])).toEqual([
      ['a', 'b', 'analyst'],
    ]);
    expect(p.documents.map((d) => [d.doc_id, d.published_at])).toEqual([['d', '2024-01-02']]);
    expect(
      p.incident_timeline.filter((t) => t.duplicate_entity).map((t) => [t.incident_id, t.type]),
    ).toEqual([
      ['a', 'ResponseLinked'],
      ['b', 'ResponseLinked'],
    ]);
  });
});
