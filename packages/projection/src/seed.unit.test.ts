// The seed fixture must produce exactly the tables of seed-expected.md.
import { project, type AttackCountRow, type Projection } from './index.js';
import { incident, lbh, seedEvents, tally } from './fixtures.test.js';

const seed = seedEvents();
const final = project(seed);
const asOf = (t: string) => project(seed, { asOf: t });

const I1 = 'i1-rlz-uav';
const I2A = 'i2a-us-strike-dez-city';
const I2B = 'i2b-us-strike-mayadin-bukamal';
const I3 = 'i3-gv-rockets';
const I4 = 'i4-conoco-rockets';
const I5 = 'i5-gv-uavs';
const SEED = 'seed-alomar-7rockets';
const OP = 'op-2023-03-24-us-strikes';

describe('§0 reference data (final)', () => {
  it('registers every source with its kind and reliability', () => {
    expect(final.sources.map((s) => [s.source_id, s.kind, s.reliability, s.registered])).toEqual([
      ['centcom', 'military', 'B', true],
      ['deirezzor24', 'local_media', 'C', true],
      ['dod', 'official_gov', 'B', true],
      ['memri', 'monitor_ngo', 'C', true],
      ['nbc', 'national_media', 'B', true],
      ['ntd', 'partisan_media', 'D', true],
      ['nyt', 'national_media', 'B', true],
      ['reuters', 'wire', 'B', true],
      ['seed-2023-03-25', 'seed_document', 'F', true],
      ['sohr', 'monitor_ngo', 'C', true],
      ['stripes', 'national_media', 'B', true],
    ]);
  });

  it('registers the actors and sites', () => {
    expect(final.actors.map((a) => [a.actor_id, a.actor_type, a.registered])).toEqual([
      ['civilians-syria', 7, true],
      ['ghaliboun', 3, true],
      ['iran-state', 8, true],
      ['irgc-affiliated', 3, true],
      ['kataib-hezbollah', 3, true],
      ['us-mil', 8, true],
    ]);
    expect(
      final.sites.map((s) => [
        s.site_id,
        s.admin1,
        (s.place as { precision: string }).precision,
        s.registered,
      ]),
    ).toEqual([
      ['conoco', 'Deir ez-Zor', 'site', true],
      ['green-village', 'Deir ez-Zor', 'site', true],
      ['rlz', 'Al-Hasakah', 'near_site', true],
    ]);
    expect(final.incident_current.every((r) => r.unresolved.length === 0)).toBe(true);
  });

  it('shows the late registrations as unregistered in a file-order replay before lines 48-57 (§5.8)', () => {
    const prefix = project(seed.slice(0, 47));
    const unregistered = [...prefix.sources, ...prefix.actors]
      .filter((r) => !r.registered)
      .map((r) => ('source_id' in r ? r.source_id : r.actor_id))
      .sort();
    expect(unregistered).toEqual(
      [
        'nbc',
        'nyt',
        'reuters',
        'ntd',
        'memri',
        'stripes',
        'deirezzor24',
        'iran-state',
        'kataib-hezbollah',
        'civilians-syria',
      ].sort(),
    );
    expect(prefix.sources.find((s) => s.source_id === 'ntd')?.reliability).toBe('F');
    expect(incident(prefix, I1).unresolved).toEqual([
      'actor/iran-state',
      'actor/kataib-hezbollah',
      'source/memri',
    ]);
  });
});

