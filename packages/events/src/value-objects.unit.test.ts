import { REMOVE, edit, issuesOf, seedEvent } from './fixtures.test.js';

type Case = [
  name: string,
  seedId: string,
  changes: Record<string, unknown>,
  expected: [string, string][],
];

function rejects(cases: Case[]): void {
  it.each(cases)(
    'given %s, when validated, then it reports exactly those pointers',
    (_name, seedId, changes, expected) => {
      expect(expected.length).toBeGreaterThan(0);
      expect(issuesOf(edit(seedEvent(seedId), changes))).toEqual(expected);
    },
  );
}

function accepts(cases: [name: string, seedId: string, changes: Record<string, unknown>][]): void {
  it.each(cases)('given %s, when validated, then it is valid', (_name, seedId, changes) => {
    expect(issuesOf(edit(seedEvent(seedId), changes))).toEqual([]);
  });
}

// seed-e011 IncidentReported (minute, site place), e018 (hour, adm3 place), e019 (day, adm1),
// e014 CasualtyReported, e038 ResponsibilityClaimed, e047 SourceRegistered, e054 ActorRegistered.

describe('§2 limits', () => {
  rejects([
    [
      'an unknown data field',
      'seed-e011',
      { '/data/severity': 'high' },
      [['/data/severity', 'unrecognized_key']],
    ],
    [
      'an unknown field in a nested object',
      'seed-e011',
      { '/data/source/page': 3 },
      [['/data/source/page', 'unrecognized_key']],
    ],
    [
      'an unknown field in provenance',
      'seed-e011',
      { '/data/provenance/by': 'x' },
      [['/data/provenance/by', 'unrecognized_key']],
    ],
    [
      'null for an optional field',
      'seed-e011',
      { '/data/platform': null },
      [['/data/platform', 'invalid_type']],
    ],
    [
      'a missing required field',
      'seed-e011',
      { '/data/kind': REMOVE },
      [['/data/kind', 'required']],
    ],
    [
      'an upper-case slug',
      'seed-e011',
      { '/data/operation_id': 'Op-1' },
      [['/data/operation_id', 'invalid_format']],
    ],
    [
      'a slug of 129 characters',
      'seed-e011',
      { '/data/operation_id': 'o'.repeat(129) },
      [['/data/operation_id', 'invalid_format']],
    ],
    [
      'a Short of 101 code points',
      'seed-e038',
      { '/data/channel': 'c'.repeat(101) },
      [['/data/channel', 'too_big']],
    ],
    [
      'a Name of 201 code points',
      'seed-e047',
      { '/data/name': 'n'.repeat(201) },
      [['/data/name', 'too_big']],
    ],
    [
      'a Raw of 501 code points',
      'seed-e014',
      { '/data/count/raw': 'r'.repeat(501) },
      [['/data/count/raw', 'too_big']],
    ],
    [
      'a Quote of 1001 code points',
      'seed-e038',
      { '/data/stated_motive': 'q'.repeat(1001) },
      [['/data/stated_motive', 'too_big']],
    ],
    [
      'a Note of 2001 code points',
      'seed-e011',
      { '/data/provenance/note': 'n'.repeat(2001) },
      [['/data/provenance/note', 'too_big']],
    ],
    ['an empty Name', 'seed-e047', { '/data/name': '' }, [['/data/name', 'too_small']]],
    [
      'a control character in a Quote',
      'seed-e038',
      { '/data/stated_motive': 'a\u0007b' },
      [['/data/stated_motive', 'invalid_characters']],
    ],
    [
      'a newline in a Quote',
      'seed-e038',
      { '/data/stated_motive': 'a\nb' },
      [['/data/stated_motive', 'invalid_characters']],
    ],
    [
      'a tab in a Note',
      'seed-e011',
      { '/data/provenance/note': 'a\tb' },
      [['/data/provenance/note', 'invalid_characters']],
    ],
    [
      'an ftp URL',
      'seed-e011',
      { '/data/source/url': 'ftp://example.org/x' },
      [['/data/source/url', 'invalid_format']],
    ],
    [
      'a relative URL',
      'seed-e011',
      { '/data/source/url': '/news/1' },
      [['/data/source/url', 'invalid_format']],
    ],
    [
      'a URL without host',
      'seed-e011',
      { '/data/source/url': 'https://' },
      [['/data/source/url', 'invalid_format']],
    ],
    [
      'a URL with a space',
      'seed-e011',
      { '/data/source/url': 'https://example.org/a b' },
      [['/data/source/url', 'invalid_format']],
    ],
    [
      'a URL of 2049 characters',
      'seed-e011',
      { '/data/source/url': `https://example.org/${'a'.repeat(2029)}` },
      [['/data/source/url', 'too_big']],
    ],
    [
      'a lower-case Iso3',
      'seed-e054',
      { '/data/home_country_iso3': 'irn' },
      [['/data/home_country_iso3', 'invalid_format']],
    ],
    [
      'a two-letter country',
      'seed-e054',
      { '/data/home_country_iso3': 'IR' },
      [['/data/home_country_iso3', 'invalid_format']],
    ],
    [
      'an upper-case Lang',
      'seed-e047',
      { '/data/language': 'EN' },
      [['/data/language', 'invalid_format']],
    ],
    [
      'a four-letter Lang',
      'seed-e047',
      { '/data/language': 'engl' },
      [['/data/language', 'invalid_format']],
    ],
    [
      'an unknown time zone',
      'seed-e011',
      { '/data/time/tz': 'Mars/Olympus_Mons' },
      [['/data/time/tz', 'invalid_value']],
    ],
    [
      'an offset as time zone',
      'seed-e011',
      { '/data/time/tz': '+03:00' },
      [['/data/time/tz', 'invalid_value']],
    ],
    [
      '29 February of a common year',
      'seed-e014',
      { '/data/diagnosed_at': '2023-02-29' },
      [['/data/diagnosed_at', 'invalid_format']],
    ],
    [
      'month 13',
      'seed-e014',
      { '/data/diagnosed_at': '2023-13-01' },
      [['/data/diagnosed_at', 'invalid_format']],
    ],
    [
      'a date-time as Date',
      'seed-e014',
      { '/data/diagnosed_at': '2023-03-01T00:00:00Z' },
      [['/data/diagnosed_at', 'invalid_format']],
    ],
    [
      'an Instant with an offset',
      'seed-e011',
      { '/data/time/end': '2023-03-23T13:38:00+03:00' },
      [['/data/time/end', 'invalid_format']],
    ],
    [
      'a PubTime at hour 25',
      'seed-e011',
      { '/data/source/published_at': '2023-03-23T25:00:00Z' },
      [['/data/source/published_at', 'invalid_format']],
    ],
    [
      'a PubTime in words',
      'seed-e011',
      { '/data/source/published_at': '23 March 2023' },
      [['/data/source/published_at', 'invalid_format']],
    ],
    [
      'a PubTime offset of +24:00',
      'seed-e011',
      { '/data/source/published_at': '2023-03-23T23:00:00+24:00' },
      [['/data/source/published_at', 'invalid_format']],
    ],
    [
      'a count above 1,000,000',
      'seed-e014',
      {
        '/data/count/low': 1_000_001,
        '/data/count/best': 1_000_001,
        '/data/count/high': 1_000_001,
      },
      [
        ['/data/count/best', 'too_big'],
        ['/data/count/high', 'too_big'],
        ['/data/count/low', 'too_big'],
      ],
    ],
    [
      'a negative count',
      'seed-e014',
      { '/data/count/low': -1 },
      [['/data/count/low', 'too_small']],
    ],
    [
      'a fractional count',
      'seed-e014',
      { '/data/count/best': 1.5 },
      [['/data/count/best', 'invalid_type']],
    ],
    [
      'a string as count',
      'seed-e014',
      { '/data/count/high': '1' },
      [['/data/count/high', 'invalid_type']],
    ],
    ['actor_type 9', 'seed-e054', { '/data/actor_type': 9 }, [['/data/actor_type', 'too_big']]],
    ['actor_type 0', 'seed-e054', { '/data/actor_type': 0 }, [['/data/actor_type', 'too_small']]],
    [
      'credibility 7',
      'seed-e011',
      { '/data/source/credibility': 7 },
      [['/data/source/credibility', 'too_big']],
    ],
    [
      'latitude 91',
      'seed-e018',
      { '/data/place/lat': 91, '/data/place/lon': 40 },
      [['/data/place/lat', 'too_big']],
    ],
    [
      'longitude -181',
      'seed-e018',
      { '/data/place/lat': 35, '/data/place/lon': -181 },
      [['/data/place/lon', 'too_small']],
    ],
    [
      'radius 1001 km',
      'seed-e018',
      { '/data/place/radius_km': 1001 },
      [['/data/place/radius_km', 'too_big']],
    ],
    [
      'a damage distance of 20001 km',
      'seed-e030',
      { '/data/distance_from_target_km': 20001 },
      [['/data/distance_from_target_km', 'too_big']],
    ],
    ['an empty alias list', 'seed-e054', { '/data/aliases': [] }, [['/data/aliases', 'too_small']]],
    [
      '51 aliases',
      'seed-e054',
      { '/data/aliases': Array.from({ length: 51 }, (_, i) => `alias ${i}`) },
      [['/data/aliases', 'too_big']],
    ],
    [
      'a repeated alias',
      'seed-e054',
      { '/data/aliases': ['Iran', 'IRI', 'Iran'] },
      [['/data/aliases/2', 'duplicate_item']],
    ],
    [
      'a repeated country',
      'seed-e017',
      { '/data/geography': ['IRQ', 'SYR', 'IRQ'] },
      [['/data/geography/2', 'duplicate_item']],
    ],
    [
      'a repeated evidence URL',
      'seed-e018',
      {
        '/data/provenance/evidence/1':
          'https://pledgetimes.com/america-carries-out-air-strikes-in-syria-in-response-to-a-drone-attack/',
      },
      [['/data/provenance/evidence/1', 'duplicate_item']],
    ],
    [
      '21 evidence URLs',
      'seed-e011',
      {
        '/data/provenance/evidence': Array.from(
          { length: 21 },
          (_, i) => `https://example.org/${i}`,
        ),
      },
      [['/data/provenance/evidence', 'too_big']],
    ],
    [
      'a repeated extracted claim',
      'seed-e057',
      {
        '/data/extracted_claims/1': {
          text: 'The attack followed 78 previous attacks by Iran-backed militias in the region since January 2021.',
          event_ids: ['seed-e017'],
        },
      },
      [['/data/extracted_claims/3', 'duplicate_item']],
    ],
    [
      'an invalid event id in a claim',
      'seed-e057',
      { '/data/extracted_claims/0/event_ids/0': 'seed e026' },
      [['/data/extracted_claims/0/event_ids/0', 'invalid_format']],
    ],
    [
      'an unknown field in a claim',
      'seed-e057',
      { '/data/extracted_claims/4/page': 2 },
      [['/data/extracted_claims/4/page', 'unrecognized_key']],
    ],
    [
      'an enum value from another enum',
      'seed-e011',
      { '/data/method': 'drone' },
      [['/data/method', 'invalid_value']],
    ],
  ]);

  accepts([
    ['a Short of 100 emoji (200 UTF-16 units)', 'seed-e038', { '/data/channel': '📡'.repeat(100) }],
    ['a newline in a Note', 'seed-e011', { '/data/provenance/note': 'line 1\nline 2' }],
    [
      'a Note of exactly 2000 code points',
      'seed-e011',
      { '/data/provenance/note': 'n'.repeat(2000) },
    ],
    ['a link zone such as UTC', 'seed-e019', { '/data/time/tz': 'UTC' }],
    ['a legacy link such as Asia/Calcutta', 'seed-e019', { '/data/time/tz': 'Asia/Calcutta' }],
    ['29 February of a leap year', 'seed-e014', { '/data/diagnosed_at': '2024-02-29' }],
    [
      'a PubTime with fractional seconds and an offset',
      'seed-e011',
      { '/data/source/published_at': '2023-03-23T23:00:00.5-04:00' },
    ],
    ['an http URL', 'seed-e011', { '/data/source/url': 'http://example.org/a?b=c#d' }],
    [
      'a count of 1,000,000',
      'seed-e014',
      {
        '/data/count/low': 1_000_000,
        '/data/count/best': 1_000_000,
        '/data/count/high': 1_000_000,
      },
    ],
  ]);
});

