// spec check — §5.3 merges, merge chains, merge then reinstate, events addressed to a merged
// incident, retraction and reinstatement. Expected values by hand from events.md.
import { project } from '../index.js';
import {
  claim,
  exact,
  incident,
  lbh,
  minute,
  report,
  seg,
  src,
  tally,
  world,
} from '../fixtures.test.js';
import { expectOrderIndependent, figureOf, figures, seriesOf, t } from './helpers.test.js';

const K = 'civilian/killed/IRQ';
const killed = seg('civilian', 'killed', 'IRQ', { side: 'third_party' });
const merge = (into: string) => ({ into_incident_id: into, reason: 'duplicate_report' as const });

describe('spec §5.3 merge chains', () => {
  it('a → b → c: one source’s claims at a, b and c fold into one series at c in logical order', () => {
    // "Follow merges to the final survivor." "every claim recorded against it ... is read as a
    //  claim about the survivor and marked `via_merge`" ; §5.5 series "For each scope, key and
    //  information source ... take that source's claims in logical order"
    const g = world('mc');
    report(g, 'erb-a', t(1));
    report(g, 'erb-b', t(1));
    report(g, 'erb-c', t(1));
    claim(g, 'mc-1', t(2), { incident_id: 'erb-a' }, killed, exact(3), 's-a');
    claim(g, 'mc-2', t(3), { incident_id: 'erb-b' }, killed, exact(5), 's-a');
    claim(g, 'mc-3', t(4), { incident_id: 'erb-c' }, killed, exact(1), 's-a', { mode: 'delta' });
    g.add('IncidentMerged', t(6), { incident_id: 'erb-a', ...merge('erb-b') });
    g.add('IncidentMerged', t(7), { incident_id: 'erb-b', ...merge('erb-c') });
    let p = project(g.events);
    expect(
      p.incident_current.map((r) => [r.incident_id, r.status, r.merged_into, r.counted]),
    ).toEqual([
      ['erb-a', 'merged', 'erb-c', false],
      ['erb-b', 'merged', 'erb-c', false],
      ['erb-c', 'active', null, true],
    ]);
    // s-a at erb-c: total 3, total 5, delta +1 → 6; a series starting with a total
    expect(seriesOf(p, 'erb-c', `casualties:${K}`)).toEqual([['s-a', '6 / 6 / 6', false]]);
    expect(figureOf(p, { incident_id: 'erb-c' }, K)).toMatchObject({ best: 6, via_merge: true });
    expect(tally(p, 'overall')).toEqual({ [K]: '6 / 6 / 6' });
    // the chain's timeline ends at the final survivor (decisions.md)
    expect(
      p.incident_timeline
        .filter((r) => r.incident_id === 'erb-c' && r.via_merge)
        .map((r) => r.event_id),
    ).toEqual(['mc-004', 'mc-005', 'mc-007', 'mc-008', 'mc-010']);
    expectOrderIndependent(g.events, [undefined, t(6)]);

    // b reinstated: a's chain now stops at b; c keeps only its own delta
    g.add('IncidentReinstated', t(8), { incident_id: 'erb-b', reason: 'distinct attack' });
    p = project(g.events);
    expect(p.incident_current.map((r) => [r.incident_id, r.status, r.merged_into])).toEqual([
      ['erb-a', 'merged', 'erb-b'],
      ['erb-b', 'active', null],
      ['erb-c', 'active', null],
    ]);
    expect(figures(p, 'erb-b')).toEqual({ [K]: '5 / 5 / 5' });
    expect(seriesOf(p, 'erb-c', `casualties:${K}`)).toEqual([['s-a', '1 / 1 / 1', true]]);
    expect(tally(p, 'overall')).toEqual({ [K]: '6 / 6 / 6' });
    expectOrderIndependent(g.events, [undefined, t(7)]);
  });

  it('merge, reinstate, then merge into another incident: only the last survivor gets the claims', () => {
    const g = world('mr');
    for (const id of ['hit-a', 'hit-b', 'hit-c']) report(g, id, t(1));
    claim(g, 'mr-1', t(2), { incident_id: 'hit-a' }, killed, exact(2), 's-b');
    g.add('IncidentMerged', t(3), { incident_id: 'hit-a', ...merge('hit-b') });
    g.add('IncidentReinstated', t(4), { incident_id: 'hit-a', reason: 'not the same' });
    g.add('IncidentMerged', t(5), { incident_id: 'hit-a', ...merge('hit-c') });
    const p = project(g.events);
    expect(incident(p, 'hit-a')).toMatchObject({ status: 'merged', merged_into: 'hit-c' });
    expect(figures(p, 'hit-b')).toEqual({});
    expect(figures(p, 'hit-c')).toEqual({ [K]: '2 / 2 / 2' });
    const at3 = project(g.events, { asOf: t(3) });
    expect(figures(at3, 'hit-b')).toEqual({ [K]: '2 / 2 / 2' });
    const at4 = project(g.events, { asOf: t(4) });
    expect(figures(at4, 'hit-a')).toEqual({ [K]: '2 / 2 / 2' });
    expect(incident(at4, 'hit-a')).toMatchObject({ status: 'active', counted: true });
    expectOrderIndependent(g.events, [undefined, t(3), t(4)]);
  });

  it('a merge into an incident that is later retracted counts nothing; reinstating the survivor brings both back', () => {
    // "Only `active` incidents enter counts and tallies."
    const g = world('mx');
    report(g, 'ana-a', t(1), { munitions: exact(4) });
    report(g, 'ana-b', t(1));
    claim(g, 'mx-1', t(2), { incident_id: 'ana-a' }, killed, exact(3), 's-a');
    g.add('IncidentMerged', t(3), { incident_id: 'ana-a', ...merge('ana-b') });
    g.add('IncidentRetracted', t(4), { incident_id: 'ana-b', reason: 'did_not_occur' });
    let p = project(g.events);
    expect(incident(p, 'ana-a')).toMatchObject({ status: 'merged', merged_into: 'ana-b' });
    expect(incident(p, 'ana-b')).toMatchObject({ status: 'retracted', counted: false });
    expect(tally(p, 'overall')).toEqual({});
    expect(p.attack_counts).toEqual([]);
    g.add('IncidentReinstated', t(5), { incident_id: 'ana-b', reason: 'did occur' });
    p = project(g.events);
    expect(tally(p, 'overall')).toEqual({ [K]: '3 / 3 / 3' });
    expect(lbh(incident(p, 'ana-b').munitions)).toBe('4 / 4 / 4');
    expect(
      p.attack_counts.filter((r) => r.geo_level === 'all').map((r) => [r.grain, r.incidents]),
    ).toEqual([
      ['day', 1],
      ['week', 1],
      ['month', 1],
    ]);
    expectOrderIndependent(g.events, [undefined, t(4)]);
  });
});