describe('§1 incident_current (final)', () => {
  const summary = (p: Projection, id: string) => {
    const r = incident(p, id);
    return [
      r.status,
      r.merged_into,
      `${r.kind} / ${r.method}`,
      `${r.local_date} (${r.time_precision})`,
      `${r.place_precision} / ${r.site_id ?? '—'} / ${r.admin1}`,
      r.operation_id,
      r.munitions === null ? 'unknown' : lbh(r.munitions),
      r.intercepted === null ? '—' : lbh(r.intercepted),
      r.has_discrepancy,
      r.counted,
    ];
  };

  it.each([
    [
      I1,
      [
        'active',
        null,
        'attack / one_way_uav',
        '2023-03-23 (minute)',
        'near_site / rlz / Al-Hasakah',
        null,
        '1 / 1 / 1',
        '—',
        false,
        true,
      ],
    ],
    [
      I2A,
      [
        'active',
        null,
        'response_strike / airstrike_fixed_wing',
        '2023-03-24 (hour)',
        'adm3 / — / Deir ez-Zor',
        OP,
        'unknown',
        '—',
        true,
        true,
      ],
    ],
    [
      I2B,
      [
        'active',
        null,
        'response_strike / airstrike_fixed_wing',
        '2023-03-24 (day)',
        'adm1 / — / Deir ez-Zor',
        OP,
        'unknown',
        '—',
        false,
        true,
      ],
    ],
    [
      I3,
      [
        'active',
        null,
        'attack / rocket',
        '2023-03-24 (minute)',
        'site / green-village / Deir ez-Zor',
        null,
        '7 / 10 / 10',
        '—',
        true,
        true,
      ],
    ],
    [
      I4,
      [
        'active',
        null,
        'attack / rocket',
        '2023-03-24 (day)',
        'site / conoco / Deir ez-Zor',
        null,
        'unknown',
        '—',
        false,
        true,
      ],
    ],
    [
      I5,
      [
        'active',
        null,
        'attack / one_way_uav',
        '2023-03-24 (day)',
        'site / green-village / Deir ez-Zor',
        null,
        '3 / 3 / 3',
        '2 / 2 / 2',
        false,
        true,
      ],
    ],
    [
      SEED,
      [
        'merged',
        I3,
        'attack / rocket',
        '2023-03-23 (week)',
        'near_site / — / Deir ez-Zor',
        null,
        'unknown',
        '—',
        false,
        false,
      ],
    ],
  ])('%s', (id, expected) => {
    expect(summary(final, id)).toEqual(expected);
  });

  it('has exactly these seven incidents', () => {
    expect(final.incident_current.map((r) => r.incident_id)).toEqual([
      I1,
      I2A,
      I2B,
      I3,
      I4,
      I5,
      SEED,
    ]);
  });

  it('attributes i1 without turning claims, denials or relations into attributions (§5.9)', () => {
    const r = incident(final, I1);
    expect([r.top_perpetrator, r.top_perpetrator_likelihood]).toEqual([
      'irgc-affiliated',
      'likely',
    ]);
    expect(r.attributions.find((a) => a.actor_id === 'irgc-affiliated')?.source_id).toBe('dod');
    expect([r.materiel_origin, r.materiel_origin_likelihood]).toEqual(['iran-state', 'likely']);
    expect(r.claimed_by).toEqual(['ghaliboun']);
    expect(r.denied_by).toEqual(['kataib-hezbollah']);
    expect(final.actors.find((a) => a.actor_id === 'ghaliboun')?.relations).toMatchObject([
      {
        to_actor_id: 'irgc-affiliated',
        relation: 'facade_of',
        likelihood: 'likely',
        source_id: 'stripes',
      },
    ]);
  });

  it('puts i2a (23:40Z on 23 March) on its Damascus local date', () => {
    expect(incident(final, I2A).time_start).toBe('2023-03-23T23:40:00Z');
    expect(incident(final, I2A).local_date).toBe('2023-03-24');
  });

  it('lists i1 covered figures, marked covered, next to the adopted umbrella', () => {
    const figures = incident(final, I1).casualties.map((c) => [
      `${c.role}/${c.outcome}/${c.nationality}`,
      lbh(c),
      c.source,
      c.covered,
    ]);
    expect(figures).toEqual([
      ['contractor/killed/USA', '1 / 1 / 1', 'default', false],
      ['contractor/wounded/USA', '1 / 1 / 1', 'default', false],
      ['service_member/injured_tbi/USA', '11 / 11 / 11', 'default', true],
      ['service_member/wounded/USA', '5 / 5 / 5', 'default', true],
      ['service_member/wounded_or_injured/USA', '11 / 11 / 16', 'adopted', false],
    ]);
  });

  it('marks the strike incidents figures as covered by their operation', () => {
    expect(incident(final, I2A).casualties.map((c) => [lbh(c), c.covered_by_operation])).toEqual([
      ['4 / 6 / 6', true],
    ]);
    expect(incident(final, I2B).casualties.map((c) => [lbh(c), c.covered_by_operation])).toEqual([
      ['2 / 2 / 2', true],
    ]);
  });

  it('lists damage reports', () => {
    expect(incident(final, I3).damage).toMatchObject([
      {
        object: 'civilian_house',
        extent: 'significant',
        distance_from_target_km: 5,
        source_id: 'centcom',
      },
    ]);
  });
});

