import type { Segment } from '@incidents/events';

/** Outcomes an umbrella `wounded_or_injured` figure covers (§3.4, §5.6). */
const COVERED_BY_UMBRELLA: ReadonlySet<string> = new Set([
  'wounded',
  'injured_tbi',
  'injured_unspecified',
]);

export interface SegmentKey {
  readonly role: string;
  readonly outcome: string;
  /** '' when unknown */
  readonly nationality: string;
}

/** Segment key (§3.4) as a string: `<role>/<outcome>/<nationality>`. */
export function segmentKey(
  segment: Pick<Segment, 'role' | 'outcome' | 'nationality_iso3'>,
): string {
  return `${segment.role}/${segment.outcome}/${segment.nationality_iso3 ?? ''}`;
}

export function parseSegmentKey(key: string): SegmentKey {
  const [role = '', outcome = '', nationality = ''] = key.split('/');
  return { role, outcome, nationality };
}

const umbrellas = new Map<string, string | null>(); // memo: a pure function of the key

/** The umbrella key covering `key`, if its outcome is one the umbrella covers. */
export function umbrellaOf(key: string): string | null {
  let umbrella = umbrellas.get(key);
  if (umbrella === undefined) {
    const k = parseSegmentKey(key);
    umbrella = COVERED_BY_UMBRELLA.has(k.outcome)
      ? `${k.role}/wounded_or_injured/${k.nationality}`
      : null;
    umbrellas.set(key, umbrella);
  }
  return umbrella;
}