describe('spec §5.3 events addressed to a merged incident', () => {
  it('claims, munitions, attribution, responsibility and links sent to the duplicate after the merge land on the survivor; its adoption is ignored', () => {
    // "Once the merged incident is reported, every claim recorded against it (munitions,
    //  interceptions, damage, casualty claims, attribution, responsibility, response links) is
    //  read as a claim about the survivor and marked `via_merge`. The merged incident's own
    //  time, place and adopted estimates are ignored."
    const g = world('ma');
    report(g, 'mos-dup', t(1), { time: minute('2025-03-01T08:00:00Z') });
    report(g, 'mos-main', t(1), { time: minute('2025-03-01T09:30:00Z') });
    report(g, 'mos-resp', t(1), { time: minute('2025-03-01T12:00:00Z') });
    g.add('IncidentMerged', t(2), { incident_id: 'mos-dup', ...merge('mos-main') });
    claim(g, 'ma-1', t(3), { incident_id: 'mos-dup' }, killed, exact(2), 's-b');
    claim(g, 'ma-2', t(3), { incident_id: 'mos-main' }, killed, exact(4), 's-a');
    g.add('MunitionCountReported', t(3), {
      incident_id: 'mos-dup',
      munitions: exact(12),
      source: src('s-b'),
    });
    g.add('AttributionAsserted', t(3), {
      assertion_id: 'ma-as',
      incident_id: 'mos-dup',
      actor_id: 'grp-x',
      role: 'perpetrator',
      basis: 'media',
      likelihood: 'very_likely',
      source: src('s-b'),
    });
    g.add('ResponsibilityDenied', t(3), {
      incident_id: 'mos-dup',
      actor_id: 'grp-y',
      source: src('s-c'),
    });
    g.add('CasualtyEstimateAdopted', t(4), {
      scope: { incident_id: 'mos-dup' },
      segment: killed,
      count: exact(50),
      policy: 'editorial',
    });
    g.add('ResponseLinked', t(4), {
      link_id: 'ma-link',
      trigger_incident_ids: ['mos-dup'],
      response_incident_ids: ['mos-resp'],
      basis: 'analyst',
      likelihood: 'likely',
      source: src('s-a'),
    });
    const p = project(g.events);
    const main = incident(p, 'mos-main');
    expect(figureOf(p, { incident_id: 'mos-main' }, K)).toMatchObject({
      low: 2,
      best: 4,
      high: 4,
      source: 'default',
      via_merge: true,
    });
    expect(main.munitions).toMatchObject({ best: 12, via_merge: true });
    expect([main.top_perpetrator, main.top_perpetrator_likelihood, main.denied_by]).toEqual([
      'grp-x',
      'very_likely',
      ['grp-y'],
    ]);
    expect(main.has_discrepancy).toBe(true);
    expect(incident(p, 'mos-dup')).toMatchObject({
      casualties: [],
      munitions: null,
      top_perpetrator: null,
    });
    // the edge starts from the survivor, lag from the survivor's start (09:30 → 12:00)
    expect(
      p.response_graph.map((e) => [
        e.trigger_incident_id,
        e.response_id,
        e.lag_minutes,
        e.via_merge,
      ]),
    ).toEqual([['mos-main', 'mos-resp', 150, true]]);
    expect(tally(p, 'overall')).toEqual({ [K]: '2 / 4 / 4' });
    // attack_counts: one incident (the survivor) with the survivor's perpetrator
    expect(
      p.attack_counts
        .filter((r) => r.geo_level === 'all' && r.grain === 'day')
        .map((r) => [r.perpetrator, r.incidents, r.munitions_best]),
    ).toEqual([
      ['', 1, 0],
      ['grp-x', 1, 12],
    ]);
    expectOrderIndependent(g.events, [undefined, t(3)]);
  });

  it('a claim retraction addressed to the merged incident still retracts the claim (by id)', () => {
    // §5.2 "A supersession, retraction, reassignment, merge or withdrawal that arrives before its
    //  target still applies to it." ; CasualtyClaimRetracted.scope "only fixes the subject"
    const g = world('mt');
    report(g, 'tik-a', t(1));
    report(g, 'tik-b', t(1));
    claim(g, 'mt-1', t(2), { incident_id: 'tik-a' }, killed, exact(3), 's-a');
    g.add('IncidentMerged', t(3), { incident_id: 'tik-a', ...merge('tik-b') });
    g.add('CasualtyClaimRetracted', t(4), {
      claim_id: 'mt-1',
      scope: { incident_id: 'tik-b' },
      reason: 'wrong',
    });
    const p = project(g.events);
    expect(figures(p, 'tik-b')).toEqual({});
    expect(tally(p, 'overall')).toEqual({});
    expect(figures(project(g.events, { asOf: t(3) }), 'tik-b')).toEqual({ [K]: '3 / 3 / 3' });
    expectOrderIndependent(g.events, [undefined, t(3)]);
  });
});