/** Builds attack_counts rows from the compact tables of seed-expected.md §2. */
type Compact = [
  grain: AttackCountRow['grain'],
  period: string,
  level: AttackCountRow['geo_level'],
  key: string,
  kind: string,
  method: string,
  perpetrator: string,
  incidents: number,
  munitions: [number, number, number],
  unknown: number,
  intercepted: number,
  withCasualties: number,
  imprecise: number,
];

function row(c: Compact): AttackCountRow {
  const [
    grain,
    period,
    geo_level,
    geo_key,
    kind,
    method,
    perpetrator,
    incidents,
    m,
    unknown,
    intercepted,
    wc,
    imprecise,
  ] = c;
  return {
    grain,
    period,
    geo_level,
    geo_key,
    kind,
    method,
    perpetrator,
    perpetrator_likelihood: perpetrator === '' ? '' : 'likely',
    incidents,
    munitions_low: m[0],
    munitions_best: m[1],
    munitions_high: m[2],
    munitions_unknown: unknown,
    intercepted,
    incidents_with_casualties: wc,
    imprecise,
  };
}

const IRGC = 'irgc-affiliated';
const dayAll: Compact[] = [
  ['day', '2023-03-23', 'all', '', 'attack', 'one_way_uav', IRGC, 1, [1, 1, 1], 0, 0, 1, 0],
  ['day', '2023-03-24', 'all', '', 'attack', 'one_way_uav', '', 1, [3, 3, 3], 0, 2, 0, 0],
  ['day', '2023-03-24', 'all', '', 'attack', 'rocket', '', 2, [7, 10, 10], 1, 0, 2, 0],
  [
    'day',
    '2023-03-24',
    'all',
    '',
    'response_strike',
    'airstrike_fixed_wing',
    '',
    2,
    [0, 0, 0],
    2,
    0,
    2,
    0,
  ],
];
const daySite: Compact[] = [
  ['day', '2023-03-23', 'site', 'rlz', 'attack', 'one_way_uav', IRGC, 1, [1, 1, 1], 0, 0, 1, 0],
  ['day', '2023-03-24', 'site', 'conoco', 'attack', 'rocket', '', 1, [0, 0, 0], 1, 0, 1, 0],
  [
    'day',
    '2023-03-24',
    'site',
    'green-village',
    'attack',
    'one_way_uav',
    '',
    1,
    [3, 3, 3],
    0,
    2,
    0,
    0,
  ],
  [
    'day',
    '2023-03-24',
    'site',
    'green-village',
    'attack',
    'rocket',
    '',
    1,
    [7, 10, 10],
    0,
    0,
    1,
    0,
  ],
];
const dayAdmin1: Compact[] = [
  [
    'day',
    '2023-03-23',
    'admin1',
    'SYR/Al-Hasakah',
    'attack',
    'one_way_uav',
    IRGC,
    1,
    [1, 1, 1],
    0,
    0,
    1,
    0,
  ],
  [
    'day',
    '2023-03-24',
    'admin1',
    'SYR/Deir ez-Zor',
    'attack',
    'one_way_uav',
    '',
    1,
    [3, 3, 3],
    0,
    2,
    0,
    0,
  ],
  [
    'day',
    '2023-03-24',
    'admin1',
    'SYR/Deir ez-Zor',
    'attack',
    'rocket',
    '',
    2,
    [7, 10, 10],
    1,
    0,
    2,
    0,
  ],
  [
    'day',
    '2023-03-24',
    'admin1',
    'SYR/Deir ez-Zor',
    'response_strike',
    'airstrike_fixed_wing',
    '',
    2,
    [0, 0, 0],
    2,
    0,
    2,
    0,
  ],
];
const week: Compact[] = [
  ['week', '2023-W12', 'all', '', 'attack', 'one_way_uav', IRGC, 1, [1, 1, 1], 0, 0, 1, 0],
  ['week', '2023-W12', 'all', '', 'attack', 'one_way_uav', '', 1, [3, 3, 3], 0, 2, 0, 0],
  ['week', '2023-W12', 'all', '', 'attack', 'rocket', '', 2, [7, 10, 10], 1, 0, 2, 0],
  [
    'week',
    '2023-W12',
    'all',
    '',
    'response_strike',
    'airstrike_fixed_wing',
    '',
    2,
    [0, 0, 0],
    2,
    0,
    2,
    0,
  ],
  ['week', '2023-W12', 'site', 'rlz', 'attack', 'one_way_uav', IRGC, 1, [1, 1, 1], 0, 0, 1, 0],
  [
    'week',
    '2023-W12',
    'site',
    'green-village',
    'attack',
    'one_way_uav',
    '',
    1,
    [3, 3, 3],
    0,
    2,
    0,
    0,
  ],
  ['week', '2023-W12', 'site', 'green-village', 'attack', 'rocket', '', 1, [7, 10, 10], 0, 0, 1, 0],
  ['week', '2023-W12', 'site', 'conoco', 'attack', 'rocket', '', 1, [0, 0, 0], 1, 0, 1, 0],
  [
    'week',
    '2023-W12',
    'admin1',
    'SYR/Al-Hasakah',
    'attack',
    'one_way_uav',
    IRGC,
    1,
    [1, 1, 1],
    0,
    0,
    1,
    0,
  ],
  [
    'week',
    '2023-W12',
    'admin1',
    'SYR/Deir ez-Zor',
    'attack',
    'one_way_uav',
    '',
    1,
    [3, 3, 3],
    0,
    2,
    0,
    0,
  ],
  [
    'week',
    '2023-W12',
    'admin1',
    'SYR/Deir ez-Zor',
    'attack',
    'rocket',
    '',
    2,
    [7, 10, 10],
    1,
    0,
    2,
    0,
  ],
  [
    'week',
    '2023-W12',
    'admin1',
    'SYR/Deir ez-Zor',
    'response_strike',
    'airstrike_fixed_wing',
    '',
    2,
    [0, 0, 0],
    2,
    0,
    2,
    0,
  ],
];
const asMonth = (rows: Compact[]): Compact[] =>
  rows.map((r) => ['month', '2023-03', ...r.slice(2)] as Compact);
