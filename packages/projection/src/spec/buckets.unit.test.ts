// spec check — §5.4 buckets after amendments of time/place precision; local dates by time zone;
// place levels from the site registration. Expected rows by hand from events.md.
import { project } from '../index.js';
import { atSite, claim, day, exact, report, seg, src, world } from '../fixtures.test.js';
import { expectOrderIndependent, periods, t } from './helpers.test.js';

describe('spec §5.4 amendments move an incident between buckets', () => {
  it('day → days_2_6 → month → year: leaves finer grains, imprecise counts on week/month rows', () => {
    // "An incident enters only buckets at least as coarse as its precision: day ← `minute`,
    //  `hour`, `day`; week ← those plus `days_2_6`, `week`; month ← those plus `month`. A
    //  `year`-precision incident enters no `attack_counts` row" ; "Week and month rows carry
    //  `imprecise` = their incidents missing from the day series."
    const g = world('ba');
    report(g, 'sul-1', t(1), { time: day('2025-03-04') }); // Tuesday, 2025-W10
    report(g, 'sul-2', t(1), { time: day('2025-03-05') });
    const amend = (time: object, at: string) =>
      g.add('IncidentAmended', at, {
        incident_id: 'sul-1',
        changes: { time: time as never },
        reason: 'precision revised',
        source: src('s-b'),
      });
    amend({ local_date: '2025-03-04', tz: 'UTC', precision: 'days_2_6' }, t(3));
    amend({ local_date: '2025-03-15', tz: 'UTC', precision: 'month' }, t(5));
    amend({ local_date: '2025-07-02', tz: 'UTC', precision: 'year' }, t(7));
    expect(periods(project(g.events, { asOf: t(2) }))).toEqual([
      'day 2025-03-04 1/0',
      'day 2025-03-05 1/0',
      'week 2025-W10 2/0',
      'month 2025-03 2/0',
    ]);
    expect(periods(project(g.events, { asOf: t(4) }))).toEqual([
      'day 2025-03-05 1/0',
      'week 2025-W10 2/1',
      'month 2025-03 2/1',
    ]);
    expect(periods(project(g.events, { asOf: t(6) }))).toEqual([
      'day 2025-03-05 1/0',
      'week 2025-W10 1/0',
      'month 2025-03 2/1',
    ]);
    expect(periods(project(g.events))).toEqual([
      'day 2025-03-05 1/0',
      'week 2025-W10 1/0',
      'month 2025-03 1/0',
    ]);
    expectOrderIndependent(g.events, [undefined, t(4), t(6)]);
  });

  it('an amendment recorded before the report (time precedes it) still applies, in logical order', () => {
    // §5.3 "Lifecycle events and amendments apply in logical order even when their `time`
    //  precedes the report's."
    const g = world('bb');
    g.add('IncidentAmended', t(3), {
      incident_id: 'sul-3',
      changes: { method: 'ballistic_missile' },
      reason: 'second correction',
      source: src('s-a'),
    });
    g.add('IncidentAmended', t(1), {
      incident_id: 'sul-3',
      changes: { method: 'cruise_missile', kind: 'interception' },
      reason: 'first correction',
      source: src('s-a'),
    });
    report(g, 'sul-3', t(2), { method: 'rocket' });
    const rows = (asOf?: string) =>
      project(g.events, asOf === undefined ? {} : { asOf })
        .attack_counts.filter((r) => r.geo_level === 'all' && r.grain === 'day')
        .map((r) => `${r.kind}/${r.method}`);
    expect(rows(t(2))).toEqual(['interception/cruise_missile']);
    expect(rows()).toEqual(['interception/ballistic_missile']);
    expectOrderIndependent(g.events, [undefined, t(2)]);
  });
});

