// spec check — §5.9 attribution likelihood and response links / time lag; §6 timeline keeping
// superseded claims; §5.7 as-of. Expected values by hand from events.md.
import type { DataOf } from '@incidents/events';
import { project } from '../index.js';
import {
  claim,
  day,
  exact,
  incident,
  minute,
  report,
  seg,
  src,
  tally,
  world,
} from '../fixtures.test.js';
import { expectOrderIndependent, t } from './helpers.test.js';

type Assertion = DataOf<'AttributionAsserted'>;
const asserted = (
  id: string,
  incidentId: string,
  actor: string,
  likelihood: Assertion['likelihood'],
  source: string,
  role: Assertion['role'] = 'perpetrator',
): Assertion => ({
  assertion_id: id,
  incident_id: incidentId,
  actor_id: actor,
  role,
  basis: 'intelligence_assessment',
  likelihood,
  source: src(source),
});

describe('spec §5.9 attribution', () => {
  it('withdrawing the top assertion promotes the next; ties: reliability, then latest in logical order', () => {
    // "`top_perpetrator` is the current `perpetrator` assertion with the highest likelihood;
    //  ties go to source reliability, then to the latest in logical order."
    const g = world('aa');
    report(g, 'atr-1', t(1));
    g.add('AttributionAsserted', t(2), asserted('aa-1', 'atr-1', 'grp-k', 'very_likely', 's-c'));
    g.add('AttributionAsserted', t(3), asserted('aa-2', 'atr-1', 'grp-l', 'likely', 's-a'));
    g.add('AttributionAsserted', t(4), asserted('aa-3', 'atr-1', 'grp-m', 'likely', 's-b'));
    g.add('AttributionAsserted', t(5), asserted('aa-4', 'atr-1', 'grp-n', 'likely', 's-a'));
    g.add(
      'AttributionAsserted',
      t(5),
      asserted('aa-5', 'atr-1', 'grp-o', 'almost_certain', 's-a', 'materiel_origin'),
    );
    const top = (asOf?: string) => {
      const row = incident(project(g.events, asOf === undefined ? {} : { asOf }), 'atr-1');
      return [row.top_perpetrator, row.top_perpetrator_likelihood];
    };
    expect(top()).toEqual(['grp-k', 'very_likely']);
    g.add('AttributionWithdrawn', t(6), {
      assertion_id: 'aa-1',
      incident_id: 'atr-1',
      reason: 'r',
    });
    // likely: s-a (A) ×2 beat s-b (B); the later s-a one (aa-4) wins
    expect(top()).toEqual(['grp-n', 'likely']);
    expect(top(t(4))).toEqual(['grp-k', 'very_likely']);
    g.add('AttributionWithdrawn', t(7), {
      assertion_id: 'aa-4',
      incident_id: 'atr-1',
      reason: 'r',
    });
    expect(top()).toEqual(['grp-l', 'likely']);
    const p = project(g.events);
    expect(
      p.attack_counts
        .filter((r) => r.geo_level === 'all' && r.grain === 'day')
        .map((r) => [r.perpetrator, r.perpetrator_likelihood]),
    ).toEqual([['grp-l', 'likely']]);
    expect(incident(p, 'atr-1').materiel_origin).toBe('grp-o');
    expectOrderIndependent(g.events, [undefined, t(4), t(6)]);
  });
});