const withCountry = (rows: Compact[]): Compact[] => [
  ...rows,
  ...rows
    .filter((r) => r[2] === 'all')
    .map((r) => [r[0], r[1], 'country', 'SYR', ...r.slice(4)] as Compact),
];
const sortKey = (r: AttackCountRow) =>
  [
    r.grain,
    r.period,
    r.geo_level,
    r.geo_key,
    r.kind,
    r.method,
    r.perpetrator,
    r.perpetrator_likelihood,
  ].join('|');
const asSet = (rows: readonly AttackCountRow[]) =>
  [...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));

const finalCounts: Compact[] = [
  ...withCountry([...dayAll, ...dayAdmin1, ...daySite]),
  ...withCountry(week),
  ...withCountry(asMonth(week)),
];

describe('§2 attack_counts', () => {
  it('final: exactly the rows of §2.1-2.4, country SYR equal to all, month equal to week', () => {
    expect(asSet(final.attack_counts)).toEqual(asSet(finalCounts.map(row)));
  });

  it('all attacks on 2023-03-24: 3 incidents, munitions 10 / 13 / 13 plus 1 unknown', () => {
    const rows = final.attack_counts.filter(
      (r) =>
        r.grain === 'day' &&
        r.period === '2023-03-24' &&
        r.geo_level === 'all' &&
        r.kind === 'attack',
    );
    const sum = (f: (r: AttackCountRow) => number) => rows.reduce((n, r) => n + f(r), 0);
    expect([
      sum((r) => r.incidents),
      sum((r) => r.munitions_low),
      sum((r) => r.munitions_best),
      sum((r) => r.munitions_high),
      sum((r) => r.munitions_unknown),
    ]).toEqual([3, 10, 13, 13, 1]);
  });

  it('§2.5 as of 2023-03-25T12:30:00Z: the seed incident counts in week and month rows only', () => {
    const override = (c: Compact): Compact => {
      const [grain, , level, key, , method] = c;
      if (method !== 'rocket' || key === 'conoco') return c;
      const gv = level === 'site';
      if (grain === 'day' || gv) return [...c.slice(0, 8), [8, 10, 10], ...c.slice(9)] as Compact;
      return [...c.slice(0, 7), 3, [15, 17, 17], 1, 0, 2, 1] as Compact;
    };
    expect(asSet(asOf('2023-03-25T12:30:00Z').attack_counts)).toEqual(
      asSet(finalCounts.map(override).map(row)),
    );
  });

  it('from the merge (2023-03-25T13:00:00Z) on, every row is the final one', () => {
    expect(asOf('2023-03-25T13:00:00Z').attack_counts).toEqual(final.attack_counts);
  });
});

