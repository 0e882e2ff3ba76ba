// §5.4 buckets and precision filters.
import type { TimeSpec } from '@incidents/events';
import { project, type AttackCountRow } from '../index.js';
import { atSite, day, exact, minute, report, src, world } from '../fixtures.test.js';
import { at } from '../scenarios.test.js';

const periods = (rows: AttackCountRow[], level = 'all') =>
  rows
    .filter((r) => r.geo_level === level)
    .map((r) => `${r.grain} ${r.period} ${r.incidents}/${r.imprecise}`);

describe('§5.4 time buckets', () => {
  it('uses local_date, never the UTC date', () => {
    const g = world();
    report(g, 'i-1', at(1), {
      time: {
        start: '2023-03-23T23:40:00Z',
        local_date: '2023-03-24',
        tz: 'Asia/Damascus',
        precision: 'hour',
      },
    });
    expect(periods(project(g.events).attack_counts)).toEqual([
      'day 2023-03-24 1/0',
      'week 2023-W12 1/0',
      'month 2023-03 1/0',
    ]);
  });

  it('uses ISO weeks and ISO week-years', () => {
    const g = world();
    report(g, 'i-1', at(1), { time: day('2021-01-01') });
    report(g, 'i-2', at(1), { time: day('2024-12-30') });
    expect(periods(project(g.events).attack_counts)).toEqual([
      'day 2021-01-01 1/0',
      'day 2024-12-30 1/0',
      'week 2020-W53 1/0',
      'week 2025-W01 1/0',
      'month 2021-01 1/0',
      'month 2024-12 1/0',
    ]);
  });

  it.each<[TimeSpec['precision'], string[]]>([
    ['minute', ['day', 'week', 'month']],
    ['hour', ['day', 'week', 'month']],
    ['day', ['day', 'week', 'month']],
    ['days_2_6', ['week', 'month']],
    ['week', ['week', 'month']],
    ['month', ['month']],
    ['year', []],
  ])('an incident of %s precision enters %j', (precision, grains) => {
    const g = world();
    const time: TimeSpec =
      precision === 'minute' || precision === 'hour'
        ? { start: '2024-03-14T10:00:00Z', local_date: '2024-03-14', tz: 'UTC', precision }
        : { local_date: '2024-03-14', tz: 'UTC', precision };
    report(g, 'i-1', at(1), { time });
    g.add('CasualtyReported', at(2), {
      claim_id: 'c',
      scope: { incident_id: 'i-1' },
      segment: { side: 'target', role: 'civilian', outcome: 'killed' },
      count: exact(1),
      mode: 'total',
      source: src('s-a'),
    });
    const p = project(g.events);
    const rows = p.attack_counts.filter((r) => r.geo_level === 'all');
    expect(rows.map((r) => r.grain)).toEqual(grains);
    const imprecise = grains.includes('day') ? 0 : 1;
    expect(rows.filter((r) => r.grain !== 'day').every((r) => r.imprecise === imprecise)).toBe(
      true,
    );
    // year precision counts only in un-bucketed tallies
    expect(p.casualty_tally.filter((r) => r.scope_kind === 'overall').map((r) => r.best)).toEqual([
      1,
    ]);
  });
});

