// §5.6 tallies and covering.
import { project } from '../index.js';
import {
  approx,
  atLeast,
  claim,
  day,
  exact,
  incident,
  minute,
  report,
  seg,
  tally,
  vague,
  world,
} from '../fixtures.test.js';
import { at } from '../scenarios.test.js';

const sm = (outcome: Parameters<typeof seg>[1]) => seg('service_member', outcome, 'USA');

describe('§5.6 covering', () => {
  it('an umbrella wounded_or_injured replaces its child outcomes in the same scope, not killed nor other nationalities', () => {
    const g = world();
    report(g, 'i-1', at(1));
    const I = { incident_id: 'i-1' };
    claim(g, 'w', at(2), I, sm('wounded'), exact(3), 's-a');
    claim(g, 't', at(2), I, sm('injured_tbi'), exact(4), 's-a');
    claim(g, 'u', at(2), I, sm('injured_unspecified'), exact(1), 's-a');
    claim(g, 'k', at(2), I, sm('killed'), exact(1), 's-a');
    claim(g, 'gb', at(2), I, seg('service_member', 'wounded', 'GBR'), exact(2), 's-a');
    claim(g, 'woi', at(3), I, sm('wounded_or_injured'), approx(6, 7, 9), 's-b');
    const p = project(g.events);
    expect(tally(p, 'incident', 'i-1')).toEqual({
      'service_member/killed/USA': '1 / 1 / 1',
      'service_member/wounded/GBR': '2 / 2 / 2',
      'service_member/wounded_or_injured/USA': '6 / 7 / 9',
    });
    expect(
      incident(p, 'i-1')
        .casualties.filter((c) => c.covered)
        .map((c) => c.outcome),
    ).toEqual(['injured_tbi', 'injured_unspecified', 'wounded']);
  });

  it('operation figures replace the sum of their members for the same key, in the operation and overall tallies', () => {
    const g = world();
    report(g, 'a', at(1), { operation_id: 'op' });
    report(g, 'b', at(1), { operation_id: 'op' });
    report(g, 'c', at(1));
    const killed = seg('militant', 'killed');
    claim(g, 'ka', at(2), { incident_id: 'a' }, killed, exact(3), 's-a');
    claim(g, 'kb', at(2), { incident_id: 'b' }, killed, exact(4), 's-a');
    claim(g, 'kc', at(2), { incident_id: 'c' }, killed, exact(1), 's-a');
    claim(g, 'wa', at(2), { incident_id: 'a' }, sm('wounded'), exact(2), 's-a');
    expect(tally(project(g.events), 'overall')).toEqual({
      'militant/killed/': '8 / 8 / 8',
      'service_member/wounded/USA': '2 / 2 / 2',
    });
    expect(tally(project(g.events), 'operation', 'op')).toEqual({
      'militant/killed/': '7 / 7 / 7',
      'service_member/wounded/USA': '2 / 2 / 2',
    });
    claim(g, 'kop', at(3), { operation_id: 'op' }, killed, exact(10), 's-b');
    claim(g, 'woi-op', at(3), { operation_id: 'op' }, sm('wounded_or_injured'), exact(5), 's-b');
    const p = project(g.events);
    expect(tally(p, 'overall')).toEqual({
      'militant/killed/': '11 / 11 / 11',
      'service_member/wounded_or_injured/USA': '5 / 5 / 5',
    });
    expect(tally(p, 'operation', 'op')).toEqual({
      'militant/killed/': '10 / 10 / 10',
      'service_member/wounded_or_injured/USA': '5 / 5 / 5',
    });
    expect(tally(p, 'incident', 'a')).toEqual({
      'militant/killed/': '3 / 3 / 3',
      'service_member/wounded/USA': '2 / 2 / 2',
    });
    expect(
      incident(p, 'a').casualties.map((c) => [c.outcome, c.covered, c.covered_by_operation]),
    ).toEqual([
      ['killed', false, true],
      ['wounded', false, true],
    ]);
  });

  it('adds null components as 0 and marks the row incomplete; so does a vague_source figure', () => {
    const g = world();
    report(g, 'a', at(1));
    report(g, 'b', at(1));
    claim(g, 'x', at(2), { incident_id: 'a' }, sm('killed'), atLeast(2), 's-a');
    claim(g, 'y', at(2), { incident_id: 'b' }, sm('killed'), exact(1), 's-a');
    claim(g, 'v', at(2), { incident_id: 'b' }, sm('wounded'), vague('several'), 's-b');
    claim(g, 'n', at(2), { incident_id: 'b' }, sm('wounded'), exact(3), 's-a');
    const rows = project(g.events).casualty_tally.filter((r) => r.scope_kind === 'overall');
    expect(rows.map((r) => [r.outcome, r.low, r.best, r.high, r.incomplete, r.source])).toEqual([
      ['killed', 3, 1, 1, true, 'sum'],
      ['wounded', 3, 3, 3, true, 'default'],
    ]);
  });

  it('has no row for a key whose figures are all covered', () => {
    const g = world();
    report(g, 'a', at(1), { operation_id: 'op' });
    claim(g, 'x', at(2), { incident_id: 'a' }, sm('wounded'), exact(2), 's-a');
    g.add('CasualtyEstimateAdopted', at(3), {
      scope: { operation_id: 'op' },
      segment: sm('wounded_or_injured'),
      count: exact(4),
      policy: 'editorial',
    });
    expect(Object.keys(tally(project(g.events), 'overall'))).toEqual([
      'service_member/wounded_or_injured/USA',
    ]);
  });
});

describe('§5.6 time-bucketed tallies', () => {
  it('put an operation’s figures in its first member’s bucket and cover members in every bucket', () => {
    const g = world();
    report(g, 'late', at(1), { operation_id: 'op', time: minute('2024-01-09T01:00:00Z') });
    report(g, 'early-nostart', at(1), { operation_id: 'op', time: day('2024-01-08') });
    report(g, 'early-start', at(1), { operation_id: 'op', time: minute('2024-01-08T05:00:00Z') });
    report(g, 'solo', at(1), { time: day('2024-01-09') });
    const killed = seg('militant', 'killed');
    claim(g, 'k1', at(2), { incident_id: 'late' }, killed, exact(3), 's-a');
    claim(g, 'k2', at(2), { incident_id: 'solo' }, killed, exact(1), 's-a');
    claim(g, 'k3', at(2), { operation_id: 'op' }, killed, exact(7), 's-a');
    const p = project(g.events);
    expect(p.operations[0]?.anchor_incident_id).toBe('early-start');
    expect(
      p.casualty_tally_by_period.filter((r) => r.grain === 'day').map((r) => [r.period, r.best]),
    ).toEqual([
      ['2024-01-08', 7],
      ['2024-01-09', 1],
    ]);
    expect(
      p.casualty_tally_by_period.filter((r) => r.grain === 'week').map((r) => [r.period, r.best]),
    ).toEqual([['2024-W02', 8]]);
  });
});