describe('spec §5.9 responses and lag', () => {
  it('lag from minute/hour starts, floored; null when either end is day precision', () => {
    // "`lag_minutes = floor((response start − trigger start) / 1 min)` when both starts are
    //  known at `minute` or `hour` precision; otherwise it is null."
    const g = world('rl');
    report(g, 'rsp-t1', t(1), { time: minute('2025-03-02T10:38:00Z') });
    report(g, 'rsp-t2', t(1), { time: day('2025-03-02') });
    report(g, 'rsp-r1', t(1), {
      kind: 'response_strike',
      time: {
        start: '2025-03-02T12:00:30Z',
        local_date: '2025-03-02',
        tz: 'UTC',
        precision: 'hour',
      },
    });
    g.add('ResponseLinked', t(2), {
      link_id: 'rl-1',
      trigger_incident_ids: ['rsp-t1', 'rsp-t2'],
      response_incident_ids: ['rsp-r1'],
      basis: 'self_declared',
      likelihood: 'almost_certain',
      source: src('s-b'),
    });
    let p = project(g.events);
    expect(p.response_graph.map((e) => [e.trigger_incident_id, e.lag_minutes])).toEqual([
      ['rsp-t1', 82], // 10:38:00 → 12:00:30 = 82.5 min
      ['rsp-t2', null],
    ]);
    // the trigger's time is amended to a precise start: the lag appears
    g.add('IncidentAmended', t(3), {
      incident_id: 'rsp-t2',
      changes: { time: minute('2025-03-02T11:59:59Z') },
      reason: 'timestamp found',
      source: src('s-a'),
    });
    p = project(g.events);
    expect(p.response_graph.map((e) => [e.trigger_incident_id, e.lag_minutes])).toEqual([
      ['rsp-t1', 82],
      ['rsp-t2', 0],
    ]);
    expectOrderIndependent(g.events, [undefined, t(2)]);
  });

  it('operation response: start = earliest active member at minute/hour; statuses carried; removal deletes', () => {
    // "An operation's start is the earliest `start` among its members with `minute` or `hour`
    //  precision" ; "Edges are kept whatever their endpoints' status ... only
    //  `ResponseLinkRemoved` deletes them (all the link's edges)."
    const g = world('ro');
    report(g, 'rsp-t3', t(1), { time: minute('2025-03-03T06:00:00Z') });
    report(g, 'rsp-m1', t(1), {
      operation_id: 'op-rsp',
      kind: 'response_strike',
      time: minute('2025-03-03T20:00:00Z'),
    });
    report(g, 'rsp-m2', t(1), {
      operation_id: 'op-rsp',
      kind: 'response_strike',
      time: minute('2025-03-03T21:15:00Z'),
    });
    report(g, 'rsp-m3', t(1), {
      operation_id: 'op-rsp',
      kind: 'response_strike',
      time: day('2025-03-03'),
    });
    g.add('ResponseLinked', t(2), {
      link_id: 'ro-1',
      trigger_incident_ids: ['rsp-t3'],
      response_operation_id: 'op-rsp',
      basis: 'official_assessment',
      likelihood: 'very_likely',
      source: src('s-a'),
    });
    const edge = () => {
      const e = project(g.events).response_graph[0];
      return e === undefined
        ? null
        : [e.response_kind, e.response_id, e.lag_minutes, e.trigger_status, e.response_status];
    };
    expect(edge()).toEqual(['operation', 'op-rsp', 840, 'active', 'active']);
    g.add('IncidentRetracted', t(3), { incident_id: 'rsp-m1', reason: 'misdated' });
    expect(edge()).toEqual(['operation', 'op-rsp', 915, 'active', 'active']);
    g.add('IncidentRetracted', t(4), { incident_id: 'rsp-m2', reason: 'did_not_occur' });
    expect(edge()).toEqual(['operation', 'op-rsp', null, 'active', 'active']);
    g.add('IncidentRetracted', t(5), { incident_id: 'rsp-m3', reason: 'did_not_occur' });
    g.add('IncidentRetracted', t(5), { incident_id: 'rsp-t3', reason: 'out_of_scope' });
    expect(edge()).toEqual(['operation', 'op-rsp', null, 'retracted', 'no_members']);
    g.add('ResponseLinkRemoved', t(6), { link_id: 'ro-1', reason: 'not linked' });
    expect(edge()).toBeNull();
    expect(project(g.events, { asOf: t(5) }).response_graph).toHaveLength(1);
    expectOrderIndependent(g.events, [undefined, t(3), t(5)]);
  });

  it('one component over links and operation membership', () => {
    // §6 response_graph "component id (links plus operation membership)"
    const g = world('rc');
    report(g, 'cmp-a', t(1));
    report(g, 'cmp-b', t(1), { operation_id: 'op-cmp' });
    report(g, 'cmp-c', t(1), { operation_id: 'op-cmp' });
    report(g, 'cmp-d', t(1));
    report(g, 'cmp-x', t(1));
    report(g, 'cmp-y', t(1));
    const link = (id: string, triggers: string[], resp: object) =>
      g.add('ResponseLinked', t(2), {
        link_id: id,
        trigger_incident_ids: triggers,
        ...(resp as { response_incident_ids: string[] }),
        basis: 'analyst',
        likelihood: 'likely',
        source: src('s-c'),
      });
    link('rc-1', ['cmp-a'], { response_operation_id: 'op-cmp' });
    link('rc-2', ['cmp-c'], { response_incident_ids: ['cmp-d'] });
    link('rc-3', ['cmp-y'], { response_incident_ids: ['cmp-x'] });
    const p = project(g.events);
    expect(p.response_graph.map((e) => [e.link_id, e.component_id])).toEqual([
      ['rc-1', 'incident/cmp-a'],
      ['rc-2', 'incident/cmp-a'],
      ['rc-3', 'incident/cmp-x'],
    ]);
    expectOrderIndependent(g.events);
  });
});