describe('§3 casualty_tally', () => {
  const T25 = '2023-03-25T23:59:59Z';
  const T31 = '2023-03-31T23:59:59Z';

  it('§3.1 overall: final, as of 25 March and as of 31 March', () => {
    expect(tally(final, 'overall')).toEqual({
      'contractor/killed/USA': '1 / 1 / 1',
      'contractor/wounded/USA': '1 / 1 / 1',
      'service_member/wounded/USA': '1 / 1 / 1',
      'service_member/injured_tbi/USA': '12 / 12 / 12',
      'service_member/wounded_or_injured/USA': '11 / 11 / 16',
      'militant/killed/': '4 / 8 / 19',
      'civilian/wounded/SYR': '4 / 4 / 4',
    });
    expect(tally(asOf(T25), 'overall')).toEqual({
      'contractor/killed/USA': '1 / 1 / 1',
      'contractor/wounded/USA': '1 / 1 / 1',
      'service_member/wounded/USA': '6 / 6 / 6',
      'militant/killed/': '19 / 19 / 19',
      'civilian/wounded/SYR': '4 / 4 / 4',
    });
    expect(tally(asOf(T31), 'overall')).toEqual({
      'contractor/killed/USA': '1 / 1 / 1',
      'contractor/wounded/USA': '1 / 1 / 1',
      'service_member/wounded/USA': '6 / 6 / 6',
      'service_member/injured_tbi/USA': '6 / 6 / 6',
      'militant/killed/': '4 / 8 / 19',
      'civilian/wounded/SYR': '4 / 4 / 4',
    });
  });

  it('§3 groups every row into one side/affiliation group', () => {
    for (const p of [final, asOf(T25), asOf(T31)]) {
      for (const r of p.casualty_tally) {
        const expected =
          r.nationality === 'USA'
            ? ['target', 'us-mil']
            : r.role === 'militant'
              ? ['target', 'irgc-affiliated']
              : ['third_party', 'civilians-syria'];
        expect([r.side, r.affiliation_actor_id]).toEqual(expected);
        expect(r.incomplete).toBe(false);
      }
    }
  });

  it('§3.2 per incident', () => {
    const perIncident = (p: Projection) =>
      Object.fromEntries(
        [I1, I2A, I2B, I3, I4, I5, SEED].map((id) => [id, tally(p, 'incident', id)]),
      );
    expect(perIncident(final)).toEqual({
      [I1]: {
        'contractor/killed/USA': '1 / 1 / 1',
        'contractor/wounded/USA': '1 / 1 / 1',
        'service_member/wounded_or_injured/USA': '11 / 11 / 16',
      },
      [I2A]: { 'militant/killed/': '4 / 6 / 6' },
      [I2B]: { 'militant/killed/': '2 / 2 / 2' },
      [I3]: { 'civilian/wounded/SYR': '4 / 4 / 4' },
      [I4]: {
        'service_member/wounded/USA': '1 / 1 / 1',
        'service_member/injured_tbi/USA': '12 / 12 / 12',
      },
      [I5]: {},
      [SEED]: {},
    });
    expect(perIncident(asOf(T25))).toEqual({
      [I1]: {
        'contractor/killed/USA': '1 / 1 / 1',
        'contractor/wounded/USA': '1 / 1 / 1',
        'service_member/wounded/USA': '5 / 5 / 5',
      },
      [I2A]: { 'militant/killed/': '4 / 6 / 6' },
      [I2B]: { 'militant/killed/': '2 / 2 / 2' },
      [I3]: { 'civilian/wounded/SYR': '4 / 4 / 4' },
      [I4]: { 'service_member/wounded/USA': '1 / 1 / 1' },
      [I5]: {},
      [SEED]: {},
    });
    expect(perIncident(asOf(T31))).toEqual({
      [I1]: {
        'contractor/killed/USA': '1 / 1 / 1',
        'contractor/wounded/USA': '1 / 1 / 1',
        'service_member/wounded/USA': '5 / 5 / 5',
        'service_member/injured_tbi/USA': '4 / 4 / 4',
      },
      [I2A]: { 'militant/killed/': '4 / 6 / 6' },
      [I2B]: { 'militant/killed/': '2 / 2 / 2' },
      [I3]: { 'civilian/wounded/SYR': '4 / 4 / 4', 'service_member/injured_tbi/USA': '2 / 2 / 2' },
      [I4]: { 'service_member/wounded/USA': '1 / 1 / 1' },
      [I5]: {},
      [SEED]: {},
    });
    const woi = final.casualty_tally.find(
      (r) => r.scope_id === I1 && r.outcome === 'wounded_or_injured',
    );
    expect(woi?.source).toBe('adopted');
  });

  it('§3.3 per operation: adopted, default from SOHR c2c only, adopted', () => {
    const op = (p: Projection) =>
      p.casualty_tally.filter((r) => r.scope_kind === 'operation' && r.scope_id === OP);
    expect(op(final).map((r) => [r.role, r.outcome, r.nationality, lbh(r), r.source])).toEqual([
      ['militant', 'killed', '', '4 / 8 / 19', 'adopted'],
    ]);
    expect(op(asOf(T25)).map((r) => [lbh(r), r.source])).toEqual([['19 / 19 / 19', 'default']]);
    expect(op(asOf(T31)).map((r) => [lbh(r), r.source])).toEqual([['4 / 8 / 19', 'adopted']]);
    // §3.4: without the adoption, the default at 30 March is 8 / 8 / 19
    expect(op(asOf('2023-03-30T18:00:00Z')).map((r) => [lbh(r), r.source])).toEqual([
      ['8 / 8 / 19', 'default'],
    ]);
  });

  it('§3.4 c1d counts 4 as a delta without base', () => {
    const tbi = incident(asOf(T31), I1).casualties.find((c) => c.outcome === 'injured_tbi');
    expect([lbh(tbi ?? null), tbi?.delta_without_base]).toEqual(['4 / 4 / 4', true]);
  });

  it.each([
    ['2023-03-24T03:21:00Z', '—', { 'service_member/wounded/USA': '5 / 5 / 5' }],
    ['2023-03-24T06:00:00Z', '4 / 4 / 4', { 'service_member/wounded/USA': '5 / 5 / 5' }],
    ['2023-03-24T10:00:00Z', '4 / 6 / 6', { 'service_member/wounded/USA': '5 / 5 / 5' }],
    ['2023-03-24T12:00:00Z', '6 / 8 / 8', { 'service_member/wounded/USA': '5 / 5 / 5' }],
    ['2023-03-24T22:00:00Z', '6 / 8 / 8', { 'service_member/wounded/USA': '6 / 6 / 6' }],
    ['2023-03-25T08:00:00Z', '19 / 19 / 19', { 'service_member/wounded/USA': '6 / 6 / 6' }],
    [
      '2023-03-30T18:00:00Z',
      '8 / 8 / 19',
      { 'service_member/wounded/USA': '6 / 6 / 6', 'service_member/injured_tbi/USA': '6 / 6 / 6' },
    ],
    [
      '2023-03-31T09:00:00Z',
      '4 / 8 / 19',
      { 'service_member/wounded/USA': '6 / 6 / 6', 'service_member/injured_tbi/USA': '6 / 6 / 6' },
    ],
    [
      '2023-04-17T18:00:00Z',
      '4 / 8 / 19',
      {
        'service_member/wounded/USA': '6 / 6 / 6',
        'service_member/injured_tbi/USA': '23 / 23 / 23',
      },
    ],
    [
      '2023-04-18T09:00:00Z',
      '4 / 8 / 19',
      {
        'service_member/wounded/USA': '1 / 1 / 1',
        'service_member/injured_tbi/USA': '12 / 12 / 12',
        'service_member/wounded_or_injured/USA': '11 / 11 / 16',
      },
    ],
  ])('§3.5 revision curve as of %s', (t, militant, serviceMembers) => {
    const overall = tally(asOf(t), 'overall');
    const expected: Record<string, string> = {
      'contractor/killed/USA': '1 / 1 / 1',
      'contractor/wounded/USA': '1 / 1 / 1',
      ...serviceMembers,
    };
    if (militant !== '—') expected['militant/killed/'] = militant;
    if (t >= '2023-03-24T14:00:00Z') expected['civilian/wounded/SYR'] = '4 / 4 / 4';
    expect(overall).toEqual(expected);
  });
});

