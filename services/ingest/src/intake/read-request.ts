import type { IncomingHttpHeaders } from 'node:http';
import { ProblemError } from '@incidents/http';

export type IntakeMode = 'structured' | 'batch' | 'binary';

export interface RawIntake {
  mode: IntakeMode;
  /** Events as parsed JSON values, not validated yet. */
  events: unknown[];
  /** True when the body was one event (pointers then start at the event, not at an index). */
  single: boolean;
}

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';
const JSON_TYPE = 'application/json';

function mediaType(header: string | undefined): { type: string; charset?: string } {
  const [type = '', ...params] = (header ?? '').split(';').map((p) => p.trim());
  const charset = params.find((p) => /^charset=/i.test(p))?.split('=')[1]?.replace(/"/g, '').toLowerCase();
  return { type: type.toLowerCase(), charset };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new ProblemError(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
  }
}

// CloudEvents HTTP binding, binary mode: attribute values are percent-encoded in headers.
function decodeHeader(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function fromBinary(headers: IncomingHttpHeaders, body: Buffer, contentType: string): unknown {
  const event: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('ce-') || value === undefined) continue;
    event[name.slice(3)] = decodeHeader(Array.isArray(value) ? value.join(',') : value);
  }
  event.datacontenttype = contentType;
  event.data = body.length === 0 ? undefined : parseJson(body);
  return event;
}

/**
 * Reads the events of a request in any CloudEvents HTTP mode. Content types other than
 * the three CloudEvents forms and plain JSON are a 415; the body was already bounded by the
 * raw body parser (413).
 */
export function readRequest(headers: IncomingHttpHeaders, body: Buffer): RawIntake {
  const { type, charset } = mediaType(headers['content-type']);
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ProblemError(415, 'unsupported-charset', 'Unsupported charset', `Charset ${charset} is not supported; use UTF-8.`);
  }
  if (type === JSON_TYPE && headers['ce-specversion'] !== undefined) {
    return { mode: 'binary', events: [fromBinary(headers, body, JSON_TYPE)], single: true };
  }
  if (type !== STRUCTURED && type !== BATCH && type !== JSON_TYPE) {
    throw new ProblemError(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `Content-Type ${type || '(none)'} is not accepted; use ${STRUCTURED}, ${BATCH}, or ${JSON_TYPE} (one event, an array, or binary mode with ce-* headers).`,
    );
  }
  if (body.length === 0) {
    throw new ProblemError(400, 'empty-body', 'Empty body', 'The request has no body.');
  }
  const parsed = parseJson(body);
  if (type === BATCH && !Array.isArray(parsed)) {
    throw new ProblemError(400, 'batch-not-array', 'Batch must be an array', `${BATCH} bodies are a JSON array of events.`);
  }
  if (type === STRUCTURED && Array.isArray(parsed)) {
    throw new ProblemError(400, 'structured-is-array', 'Structured mode takes one event', `${STRUCTURED} bodies are one event object; send arrays as ${BATCH}.`);
  }
  if (Array.isArray(parsed)) return { mode: 'batch', events: parsed, single: false };
  return { mode: 'structured', events: [parsed], single: true };
}
