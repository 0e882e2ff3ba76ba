// spec check — §5.5 casualty series: totals vs deltas, supersession, reassignment, default figure
// (low/best/high), vague sources, adoptions, discrepancies. Expected values by hand from events.md.
import { project } from '../index.js';
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
import { expectOrderIndependent, figureOf, figures, seriesOf, t } from './helpers.test.js';

const W = 'service_member/wounded/USA';
const wounded = seg('service_member', 'wounded', 'USA', { affiliation_actor_id: 'us-forces' });
const FIELD = `casualties:${W}`;

describe('spec §5.5 deltas and their base', () => {
  it('a delta reassigned onto another incident adds to that source’s total there', () => {
    // "A `delta` adds to the same source's figure for the same scope and segment key"
    // "The scope is `CasualtyReported.scope`, replaced by the `to_incident_id` of the latest
    //  `CasualtyClaimReassigned` for the claim in logical order"
    const g = world('dr');
    report(g, 'tal-1', t(1));
    report(g, 'tal-2', t(1));
    claim(g, 'tal-c1', t(2), { incident_id: 'tal-1' }, wounded, exact(5), 's-a');
    claim(g, 'tal-c2', t(3), { incident_id: 'tal-2' }, wounded, exact(2), 's-a', { mode: 'delta' });
    g.add('CasualtyClaimReassigned', t(4), {
      claim_id: 'tal-c2',
      from_incident_id: 'tal-2',
      to_incident_id: 'tal-1',
      source: src('s-b'),
    });
    const before = project(g.events, { asOf: t(3) });
    expect(figures(before, 'tal-1')).toEqual({ [W]: '5 / 5 / 5' });
    expect(figures(before, 'tal-2')).toEqual({ [W]: '2 / 2 / 2' });
    expect(figureOf(before, { incident_id: 'tal-2' }, W)?.delta_without_base).toBe(true);

    const p = project(g.events);
    expect(seriesOf(p, 'tal-1', FIELD)).toEqual([['s-a', '7 / 7 / 7', false]]);
    expect(figures(p, 'tal-2')).toEqual({});
    expect(tally(p, 'overall')).toEqual({ [W]: '7 / 7 / 7' });
    expect(figureOf(p, { incident_id: 'tal-1' }, W)).toMatchObject({
      delta_without_base: false,
      claim_ids: ['tal-c1', 'tal-c2'],
    });
    expectOrderIndependent(g.events, [undefined, t(3)]);
  });

  it('a delta whose base total is retracted starts from 0 and is flagged', () => {
    // "take that source's claims in logical order, leaving out retracted and superseded
    //  claims ... A series that starts with a delta starts from 0 and is flagged"
    const g = world('db');
    report(g, 'kir-1', t(1));
    claim(g, 'kir-c1', t(2), { incident_id: 'kir-1' }, wounded, exact(5), 's-a');
    claim(g, 'kir-c2', t(3), { incident_id: 'kir-1' }, wounded, exact(3), 's-a', { mode: 'delta' });
    g.add('CasualtyClaimRetracted', t(4), {
      claim_id: 'kir-c1',
      scope: { incident_id: 'kir-1' },
      reason: 'wrong base',
    });
    expect(seriesOf(project(g.events, { asOf: t(3) }), 'kir-1', FIELD)).toEqual([
      ['s-a', '8 / 8 / 8', false],
    ]);
    const p = project(g.events);
    expect(seriesOf(p, 'kir-1', FIELD)).toEqual([['s-a', '3 / 3 / 3', true]]);
    expect(figureOf(p, { incident_id: 'kir-1' }, W)).toMatchObject({
      best: 3,
      delta_without_base: true,
    });
    expectOrderIndependent(g.events, [undefined, t(3)]);
  });

  it('deltas with approx/at_least components: a component is null when either operand’s is', () => {
    // "a `delta` adds to it component-wise (a component is null when either operand's is null)"
    const g = world('dc');
    report(g, 'kir-2', t(1));
    claim(g, 'k2-1', t(2), { incident_id: 'kir-2' }, wounded, approx(3, 4, 6), 's-b');
    claim(g, 'k2-2', t(3), { incident_id: 'kir-2' }, wounded, atLeast(2), 's-b', { mode: 'delta' });
    claim(g, 'k2-3', t(4), { incident_id: 'kir-2' }, wounded, exact(1), 's-b', { mode: 'delta' });
    const p = project(g.events);
    // 3+2+1 = 6, best 4+null = null, high 6+null = null
    expect(seriesOf(p, 'kir-2', FIELD)).toEqual([['s-b', '6 / ? / ?', false]]);
    // default: low = min(low ?? best) = 6, high = max(high ?? best) over non-null = none, best none
    expect(figureOf(p, { incident_id: 'kir-2' }, W)).toMatchObject({
      low: 6,
      best: null,
      high: null,
      incomplete: true,
    });
    // a new total replaces the value
    claim(g, 'k2-4', t(5), { incident_id: 'kir-2' }, wounded, exact(9), 's-b');
    expect(seriesOf(project(g.events), 'kir-2', FIELD)).toEqual([['s-b', '9 / 9 / 9', false]]);
    expectOrderIndependent(g.events);
  });
});