describe('spec §5.3 lifecycle in logical order', () => {
  it('retract → reinstate → retract, listed in reverse, ends retracted; as-of follows each step', () => {
    // "After that, the latest lifecycle event in logical order decides"
    const g = world('lc');
    g.add('IncidentRetracted', t(6), { incident_id: 'ram-1', reason: 'misdated' });
    g.add('IncidentReinstated', t(4), { incident_id: 'ram-1', reason: 'confirmed' });
    g.add('IncidentRetracted', t(3), { incident_id: 'ram-1', reason: 'did_not_occur' });
    claim(g, 'lc-1', t(2), { incident_id: 'ram-1' }, killed, exact(1), 's-a');
    report(g, 'ram-1', t(2));
    const status = (asOf?: string) =>
      project(g.events, asOf === undefined ? {} : { asOf }).incident_current.find(
        (r) => r.incident_id === 'ram-1',
      )?.status;
    expect([status(t(1)), status(t(2)), status(t(3)), status(t(5)), status()]).toEqual([
      undefined, // no event names ram-1 yet
      'active',
      'retracted',
      'active',
      'retracted',
    ]);
    expect(tally(project(g.events, { asOf: t(5) }), 'overall')).toEqual({ [K]: '1 / 1 / 1' });
    expect(tally(project(g.events), 'overall')).toEqual({});
    expectOrderIndependent(g.events, [undefined, t(3), t(5)]);
  });

  it('a retraction at the same instant as a reinstatement is ordered by event id', () => {
    // §5.2 logical order: "`time` compared as an instant, then `id`, then `source`"
    const g = world('li');
    report(g, 'ram-2', t(1));
    g.add(
      'IncidentRetracted',
      t(3),
      { incident_id: 'ram-2', reason: 'out_of_scope' },
      { id: 'z-retract' },
    );
    g.add(
      'IncidentReinstated',
      t(3),
      { incident_id: 'ram-2', reason: 'in scope' },
      { id: 'a-reinstate' },
    );
    expect(incident(project(g.events), 'ram-2').status).toBe('retracted');
    expectOrderIndependent(g.events);
  });
});
