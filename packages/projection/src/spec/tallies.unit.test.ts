// spec check — §5.6 covering and tallies: operation figures vs the sum of their incidents, umbrella
// outcomes vs children, per incident / operation / overall sets, time-bucketed tallies.
import type { Projection } from '../index.js';
import { project } from '../index.js';
import {
  approx,
  claim,
  day,
  exact,
  incident,
  minute,
  report,
  seg,
  src,
  tally,
  week,
  world,
} from '../fixtures.test.js';
import { expectOrderIndependent, t } from './helpers.test.js';

const sm = (outcome: Parameters<typeof seg>[1], nat: string | null = 'USA') =>
  seg('service_member', outcome, nat ?? undefined, { affiliation_actor_id: 'us-forces' });
const marks = (p: Projection, id: string) =>
  incident(p, id).casualties.map((c) => [
    c.outcome,
    c.nationality,
    c.covered,
    c.covered_by_operation,
  ]);
const byPeriod = (p: Projection, grain: string) =>
  p.casualty_tally_by_period
    .filter((r) => r.grain === grain)
    .map((r) => `${r.period} ${r.role}/${r.outcome}/${r.nationality} ${r.low}/${r.best}/${r.high}`);

describe('spec §5.6 operation figures vs members', () => {
  it('an operation umbrella covers its members’ child outcomes; killed and other nationalities stay', () => {
    // "A figure (S′, k′) covers a different figure (S, k) when S′ = S or S′ is the operation of
    //  incident S, and k′ = k or k′ is `wounded_or_injured` with the same role and nationality
    //  while k is `wounded`, `injured_tbi` or `injured_unspecified`."
    const g = world('to');
    report(g, 'baq-1', t(1), { operation_id: 'op-baq' });
    report(g, 'baq-2', t(1), { operation_id: 'op-baq' });
    const I1 = { incident_id: 'baq-1' };
    const I2 = { incident_id: 'baq-2' };
    claim(g, 'to-1', t(2), I1, sm('wounded'), exact(3), 's-a');
    claim(g, 'to-2', t(2), I2, sm('injured_tbi'), exact(5), 's-a');
    claim(g, 'to-3', t(2), I2, sm('killed'), exact(1), 's-a');
    claim(g, 'to-4', t(2), I1, sm('wounded', null), exact(2), 's-a');
    claim(
      g,
      'to-5',
      t(3),
      { operation_id: 'op-baq' },
      sm('wounded_or_injured'),
      approx(9, 10, 14),
      's-b',
    );
    const p = project(g.events);
    expect(tally(p, 'operation', 'op-baq')).toEqual({
      'service_member/killed/USA': '1 / 1 / 1',
      'service_member/wounded/': '2 / 2 / 2',
      'service_member/wounded_or_injured/USA': '9 / 10 / 14',
    });
    expect(tally(p, 'overall')).toEqual(tally(p, 'operation', 'op-baq'));
    // per incident: the incident alone (no operation in the set)
    expect(tally(p, 'incident', 'baq-1')).toEqual({
      'service_member/wounded/': '2 / 2 / 2',
      'service_member/wounded/USA': '3 / 3 / 3',
    });
    expect(marks(p, 'baq-1')).toEqual([
      ['wounded', '', false, false],
      ['wounded', 'USA', false, true],
    ]);
    expect(marks(p, 'baq-2')).toEqual([
      ['injured_tbi', 'USA', false, true],
      ['killed', 'USA', false, false],
    ]);
    // incidents_with_casualties uses the incident's own tally
    expect(
      p.attack_counts
        .filter((r) => r.geo_level === 'all' && r.grain === 'day')
        .map((r) => [r.incidents, r.incidents_with_casualties]),
    ).toEqual([[2, 2]]);
    expectOrderIndependent(g.events);
  });

  it('an operation child figure and a member umbrella do not cover each other (different scope direction)', () => {
    // S′ must be S or the operation of S: a member's figure never covers the operation's.
    const g = world('tp');
    report(g, 'baq-3', t(1), { operation_id: 'op-tp' });
    const I = { incident_id: 'baq-3' };
    claim(g, 'tp-1', t(2), { operation_id: 'op-tp' }, sm('wounded'), exact(10), 's-a');
    claim(g, 'tp-2', t(2), I, sm('wounded_or_injured'), exact(6), 's-a');
    claim(g, 'tp-3', t(2), I, sm('wounded'), exact(4), 's-a');
    const p = project(g.events);
    expect(tally(p, 'operation', 'op-tp')).toEqual({
      'service_member/wounded/USA': '10 / 10 / 10',
      'service_member/wounded_or_injured/USA': '6 / 6 / 6',
    });
    expect(tally(p, 'incident', 'baq-3')).toEqual({
      'service_member/wounded_or_injured/USA': '6 / 6 / 6',
    });
    expect(marks(p, 'baq-3')).toEqual([
      ['wounded', 'USA', true, true],
      ['wounded_or_injured', 'USA', false, false],
    ]);
    expectOrderIndependent(g.events);
  });

  it('an incident amended out of its operation is no longer covered and adds to the overall tally', () => {
    // "The members of an operation are the active incidents whose effective `operation_id` is
    //  that operation." ; "operation-level figures replace the sum of that operation's incidents"
    const g = world('tq');
    report(g, 'baq-4', t(1), { operation_id: 'op-tq' });
    report(g, 'baq-5', t(1), { operation_id: 'op-tq' });
    const killed = seg('militant', 'killed');
    claim(g, 'tq-1', t(2), { incident_id: 'baq-4' }, killed, exact(3), 's-a');
    claim(g, 'tq-2', t(2), { incident_id: 'baq-5' }, killed, exact(4), 's-a');
    claim(g, 'tq-3', t(2), { operation_id: 'op-tq' }, killed, approx(8, 9, 12), 's-b');
    expect(tally(project(g.events), 'overall')).toEqual({ 'militant/killed/': '8 / 9 / 12' });
    g.add('IncidentAmended', t(4), {
      incident_id: 'baq-5',
      changes: { operation_id: null },
      reason: 'separate strike',
      source: src('s-a'),
    });
    const p = project(g.events);
    expect(tally(p, 'overall')).toEqual({ 'militant/killed/': '12 / 13 / 16' });
    expect(tally(p, 'operation', 'op-tq')).toEqual({ 'militant/killed/': '8 / 9 / 12' });
    expect(marks(p, 'baq-5')).toEqual([['killed', '', false, false]]);
    // the last member retracted: the operation stops counting, its figure leaves the tallies
    g.add('IncidentRetracted', t(5), { incident_id: 'baq-4', reason: 'did_not_occur' });
    const q = project(g.events);
    expect(tally(q, 'overall')).toEqual({ 'militant/killed/': '4 / 4 / 4' });
    expect(tally(q, 'operation', 'op-tq')).toEqual({});
    expectOrderIndependent(g.events, [undefined, t(4)]);
  });
});

