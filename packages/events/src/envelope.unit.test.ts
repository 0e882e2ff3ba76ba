import { EVENT_TYPES, type DataOf, type EventType } from './event-data.js';
import { expectedSubject, validateEvent, type DomainEvent } from './envelope.js';
import { NOW, REMOVE, edit, issuesOf, seedEvent, seedEvents } from './fixtures.test.js';

describe('validateEvent on the seed fixture', () => {
  const seed = seedEvents();

  it('given the fixture, then it holds 58 events of 19 types', () => {
    expect(seed).toHaveLength(58);
    expect(new Set(seed.map((e) => e.type)).size).toBe(19);
  });

  it.each(seed.map((e) => [e.id as string, e] as const))(
    'given seed event %s, when validated, then it is valid',
    (_id, event) => {
      expect(issuesOf(event)).toEqual([]);
    },
  );

  it('given a seed event, when validated, then the event returned equals the input', () => {
    const input = seedEvent('seed-e011');
    const result = validateEvent(input, { now: NOW });
    expect(result).toStrictEqual({ ok: true, event: input });
    expect(result.ok && result.event).not.toBe(input);
  });

  it.each(seed.map((e) => [e.id as string, e] as const))(
    'given seed event %s, then expectedSubject gives its subject',
    (_id, event) => {
      const type = event.type as EventType;
      expect(expectedSubject(type, event.data as DataOf<typeof type>)).toBe(event.subject);
    },
  );
});