describe('spec §5.5 supersession chains', () => {
  it('a chain c1 ← c2 ← c3 across sources; retractions revive one link at a time', () => {
    // "Claim X is superseded when a claim that is not retracted names X in
    //  `supersedes_claim_id`, whatever its scope or source. Retracting the superseding claim
    //  revives X."
    const g = world('sc');
    report(g, 'zaw-1', t(1));
    const I = { incident_id: 'zaw-1' };
    claim(g, 'zc1', t(2), I, wounded, exact(5), 's-a');
    claim(g, 'zc2', t(3), I, wounded, exact(7), 's-a', { supersedes_claim_id: 'zc1' });
    claim(g, 'zc3', t(4), I, wounded, exact(9), 's-b', { supersedes_claim_id: 'zc2' });
    let p = project(g.events);
    // zc1 superseded by zc2, zc2 by zc3: only s-b's 9 is current
    expect(seriesOf(p, 'zaw-1', FIELD)).toEqual([['s-b', '9 / 9 / 9', false]]);
    expect(figures(p, 'zaw-1')).toEqual({ [W]: '9 / 9 / 9' });
    expect(
      p.incident_timeline
        .filter((r) => r.type === 'CasualtyReported')
        .map((r) => [(r.data as { claim_id: string }).claim_id, r.superseded]),
    ).toEqual([
      ['zc1', true],
      ['zc2', true],
      ['zc3', false],
    ]);

    g.add('CasualtyClaimRetracted', t(5), { claim_id: 'zc3', scope: I, reason: 'r' });
    p = project(g.events);
    // zc2 revived (its superseder is retracted); zc1 still superseded by zc2
    expect(seriesOf(p, 'zaw-1', FIELD)).toEqual([['s-a', '7 / 7 / 7', false]]);

    g.add('CasualtyClaimRetracted', t(6), { claim_id: 'zc2', scope: I, reason: 'r' });
    p = project(g.events);
    expect(seriesOf(p, 'zaw-1', FIELD)).toEqual([['s-a', '5 / 5 / 5', false]]);
    expect(figures(project(g.events, { asOf: t(4) }), 'zaw-1')).toEqual({ [W]: '9 / 9 / 9' });
    expectOrderIndependent(g.events, [undefined, t(4), t(5)]);
  });

  it('a total that supersedes a claim at another incident removes it there, not where the new claim is', () => {
    const g = world('sx');
    report(g, 'zaw-2', t(1));
    report(g, 'zaw-3', t(1));
    claim(g, 'zx1', t(2), { incident_id: 'zaw-2' }, wounded, exact(4), 's-c');
    claim(g, 'zx2', t(3), { incident_id: 'zaw-3' }, wounded, exact(6), 's-c', {
      supersedes_claim_id: 'zx1',
    });
    const p = project(g.events);
    expect(figures(p, 'zaw-2')).toEqual({});
    expect(figures(p, 'zaw-3')).toEqual({ [W]: '6 / 6 / 6' });
    expect(tally(p, 'overall')).toEqual({ [W]: '6 / 6 / 6' });
    expectOrderIndependent(g.events);
  });
});

