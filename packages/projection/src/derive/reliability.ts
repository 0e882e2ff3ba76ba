import type { State } from '../fold.js';

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