describe('spec §5.6 time-bucketed tallies', () => {
  it('operation figures go to the anchor member’s buckets at its grains, covering members everywhere', () => {
    // "An operation's figures go into the bucket of its member with the smallest
    //  (`local_date`, `start`, `incident_id`), a missing `start` last, at the grains that
    //  member's precision allows, and they cover their members' figures in every bucket."
    const g = world('tb');
    report(g, 'dur-1', t(1), { operation_id: 'op-dur', time: week('2025-02-27') }); // W09
    report(g, 'dur-2', t(1), { operation_id: 'op-dur', time: day('2025-03-03') }); // W10
    report(g, 'dur-3', t(1), { time: day('2025-03-03') });
    const killed = seg('militant', 'killed');
    claim(g, 'tb-1', t(2), { incident_id: 'dur-2' }, killed, exact(2), 's-a');
    claim(g, 'tb-2', t(2), { incident_id: 'dur-3' }, killed, exact(1), 's-a');
    claim(g, 'tb-3', t(2), { operation_id: 'op-dur' }, killed, exact(6), 's-a');
    const p = project(g.events);
    expect(p.operations.find((o) => o.operation_id === 'op-dur')?.anchor_incident_id).toBe('dur-1');
    expect(byPeriod(p, 'day')).toEqual(['2025-03-03 militant/killed/ 1/1/1']);
    expect(byPeriod(p, 'week')).toEqual([
      '2025-W09 militant/killed/ 6/6/6',
      '2025-W10 militant/killed/ 1/1/1',
    ]);
    expect(byPeriod(p, 'month')).toEqual([
      '2025-02 militant/killed/ 6/6/6',
      '2025-03 militant/killed/ 1/1/1',
    ]);
    expect(tally(p, 'overall')).toEqual({ 'militant/killed/': '7 / 7 / 7' });
    expectOrderIndependent(g.events);
  });

  it('the anchor follows amendments of the members’ time; a start breaks a local_date tie', () => {
    const g = world('tc');
    report(g, 'dur-4', t(1), { operation_id: 'op-tc', time: minute('2025-03-05T10:00:00Z') });
    report(g, 'dur-5', t(1), { operation_id: 'op-tc', time: day('2025-03-05') });
    report(g, 'dur-6', t(1), { operation_id: 'op-tc', time: minute('2025-03-06T01:00:00Z') });
    claim(g, 'tc-1', t(2), { operation_id: 'op-tc' }, seg('militant', 'killed'), exact(4), 's-a');
    let p = project(g.events);
    // same local_date: dur-4 has a start, dur-5 has none (last)
    expect(p.operations[0]?.anchor_incident_id).toBe('dur-4');
    expect(byPeriod(p, 'day')).toEqual(['2025-03-05 militant/killed/ 4/4/4']);
    g.add('IncidentAmended', t(3), {
      incident_id: 'dur-4',
      changes: { time: minute('2025-03-07T10:00:00Z') },
      reason: 'redated',
      source: src('s-a'),
    });
    p = project(g.events);
    expect(p.operations[0]?.anchor_incident_id).toBe('dur-5');
    expect(byPeriod(p, 'day')).toEqual(['2025-03-05 militant/killed/ 4/4/4']);
    g.add('IncidentAmended', t(4), {
      incident_id: 'dur-5',
      changes: { time: { local_date: '2025-03-15', tz: 'UTC', precision: 'month' } },
      reason: 'only the month is known',
      source: src('s-a'),
    });
    p = project(g.events);
    expect(p.operations[0]?.anchor_incident_id).toBe('dur-6');
    expect(byPeriod(p, 'day')).toEqual(['2025-03-06 militant/killed/ 4/4/4']);
    // op start (§5.9) = earliest minute/hour start among members: dur-6 01:00 < dur-4 (07th)
    expect(p.operations[0]?.start).toBe('2025-03-06T01:00:00Z');
    expectOrderIndependent(g.events, [undefined, t(3)]);
  });

  it('a year-precision incident counts only in un-bucketed tallies', () => {
    // "A `year`-precision incident enters no `attack_counts` row and counts only in
    //  un-bucketed tallies."
    const g = world('ty');
    report(g, 'dur-7', t(1), { time: { local_date: '2025-07-01', tz: 'UTC', precision: 'year' } });
    claim(g, 'ty-1', t(2), { incident_id: 'dur-7' }, sm('killed'), exact(2), 's-a');
    const p = project(g.events);
    expect(p.attack_counts).toEqual([]);
    expect(p.casualty_tally_by_period).toEqual([]);
    expect(tally(p, 'overall')).toEqual({ 'service_member/killed/USA': '2 / 2 / 2' });
    expectOrderIndependent(g.events);
  });
});