describe('spec §6 incident_timeline and §5.7 as-of', () => {
  it('keeps superseded, retracted and duplicate claims in the timeline; as of before the supersession they count', () => {
    // §6 "superseded, retracted and duplicate ones are included"; §5.7 "`asOf=T` evaluates
    //  every rule over the events with `time ≤ T`"
    const g = world('tl');
    report(g, 'tml-1', t(1));
    const I = { incident_id: 'tml-1' };
    const K = seg('contractor', 'killed', 'USA');
    claim(g, 'tl-1', t(2), I, K, exact(1), 's-b');
    claim(g, 'tl-2', t(3), I, K, exact(2), 's-b', { supersedes_claim_id: 'tl-1' });
    claim(g, 'tl-3', t(4), I, K, exact(9), 's-c');
    g.add('CasualtyClaimRetracted', t(5), { claim_id: 'tl-3', scope: I, reason: 'error' });
    claim(g, 'tl-2', t(6), I, K, exact(7), 's-c'); // a second creation of tl-2
    const rows = (asOf?: string) =>
      project(g.events, asOf === undefined ? {} : { asOf })
        .incident_timeline.filter((r) => r.type === 'CasualtyReported')
        .map((r) => [r.event_id, r.superseded, r.retracted, r.duplicate_entity]);
    expect(rows()).toEqual([
      ['tl-005', true, false, false],
      ['tl-006', false, false, false],
      ['tl-007', false, true, false],
      ['tl-009', false, false, true],
    ]);
    expect(rows(t(2))).toEqual([['tl-005', false, false, false]]);
    expect(tally(project(g.events), 'overall')).toEqual({ 'contractor/killed/USA': '2 / 2 / 2' });
    expect(tally(project(g.events, { asOf: t(2) }), 'overall')).toEqual({
      'contractor/killed/USA': '1 / 1 / 1',
    });
    expect(tally(project(g.events, { asOf: t(4) }), 'overall')).toEqual({
      'contractor/killed/USA': '2 / 2 / 9',
    });
    expectOrderIndependent(g.events, [undefined, t(2), t(4)]);
  });

  it('a claim posted late but timed before T changes the as-of answer for T', () => {
    // §5.7 "a late event with `time ≤ T` changes the answer for T"
    const g = world('ta');
    report(g, 'tml-2', t(1));
    const I = { incident_id: 'tml-2' };
    const W = seg('service_member', 'injured_tbi', 'USA');
    claim(g, 'ta-1', t(3), I, W, exact(4), 's-a');
    const before = project(g.events, { asOf: t(3) });
    claim(g, 'ta-0', t(2), I, W, exact(2), 's-a', { mode: 'delta' }); // posted later, timed earlier
    const after = project(g.events, { asOf: t(3) });
    expect(tally(before, 'overall')).toEqual({ 'service_member/injured_tbi/USA': '4 / 4 / 4' });
    // s-a: delta 2 (t2, no base: from 0) then total 4 (t3) → 4; the series started with a delta
    expect(tally(after, 'overall')).toEqual({ 'service_member/injured_tbi/USA': '4 / 4 / 4' });
    expect(after.source_discrepancies[0]?.series[0]?.delta_without_base).toBe(true);
    expect(tally(project(g.events, { asOf: t(2) }), 'overall')).toEqual({
      'service_member/injured_tbi/USA': '2 / 2 / 2',
    });
    expectOrderIndependent(g.events, [undefined, t(2), t(3)]);
  });
});