describe('§3.1 Count', () => {
  const count = (
    low: number | null,
    best: number | null,
    high: number | null,
    qualifier: string,
  ) => ({
    '/data/count': { low, best, high, qualifier },
  });

  rejects([
    [
      'an exact count with a null',
      'seed-e014',
      count(1, null, 1, 'exact'),
      [['/data/count/best', 'qualifier_mismatch']],
    ],
    [
      'an exact count with different numbers',
      'seed-e014',
      count(1, 2, 2, 'exact'),
      [['/data/count/qualifier', 'qualifier_mismatch']],
    ],
    [
      'an approx count without best',
      'seed-e014',
      count(1, null, 3, 'approx'),
      [['/data/count/best', 'qualifier_mismatch']],
    ],
    [
      'an at_least count without low',
      'seed-e014',
      count(null, 3, null, 'at_least'),
      [['/data/count/low', 'qualifier_mismatch']],
    ],
    [
      'an at_most count without high',
      'seed-e014',
      count(null, 3, null, 'at_most'),
      [['/data/count/high', 'qualifier_mismatch']],
    ],
    [
      'a vague count with numbers',
      'seed-e014',
      count(1, null, 3, 'vague'),
      [
        ['/data/count/high', 'qualifier_mismatch'],
        ['/data/count/low', 'qualifier_mismatch'],
      ],
    ],
    [
      'low above best',
      'seed-e014',
      count(5, 4, 9, 'approx'),
      [['/data/count/low', 'out_of_order']],
    ],
    [
      'best above high',
      'seed-e014',
      count(1, 5, 4, 'approx'),
      [['/data/count/best', 'out_of_order']],
    ],
    [
      'low above high with best null',
      'seed-e014',
      count(5, null, 4, 'at_least'),
      [['/data/count/low', 'out_of_order']],
    ],
    [
      'a missing high key',
      'seed-e014',
      { '/data/count/high': REMOVE },
      [['/data/count/high', 'required']],
    ],
    [
      'an unknown qualifier',
      'seed-e014',
      count(1, 1, 1, 'about'),
      [['/data/count/qualifier', 'invalid_value']],
    ],
  ]);

  accepts([
    ['an approx count with only best', 'seed-e014', count(null, 5, null, 'approx')],
    ['an at_least count with low and high', 'seed-e014', count(3, null, 9, 'at_least')],
    [
      'a vague count with words only',
      'seed-e014',
      { '/data/count': { low: null, best: null, high: null, qualifier: 'vague', raw: 'several' } },
    ],
    ['equal low and high around a null best', 'seed-e014', count(4, null, 4, 'at_most')],
  ]);
});

