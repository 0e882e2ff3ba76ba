// spec check — edge cases: reclassification between segment keys by supersession, amended places,
// unresolved claim references, and the exactness of time lags.
import { project } from '../index.js';
import {
  atSite,
  claim,
  exact,
  incident,
  report,
  seg,
  src,
  tally,
  world,
} from '../fixtures.test.js';
import { expectOrderIndependent, figures, periods, t } from './helpers.test.js';

const sm = (outcome: Parameters<typeof seg>[1]) => seg('service_member', outcome, 'USA');

describe('spec §5.5 reclassification between segment keys', () => {
  it('a total in another key superseding a claim moves the number between keys (and scopes)', () => {
    // "Claim X is superseded when a claim that is not retracted names X in
    //  `supersedes_claim_id`, whatever its scope or source."
    const g = world('rk');
    report(g, 'rcl-1', t(1));
    report(g, 'rcl-2', t(1));
    const I1 = { incident_id: 'rcl-1' };
    claim(g, 'rk-1', t(2), I1, sm('wounded'), exact(5), 's-b');
    claim(g, 'rk-2', t(3), I1, sm('injured_tbi'), exact(2), 's-b');
    // 5 "wounded" were in fact TBI cases at the other base
    claim(g, 'rk-3', t(4), { incident_id: 'rcl-2' }, sm('injured_tbi'), exact(5), 's-b', {
      supersedes_claim_id: 'rk-1',
    });
    // an editor's umbrella figure at rcl-1 later replaces its children there
    g.add('CasualtyEstimateAdopted', t(5), {
      scope: I1,
      segment: sm('wounded_or_injured'),
      count: exact(3),
      policy: 'editorial',
    });
    const p = project(g.events);
    expect(figures(p, 'rcl-1')).toEqual({
      'service_member/injured_tbi/USA': '2 / 2 / 2',
      'service_member/wounded_or_injured/USA': '3 / 3 / 3',
    });
    expect(figures(p, 'rcl-2')).toEqual({ 'service_member/injured_tbi/USA': '5 / 5 / 5' });
    expect(tally(p, 'overall')).toEqual({
      'service_member/injured_tbi/USA': '5 / 5 / 5',
      'service_member/wounded_or_injured/USA': '3 / 3 / 3',
    });
    expect(tally(project(g.events, { asOf: t(4) }), 'overall')).toEqual({
      'service_member/injured_tbi/USA': '7 / 7 / 7',
    });
    expect(tally(project(g.events, { asOf: t(3) }), 'overall')).toEqual({
      'service_member/injured_tbi/USA': '2 / 2 / 2',
      'service_member/wounded/USA': '5 / 5 / 5',
    });
    expectOrderIndependent(g.events, [undefined, t(3), t(4)]);
  });

  it('a supersession naming a claim never seen stays an unresolved reference until it arrives', () => {
    // §5.2 "A reference to an id not seen yet is kept as *unresolved* and resolves when the
    //  target arrives. It is never dropped."
    const g = world('ru');
    report(g, 'rcl-3', t(1));
    claim(g, 'ru-2', t(2), { incident_id: 'rcl-3' }, sm('killed'), exact(1), 's-a', {
      supersedes_claim_id: 'ru-1',
    });
    expect(incident(project(g.events), 'rcl-3').unresolved).toEqual(['claim/ru-1']);
    claim(g, 'ru-1', t(3), { incident_id: 'rcl-3' }, sm('killed'), exact(4), 's-c');
    const p = project(g.events);
    expect(incident(p, 'rcl-3').unresolved).toEqual([]);
    expect(figures(p, 'rcl-3')).toEqual({ 'service_member/killed/USA': '1 / 1 / 1' });
    expectOrderIndependent(g.events);
  });
});

describe('spec §5.3/§5.4 amended places', () => {
  it('an amendment moving the incident to another site moves its site and admin1 buckets', () => {
    // "The effective fields are the `IncidentReported` values overlaid with
    //  `IncidentAmended.changes` in logical order." ; "each replaces the whole field"
    const g = world('rp');
    for (const [site, admin1] of [
      ['ain-asad', 'Anbar'],
      ['harir', 'Erbil'],
    ] as const)
      g.add('SiteRegistered', t(1), {
        site_id: site,
        names: [site],
        kind: 'base',
        place: { name: site, country_iso3: 'IRQ', admin1, precision: 'site' },
      });
    report(g, 'plc-1', t(2), { place: atSite('ain-asad') });
    g.add('IncidentAmended', t(3), {
      incident_id: 'plc-1',
      changes: { place: atSite('harir', 'near_site') },
      reason: 'wrong base',
      source: src('s-a'),
    });
    expect(periods(project(g.events, { asOf: t(2) }), 'site', 'ain-asad')).toHaveLength(3);
    const p = project(g.events);
    expect(periods(p, 'site', 'ain-asad')).toEqual([]);
    expect(periods(p, 'site', 'harir')).toEqual([
      'day 2024-01-02 1/0',
      'week 2024-W01 1/0',
      'month 2024-01 1/0',
    ]);
    expect(periods(p, 'admin1', 'IRQ/Erbil')).toHaveLength(3);
    expect(periods(p, 'admin1', 'IRQ/Anbar')).toEqual([]);
    expect(incident(p, 'plc-1')).toMatchObject({
      site_id: 'harir',
      admin1: 'Erbil',
      place_precision: 'near_site',
    });
    expectOrderIndependent(g.events, [undefined, t(2)]);
  });
});

describe('spec §5.9 exact lag', () => {
  it('floors the exact difference of the starts, also below a microsecond', () => {
    // "`lag_minutes = floor((response start − trigger start) / 1 min)`" ; starts are Instants
    // (§2), which take any number of fractional digits (docs/decisions.md, validation readings).
    // 10:00:00.0000001 → 10:01:00 is 59.9999999 s: floor → 0 minutes.
    const g = world('rx');
    report(g, 'lag-t', t(1), {
      time: {
        start: '2025-03-02T10:00:00.0000001Z',
        local_date: '2025-03-02',
        tz: 'UTC',
        precision: 'minute',
      },
    });
    report(g, 'lag-r', t(1), {
      kind: 'response_strike',
      time: {
        start: '2025-03-02T10:01:00Z',
        local_date: '2025-03-02',
        tz: 'UTC',
        precision: 'minute',
      },
    });
    g.add('ResponseLinked', t(2), {
      link_id: 'rx-1',
      trigger_incident_ids: ['lag-t'],
      response_incident_ids: ['lag-r'],
      basis: 'analyst',
      likelihood: 'likely',
      source: src('s-a'),
    });
    expect(project(g.events).response_graph.map((e) => e.lag_minutes)).toEqual([0]);
  });
});
