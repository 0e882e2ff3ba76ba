// §5.3 incident lifecycle and merges.
import { project } from '../index.js';
import { claim, exact, incident, report, seg, src, tally, world } from '../fixtures.test.js';
import { at } from '../scenarios.test.js';

const wounded = seg('service_member', 'wounded', 'USA');

describe('§5.3 status', () => {
  it('is unreported until IncidentReported arrives; a claim alone creates the row (§5.2)', () => {
    const g = world();
    claim(g, 'c1', at(2), { incident_id: 'i-1' }, wounded, exact(3), 's-a');
    expect(incident(project(g.events), 'i-1')).toMatchObject({
      status: 'unreported',
      counted: false,
      kind: null,
    });
    expect(tally(project(g.events), 'overall')).toEqual({});
    report(g, 'i-1', at(5));
    expect(incident(project(g.events), 'i-1')).toMatchObject({
      status: 'active',
      counted: true,
      kind: 'attack',
    });
    expect(tally(project(g.events), 'overall')).toEqual({
      'service_member/wounded/USA': '3 / 3 / 3',
    });
  });

  it('follows the latest lifecycle event in logical order, even when it precedes the report', () => {
    const g = world();
    g.add('IncidentReinstated', at(4), { incident_id: 'i-1', reason: 'r' });
    g.add('IncidentRetracted', at(3), { incident_id: 'i-1', reason: 'did_not_occur' });
    expect(incident(project(g.events), 'i-1').status).toBe('unreported');
    report(g, 'i-1', at(6));
    expect(incident(project(g.events), 'i-1').status).toBe('active');
    g.add('IncidentRetracted', at(5), { incident_id: 'i-1', reason: 'out_of_scope' });
    expect(incident(project(g.events), 'i-1').status).toBe('retracted');
    expect(incident(project(g.events, { asOf: at(4) }), 'i-1').status).toBe('unreported');
  });

  it('breaks ties at the same instant by event id', () => {
    const g = world();
    report(g, 'i-1', at(2));
    g.add(
      'IncidentRetracted',
      at(3),
      { incident_id: 'i-1', reason: 'did_not_occur' },
      { id: 'b-retract' },
    );
    g.add('IncidentReinstated', at(3), { incident_id: 'i-1', reason: 'r' }, { id: 'a-reinstate' });
    expect(incident(project(g.events), 'i-1').status).toBe('retracted');
  });

  it('keeps a retracted incident row and its timeline but counts nothing', () => {
    const g = world();
    report(g, 'i-1', at(2), { munitions: exact(4) });
    claim(g, 'c1', at(2), { incident_id: 'i-1' }, wounded, exact(3), 's-a');
    g.add('IncidentRetracted', at(3), { incident_id: 'i-1', reason: 'did_not_occur' });
    const p = project(g.events);
    expect(incident(p, 'i-1')).toMatchObject({ status: 'retracted', counted: false });
    expect(p.incident_timeline.filter((t) => t.incident_id === 'i-1')).toHaveLength(3);
    expect(p.attack_counts).toEqual([]);
    expect(p.casualty_tally).toEqual([]);
  });
});

describe('§5.3 effective fields', () => {
  it('overlays amendments in logical order, even one older than the report; null removes a field', () => {
    const g = world();
    g.add('IncidentAmended', at(5), {
      incident_id: 'i-1',
      changes: { platform: null, method: 'mortar' },
      reason: 'r',
      source: src('s-a'),
    });
    g.add('IncidentAmended', at(1, 6), {
      incident_id: 'i-1',
      changes: { platform: 'early', kind: 'other' },
      reason: 'r',
      source: src('s-a'),
    });
    g.add('IncidentAmended', at(4), {
      incident_id: 'i-1',
      changes: { method: 'artillery', cameo_code: '190' },
      reason: 'r',
      source: src('s-a'),
    });
    report(g, 'i-1', at(2), { platform: 'truck', operation_id: 'op-1' });
    const r = incident(project(g.events), 'i-1');
    expect([r.kind, r.method, r.platform, r.cameo_code, r.operation_id, r.amendment_count]).toEqual(
      ['other', 'mortar', null, '190', 'op-1', 3],
    );
    expect(incident(project(g.events, { asOf: at(4) }), 'i-1')).toMatchObject({
      method: 'artillery',
      platform: 'early',
    });
  });

  it('resolves the place from the site registration, the incident winning field by field (§3.3)', () => {
    const g = world();
    g.add('SiteRegistered', at(1), {
      site_id: 'base',
      names: ['Base'],
      kind: 'base',
      place: {
        name: 'Base',
        country_iso3: 'IRQ',
        admin1: 'Anbar',
        lat: 33,
        lon: 43,
        precision: 'site',
      },
    });
    report(g, 'i-1', at(2), { place: { site_id: 'base', admin2: 'Hit', precision: 'near_site' } });
    report(g, 'i-2', at(2), {
      place: { site_id: 'base', name: 'gate', lat: 1, lon: 2, precision: 'site' },
    });
    const p = project(g.events);
    expect(incident(p, 'i-1')).toMatchObject({
      place_precision: 'near_site',
      site_id: 'base',
      site_registered: true,
      place_name: 'Base',
      country_iso3: 'IRQ',
      admin1: 'Anbar',
      admin2: 'Hit',
      lat: 33,
      lon: 43,
    });
    expect(incident(p, 'i-2')).toMatchObject({
      place_name: 'gate',
      country_iso3: 'IRQ',
      lat: 1,
      lon: 2,
    });
  });
});