describe('§3.2 TimeSpec', () => {
  rejects([
    [
      'minute precision without start',
      'seed-e011',
      { '/data/time/start': REMOVE, '/data/time/end': REMOVE },
      [['/data/time/start', 'required']],
    ],
    [
      'hour precision without start',
      'seed-e018',
      { '/data/time/start': REMOVE, '/data/time/end': REMOVE },
      [['/data/time/start', 'required']],
    ],
    [
      'an end without start',
      'seed-e019',
      { '/data/time/end': '2023-03-24T12:00:00Z' },
      [['/data/time/start', 'required']],
    ],
    [
      'an end before start',
      'seed-e011',
      { '/data/time/end': '2023-03-23T10:37:59.999999Z' },
      [['/data/time/end', 'out_of_order']],
    ],
    [
      'a local_date that is the UTC date, not the Damascus date',
      'seed-e018',
      { '/data/time/local_date': '2023-03-23' },
      [['/data/time/local_date', 'local_date_mismatch']],
    ],
    [
      'a day-precision local_date off by one',
      'seed-e019',
      { '/data/time/start': '2023-03-24T21:30:00Z' },
      [['/data/time/local_date', 'local_date_mismatch']],
    ],
    [
      'an unknown precision',
      'seed-e019',
      { '/data/time/precision': 'decade' },
      [['/data/time/precision', 'invalid_value']],
    ],
    [
      'a missing local_date',
      'seed-e019',
      { '/data/time/local_date': REMOVE },
      [['/data/time/local_date', 'required']],
    ],
  ]);

  accepts([
    ['day precision without start', 'seed-e019', {}],
    ['a start equal to end', 'seed-e011', { '/data/time/end': '2023-03-23T10:38:00.000Z' }],
    [
      'a week-precision local_date other than the date of start',
      'seed-e026',
      { '/data/time/start': '2023-03-20T08:00:00Z' },
    ],
    [
      'a start late in the UTC day with the next local date',
      'seed-e019',
      { '/data/time/start': '2023-03-23T21:30:00Z' },
    ],
  ]);
});