describe('§4 the merged seed rocket incident', () => {
  it('has no row before 2023-03-25T12:00:00Z', () => {
    expect(asOf('2023-03-25T11:59:59Z').incident_current.map((r) => r.incident_id)).not.toContain(
      SEED,
    );
  });

  it('is active and counted, with its own 7 / 7 / 7, from 12:00 to 12:59:59', () => {
    for (const t of ['2023-03-25T12:00:00Z', '2023-03-25T12:59:59Z']) {
      const p = asOf(t);
      const r = incident(p, SEED);
      expect([r.status, r.counted, lbh(r.munitions)]).toEqual(['active', true, '7 / 7 / 7']);
      expect(
        p.source_discrepancies
          .find((d) => d.scope_id === SEED)
          ?.series.map((x) => [x.source_id, x.reliability]),
      ).toEqual([['seed-2023-03-25', 'F']]);
    }
  });

  it('is merged into i3 from 13:00, its claim counting for i3 via_merge', () => {
    const r = incident(final, SEED);
    expect([r.status, r.merged_into, r.counted, r.munitions]).toEqual(['merged', I3, false, null]);
    expect(incident(final, I3).munitions?.via_merge).toBe(true);
  });

  it('timelines in logical order (* = via_merge)', () => {
    const timeline = (id: string) =>
      final.incident_timeline
        .filter((t) => t.incident_id === id)
        .map((t) => `${t.event_id.replace('seed-', '')}${t.via_merge ? '*' : ''}`);
    expect(timeline(SEED)).toEqual(['e026', 'e029']);
    expect(timeline(I3)).toEqual([
      'e027',
      'e030',
      'e031',
      'e028',
      'e032',
      'e026*',
      'e029',
      'e042',
      'e044',
    ]);
  });

  it('lists both incidents in the revision feed entry of the merge', () => {
    const entry = final.revision_feed.find((r) => r.event_id === 'seed-e029');
    expect(entry).toMatchObject({ time: '2023-03-25T13:00:00Z', incident_ids: [I3, SEED] });
  });
});