describe('validateEvent envelope rules (§1)', () => {
  const base = seedEvent('seed-e011');
  const future = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

  it.each<[string, Record<string, unknown>, [string, string][]]>([
    ['an extension attribute', { '/partitionkey': 'x' }, [['/partitionkey', 'unrecognized_key']]],
    ['another specversion', { '/specversion': '0.3' }, [['/specversion', 'invalid_value']]],
    ['a missing specversion', { '/specversion': REMOVE }, [['/specversion', 'required']]],
    ['an id starting with a dash', { '/id': '-e1' }, [['/id', 'invalid_format']]],
    ['an id of 129 characters', { '/id': 'e'.repeat(129) }, [['/id', 'invalid_format']]],
    ['an id with a slash', { '/id': 'a/b' }, [['/id', 'invalid_format']]],
    ['an empty source', { '/source': '' }, [['/source', 'too_small']]],
    ['a source with a space', { '/source': '/feeds/seed desk' }, [['/source', 'invalid_format']]],
    ['a source of 257 characters', { '/source': `/${'s'.repeat(256)}` }, [['/source', 'too_big']]],
    ['an unknown type', { '/type': 'IncidentExploded' }, [['/type', 'unknown_type']]],
    ['a type that is not a string', { '/type': 7 }, [['/type', 'invalid_type']]],
    [
      'a subject of an unknown kind',
      { '/subject': 'place/i1-rlz-uav' },
      [['/subject', 'invalid_format']],
    ],
    ['a subject without id', { '/subject': 'incident' }, [['/subject', 'invalid_format']]],
    [
      'a subject for another incident',
      { '/subject': 'incident/i2' },
      [['/subject', 'subject_mismatch']],
    ],
    [
      'a subject of the wrong kind',
      { '/subject': 'site/i1-rlz-uav' },
      [['/subject', 'subject_mismatch']],
    ],
    [
      'a time with an offset',
      { '/time': '2023-03-24T03:21:00+00:00' },
      [['/time', 'invalid_format']],
    ],
    [
      'a time with 7 fractional digits',
      { '/time': '2023-03-24T03:21:00.1234567Z' },
      [['/time', 'invalid_format']],
    ],
    [
      'a time on 29 February 2023',
      { '/time': '2023-02-29T03:21:00Z' },
      [['/time', 'invalid_format']],
    ],
    ['a time at 24:00', { '/time': '2023-03-24T24:00:00Z' }, [['/time', 'invalid_format']]],
    [
      'a time more than 5 minutes ahead',
      { '/time': future(5 * 60_000 + 1) },
      [['/time', 'time_in_future']],
    ],
    [
      'another datacontenttype',
      { '/datacontenttype': 'text/plain' },
      [['/datacontenttype', 'invalid_value']],
    ],
    [
      'a v2 dataschema',
      { '/dataschema': 'urn:incidents:IncidentReported:v2' },
      [['/dataschema', 'unsupported_dataschema']],
    ],
    [
      'the dataschema of another type',
      { '/dataschema': 'urn:incidents:IncidentAmended:v1' },
      [['/dataschema', 'unsupported_dataschema']],
    ],
    [
      'a malformed traceparent',
      { '/traceparent': '00-abc-def-01' },
      [['/traceparent', 'invalid_format']],
    ],
    [
      'an all-zero trace id',
      { '/traceparent': `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` },
      [['/traceparent', 'invalid_format']],
    ],
    [
      'a tracestate with a newline',
      { '/tracestate': 'a=1\nb=2' },
      [['/tracestate', 'invalid_format']],
    ],
    ['a missing data', { '/data': REMOVE }, [['/data', 'required']]],
    ['an array as data', { '/data': [] }, [['/data', 'invalid_type']]],
    ['a missing time', { '/time': REMOVE }, [['/time', 'required']]],
  ])(
    'given %s, when validated, then it reports exactly those pointers',
    (_name, changes, expected) => {
      expect(issuesOf(edit(base, changes))).toEqual(expected);
    },
  );

  it.each<[string, Record<string, unknown>]>([
    ['a time exactly 5 minutes ahead', { '/time': future(5 * 60_000) }],
    ['a time with 6 fractional digits', { '/time': '2023-03-24T03:21:00.123456Z' }],
    ['the v1 dataschema of its type', { '/dataschema': 'urn:incidents:IncidentReported:v1' }],
    [
      'trace context',
      {
        '/traceparent': '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        '/tracestate': 'congo=t61rcWkgMzE',
      },
    ],
  ])('given %s, when validated, then it is valid', (_name, changes) => {
    expect(issuesOf(edit(base, changes))).toEqual([]);
  });

  it.each([null, [], 'event', 42, true])(
    'given the non-object %j, when validated, then it reports the root pointer',
    (input) => {
      expect(issuesOf(input)).toEqual([['', 'invalid_type']]);
    },
  );

  it.each<[string, string, Record<string, unknown>, string]>([
    [
      'ActorRelationAsserted takes from_actor_id',
      'seed-e040',
      { '/subject': 'actor/irgc-affiliated' },
      'actor/ghaliboun',
    ],
    [
      'CasualtyClaimReassigned takes from_incident_id',
      'seed-e044',
      { '/subject': 'incident/i4-conoco-rockets' },
      'incident/i3-gv-rockets',
    ],
    [
      'a casualty claim on an operation takes operation/',
      'seed-e023',
      { '/subject': 'incident/op-2023-03-24-us-strikes' },
      'operation/op-2023-03-24-us-strikes',
    ],
    [
      'SeedDocumentIngested takes context/<doc_id>',
      'seed-e057',
      { '/subject': 'context/other' },
      'context/seed-2023-03-25',
    ],
    [
      'ExternalStatisticReported takes context/<stat_id>',
      'seed-e017',
      { '/subject': 'source/x1' },
      'context/x1',
    ],
    ['ResponseLinked takes link/<link_id>', 'seed-e020', { '/subject': 'link/r2' }, 'link/r1'],
  ])(
    'given %s, when the subject differs, then it reports a subject mismatch naming the expected one',
    (_name, id, changes, expected) => {
      const result = validateEvent(edit(seedEvent(id), changes), { now: NOW });
      expect(result).toEqual({
        ok: false,
        errors: [
          {
            pointer: '/subject',
            code: 'subject_mismatch',
            message: expect.stringContaining(expected) as string,
          },
        ],
      });
    },
  );

  it('given an unknown type, when validated, then its data is not checked against any schema', () => {
    expect(issuesOf(edit(base, { '/type': 'Unknown', '/data': { anything: 1 } }))).toEqual([
      ['/type', 'unknown_type'],
    ]);
  });

  it('given an event with many faults, when validated, then it reports every one of them', () => {
    const event = edit(base, {
      '/partitionkey': 'p',
      '/id': '',
      '/time': '2030-01-01T00:00:00Z',
      '/subject': 'incident/other',
      '/data/munitions/low': 5,
      '/data/munitions/qualifier': 'approx',
      '/data/time/local_date': '2023-03-22',
      '/data/place/colour': 'red',
      '/data/cameo_code': 'x',
      '/data/source/credibility': 9,
      '/data/method': REMOVE,
    });
    expect(issuesOf(event)).toEqual([
      ['/data/cameo_code', 'invalid_format'],
      ['/data/method', 'required'],
      ['/data/munitions/low', 'out_of_order'],
      ['/data/place/colour', 'unrecognized_key'],
      ['/data/source/credibility', 'too_big'],
      ['/data/time/local_date', 'local_date_mismatch'],
      ['/id', 'invalid_format'],
      ['/partitionkey', 'unrecognized_key'],
      ['/subject', 'subject_mismatch'],
      ['/time', 'time_in_future'],
    ]);
  });

  it('given an issue, then it carries a human-readable message', () => {
    const result = validateEvent(
      edit(base, { '/data/munitions/low': 5, '/data/munitions/qualifier': 'approx' }),
      { now: NOW },
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]?.message).toBe('low must not exceed best');
  });

  it('given keys with / and ~, then pointers escape them as RFC 6901 says', () => {
    expect(issuesOf(edit(base, { '/data/a~1b': 1, '/data/c~0d': 2 }))).toEqual([
      ['/data/a~1b', 'unrecognized_key'],
      ['/data/c~0d', 'unrecognized_key'],
    ]);
  });
});

describe('expectedSubject', () => {
  it('given data without its id field, then it throws', () => {
    expect(() => expectedSubject('IncidentReported', {} as DataOf<'IncidentReported'>)).toThrow(
      TypeError,
    );
  });
});

describe('types', () => {
  it('given EVENT_TYPES, then it lists the 26 types of events.md §4 once each', () => {
    expect(EVENT_TYPES).toHaveLength(26);
    expect(new Set(EVENT_TYPES).size).toBe(26);
  });

  it('given a valid event, then narrowing on type gives the data of that type', () => {
    const result = validateEvent(seedEvent('seed-e023'), { now: NOW });
    if (!result.ok) throw new Error('seed event invalid');
    const event: DomainEvent = result.event;
    const scoped =
      event.type === 'CasualtyReported'
        ? (event.data.scope.operation_id ?? event.data.scope.incident_id)
        : undefined;
    expect(scoped).toBe('op-2023-03-24-us-strikes');
  });
});