describe('§3.3 PlaceSpec', () => {
  rejects([
    [
      'site precision without site_id',
      'seed-e011',
      { '/data/place': { name: 'base', country_iso3: 'SYR', precision: 'site' } },
      [['/data/place/site_id', 'required']],
    ],
    [
      'no site_id and no name',
      'seed-e018',
      { '/data/place/name': REMOVE },
      [['/data/place/name', 'required']],
    ],
    [
      'no site_id and no country',
      'seed-e018',
      { '/data/place/country_iso3': REMOVE },
      [['/data/place/country_iso3', 'required']],
    ],
    [
      'adm3 without admin1',
      'seed-e018',
      { '/data/place/admin1': REMOVE },
      [['/data/place/admin1', 'required']],
    ],
    [
      'adm1 without admin1',
      'seed-e019',
      { '/data/place/admin1': REMOVE },
      [['/data/place/admin1', 'required']],
    ],
    [
      'lat without lon',
      'seed-e018',
      { '/data/place/lat': 35.3 },
      [['/data/place/lon', 'required']],
    ],
    [
      'lon without lat',
      'seed-e011',
      { '/data/place/lon': 40.1 },
      [['/data/place/lat', 'required']],
    ],
    [
      'an unknown precision',
      'seed-e018',
      { '/data/place/precision': 'street' },
      [['/data/place/precision', 'invalid_value']],
    ],
  ]);

  accepts([
    [
      'water_air without country',
      'seed-e018',
      { '/data/place': { name: 'Eastern Mediterranean', precision: 'water_air' } },
    ],
    [
      'region without admin1',
      'seed-e018',
      { '/data/place': { name: 'Deir ez-Zor and Homs', country_iso3: 'SYR', precision: 'region' } },
    ],
    [
      'a site_id with adm1 precision and nothing else',
      'seed-e011',
      { '/data/place': { site_id: 'rlz', precision: 'adm1' } },
    ],
    ['lat and lon together', 'seed-e018', { '/data/place/lat': 35.33, '/data/place/lon': 40.14 }],
  ]);
});

