import { canonicalJson, type DomainEvent } from '@incidents/events';
import { compareCodePoints, instantMicros, logicalKey, sortByKey } from './order.js';
import type { RejectedEvent } from './rows.js';

/** An applied event with its logical position (`seq`) and exact instant (`t`, µs). */
export interface Applied {
  readonly seq: number;
  readonly t: number;
  readonly id: string;
  readonly source: string;
  readonly event: DomainEvent;
}

export interface Selection {
  applied: Applied[];
  rejected: RejectedEvent[];
}

// Trace context is not part of an event's identity (§1).
function withoutTrace(event: DomainEvent): DomainEvent {
  const { traceparent: _tp, tracestate: _ts, ...rest } = event;
  return rest;
}

function identity(event: DomainEvent): string {
  return canonicalJson(withoutTrace(event));
}

export const CONFLICT_REASON =
  'another event with the same (source, id) has different content; the variant whose canonical JSON sorts first is applied (§5.1)';

/**
 * §5.1 for the stored variants of one (source, id): the one whose canonical JSON (trace
 * context excluded) sorts first wins; `losers` holds the others (not copies of the winner).
 */
export function rankVariants<E extends { readonly event: DomainEvent }>(
  variants: readonly E[],
): { winner: E; losers: E[] } {
  const keyed = variants.map((v) => ({ v, k: identity(v.event) }));
  keyed.sort((a, b) => compareCodePoints(a.k, b.k));
  const first = keyed[0];
  if (first === undefined) throw new RangeError('rankVariants needs at least one variant');
  return { winner: first.v, losers: keyed.filter((x) => x.k !== first.k).map((x) => x.v) };
}

/**
 * §5.1 + §5.2 + §5.7: one event per (source, id) — the variant whose canonical JSON sorts
 * first wins over the whole input, the others are rejected — then the cut at `asOf`, then
 * the logical order. The winner does not depend on `asOf`, so a rejected variant never
 * reappears in an as-of view.
 */
export function selectEvents(events: readonly DomainEvent[], asOfMicros: number | null): Selection {
  const groups = new Map<string, DomainEvent[]>();
  for (const event of events) {
    const key = `${event.source}\u0000${event.id}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [event]);
    else group.push(event);
  }

  const winners: { t: number; id: string; source: string; key: string; event: DomainEvent }[] = [];
  const rejected: { row: RejectedEvent; canonical: string }[] = [];
  const inCut = (t: number) => asOfMicros === null || t <= asOfMicros;

  for (const group of groups.values()) {
    let winner = group[0] as DomainEvent;
    if (group.length > 1) {
      const variants = new Map<string, DomainEvent>();
      for (const event of group) {
        const canonical = identity(event);
        if (!variants.has(canonical)) variants.set(canonical, event);
      }
      const ordered = [...variants.entries()].sort((a, b) => compareCodePoints(a[0], b[0]));
      winner = (ordered[0] as [string, DomainEvent])[1];
      for (const [canonical, event] of ordered.slice(1)) {
        if (!inCut(instantMicros(event.time))) continue;
        rejected.push({
          canonical,
          row: {
            source: event.source,
            id: event.id,
            type: event.type,
            time: event.time,
            code: 'CONFLICTING_DUPLICATE',
            reason: CONFLICT_REASON,
            // without trace context, so that copies of one variant report identically
            event: withoutTrace(event),
          },
        });
      }
    }
    const t = instantMicros(winner.time);
    if (inCut(t))
      winners.push({
        t,
        id: winner.id,
        source: winner.source,
        key: logicalKey(t, winner.id, winner.source),
        event: winner,
      });
  }

  winners.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  sortByKey(rejected, (r) => [r.row.source, r.row.id, r.canonical]);
  return {
    applied: winners.map((w, seq) => ({ seq, t: w.t, id: w.id, source: w.source, event: w.event })),
    rejected: rejected.map((r) => r.row),
  };
}
