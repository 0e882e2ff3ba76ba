import type { z } from 'zod';
import {
  EVENT_DATA_SCHEMAS,
  EVENT_TYPES,
  isEventType,
  type DataOf,
  type EventType,
} from './event-data.js';
import type { Scope } from './value-objects.js';
import { NOW, REMOVE, edit, issuesOf, seedEvent, seedEvents, type Json } from './fixtures.test.js';
import { validateEvent } from './envelope.js';

type Case = [
  name: string,
  seedId: string,
  changes: Record<string, unknown>,
  expected: [string, string][],
];

/** A valid event of `type` built on `base`, with its subject following the new data. */
function retyped(base: string, type: EventType, subject: string, data: Json): Json {
  return edit(seedEvent(base), { '/type': type, '/subject': subject, '/data': data });
}

const source = { source_id: 'dod' };

describe('§4 events without a seed example', () => {
  it.each<[EventType, string, Json]>([
    [
      'SourceReliabilityRated',
      'source/ntd',
      { source_id: 'ntd', reliability: 'E', rationale: 'two retractions\nin March' },
    ],
    [
      'IncidentAmended',
      'incident/i1-rlz-uav',
      {
        incident_id: 'i1-rlz-uav',
        changes: { platform: null, kind: 'attack' },
        reason: 'platform unconfirmed',
        source,
      },
    ],
    [
      'IncidentRetracted',
      'incident/i1-rlz-uav',
      { incident_id: 'i1-rlz-uav', reason: 'did_not_occur' },
    ],
    [
      'IncidentReinstated',
      'incident/i1-rlz-uav',
      { incident_id: 'i1-rlz-uav', reason: 'retracted in error', source },
    ],
    [
      'AttributionWithdrawn',
      'incident/i1-rlz-uav',
      { assertion_id: 'a1a', incident_id: 'i1-rlz-uav', reason: 'source withdrew it' },
    ],
    [
      'CasualtyClaimRetracted',
      'operation/op-1',
      { claim_id: 'c2c', scope: { operation_id: 'op-1' }, reason: 'double count' },
    ],
    ['ResponseLinkRemoved', 'link/r1', { link_id: 'r1', reason: 'no evidence' }],
    [
      'ResponseLinked',
      'link/r3',
      {
        link_id: 'r3',
        response_incident_ids: ['i3'],
        trigger_incident_ids: ['i1', 'i2'],
        basis: 'analyst',
        likelihood: 'unlikely',
        source,
      },
    ],
  ])('given a valid %s, when validated, then it is valid', (type, subject, data) => {
    expect(issuesOf(retyped('seed-e011', type, subject, data))).toEqual([]);
  });
});