describe('§5.4 place buckets', () => {
  it('site ← site_id with site/near_site; admin1 ← adm1 or finer with country and admin1; country ← all but water_air', () => {
    const g = world();
    g.add('SiteRegistered', at(1), {
      site_id: 'base',
      names: ['Base'],
      kind: 'base',
      place: { name: 'Base', country_iso3: 'SYR', admin1: 'Homs', precision: 'site' },
    });
    report(g, 'at-site', at(1), { place: atSite('base') });
    report(g, 'site-but-region', at(1), { place: { site_id: 'base', precision: 'region' } });
    report(g, 'adm2', at(1), {
      place: { name: 'n', country_iso3: 'IRQ', admin1: 'Anbar', admin2: 'Hit', precision: 'adm2' },
    });
    report(g, 'region', at(1), {
      place: { name: 'n', country_iso3: 'IRQ', admin1: 'Anbar', precision: 'region' },
    });
    report(g, 'sea', at(1), {
      place: { name: 'Red Sea', country_iso3: 'YEM', precision: 'water_air' },
    });
    const rows = project(g.events).attack_counts.filter((r) => r.grain === 'day');
    expect(rows.map((r) => `${r.geo_level}:${r.geo_key}=${r.incidents}`)).toEqual([
      'all:=5',
      'country:IRQ=2',
      'country:SYR=2',
      'admin1:IRQ/Anbar=1',
      'admin1:SYR/Homs=1',
      'site:base=1',
    ]);
  });

  it('an unregistered site’s incidents enter admin1 and country once the registration arrives', () => {
    const g = world();
    report(g, 'i-1', at(1), { place: atSite('base', 'near_site') });
    g.add('SiteRegistered', at(5), {
      site_id: 'base',
      names: ['Base'],
      kind: 'base',
      place: { name: 'Base', country_iso3: 'SYR', admin1: 'Homs', precision: 'site' },
    });
    const levels = (asOf?: string) =>
      project(g.events, asOf === undefined ? {} : { asOf })
        .attack_counts.filter((r) => r.grain === 'day')
        .map((r) => `${r.geo_level}:${r.geo_key}`);
    expect(levels(at(4))).toEqual(['all:', 'site:base']);
    expect(levels()).toEqual(['all:', 'country:SYR', 'admin1:SYR/Homs', 'site:base']);
  });
});

describe('attack_counts values', () => {
  it('sums munitions (null components add 0), interceptions (best) and incidents with casualties, per top perpetrator', () => {
    const g = world();
    report(g, 'a', at(1), { munitions: { low: 4, best: null, high: null, qualifier: 'at_least' } });
    report(g, 'b', at(1), { munitions: exact(3) });
    report(g, 'c', at(1));
    g.add('InterceptionReported', at(2), {
      incident_id: 'b',
      intercepted: { low: 1, best: 2, high: 3, qualifier: 'approx' },
      source: src('s-a'),
    });
    g.add('CasualtyReported', at(2), {
      claim_id: 'x',
      scope: { incident_id: 'a' },
      segment: { side: 'target', role: 'civilian', outcome: 'wounded' },
      count: exact(1),
      mode: 'total',
      source: src('s-a'),
    });
    g.add('AttributionAsserted', at(2), {
      assertion_id: 'as',
      incident_id: 'c',
      actor_id: 'grp',
      role: 'perpetrator',
      basis: 'media',
      likelihood: 'roughly_even',
      source: src('s-a'),
    });
    const rows = project(g.events).attack_counts.filter(
      (r) => r.grain === 'day' && r.geo_level === 'all',
    );
    expect(
      rows.map((r) => [
        r.perpetrator,
        r.perpetrator_likelihood,
        r.incidents,
        r.munitions_low,
        r.munitions_best,
        r.munitions_high,
        r.munitions_unknown,
        r.intercepted,
        r.incidents_with_casualties,
      ]),
    ).toEqual([
      ['', '', 2, 7, 3, 3, 0, 2, 1],
      ['grp', 'roughly_even', 1, 0, 0, 0, 1, 0, 0],
    ]);
  });

  it('also splits rows by the effective kind and method; the first minute bucket uses local_date', () => {
    const g = world();
    report(g, 'a', at(1), { time: minute('2024-01-02T01:00:00Z') });
    report(g, 'b', at(1), { kind: 'interception', method: 'one_way_uav' });
    const rows = project(g.events).attack_counts.filter(
      (r) => r.grain === 'day' && r.geo_level === 'all',
    );
    expect(rows.map((r) => `${r.kind}/${r.method}`)).toEqual([
      'attack/rocket',
      'interception/one_way_uav',
    ]);
  });
});
