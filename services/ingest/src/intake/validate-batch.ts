import { validateEvent, type DomainEvent } from '@incidents/events';
import { ProblemError, type FieldError } from '@incidents/http';

export interface BatchLimits {
  maxEvents: number;
  maxEventBytes: number;
  maxFutureSkewMs: number;
}

function idOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    return (value as { id: string }).id;
  }
  return undefined;
}

export interface ValidEvent {
  event: DomainEvent;
  /** The event as JSON: the schemas transform nothing, so this is also the record value. */
  json: string;
}

/**
 * Validates a request's events as a whole: any invalid event rejects the request with every
 * problem listed (index, id, JSON pointer). Returns the typed events in request order.
 */
export function validateBatch(events: unknown[], single: boolean, limits: BatchLimits, now: Date): ValidEvent[] {
  if (events.length === 0) {
    throw new ProblemError(400, 'empty-batch', 'Empty batch', 'A batch holds 1 or more events.');
  }
  if (events.length > limits.maxEvents) {
    throw new ProblemError(413, 'batch-too-large', 'Too many events', `A request holds at most ${limits.maxEvents} events; this one has ${events.length}.`);
  }
  const serialized = events.map((event) => JSON.stringify(event) ?? '');
  const oversized = serialized.flatMap((json, index) => {
    const bytes = Buffer.byteLength(json, 'utf8');
    return bytes > limits.maxEventBytes ? [{ index, bytes }] : [];
  });
  if (oversized.length > 0) {
    throw new ProblemError(
      413,
      'event-too-large',
      'Event too large',
      `An event is at most ${limits.maxEventBytes} bytes as JSON.`,
      oversized.map(({ index, bytes }) => ({
        index,
        id: idOf(events[index]),
        pointer: single ? '' : `/${index}`,
        code: 'too_large',
        detail: `event is ${bytes} bytes`,
      })),
    );
  }
  // Validation measures "ahead of the clock" against now plus the configured skew.
  const clock = new Date(now.getTime() + limits.maxFutureSkewMs - 5 * 60 * 1000);
  const errors: FieldError[] = [];
  const valid: ValidEvent[] = [];
  const seen = new Map<string, number>();
  events.forEach((event, index) => {
    const prefix = single ? '' : `/${index}`;
    const result = validateEvent(event, { now: clock });
    if (!result.ok) {
      for (const issue of result.errors) {
        errors.push({ index, id: idOf(event), pointer: `${prefix}${issue.pointer}`, code: issue.code, detail: issue.message });
      }
      return;
    }
    const key = JSON.stringify([result.event.source, result.event.id]);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        index,
        id: result.event.id,
        pointer: `${prefix}/id`,
        code: 'duplicate_in_request',
        detail: `(source, id) repeats the event at index ${first}`,
      });
      return;
    }
    seen.set(key, index);
    valid.push({ event: result.event, json: serialized[index]! });
  });
  if (errors.length > 0) {
    const count = new Set(errors.map((e) => e.index)).size;
    throw new ProblemError(
      400,
      'invalid-events',
      'Invalid events',
      `${count} of ${events.length} events are invalid; nothing was published.`,
      errors,
    );
  }
  return valid;
}
