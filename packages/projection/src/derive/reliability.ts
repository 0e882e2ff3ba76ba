import type { DomainEvent } from '@incidents/events';
import type { State } from '../fold.js';
import { sortByKey } from '../order.js';

const RANK: Readonly<Record<string, number>> = { A: 0, B: 1, C: 2, D: 3, E: 4, F: 5 };

/** A first … F last; anything unknown ranks as F. */
export function reliabilityRank(grade: string): number {
  return RANK[grade] ?? 5;
}

export interface Reliabilities {
  /** §5.8: latest registration or rating in logical order; F when unregistered */
  of(sourceId: string): string;
  registered(sourceId: string): boolean;
}

export function deriveReliabilities(s: State): Reliabilities {
  return {
    of(sourceId) {
      const src = s.sources.get(sourceId);
      if (src === undefined || src.registration === null) return 'F';
      return src.reliability[src.reliability.length - 1]?.reliability ?? 'F';
    },
    registered(sourceId) {
      return s.sources.get(sourceId)?.registration != null;
    },
  };
}

/** An applied registration or rating: its instant (µs), id and source give its logical order. */
export interface GradeEvent {
  readonly t: number;
  readonly id: string;
  readonly source: string;
  readonly event: DomainEvent;
}

/**
 * Whether `rating` changes any row, for revision_feed (§6: the ids whose rows an event
 * changed), given every applied registration and rating of its source (any order). It must
 * be the latest of them at some instant at which the source is registered (§5.8: an
 * unregistered source is F whatever its ratings), so not followed by another at the same
 * instant and preceded by a registration, and it must give another grade than the entry
 * before it, which applies in its place without it.
 */
export function ratingChangesGrade(rating: DomainEvent, ofSource: readonly GradeEvent[]): boolean {
  const list = sortByKey([...ofSource], (e) => [e.t, e.id, e.source]);
  const index = list.findIndex((e) => e.event === rating);
  const at = list[index];
  const before = list[index - 1];
  if (at === undefined || before === undefined) return false;
  const next = list[index + 1];
  if (next !== undefined && next.t === at.t) return false;
  if (!list.slice(0, index).some((e) => e.event.type === 'SourceRegistered')) return false;
  return grade(before.event) !== grade(at.event);
}

function grade(e: DomainEvent): string | undefined {
  return e.type === 'SourceRegistered' || e.type === 'SourceReliabilityRated' ? e.data.reliability : undefined;
}
