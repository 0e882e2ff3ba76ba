// §5.9 attribution and responses.
import { project } from '../index.js';
import { day, incident, minute, report, src, world } from '../fixtures.test.js';
import { at } from '../scenarios.test.js';
import type { DataOf } from '@incidents/events';

type Assertion = DataOf<'AttributionAsserted'>;
const assert = (
  id: string,
  actor: string,
  likelihood: Assertion['likelihood'],
  source: string,
  role: Assertion['role'] = 'perpetrator',
): Assertion => ({
  assertion_id: id,
  incident_id: 'i-1',
  actor_id: actor,
  role,
  basis: 'official_assessment',
  likelihood,
  source: src(source),
});

describe('§5.9 attribution', () => {
  it('picks the highest likelihood, then the more reliable source, then the latest in logical order', () => {
    const g = world();
    report(g, 'i-1', at(1));
    g.add('AttributionAsserted', at(2), assert('a1', 'x', 'likely', 's-a'));
    g.add('AttributionAsserted', at(3), assert('a2', 'y', 'likely', 's-c'));
    expect(incident(project(g.events), 'i-1').top_perpetrator).toBe('x');
    g.add('AttributionAsserted', at(4), assert('a3', 'z', 'likely', 's-a'));
    expect(incident(project(g.events), 'i-1').top_perpetrator).toBe('z');
    g.add('AttributionAsserted', at(1), assert('a4', 'w', 'very_likely', 's-c'));
    expect(incident(project(g.events), 'i-1')).toMatchObject({
      top_perpetrator: 'w',
      top_perpetrator_likelihood: 'very_likely',
    });
  });

  it('keeps an assertion current until withdrawn, even if the withdrawal arrives first', () => {
    const g = world();
    report(g, 'i-1', at(1));
    g.add('AttributionWithdrawn', at(2), { assertion_id: 'a1', incident_id: 'i-1', reason: 'r' });
    g.add('AttributionAsserted', at(3), assert('a1', 'x', 'almost_certain', 's-a'));
    g.add('AttributionAsserted', at(3), assert('a2', 'y', 'unlikely', 's-b'));
    const p = project(g.events);
    expect(incident(p, 'i-1').top_perpetrator).toBe('y');
    expect(
      p.incident_timeline.find(
        (t) => t.type === 'AttributionAsserted' && t.flags.includes('withdrawn'),
      )?.data,
    ).toMatchObject({ assertion_id: 'a1' });
  });

  it('never turns materiel origin, claims or denials of responsibility into a perpetrator', () => {
    const g = world();
    report(g, 'i-1', at(1));
    g.add(
      'AttributionAsserted',
      at(2),
      assert('a1', 'iran', 'almost_certain', 's-a', 'materiel_origin'),
    );
    g.add('ResponsibilityClaimed', at(2), {
      incident_id: 'i-1',
      actor_id: 'grp',
      source: src('s-a'),
    });
    g.add('ResponsibilityClaimed', at(3), {
      incident_id: 'i-1',
      actor_id: 'grp',
      channel: 'Telegram',
      source: src('s-b'),
    });
    g.add('ResponsibilityDenied', at(2), {
      incident_id: 'i-1',
      actor_id: 'other',
      source: src('s-a'),
    });
    const r = incident(project(g.events), 'i-1');
    expect([r.top_perpetrator, r.materiel_origin, r.claimed_by, r.denied_by]).toEqual([
      null,
      'iran',
      ['grp'],
      ['other'],
    ]);
  });
});

describe('§5.9 responses', () => {
  it('has one edge per (link, trigger, response) after merges, kept whatever the endpoints’ status', () => {
    const g = world();
    report(g, 't1', at(1), { time: minute('2024-01-02T10:00:00Z') });
    report(g, 't2', at(1), { time: minute('2024-01-02T11:00:00Z') });
    report(g, 'r1', at(1), { time: minute('2024-01-03T10:30:30Z') });
    g.add('IncidentMerged', at(2), {
      incident_id: 't2',
      into_incident_id: 't1',
      reason: 'duplicate_report',
    });
    g.add('IncidentRetracted', at(2), { incident_id: 'r1', reason: 'did_not_occur' });
    g.add('ResponseLinked', at(3), {
      link_id: 'l',
      trigger_incident_ids: ['t1', 't2'],
      response_incident_ids: ['r1', 'ghost'],
      basis: 'analyst',
      likelihood: 'likely',
      source: src('s-a'),
    });
    const p = project(g.events);
    expect(
      p.response_graph.map((e) => [
        e.trigger_incident_id,
        e.response_id,
        e.trigger_status,
        e.response_status,
        e.lag_minutes,
        e.via_merge,
      ]),
    ).toEqual([
      ['t1', 'ghost', 'active', 'unreported', null, false],
      ['t1', 'r1', 'active', 'retracted', 1470, false],
    ]);
  });

  it('measures lag to an operation from its earliest minute/hour member; null without precise starts', () => {
    const g = world();
    report(g, 'trig', at(1), { time: minute('2024-01-02T10:00:00Z') });
    report(g, 'm1', at(1), { operation_id: 'op', time: minute('2024-01-02T12:00:00Z') });
    report(g, 'm2', at(1), {
      operation_id: 'op',
      time: {
        start: '2024-01-02T11:00:00Z',
        local_date: '2024-01-02',
        tz: 'UTC',
        precision: 'hour',
      },
    });
    report(g, 'm3', at(1), {
      operation_id: 'op',
      time: {
        start: '2024-01-02T09:00:00Z',
        local_date: '2024-01-02',
        tz: 'UTC',
        precision: 'day',
      },
    });
    report(g, 'day-trig', at(1), { time: day('2024-01-02') });
    g.add('ResponseLinked', at(2), {
      link_id: 'l',
      trigger_incident_ids: ['trig', 'day-trig'],
      response_operation_id: 'op',
      basis: 'analyst',
      likelihood: 'likely',
      source: src('s-a'),
    });
    g.add('ResponseLinked', at(2), {
      link_id: 'empty',
      trigger_incident_ids: ['trig'],
      response_operation_id: 'op-none',
      basis: 'analyst',
      likelihood: 'likely',
      source: src('s-a'),
    });
    const p = project(g.events);
    expect(
      p.response_graph.map((e) => [
        e.link_id,
        e.trigger_incident_id,
        e.response_id,
        e.lag_minutes,
        e.response_status,
      ]),
    ).toEqual([
      ['empty', 'trig', 'op-none', null, 'no_members'],
      ['l', 'day-trig', 'op', null, 'active'],
      ['l', 'trig', 'op', 60, 'active'],
    ]);
    // component: links plus operation membership
    const comp = new Set(
      p.response_graph.filter((e) => e.link_id === 'l').map((e) => e.component_id),
    );
    expect([...comp]).toEqual(['incident/day-trig']);
  });

  it('floors negative lags and deletes all of a link’s edges on removal, even one arriving first', () => {
    const g = world();
    report(g, 'a', at(1), { time: minute('2024-01-02T10:00:30Z') });
    report(g, 'b', at(1), { time: minute('2024-01-02T10:00:00Z') });
    g.add('ResponseLinked', at(2), {
      link_id: 'l1',
      trigger_incident_ids: ['a'],
      response_incident_ids: ['b'],
      basis: 'analyst',
      likelihood: 'likely',
      source: src('s-a'),
    });
    expect(project(g.events).response_graph.map((e) => e.lag_minutes)).toEqual([-1]);
    g.add('ResponseLinkRemoved', at(1), { link_id: 'l1', reason: 'r' });
    expect(project(g.events).response_graph).toEqual([]);
  });
});