describe('§5.3 merges', () => {
  it('follows merges to the final survivor and reads every claim of the merged incident as the survivor’s', () => {
    const g = world();
    report(g, 'a', at(2), { munitions: exact(3) });
    report(g, 'b', at(2));
    report(g, 'c', at(2), { munitions: exact(9), source: src('s-b') });
    g.add('IncidentMerged', at(3), {
      incident_id: 'a',
      into_incident_id: 'b',
      reason: 'duplicate_report',
    });
    g.add('IncidentMerged', at(4), {
      incident_id: 'b',
      into_incident_id: 'c',
      reason: 'duplicate_report',
    });
    claim(g, 'ca', at(2), { incident_id: 'a' }, wounded, exact(2), 's-a');
    g.add('InterceptionReported', at(2), {
      incident_id: 'a',
      intercepted: exact(1),
      source: src('s-a'),
    });
    g.add('DamageReported', at(2), {
      incident_id: 'a',
      object: 'vehicle',
      extent: 'minor',
      source: src('s-a'),
    });
    g.add('AttributionAsserted', at(2), {
      assertion_id: 'as',
      incident_id: 'a',
      actor_id: 'x',
      role: 'perpetrator',
      basis: 'media',
      likelihood: 'likely',
      source: src('s-a'),
    });
    g.add('ResponsibilityClaimed', at(2), { incident_id: 'a', actor_id: 'y', source: src('s-a') });
    g.add('ResponseLinked', at(2), {
      link_id: 'l',
      trigger_incident_ids: ['a'],
      response_incident_ids: ['b'],
      basis: 'media',
      likelihood: 'likely',
      source: src('s-a'),
    });
    const p = project(g.events);
    expect([
      incident(p, 'a').status,
      incident(p, 'a').merged_into,
      incident(p, 'b').merged_into,
    ]).toEqual(['merged', 'c', 'c']);
    const c = incident(p, 'c');
    expect(c.munitions).toMatchObject({ low: 3, best: 3, high: 9, via_merge: true });
    expect(c.intercepted).toMatchObject({ best: 1, via_merge: true });
    expect(c.casualties).toMatchObject([{ role: 'service_member', best: 2, via_merge: true }]);
    expect(c.damage).toMatchObject([{ object: 'vehicle', via_merge: true }]);
    expect([c.top_perpetrator, c.claimed_by]).toEqual(['x', ['y']]);
    expect(
      p.response_graph.map((e) => [e.trigger_incident_id, e.response_id, e.via_merge]),
    ).toEqual([['c', 'c', true]]);
    expect(p.attack_counts.filter((r) => r.geo_level === 'all' && r.grain === 'day')).toMatchObject(
      [{ incidents: 1 }],
    );
  });

  it('ignores the merged incident’s own time, place and adopted estimates', () => {
    const g = world();
    report(g, 'dup', at(2), {
      time: { local_date: '2024-02-10', tz: 'UTC', precision: 'day' },
      place: { name: 'x', country_iso3: 'IRQ', admin1: 'Anbar', precision: 'adm1' },
    });
    report(g, 'main', at(2));
    g.add('CasualtyEstimateAdopted', at(3), {
      scope: { incident_id: 'dup' },
      segment: wounded,
      count: exact(50),
      policy: 'editorial',
    });
    claim(g, 'c1', at(2), { incident_id: 'dup' }, wounded, exact(2), 's-a');
    g.add('IncidentMerged', at(4), {
      incident_id: 'dup',
      into_incident_id: 'main',
      reason: 'duplicate_report',
    });
    const p = project(g.events);
    expect(tally(p, 'overall')).toEqual({ 'service_member/wounded/USA': '2 / 2 / 2' });
    expect(new Set(p.attack_counts.map((r) => r.period))).toEqual(
      new Set(['2024-01-02', '2024-W01', '2024-01']),
    );
    expect(p.attack_counts.some((r) => r.geo_key === 'IRQ')).toBe(false);
  });

  it('applies a merge only once the merged incident is reported', () => {
    const g = world();
    report(g, 'main', at(2));
    g.add('IncidentMerged', at(3), {
      incident_id: 'dup',
      into_incident_id: 'main',
      reason: 'duplicate_report',
    });
    claim(g, 'c1', at(3), { incident_id: 'dup' }, wounded, exact(2), 's-a');
    const before = project(g.events);
    expect(incident(before, 'dup')).toMatchObject({ status: 'unreported', merged_into: null });
    expect(incident(before, 'main').casualties).toEqual([]);
    report(g, 'dup', at(6));
    const after = project(g.events);
    expect(incident(after, 'dup')).toMatchObject({ status: 'merged', merged_into: 'main' });
    expect(incident(after, 'main').casualties).toMatchObject([{ best: 2, via_merge: true }]);
  });

  it('undoes a merge on reinstatement', () => {
    const g = world();
    report(g, 'a', at(2));
    report(g, 'b', at(2));
    claim(g, 'c1', at(2), { incident_id: 'a' }, wounded, exact(2), 's-a');
    g.add('IncidentMerged', at(3), {
      incident_id: 'a',
      into_incident_id: 'b',
      reason: 'duplicate_report',
    });
    g.add('IncidentReinstated', at(4), { incident_id: 'a', reason: 'distinct after all' });
    const p = project(g.events);
    expect(incident(p, 'a')).toMatchObject({ status: 'active', merged_into: null });
    expect(tally(p, 'incident', 'a')).toEqual({ 'service_member/wounded/USA': '2 / 2 / 2' });
    expect(tally(project(g.events, { asOf: at(3) }), 'incident', 'b')).toEqual({
      'service_member/wounded/USA': '2 / 2 / 2',
    });
  });

  it('counts every incident in a merge loop, or reaching one, as retracted and flags it', () => {
    const g = world();
    for (const id of ['a', 'b', 'c', 'd']) report(g, id, at(2));
    g.add('IncidentMerged', at(3), {
      incident_id: 'a',
      into_incident_id: 'b',
      reason: 'duplicate_report',
    });
    g.add('IncidentMerged', at(3), {
      incident_id: 'b',
      into_incident_id: 'a',
      reason: 'duplicate_report',
    });
    g.add('IncidentMerged', at(3), {
      incident_id: 'c',
      into_incident_id: 'a',
      reason: 'duplicate_report',
    });
    const p = project(g.events);
    expect(
      p.incident_current.map((r) => [
        r.incident_id,
        r.status,
        r.merge_loop,
        r.merged_into,
        r.counted,
      ]),
    ).toEqual([
      ['a', 'retracted', true, null, false],
      ['b', 'retracted', true, null, false],
      ['c', 'retracted', true, null, false],
      ['d', 'active', false, null, true],
    ]);
    expect(p.attack_counts.find((r) => r.grain === 'day' && r.geo_level === 'all')?.incidents).toBe(
      1,
    );
  });
});