describe('spec §5.5 default figure over several sources', () => {
  it('low = min(low ?? best), high = max(high ?? best), best from the most reliable source', () => {
    // "`low = min(low ?? best)` and `high = max(high ?? best)` over the series, ignoring nulls.
    //  `best` is the `best` of the series from the most reliable source (A first; an
    //  unregistered source counts as F), among series whose `best` is not null."
    const g = world('lb');
    report(g, 'qam-1', t(1));
    const I = { incident_id: 'qam-1' };
    claim(g, 'q-a', t(2), I, wounded, approx(null, 10, null), 's-a');
    claim(g, 'q-b', t(2), I, wounded, atLeast(12), 's-b');
    claim(g, 'q-c', t(2), I, wounded, approx(6, 8, 15), 's-c');
    claim(g, 'q-z', t(3), I, wounded, exact(20), 's-unregistered');
    const p = project(g.events);
    // lows: 10, 12, 6, 20 → 6; highs: 10, (none), 15, 20 → 20; best: s-a (A) 10
    expect(figureOf(p, I, W)).toMatchObject({
      low: 6,
      best: 10,
      high: 20,
      incomplete: false,
      vague_source: false,
    });
    expect(tally(p, 'incident', 'qam-1')).toEqual({ [W]: '6 / 10 / 20' });
    // different non-null bests: 10, 8, 20 (s-b has none)
    expect(p.source_discrepancies.find((d) => d.scope_id === 'qam-1')?.flagged).toBe(true);
    expect(incident(p, 'qam-1').has_discrepancy).toBe(true);
    expectOrderIndependent(g.events);
  });

  it('an unregistered source (F) loses best to a registered E source, even when rated A', () => {
    // §5.8 "An unregistered source counts as reliability F even if it has been rated"
    const g = world('ur');
    g.add('SourceRegistered', t(1), {
      source_id: 's-e',
      name: 'E source',
      kind: 'social',
      scale: 'Local',
      reliability: 'E',
    });
    g.add('SourceReliabilityRated', t(1), { source_id: 's-x', reliability: 'A' });
    report(g, 'qam-2', t(1));
    const I = { incident_id: 'qam-2' };
    claim(g, 'q2-e', t(2), I, wounded, exact(3), 's-e');
    claim(g, 'q2-x', t(3), I, wounded, exact(30), 's-x');
    expect(figureOf(project(g.events), I, W)).toMatchObject({ low: 3, best: 3, high: 30 });
    expectOrderIndependent(g.events);
  });

  it('equal reliability: best from the series whose last claim is latest in time', () => {
    // "Ties go to the series whose last claim is latest in `time`"
    const g = world('tie');
    g.add('SourceRegistered', t(1), {
      source_id: 's-b2',
      name: 'B2',
      kind: 'wire',
      scale: 'International',
      reliability: 'B',
    });
    report(g, 'qam-3', t(1));
    const I = { incident_id: 'qam-3' };
    claim(g, 'q3-1', t(2), I, wounded, exact(4), 's-b');
    claim(g, 'q3-2', t(3), I, wounded, exact(6), 's-b2');
    claim(g, 'q3-3', t(4), I, wounded, exact(1), 's-b', { mode: 'delta' }); // s-b: 5, latest
    expect(figureOf(project(g.events), I, W)).toMatchObject({ low: 5, best: 5, high: 6 });
    expect(figureOf(project(g.events, { asOf: t(3) }), I, W)).toMatchObject({
      low: 4,
      best: 6,
      high: 6,
    });
    // a later rating makes s-b2 more reliable: reliability goes before time
    g.add('SourceReliabilityRated', t(5), { source_id: 's-b2', reliability: 'A' });
    expect(figureOf(project(g.events), I, W)).toMatchObject({ best: 6 });
    expect(figureOf(project(g.events, { asOf: t(4) }), I, W)).toMatchObject({ best: 5 });
    expectOrderIndependent(g.events, [undefined, t(3), t(4)]);
  });

  it('a vague source next to a number: figure keeps the number, flagged vague_source, tally incomplete', () => {
    // "A casualty default figure that has a number while another current series of the same
    //  scope and key has none ... is flagged `vague_source`" ; §5.6 "so does a figure flagged
    //  `vague_source`"
    const g = world('vg');
    report(g, 'qam-4', t(1));
    const I = { incident_id: 'qam-4' };
    claim(g, 'q4-v', t(2), I, wounded, vague('a number of soldiers'), 's-a');
    claim(g, 'q4-n', t(3), I, wounded, exact(3), 's-c');
    let p = project(g.events);
    expect(figureOf(p, I, W)).toMatchObject({
      low: 3,
      best: 3,
      high: 3,
      vague_source: true,
    });
    const row = p.casualty_tally.find((r) => r.scope_kind === 'overall');
    expect(row).toMatchObject({ best: 3, incomplete: true });
    // the vague source later gives a number: no longer vague
    claim(g, 'q4-v2', t(4), I, wounded, exact(4), 's-a');
    p = project(g.events);
    expect(figureOf(p, I, W)).toMatchObject({ low: 3, best: 4, high: 4, vague_source: false });
    expect(p.casualty_tally.find((r) => r.scope_kind === 'overall')?.incomplete).toBe(false);
    expectOrderIndependent(g.events, [undefined, t(3)]);
  });
});