describe('SiteRegistered.place', () => {
  rejects([
    [
      'a site_id inside the place',
      'seed-e009',
      { '/data/place/site_id': 'green-village' },
      [['/data/place/site_id', 'unrecognized_key']],
    ],
    [
      'adm1 precision',
      'seed-e009',
      { '/data/place/precision': 'adm1' },
      [['/data/place/precision', 'invalid_value']],
    ],
    [
      'no country',
      'seed-e009',
      { '/data/place/country_iso3': REMOVE },
      [['/data/place/country_iso3', 'required']],
    ],
    ['no name', 'seed-e009', { '/data/place/name': REMOVE }, [['/data/place/name', 'required']]],
    [
      'lat without lon',
      'seed-e009',
      { '/data/place/lat': 35.1 },
      [['/data/place/lon', 'required']],
    ],
  ]);
});

describe('§3.4–3.5 Segment, SourceRef, provenance, Scope', () => {
  rejects([
    [
      'an unknown outcome',
      'seed-e014',
      { '/data/segment/outcome': 'hurt' },
      [['/data/segment/outcome', 'invalid_value']],
    ],
    [
      'a missing side',
      'seed-e014',
      { '/data/segment/side': REMOVE },
      [['/data/segment/side', 'required']],
    ],
    [
      'an unknown severity',
      'seed-e031',
      { '/data/segment/severity': 'fatal' },
      [['/data/segment/severity', 'invalid_value']],
    ],
    [
      'a source without source_id',
      'seed-e014',
      { '/data/source': {} },
      [['/data/source/source_id', 'required']],
    ],
    [
      'an unknown verification',
      'seed-e014',
      { '/data/provenance/verification': 'rumour' },
      [['/data/provenance/verification', 'invalid_value']],
    ],
    [
      'an unknown reliability',
      'seed-e047',
      { '/data/reliability': 'G' },
      [['/data/reliability', 'invalid_value']],
    ],
    [
      'an unknown likelihood',
      'seed-e012',
      { '/data/likelihood': 'probable' },
      [['/data/likelihood', 'invalid_value']],
    ],
    [
      'an unknown basis',
      'seed-e012',
      { '/data/basis': 'hunch' },
      [['/data/basis', 'invalid_value']],
    ],
    [
      'a scope with both keys',
      'seed-e014',
      { '/data/scope/operation_id': 'op-1' },
      [['/data/scope', 'exactly_one']],
    ],
    ['an empty scope', 'seed-e014', { '/data/scope': {} }, [['/data/scope', 'exactly_one']]],
    [
      'a scope with an unknown key',
      'seed-e014',
      { '/data/scope/site_id': 'rlz' },
      [['/data/scope/site_id', 'unrecognized_key']],
    ],
  ]);
});