describe('§5.3 operations', () => {
  it('has as members the active incidents whose effective operation_id is it, and counts while it has one', () => {
    const g = world();
    report(g, 'a', at(2), { operation_id: 'op' });
    report(g, 'b', at(2), { operation_id: 'op' });
    report(g, 'c', at(2));
    g.add('IncidentAmended', at(3), {
      incident_id: 'c',
      changes: { operation_id: 'op' },
      reason: 'r',
      source: src('s-a'),
    });
    g.add('IncidentAmended', at(3), {
      incident_id: 'b',
      changes: { operation_id: null },
      reason: 'r',
      source: src('s-a'),
    });
    g.add('IncidentRetracted', at(3), { incident_id: 'a', reason: 'did_not_occur' });
    claim(g, 'op-claim', at(2), { operation_id: 'op' }, seg('militant', 'killed'), exact(9), 's-a');
    let p = project(g.events);
    expect(p.operations.map((o) => [o.operation_id, o.member_incident_ids, o.counted])).toEqual([
      ['op', ['c'], true],
    ]);
    expect(tally(p, 'overall')).toEqual({ 'militant/killed/': '9 / 9 / 9' });
    g.add('IncidentRetracted', at(4), { incident_id: 'c', reason: 'did_not_occur' });
    p = project(g.events);
    expect(p.operations.map((o) => [o.member_incident_ids, o.counted])).toEqual([[[], false]]);
    expect(tally(p, 'overall')).toEqual({});
    expect(tally(p, 'operation', 'op')).toEqual({});
  });
});