describe('§4 cross-field rules', () => {
  const amended = (changes: unknown) =>
    retyped('seed-e011', 'IncidentAmended', 'incident/i1-rlz-uav', {
      incident_id: 'i1-rlz-uav',
      changes,
      reason: 'r',
      source,
    });

  it.each<[string, Json, [string, string][]]>([
    ['empty changes', amended({}), [['/data/changes', 'at_least_one']]],
    [
      'null for a required field',
      amended({ kind: null }),
      [['/data/changes/kind', 'invalid_value']],
    ],
    [
      'a change to a field changes cannot carry',
      amended({ method: 'rocket', munitions: { low: 1, best: 1, high: 1, qualifier: 'exact' } }),
      [['/data/changes/munitions', 'unrecognized_key']],
    ],
    [
      'a change to the incident id',
      amended({ incident_id: 'other' }),
      [
        ['/data/changes', 'at_least_one'],
        ['/data/changes/incident_id', 'unrecognized_key'],
      ],
    ],
    [
      'an invalid replacement time',
      amended({ time: { local_date: '2023-03-23', tz: 'Asia/Damascus', precision: 'minute' } }),
      [['/data/changes/time/start', 'required']],
    ],
  ])(
    'given IncidentAmended with %s, when validated, then it reports exactly those pointers',
    (_name, event, expected) => {
      expect(issuesOf(event)).toEqual(expected);
    },
  );

  it('given IncidentAmended removing every optional field, when validated, then it is valid', () => {
    expect(
      issuesOf(
        amended({
          operation_id: null,
          platform: null,
          target: null,
          acled: null,
          cameo_code: null,
        }),
      ),
    ).toEqual([]);
  });

  it.each<Case>([
    [
      'an incident merged into itself',
      'seed-e029',
      { '/data/into_incident_id': 'seed-alomar-7rockets' },
      [['/data/into_incident_id', 'self_reference']],
    ],
    [
      'a merge reason other than duplicate_report',
      'seed-e029',
      { '/data/reason': 'same_event' },
      [['/data/reason', 'invalid_value']],
    ],
    [
      'a delta that supersedes',
      'seed-e043',
      { '/data/mode': 'delta' },
      [['/data/supersedes_claim_id', 'not_allowed']],
    ],
    [
      'a claim that supersedes itself',
      'seed-e043',
      { '/data/supersedes_claim_id': 'c1e' },
      [['/data/supersedes_claim_id', 'self_reference']],
    ],
    [
      'an adopted estimate with a null high',
      'seed-e025',
      { '/data/count/high': null },
      [['/data/count/high', 'not_null']],
    ],
    [
      'an adopted estimate with every number null',
      'seed-e025',
      { '/data/count': { low: null, best: null, high: null, qualifier: 'vague' } },
      [
        ['/data/count/best', 'not_null'],
        ['/data/count/high', 'not_null'],
        ['/data/count/low', 'not_null'],
      ],
    ],
    [
      'an adoption citing a claim twice',
      'seed-e025',
      { '/data/claim_ids/4': 'c2a' },
      [['/data/claim_ids/4', 'duplicate_item']],
    ],
    [
      'a link with both response kinds',
      'seed-e020',
      { '/data/response_incident_ids': ['i2a-us-strike-dez-city'] },
      [['/data', 'exactly_one']],
    ],
    [
      'a link with no response',
      'seed-e020',
      { '/data/response_operation_id': REMOVE },
      [['/data', 'exactly_one']],
    ],
    [
      'a link without triggers',
      'seed-e032',
      { '/data/trigger_incident_ids': [] },
      [['/data/trigger_incident_ids', 'too_small']],
    ],
    [
      'a statistic period ending before it starts',
      'seed-e017',
      { '/data/period/to': '2020-12-31' },
      [['/data/period/to', 'out_of_order']],
    ],
    [
      'a statistic without geography',
      'seed-e017',
      { '/data/geography': [] },
      [['/data/geography', 'too_small']],
    ],
    ['an empty target', 'seed-e011', { '/data/target': {} }, [['/data/target', 'at_least_one']]],
    [
      'a target with an unknown key only',
      'seed-e011',
      { '/data/target': { building: 'hangar' } },
      [
        ['/data/target', 'at_least_one'],
        ['/data/target/building', 'unrecognized_key'],
      ],
    ],
    [
      'a cameo code of 5 digits',
      'seed-e011',
      { '/data/cameo_code': '19521' },
      [['/data/cameo_code', 'invalid_format']],
    ],
    [
      'an unknown ACLED event type',
      'seed-e011',
      { '/data/acled/event_type': 'Explosions' },
      [['/data/acled/event_type', 'invalid_value']],
    ],
    [
      'an unknown source scale',
      'seed-e047',
      { '/data/scale': 'Global' },
      [['/data/scale', 'invalid_value']],
    ],
    [
      'a repeated source scale',
      'seed-e047',
      { '/data/scale': 'National-National' },
      [['/data/scale', 'invalid_value']],
    ],
    ['a site without names', 'seed-e008', { '/data/names': [] }, [['/data/names', 'too_small']]],
    [
      'an unknown site kind',
      'seed-e008',
      { '/data/kind': 'outpost' },
      [['/data/kind', 'invalid_value']],
    ],
    [
      'a posture whose time breaks TimeSpec',
      'seed-e037',
      { '/data/at/precision': 'hour' },
      [['/data/at/start', 'required']],
    ],
    [
      'a seed document without claims',
      'seed-e057',
      { '/data/extracted_claims': [] },
      [['/data/extracted_claims', 'too_small']],
    ],
    [
      'a claim citing no event',
      'seed-e057',
      { '/data/extracted_claims/3/event_ids': [] },
      [['/data/extracted_claims/3/event_ids', 'too_small']],
    ],
    [
      'a seed document without published_at',
      'seed-e057',
      { '/data/published_at': REMOVE },
      [['/data/published_at', 'required']],
    ],
  ])(
    'given %s, when validated, then it reports exactly those pointers',
    (_name, seedId, changes, expected) => {
      expect(issuesOf(edit(seedEvent(seedId), changes))).toEqual(expected);
    },
  );

  it.each<[string, string, Record<string, unknown>]>([
    ['a multi-part source scale', 'seed-e047', { '/data/scale': 'Local partner-New media-Other' }],
    ['a total that supersedes another claim', 'seed-e043', {}],
    ['a one-day statistic period', 'seed-e017', { '/data/period/to': '2021-01-01' }],
    ['a target with only a facility', 'seed-e011', { '/data/target': { facility: 'hangar' } }],
  ])('given %s, when validated, then it is valid', (_name, seedId, changes) => {
    expect(issuesOf(edit(seedEvent(seedId), changes))).toEqual([]);
  });

  it('given provenance on any event type, when validated, then it is accepted', () => {
    const withProvenance = seedEvents().map((e) =>
      edit(e, { '/data/provenance': { verification: 'unverified', note: 'n' } }),
    );
    expect(withProvenance.flatMap((e) => issuesOf(e))).toEqual([]);
  });
});

describe('catalog and types', () => {
  it('given EVENT_DATA_SCHEMAS, then it has exactly one schema per event type', () => {
    expect(Object.keys(EVENT_DATA_SCHEMAS).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each([
    ['IncidentReported', true],
    ['constructor', false],
    ['__proto__', false],
    [42, false],
  ] as const)('given %j, then isEventType says %s', (type, expected) => {
    expect(isEventType(type)).toBe(expected);
  });

  it('given the inferred types, then a scope narrows to exactly one key', () => {
    const byIncident: Scope = { incident_id: 'i1' };
    // @ts-expect-error a scope cannot carry both keys
    const both: Scope = { incident_id: 'i1', operation_id: 'op-1' };
    const data: DataOf<'CasualtyReported'> = {
      ...(seedEvent('seed-e014').data as z.infer<typeof EVENT_DATA_SCHEMAS.CasualtyReported>),
    };
    expect([byIncident.incident_id, both.operation_id, data.claim_id]).toEqual([
      'i1',
      'op-1',
      'c1a',
    ]);
  });

  it('given a valid ResponseLinked, then its type has exactly one of the response fields', () => {
    const result = validateEvent(seedEvent('seed-e020'), { now: NOW });
    if (!result.ok || result.event.type !== 'ResponseLinked')
      throw new Error('seed-e020 should be a valid ResponseLinked');
    const { data } = result.event;
    const responses =
      data.response_operation_id !== undefined
        ? [data.response_operation_id]
        : data.response_incident_ids;
    expect(responses).toEqual(['op-2023-03-24-us-strikes']);
  });
});
