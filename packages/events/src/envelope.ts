import { z } from 'zod';
import { EVENT_DATA_SCHEMAS, isEventType, type DataOf, type EventType } from './event-data.js';
import {
  EventId,
  EventTime,
  codePointLength,
  hasControlChar,
  instantKey,
  isRecord,
  issue,
} from './primitives.js';

/** A CloudEvents 1.0 envelope (structured mode, JSON) carrying a v1 `data` of type `T`. */
export interface EventOf<T extends EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema?: string;
  traceparent?: string;
  tracestate?: string;
  data: DataOf<T>;
}

/** Any valid event, discriminated on `type`. */
export type DomainEvent = { [T in EventType]: EventOf<T> }[EventType];

/** One reason an event is invalid. */
export interface ValidationIssue {
  /** RFC 6901 JSON pointer relative to the event, e.g. `/data/count/low`; `''` is the event itself. */
  pointer: string;
  /**
   * Machine-readable reason. From the schema: `required`, `unrecognized_key`, `invalid_type`,
   * `invalid_value`, `invalid_format`, `too_small`, `too_big`, `invalid_characters`,
   * `duplicate_item`. From the envelope rules: `unknown_type`, `subject_mismatch`,
   * `time_in_future`, `unsupported_dataschema`. From cross-field rules: `qualifier_mismatch`,
   * `out_of_order`, `local_date_mismatch`, `exactly_one`, `at_least_one`, `self_reference`,
   * `not_allowed`, `not_null`.
   */
  code: string;
  message: string;
}

export type ValidationResult =
  { ok: true; event: DomainEvent } | { ok: false; errors: ValidationIssue[] };

export const SUBJECT_KINDS = [
  'incident',
  'operation',
  'site',
  'source',
  'actor',
  'link',
  'context',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Where the subject comes from: a kind and the data field holding the id, or the casualty `scope`. */
const SUBJECT_FIELD: { readonly [T in EventType]: readonly [SubjectKind, string] | 'scope' } = {
  SourceRegistered: ['source', 'source_id'],
  SourceReliabilityRated: ['source', 'source_id'],
  ActorRegistered: ['actor', 'actor_id'],
  ActorRelationAsserted: ['actor', 'from_actor_id'],
  SiteRegistered: ['site', 'site_id'],
  DefensePostureReported: ['site', 'site_id'],
  IncidentReported: ['incident', 'incident_id'],
  IncidentAmended: ['incident', 'incident_id'],
  IncidentMerged: ['incident', 'incident_id'],
  IncidentRetracted: ['incident', 'incident_id'],
  IncidentReinstated: ['incident', 'incident_id'],
  MunitionCountReported: ['incident', 'incident_id'],
  InterceptionReported: ['incident', 'incident_id'],
  DamageReported: ['incident', 'incident_id'],
  AttributionAsserted: ['incident', 'incident_id'],
  AttributionWithdrawn: ['incident', 'incident_id'],
  ResponsibilityClaimed: ['incident', 'incident_id'],
  ResponsibilityDenied: ['incident', 'incident_id'],
  CasualtyClaimReassigned: ['incident', 'from_incident_id'],
  CasualtyReported: 'scope',
  CasualtyClaimRetracted: 'scope',
  CasualtyEstimateAdopted: 'scope',
  ResponseLinked: ['link', 'link_id'],
  ResponseLinkRemoved: ['link', 'link_id'],
  ExternalStatisticReported: ['context', 'stat_id'],
  SeedDocumentIngested: ['context', 'doc_id'],
};

function subjectFrom(type: EventType, data: unknown): string | undefined {
  if (!isRecord(data)) return undefined;
  const field = SUBJECT_FIELD[type];
  if (field !== 'scope') {
    const id = data[field[1]];
    return typeof id === 'string' ? `${field[0]}/${id}` : undefined;
  }
  const scope = data.scope;
  if (!isRecord(scope)) return undefined;
  const { incident_id, operation_id } = scope;
  if (typeof incident_id === 'string' && operation_id === undefined) {
    return `incident/${incident_id}`;
  }
  if (typeof operation_id === 'string' && incident_id === undefined) {
    return `operation/${operation_id}`;
  }
  return undefined;
}

/**
 * The subject (`<kind>/<id>`) that an event's data fixes (events.md §4), e.g.
 * `incident/<incident_id>`, `actor/<from_actor_id>` for `ActorRelationAsserted`, or
 * `operation/<scope.operation_id>` for a casualty event scoped to an operation.
 * Throws a `TypeError` when `data` lacks the id field.
 */
export function expectedSubject<T extends EventType>(type: T, data: DataOf<T>): string {
  const subject = subjectFrom(type, data);
  if (subject === undefined) throw new TypeError(`${type} data does not fix a subject`);
  return subject;
}

/** The only dataschema accepted for `type`; an absent dataschema means the same. */
export function dataschemaOf(type: string): string {
  return `urn:incidents:${type}:v1`;
}

const SUBJECT_PATTERN = new RegExp(`^(${SUBJECT_KINDS.join('|')})/[a-z0-9][a-z0-9._-]{0,127}$`);
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
// RFC 3986 characters of a URI-reference, `%` only as a percent-encoded octet. A character-level
// check: it rejects what can never be a URI-reference, not every ill-formed arrangement.
const URI_REFERENCE_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

const Envelope = z.strictObject({
  specversion: z.literal('1.0'),
  id: EventId,
  source: z
    .string()
    .min(1, issue('too_small', 'must not be empty'))
    .refine((s) => codePointLength(s) <= 256, issue('too_big', 'must be at most 256 characters'))
    .refine(
      (s) => URI_REFERENCE_CHARS.test(s) && !hasControlChar(s),
      issue('invalid_format', 'must be a URI-reference (RFC 3986), without whitespace'),
    ),
  type: z.string(),
  subject: z
    .string()
    .regex(
      SUBJECT_PATTERN,
      issue('invalid_format', `must be <kind>/<id> with kind one of ${SUBJECT_KINDS.join(', ')}`),
    ),
  time: EventTime,
  datacontenttype: z.literal('application/json'),
  dataschema: z.string().optional(),
  traceparent: z
    .string()
    .regex(
      /^(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/,
      issue('invalid_format', 'must be a W3C traceparent'),
    )
    .optional(),
  tracestate: z
    .string()
    .regex(
      /^[\x20-\x7e]{1,512}$/,
      issue(
        'invalid_format',
        'must be a W3C tracestate of printable ASCII, at most 512 characters',
      ),
    )
    .optional(),
  data: z.unknown(),
});

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((key) => `/${escapePointerToken(String(key))}`).join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Maps zod issues on `input` (found at `base` within the event) to validation issues. */
function toIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  base: readonly PropertyKey[],
): ValidationIssue[] {
  return issues.flatMap((i): ValidationIssue[] => {
    const path = [...base, ...i.path];
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((key) => ({
        pointer: pointerOf([...path, key]),
        code: 'unrecognized_key',
        message: `unknown field ${key}`,
      }));
    }
    if (
      (i.code === 'invalid_type' || i.code === 'invalid_value') &&
      valueAt(input, i.path) === undefined
    ) {
      return [{ pointer: pointerOf(path), code: 'required', message: 'required' }];
    }
    const custom: unknown = i.code === 'custom' ? i.params?.code : undefined;
    return [
      {
        pointer: pointerOf(path),
        code: typeof custom === 'string' ? custom : i.code,
        message: i.message,
      },
    ];
  });
}