describe('spec §3.2/§5.4 local dates by time zone', () => {
  it('day, week and month come from local_date in tz, never the UTC date', () => {
    // §3.2 "`local_date` is the date in `tz`, and every day bucket uses it, never the UTC date."
    const g = world('bt');
    // 21:30Z on 31 March 2025 is 00:30 on 1 April in Baghdad (UTC+3): new day, week and month
    report(g, 'tz-1', t(1), {
      time: {
        start: '2025-03-31T21:30:00Z',
        local_date: '2025-04-01',
        tz: 'Asia/Baghdad',
        precision: 'minute',
      },
    });
    // 03:00Z on Monday 3 March 2025 is Sunday 2 March in Chicago (UTC-6): previous ISO week
    report(g, 'tz-2', t(1), {
      time: {
        start: '2025-03-03T03:00:00Z',
        local_date: '2025-03-02',
        tz: 'America/Chicago',
        precision: 'hour',
      },
    });
    claim(
      g,
      'tz-c',
      t(2),
      { incident_id: 'tz-1' },
      seg('civilian', 'wounded', 'IRQ'),
      exact(2),
      's-a',
    );
    const p = project(g.events);
    expect(periods(p)).toEqual([
      'day 2025-03-02 1/0',
      'day 2025-04-01 1/0',
      'week 2025-W09 1/0',
      'week 2025-W14 1/0',
      'month 2025-03 1/0',
      'month 2025-04 1/0',
    ]);
    expect(p.casualty_tally_by_period.map((r) => `${r.grain} ${r.period} ${r.best}`)).toEqual([
      'day 2025-04-01 2',
      'week 2025-W14 2',
      'month 2025-04 2',
    ]);
    expectOrderIndependent(g.events);
  });
});

describe('spec §5.4 place buckets', () => {
  it('site / admin1 / country follow the latest site registration and the incident’s own fields', () => {
    // "admin1 ← precision `adm1` or finer with a known country and `admin1` (own or the
    //  site's), keyed `<country_iso3>/<admin1>`" ; §5.2 "A re-sent registration replaces the
    //  earlier one." ; §3.3 "Fields given on the incident win."
    const g = world('bp');
    report(g, 'pl-1', t(2), { place: atSite('qayyarah', 'near_site') });
    report(g, 'pl-2', t(2), {
      place: { site_id: 'qayyarah', admin1: 'Kirkuk', precision: 'site' },
    });
    report(g, 'pl-3', t(2), {
      place: { site_id: 'qayyarah', name: 'open sea', precision: 'water_air' },
    });
    const levels = (asOf?: string) => [
      ...new Set(
        project(g.events, asOf === undefined ? {} : { asOf })
          .attack_counts.filter((r) => r.grain === 'day')
          .map((r) => `${r.geo_level}:${r.geo_key}:${r.incidents}`),
      ),
    ];
    // unregistered site: no country or admin1 of its own for pl-1; pl-2 has admin1 but no country
    expect(levels()).toEqual(['all::3', 'site:qayyarah:2']);
    g.add('SiteRegistered', t(3), {
      site_id: 'qayyarah',
      names: ['Qayyarah West'],
      kind: 'base',
      place: { name: 'Qayyarah West', country_iso3: 'IRQ', admin1: 'Ninawa', precision: 'site' },
    });
    expect(levels()).toEqual([
      'all::3',
      'country:IRQ:2',
      'admin1:IRQ/Kirkuk:1',
      'admin1:IRQ/Ninawa:1',
      'site:qayyarah:2',
    ]);
    g.add('SiteRegistered', t(4), {
      site_id: 'qayyarah',
      names: ['Qayyarah Airfield'],
      kind: 'base',
      place: {
        name: 'Qayyarah Airfield',
        country_iso3: 'IRQ',
        admin1: 'Salah al-Din',
        precision: 'site',
      },
    });
    expect(levels()).toEqual([
      'all::3',
      'country:IRQ:2',
      'admin1:IRQ/Kirkuk:1',
      'admin1:IRQ/Salah al-Din:1',
      'site:qayyarah:2',
    ]);
    expect(levels(t(3))).toContain('admin1:IRQ/Ninawa:1');
    expectOrderIndependent(g.events, [undefined, t(2), t(3)]);
  });
});
