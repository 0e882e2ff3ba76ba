import { hash } from 'node:crypto';
import { canonicalJson, upcast, validateEvent, type DomainEvent } from '@incidents/events';
import type { IncomingRecord } from '@incidents/kafka';

export interface ParsedEvent {
  kind: 'event';
  record: IncomingRecord;
  event: DomainEvent;
  /** sha-256 of the canonical JSON without the trace context (not part of identity) */
  variant: string;
  /** the event as JSON (the record's value unless it was upcast): JSON.parse gives `event` */
  json: string;
}

export interface PoisonRecord {
  kind: 'poison';
  record: IncomingRecord;
  code: 'not_json' | 'invalid_event' | 'empty_value';
  error: string;
}

/** The identity-relevant content of an event: everything but the trace context attributes. */
export function variantOf(event: DomainEvent): string {
  const { traceparent: _tp, tracestate: _ts, ...identity } = event;
  return hash('sha256', canonicalJson(identity), 'hex');
}

/**
 * Reads a Kafka record as a v1 event (upcasting older versions). A record that is not a
 * valid event is a deterministic failure: it is parked, never retried.
 */
export function parseRecord(record: IncomingRecord): ParsedEvent | PoisonRecord {
  if (record.value === null || record.value === '') {
    return { kind: 'poison', record, code: 'empty_value', error: 'the record has no value' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(record.value);
  } catch (error) {
    return { kind: 'poison', record, code: 'not_json', error: `not JSON: ${(error as Error).message}` };
  }
  // "Ahead of the clock" is judged against the time the record was written, as ingest did.
  const writtenAt = Number(record.timestamp);
  const now = new Date(Number.isFinite(writtenAt) && writtenAt > 0 ? writtenAt : Date.now());
  const upcasted = upcast(raw);
  const result = validateEvent(upcasted, { now });
  if (!result.ok) {
    const error = result.errors
      .slice(0, 20)
      .map((e) => `${e.pointer || '/'}: ${e.code}: ${e.message}`)
      .join('; ');
    return { kind: 'poison', record, code: 'invalid_event', error };
  }
  if (record.value.includes('\\u0000')) {
    // PostgreSQL text and jsonb cannot hold U+0000.
    return { kind: 'poison', record, code: 'invalid_event', error: 'the event contains U+0000, which cannot be stored' };
  }
  // the schemas add and transform nothing: the value itself is the event's JSON
  const json = upcasted === raw ? record.value : JSON.stringify(result.event);
  return { kind: 'event', record, event: result.event, variant: variantOf(result.event), json };
}