/**
 * Validates an event against the v1 wire contract (events.md §1–4): the envelope rules, the
 * subject the data fixes, and the `data` schema of its type. Reports every issue found, not only
 * the first. `opts.now` is the ingest clock (`time` may be at most 5 minutes ahead of it).
 * Never throws for any input; on success, `event` is a fresh copy of the input.
 */
export function validateEvent(input: unknown, opts: { now: Date }): ValidationResult {
  if (!isRecord(input)) {
    return {
      ok: false,
      errors: [{ pointer: '', code: 'invalid_type', message: 'an event must be a JSON object' }],
    };
  }
  const errors: ValidationIssue[] = [];
  const envelope = Envelope.safeParse(input);
  if (!envelope.success) errors.push(...toIssues(envelope.error.issues, input, []));

  const { type, subject, time, dataschema, data } = input;
  const knownType = isEventType(type) ? type : undefined;
  if (typeof type === 'string' && !knownType) {
    errors.push({ pointer: '/type', code: 'unknown_type', message: `unknown event type ${type}` });
  }
  if (
    typeof type === 'string' &&
    typeof dataschema === 'string' &&
    dataschema !== dataschemaOf(type)
  ) {
    errors.push({
      pointer: '/dataschema',
      code: 'unsupported_dataschema',
      message: `only ${dataschemaOf(type)} is supported`,
    });
  }
  const timeKey = typeof time === 'string' ? instantKey(time) : undefined;
  const latest = new Date(opts.now.getTime() + MAX_CLOCK_SKEW_MS).toISOString();
  if (timeKey !== undefined && timeKey > instantKey(latest)!) {
    errors.push({
      pointer: '/time',
      code: 'time_in_future',
      message: `must not be after ${latest}`,
    });
  }
  if (knownType && typeof subject === 'string' && SUBJECT_PATTERN.test(subject)) {
    const expected = subjectFrom(knownType, data);
    if (expected !== undefined && expected !== subject) {
      errors.push({
        pointer: '/subject',
        code: 'subject_mismatch',
        message: `${knownType} data fixes subject ${expected}`,
      });
    }
  }

  let parsedData: unknown;
  if (isRecord(data) && knownType) {
    const result = EVENT_DATA_SCHEMAS[knownType].safeParse(data);
    if (result.success) parsedData = result.data;
    else errors.push(...toIssues(result.error.issues, data, ['data']));
  } else if (data !== undefined && !isRecord(data)) {
    errors.push({ pointer: '/data', code: 'invalid_type', message: 'data must be a JSON object' });
  }

  if (errors.length > 0 || !envelope.success) return { ok: false, errors };
  return { ok: true, event: { ...envelope.data, data: parsedData } as DomainEvent };
}