describe('§5 response_graph (final)', () => {
  it('has three edges with lags', () => {
    expect(
      final.response_graph.map((e) => [
        e.link_id,
        e.trigger_incident_id,
        e.response_kind,
        e.response_id,
        e.basis,
        e.likelihood,
        e.lag_minutes,
      ]),
    ).toEqual([
      ['r1', I1, 'operation', OP, 'self_declared', 'almost_certain', 782],
      ['r2', I2A, 'incident', I3, 'official_assessment', 'likely', 325],
      ['r2', I2B, 'incident', I3, 'official_assessment', 'likely', null],
    ]);
  });

  it('forms one component; also_cites creates no edge', () => {
    expect(new Set(final.response_graph.map((e) => e.component_id)).size).toBe(1);
    expect(final.response_graph[0]?.also_cites).toMatch(/^a series of recent attacks/);
    expect(
      final.response_graph.every(
        (e) => e.trigger_status === 'active' && e.response_status === 'active',
      ),
    ).toBe(true);
  });
});

describe('§6 source_discrepancies', () => {
  const values = (p: Projection, scope: string, field: string) => {
    const row = p.source_discrepancies.find((d) => d.scope_id === scope && d.field === field);
    return row === undefined
      ? undefined
      : {
          flagged: row.flagged,
          series: row.series.map((x) => [x.source_id, x.reliability, x.best, x.via_merge]),
          figure: `${lbh(row.figure)} ${row.figure_source}`,
        };
  };

  it('§6.1 munitions: only i3 differs', () => {
    expect(values(final, I3, 'munitions')).toEqual({
      flagged: true,
      series: [
        ['centcom', 'B', 10, false],
        ['ntd', 'D', 8, false],
        ['seed-2023-03-25', 'F', 7, true],
      ],
      figure: '7 / 10 / 10 default',
    });
    for (const t of ['2023-03-24T16:00:00Z', '2023-03-25T12:59:59Z']) {
      expect(values(asOf(t), I3, 'munitions')).toEqual({
        flagged: true,
        series: [
          ['centcom', 'B', 10, false],
          ['ntd', 'D', 8, false],
        ],
        figure: '8 / 10 / 10 default',
      });
    }
    expect(values(final, I1, 'munitions')?.series).toEqual([['dod', 'B', 1, false]]);
    expect(values(final, I5, 'munitions')?.series).toEqual([['nbc', 'B', 3, false]]);
    expect(values(final, I4, 'munitions')).toEqual({
      flagged: false,
      series: [['nbc', 'B', null, false]],
      figure: '— default',
    });
    expect(
      final.source_discrepancies
        .filter((d) => d.field === 'intercepted')
        .map((d) => [d.scope_id, d.series.map((x) => [x.source_id, x.best])]),
    ).toEqual([[I5, [['nbc', 2]]]]);
    expect(
      final.source_discrepancies
        .filter((d) => d.field === 'munitions' && d.flagged)
        .map((d) => d.scope_id),
    ).toEqual([I3]);
  });

  it('§6.2 casualties (final)', () => {
    const flagged = final.source_discrepancies.filter(
      (d) => d.field.startsWith('casualties:') && d.flagged,
    );
    expect(
      flagged.map((d) => [
        d.scope_kind,
        d.scope_id,
        d.field,
        d.series.map((x) => [x.source_id, x.best, x.claim_ids]),
        `${lbh(d.figure)} ${d.figure_source}`,
      ]),
    ).toEqual([
      [
        'incident',
        I2A,
        'casualties:militant/killed/',
        [
          ['deirezzor24', 4, ['c2e']],
          ['sohr', 6, ['c2a']],
        ],
        '4 / 6 / 6 default',
      ],
      [
        'operation',
        OP,
        'casualties:militant/killed/',
        [
          ['dod', 8, ['c2d']],
          ['sohr', 19, ['c2c']],
        ],
        '4 / 8 / 19 adopted',
      ],
    ]);
    expect(values(final, I4, 'casualties:service_member/injured_tbi/USA')?.series).toEqual([
      ['dod', 'B', 12, false],
    ]);
    expect(
      values(asOf('2023-03-31T23:59:59Z'), I3, 'casualties:service_member/injured_tbi/USA')?.series,
    ).toEqual([['reuters', 'B', 2, false]]);
  });

  it('marks has_discrepancy only on the incident itself, not from operation rows', () => {
    expect(
      final.incident_current.filter((r) => r.has_discrepancy).map((r) => r.incident_id),
    ).toEqual([I2A, I3]);
    expect(final.operations.find((o) => o.operation_id === OP)?.has_discrepancy).toBe(true);
  });
});

describe('seed replayed out of order', () => {
  it('gives the same projection reversed, and with every event delivered twice', () => {
    expect(project([...seed].reverse())).toEqual(final);
    expect(project([...seed, ...seed.map((e) => structuredClone(e))])).toEqual(final);
  });
});
