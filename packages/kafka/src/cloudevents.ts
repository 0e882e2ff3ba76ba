import type { OutgoingRecord } from './producer.js';

/** Header value of the CloudEvents Kafka binding in structured content mode. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

/**
 * Maps a CloudEvent to a Kafka record: key = subject, value = the event JSON (structured
 * mode). `json`, when given, is the event already serialised.
 */
export function toKafkaRecord(event: { subject: string }, json?: string): OutgoingRecord {
  return {
    key: event.subject,
    value: json ?? JSON.stringify(event),
    headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
  };
}

/** Header values arrive as Buffer (or arrays of them); this reads one as text. */
export function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return headerText(value[0]);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return typeof value === 'string' ? value : undefined;
}
