// Audit of validateEvent against events.md §1–4: cases where the schemas and the contract disagreed.
import { instantKey, localDateOf } from './primitives.js';
import { edit, issuesOf, seedEvent } from './fixtures.test.js';

// seed-e011 IncidentReported with time { start, end, local_date 2023-03-23, Asia/Damascus, minute }.
const incident = seedEvent('seed-e011');

describe('§2 "Instant: RFC 3339 UTC with `Z`" has no fractional-digit limit (only §1 `time` has one)', () => {
  it.each<[string, Record<string, unknown>]>([
    [
      'a start and end with 9 fractional digits (Go RFC3339Nano)',
      {
        '/data/time/start': '2023-03-23T10:38:00.123456789Z',
        '/data/time/end': '2023-03-23T10:38:00.123456789Z',
      },
    ],
    [
      'a start with 7 fractional digits before a whole-second end',
      {
        '/data/time/start': '2023-03-23T10:38:00.1234567Z',
        '/data/time/end': '2023-03-23T10:39:00Z',
      },
    ],
    [
      'an end later than start only in the 7th fractional digit',
      {
        '/data/time/start': '2023-03-23T10:38:00.1234560Z',
        '/data/time/end': '2023-03-23T10:38:00.1234561Z',
      },
    ],
    [
      'a start with 7 digits and an end with 1',
      {
        '/data/time/start': '2023-03-23T10:38:00.0999999Z',
        '/data/time/end': '2023-03-23T10:38:00.1Z',
      },
    ],
  ])(
    'given an IncidentReported time with %s, when validated, then it is valid',
    (_name, changes) => {
      expect(issuesOf(edit(incident, changes))).toEqual([]);
    },
  );

  it.each<[string, Record<string, unknown>, [string, string][]]>([
    [
      'an end before start in the 7th fractional digit',
      {
        '/data/time/start': '2023-03-23T10:38:00.1234561Z',
        '/data/time/end': '2023-03-23T10:38:00.1234560Z',
      },
      [['/data/time/end', 'out_of_order']],
    ],
    [
      'a 9-digit start whose local date is not local_date',
      {
        '/data/time/start': '2023-03-23T21:00:00.000000001Z',
        '/data/time/end': '2023-03-23T21:00:00.000000001Z',
      },
      [['/data/time/local_date', 'local_date_mismatch']],
    ],
    [
      'a 7-digit fraction on the envelope time (§1: at most 6 fractional digits)',
      { '/time': '2023-03-24T03:21:00.1234567Z' },
      [['/time', 'invalid_format']],
    ],
  ])(
    'given %s, when validated, then it reports exactly those pointers',
    (_name, changes, expected) => {
      expect(issuesOf(edit(incident, changes))).toEqual(expected);
    },
  );

  it('given a 9-digit Instant, then localDateOf still finds its date and instantKey (the §1 time key) has none', () => {
    expect(localDateOf('2023-03-23T23:40:00.123456789Z', 'Asia/Damascus')).toBe('2023-03-24');
    expect(instantKey('2023-03-23T23:40:00.123456789Z')).toBeUndefined();
  });
});

describe('§1 "source: URI-reference naming the upstream feed, 1–256 chars, no whitespace"', () => {
  it.each([
    '/feeds/seed-desk',
    'urn:feeds:seed',
    'https://feeds.example.org/x?y=1&z=%2F#frag',
    'tag:example.com,2023:feeds/desk',
    "/feeds/o'neil(1)*+;=@!$~",
    'http://[2001:db8::1]:8080/feed',
    'feeds',
  ])('given the URI-reference %s as source, when validated, then it is valid', (source) => {
    expect(issuesOf(edit(incident, { '/source': source }))).toEqual([]);
  });

  it.each([
    '/feeds/<desk>',
    '/feeds/"desk"',
    '\\feeds\\desk',
    '/feeds/desk^2',
    '/feeds/{desk}',
    '/feeds/a|b',
    '/feeds/`desk`',
    '/feeds/%zz',
    '/feeds/100%',
    '/feeds/bücher',
  ])('given %s (not a URI-reference) as source, when validated, then it is rejected', (source) => {
    expect(issuesOf(edit(incident, { '/source': source }))).toEqual([
      ['/source', 'invalid_format'],
    ]);
  });
});