describe('spec §5.5 reassignment', () => {
  it('uses the latest reassignment in logical order, whatever the listing order; then merges', () => {
    const g = world('ra');
    for (const id of ['ras-1', 'ras-2', 'ras-3', 'ras-4']) report(g, id, t(1));
    claim(g, 'rc', t(2), { incident_id: 'ras-1' }, wounded, exact(2), 's-a');
    // listed latest first
    g.add('CasualtyClaimReassigned', t(5), {
      claim_id: 'rc',
      from_incident_id: 'ras-2',
      to_incident_id: 'ras-3',
    });
    g.add('CasualtyClaimReassigned', t(3), {
      claim_id: 'rc',
      from_incident_id: 'ras-1',
      to_incident_id: 'ras-2',
    });
    let p = project(g.events);
    expect(figures(p, 'ras-3')).toEqual({ [W]: '2 / 2 / 2' });
    expect(figures(p, 'ras-1')).toEqual({});
    expect(figures(p, 'ras-2')).toEqual({});
    expect(figures(project(g.events, { asOf: t(4) }), 'ras-2')).toEqual({ [W]: '2 / 2 / 2' });
    // ras-3 merged into ras-4: the claim resolves through the merge
    g.add('IncidentMerged', t(6), {
      incident_id: 'ras-3',
      into_incident_id: 'ras-4',
      reason: 'duplicate_report',
    });
    p = project(g.events);
    expect(figures(p, 'ras-4')).toEqual({ [W]: '2 / 2 / 2' });
    expect(figureOf(p, { incident_id: 'ras-4' }, W)?.via_merge).toBe(true);
    expect(tally(p, 'overall')).toEqual({ [W]: '2 / 2 / 2' });
    expectOrderIndependent(g.events, [undefined, t(4), t(5)]);
  });

  it('reassigning a claim out of an incident lets the remaining series of that source stand', () => {
    const g = world('rb');
    report(g, 'ras-5', t(1));
    report(g, 'ras-6', t(1));
    const I5 = { incident_id: 'ras-5' };
    claim(g, 'r5-1', t(2), I5, wounded, exact(3), 's-b');
    claim(g, 'r5-2', t(3), I5, wounded, exact(8), 's-b'); // a later total (mixing two incidents)
    g.add('CasualtyClaimReassigned', t(4), {
      claim_id: 'r5-2',
      from_incident_id: 'ras-5',
      to_incident_id: 'ras-6',
    });
    const p = project(g.events);
    expect(figures(p, 'ras-5')).toEqual({ [W]: '3 / 3 / 3' });
    expect(figures(p, 'ras-6')).toEqual({ [W]: '8 / 8 / 8' });
    expect(tally(p, 'overall')).toEqual({ [W]: '11 / 11 / 11' });
    expectOrderIndependent(g.events);
  });
});