describe('spec §5.5 / §6 tallies stay groupable by side and affiliation', () => {
  it('figures of one key with different sides or affiliations are summed apart', () => {
    // §6: casualty_tally is "groupable by side, affiliation"; §5.5: "A figure's `side` and
    // `affiliation_actor_id` (for grouping) are the adoption's, or the values all its claims
    // share (absent where they differ)". §3.4: sums use the key, so a grouping that ignores
    // side gets the per-key sum back.
    const g = world('sd');
    const civ = (side: 'attacker' | 'target' | 'third_party', affiliation?: string) =>
      seg('civilian', 'killed', 'IRQ', {
        side,
        ...(affiliation === undefined ? {} : { affiliation_actor_id: affiliation }),
      });
    report(g, 'sd-1', t(1), { operation_id: 'op-sd', time: day('2025-03-03') });
    report(g, 'sd-2', t(1), { operation_id: 'op-sd', time: day('2025-03-03') });
    report(g, 'sd-3', t(1), { time: day('2025-03-04') });
    report(g, 'sd-4', t(1), { time: day('2025-03-04') });
    claim(g, 'sd-c1', t(2), { incident_id: 'sd-1' }, civ('third_party'), exact(3), 's-a');
    claim(g, 'sd-c2', t(2), { incident_id: 'sd-2' }, civ('target', 'pmf'), exact(2), 's-a');
    claim(g, 'sd-c3', t(2), { incident_id: 'sd-3' }, civ('target', 'pmf'), exact(4), 's-a');
    // two sources that disagree on the side: the figure has no side
    claim(g, 'sd-c4', t(2), { incident_id: 'sd-4' }, civ('target'), exact(1), 's-a');
    claim(g, 'sd-c5', t(3), { incident_id: 'sd-4' }, civ('third_party'), exact(1), 's-b');
    const p = project(g.events);
    const rows = (kind: string, id = '') =>
      p.casualty_tally
        .filter((r) => r.scope_kind === kind && r.scope_id === id)
        .map((r) => `${r.side || '-'}/${r.affiliation_actor_id || '-'} ${r.low}/${r.best}/${r.high} ${r.source} ${r.figure_count}`);
    expect(rows('overall')).toEqual([
      '-/- 1/1/1 default 1',
      'target/pmf 6/6/6 sum 2',
      'third_party/- 3/3/3 default 1',
    ]);
    expect(tally(p, 'overall')).toEqual({ 'civilian/killed/IRQ': '10 / 10 / 10' });
    expect(rows('operation', 'op-sd')).toEqual(['target/pmf 2/2/2 default 1', 'third_party/- 3/3/3 default 1']);
    expect(rows('incident', 'sd-4')).toEqual(['-/- 1/1/1 default 1']);
    expect(
      p.casualty_tally_by_period
        .filter((r) => r.grain === 'day')
        .map((r) => `${r.period} ${r.side || '-'}/${r.affiliation_actor_id || '-'} ${r.best}`),
    ).toEqual(['2025-03-03 target/pmf 2', '2025-03-03 third_party/- 3', '2025-03-04 -/- 1', '2025-03-04 target/pmf 4']);
    expectOrderIndependent(g.events, [undefined, t(2, 12)]);
  });
});