describe('spec §5.5 adopted estimates', () => {
  it('the latest adoption by time wins, not the last listed; new claims after it do not change it', () => {
    // "**Casualty figure** for a (scope, key) is the latest `CasualtyEstimateAdopted` for it by
    //  `time` (ties by `id`). Without one, it is the default figure."
    const g = world('ad');
    report(g, 'adp-1', t(1));
    const I = { incident_id: 'adp-1' };
    claim(g, 'ad-1', t(2), I, wounded, exact(5), 's-a');
    g.add('CasualtyEstimateAdopted', t(6), {
      scope: I,
      segment: wounded,
      count: approx(6, 7, 9),
      policy: 'editorial',
    });
    g.add('CasualtyEstimateAdopted', t(4), {
      scope: I,
      segment: wounded,
      count: approx(1, 2, 3),
      policy: 'ucdp_best',
    });
    claim(g, 'ad-2', t(7), I, wounded, exact(40), 's-a');
    const p = project(g.events);
    expect(figureOf(p, I, W)).toMatchObject({
      low: 6,
      best: 7,
      high: 9,
      source: 'adopted',
      adoption_policy: 'editorial',
    });
    expect(figureOf(project(g.events, { asOf: t(5) }), I, W)).toMatchObject({
      best: 2,
      source: 'adopted',
    });
    expect(figureOf(project(g.events, { asOf: t(3) }), I, W)).toMatchObject({
      best: 5,
      source: 'default',
    });
    expect(tally(p, 'overall')).toEqual({ [W]: '6 / 7 / 9' });
    // the discrepancy row still lists the source's current series
    expect(seriesOf(p, 'adp-1', FIELD)).toEqual([['s-a', '40 / 40 / 40', false]]);
    expectOrderIndependent(g.events, [undefined, t(3), t(5)]);
  });

  it('an adoption for a key nobody claimed creates a figure; one for a merged incident is ignored', () => {
    const g = world('ae');
    report(g, 'adp-2', t(1));
    report(g, 'adp-3', t(1));
    g.add('CasualtyEstimateAdopted', t(2), {
      scope: { incident_id: 'adp-2' },
      segment: seg('civilian', 'killed', 'IRQ'),
      count: exact(2),
      policy: 'editorial',
    });
    g.add('CasualtyEstimateAdopted', t(2), {
      scope: { incident_id: 'adp-3' },
      segment: seg('civilian', 'killed', 'IRQ'),
      count: exact(5),
      policy: 'editorial',
    });
    g.add('IncidentMerged', t(3), {
      incident_id: 'adp-3',
      into_incident_id: 'adp-2',
      reason: 'duplicate_report',
    });
    const p = project(g.events);
    expect(figures(p, 'adp-2')).toEqual({ 'civilian/killed/IRQ': '2 / 2 / 2' });
    expect(figures(p, 'adp-3')).toEqual({});
    expect(tally(p, 'overall')).toEqual({ 'civilian/killed/IRQ': '2 / 2 / 2' });
    expect(tally(project(g.events, { asOf: t(2) }), 'overall')).toEqual({
      'civilian/killed/IRQ': '7 / 7 / 7',
    });
    expectOrderIndependent(g.events, [undefined, t(2)]);
  });
});

describe('spec §6 source_discrepancies', () => {
  it('flags only different non-null bests; the same best from two sources is not a discrepancy', () => {
    const g = world('sd');
    report(g, 'dis-1', t(1), { munitions: exact(6) });
    g.add('MunitionCountReported', t(2), {
      incident_id: 'dis-1',
      munitions: approx(5, 6, 8),
      source: src('s-b'),
    });
    g.add('MunitionCountReported', t(2), {
      incident_id: 'dis-1',
      munitions: atLeast(4),
      source: src('s-c'),
    });
    claim(g, 'ds-1', t(2), { incident_id: 'dis-1' }, wounded, exact(2), 's-a');
    claim(g, 'ds-2', t(2), { incident_id: 'dis-1' }, wounded, vague('some'), 's-b');
    let p = project(g.events);
    expect(p.source_discrepancies.map((d) => [d.field, d.flagged])).toEqual([
      [FIELD, false],
      ['munitions', false],
    ]);
    expect(incident(p, 'dis-1').has_discrepancy).toBe(false);
    expect(lbh(incident(p, 'dis-1').munitions)).toBe('4 / 6 / 8');
    g.add('MunitionCountReported', t(3), {
      incident_id: 'dis-1',
      munitions: exact(7),
      source: src('s-c'),
    });
    p = project(g.events);
    expect(p.source_discrepancies.map((d) => [d.field, d.flagged])).toEqual([
      [FIELD, false],
      ['munitions', true],
    ]);
    expect(incident(p, 'dis-1').has_discrepancy).toBe(true);
    expectOrderIndependent(g.events);
  });
});
