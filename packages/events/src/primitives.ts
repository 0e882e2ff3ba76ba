import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';

/** Options for a custom zod issue: the machine-readable code lands in `params.code`. */
export function issue(
  code: string,
  message: string,
): { message: string; params: { code: string } } {
  return { message, params: { code } };
}

/** Adds a custom issue with a machine-readable `code` at `path`, relative to the refined value. */
export function report(
  ctx: z.RefinementCtx,
  path: PropertyKey[],
  code: string,
  message: string,
): void {
  ctx.addIssue({ code: 'custom', path, message, params: { code } });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `when` option for a cross-field refinement: run it once the object parsed and none of
 * `fields` has an issue, so one bad field does not hide the other violations of an event.
 */
export function onceValid(...fields: string[]): {
  when: (payload: z.core.ParsePayload) => boolean;
} {
  return {
    when: (payload) =>
      isRecord(payload.value) &&
      !payload.issues.some((i) => {
        const head = i.path?.[0];
        return typeof head === 'string' && fields.includes(head);
      }),
  };
}

/** Number of Unicode code points in `s` (a surrogate pair counts once). */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** True when `s` holds a C0 control character (U+0000–U+001F), `\n` excepted if allowed. */
export function hasControlChar(s: string, allowNewline = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && !(allowNewline && c === 0x0a)) return true;
  }
  return false;
}

function text(max: number, allowNewline = false) {
  return z
    .string()
    .min(1, issue('too_small', 'must not be empty'))
    .refine(
      (s) => codePointLength(s) <= max,
      issue('too_big', `must be at most ${max} code points`),
    )
    .refine(
      (s) => !hasControlChar(s, allowNewline),
      issue(
        'invalid_characters',
        allowNewline ? 'no control characters except \\n' : 'no control characters',
      ),
    );
}

/** Text of at most 100 code points, no control characters. */
export const Short = text(100);
export type Short = z.infer<typeof Short>;
/** Text of at most 200 code points, no control characters. */
export const Name = text(200);
export type Name = z.infer<typeof Name>;
/** Text of at most 500 code points, no control characters. */
export const Raw = text(500);
export type Raw = z.infer<typeof Raw>;
/** Text of at most 1000 code points, no control characters. */
export const Quote = text(1000);
export type Quote = z.infer<typeof Quote>;
/** Text of at most 2000 code points; `\n` is the only control character allowed. */
export const Note = text(2000, true);
export type Note = z.infer<typeof Note>;

/** Every entity id (incident, operation, site, source, actor, link, claim, assertion, stat, doc). */
export const Slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,127}$/,
    issue('invalid_format', 'must match ^[a-z0-9][a-z0-9._-]{0,127}$'),
  );
export type Slug = z.infer<typeof Slug>;

/** The envelope `id` pattern; also used where data lists event ids. */
export const EventId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
    issue('invalid_format', 'must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
  );
export type EventId = z.infer<typeof EventId>;

function isHttpUrl(s: string): boolean {
  return /^https?:\/\/\S+$/i.test(s) && !hasControlChar(s, false) && URL.canParse(s);
}

/** Absolute http(s) URL of at most 2048 characters. */
export const Url = z
  .string()
  .refine((s) => codePointLength(s) <= 2048, issue('too_big', 'must be at most 2048 characters'))
  .refine(isHttpUrl, issue('invalid_format', 'must be an absolute http(s) URL'));
export type Url = z.infer<typeof Url>;

/** ISO 3166-1 alpha-3 country code (shape only). */
export const Iso3 = z
  .string()
  .regex(/^[A-Z]{3}$/, issue('invalid_format', 'must be an ISO 3166-1 alpha-3 code'));
export type Iso3 = z.infer<typeof Iso3>;

/** ISO 639 language code (shape only). */
export const Lang = z
  .string()
  .regex(/^[a-z]{2,3}$/, issue('invalid_format', 'must be an ISO 639 code'));
export type Lang = z.infer<typeof Lang>;

let canonicalZones: Set<string> | undefined;
const formatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(tz: string): Intl.DateTimeFormat | undefined {
  const cached = formatters.get(tz);
  if (cached) return cached;
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  // Links such as UTC or Asia/Calcutta are missing from the canonical list; offsets like
  // +03:00 are accepted by Intl but are not IANA zones, hence the name pattern.
  if (
    !canonicalZones.has(tz) &&
    !/^[A-Za-z][A-Za-z0-9_+-]{0,63}(\/[A-Za-z0-9_+-]{1,64}){0,2}$/.test(tz)
  ) {
    return undefined;
  }
  try {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    // Intl matches names case-insensitively; IANA names are not (asia/damascus is not a zone).
    const resolved = f.resolvedOptions().timeZone;
    if (resolved !== tz && resolved.toLowerCase() === tz.toLowerCase()) return undefined;
    formatters.set(tz, f);
    return f;
  } catch {
    return undefined;
  }
}

/** True when `tz` names an IANA time zone known to the runtime. */
export function isKnownTimeZone(tz: string): boolean {
  return dateFormatter(tz) !== undefined;
}

/** An IANA time zone known to the runtime, e.g. `Asia/Damascus`. */
export const Tz = z
  .string()
  .refine(
    isKnownTimeZone,
    issue('invalid_value', 'must be an IANA time zone known to the runtime'),
  );
export type Tz = z.infer<typeof Tz>;

function isRealDate(year: number, month: number, day: number): boolean {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;
// §2 Instant: RFC 3339 UTC with Z, any number of fractional digits (only §1 `time` has a limit).
const ANY_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;
const PUB_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isTimeOfDay(h: string | undefined, min: string | undefined, sec = '00'): boolean {
  return Number(h) <= 23 && Number(min) <= 59 && Number(sec) <= 59;
}

/**
 * Sortable form of an envelope `time` (`YYYY-MM-DDTHH:MM:SS.ffffff`): comparing two keys as
 * strings compares the instants. Undefined when `s` is not an Instant with at most 6 fractional
 * digits (events.md §1).
 */
export function instantKey(s: string): string | undefined {
  const m = INSTANT.exec(s);
  if (
    !m ||
    !isRealDate(Number(m[1]), Number(m[2]), Number(m[3])) ||
    !isTimeOfDay(m[4], m[5], m[6])
  ) {
    return undefined;
  }
  return `${s.slice(0, 19)}.${(m[7] ?? '').padEnd(6, '0')}`;
}

/** True when `s` is an Instant (§2): an RFC 3339 UTC date-time ending in `Z`, any fraction. */
export function isInstant(s: string): boolean {
  const m = ANY_INSTANT.exec(s);
  return (
    m !== null &&
    isRealDate(Number(m[1]), Number(m[2]), Number(m[3])) &&
    isTimeOfDay(m[4], m[5], m[6])
  );
}

/** Compares two Instants (negative, 0 or positive); fractions may differ in length. */
export function compareInstants(a: string, b: string): number {
  const fraction = (s: string) => (s[19] === '.' ? s.slice(20, -1) : '');
  const [fa, fb] = [fraction(a), fraction(b)];
  const n = Math.max(fa.length, fb.length);
  const ka = `${a.slice(0, 19)}.${fa.padEnd(n, '0')}`;
  const kb = `${b.slice(0, 19)}.${fb.padEnd(n, '0')}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The calendar date (`YYYY-MM-DD`) of an Instant in time zone `tz`; undefined if either is invalid. */
export function localDateOf(instant: string, tz: string): string | undefined {
  const f = dateFormatter(tz);
  if (!isInstant(instant) || !f) return undefined;
  const parts = f.formatToParts(Date.parse(`${instant.slice(0, 19)}Z`));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}

/** `YYYY-MM-DD`, a real calendar date (the contract calls it *Date*). */
export const CalendarDate = z
  .string()
  .refine(isDate, issue('invalid_format', 'must be a real calendar date YYYY-MM-DD'));
export type CalendarDate = z.infer<typeof CalendarDate>;

/** RFC 3339 date-time in UTC with `Z` (§2 Instant; the envelope `time` also limits the fraction). */
export const Instant = z
  .string()
  .refine(isInstant, issue('invalid_format', 'must be an RFC 3339 UTC date-time ending in Z'));
export type Instant = z.infer<typeof Instant>;

/** The envelope `time` (§1): an Instant with at most 6 fractional digits (it orders events). */
export const EventTime = z
  .string()
  .refine(
    (s) => instantKey(s) !== undefined,
    issue(
      'invalid_format',
      'must be an RFC 3339 UTC date-time ending in Z, at most 6 fractional digits',
    ),
  );

function isPubTime(s: string): boolean {
  if (isDate(s)) return true;
  const m = PUB_DATE_TIME.exec(s);
  return (
    m !== null &&
    isRealDate(Number(m[1]), Number(m[2]), Number(m[3])) &&
    isTimeOfDay(m[4], m[5], m[6]) &&
    (m[7] === undefined || isTimeOfDay(m[7], m[8]))
  );
}

/** Publication time: an RFC 3339 date-time with any offset, or a CalendarDate. */
export const PubTime = z
  .string()
  .refine(isPubTime, issue('invalid_format', 'must be an RFC 3339 date-time or YYYY-MM-DD'));
export type PubTime = z.infer<typeof PubTime>;

/** An array of `min..max` items with no duplicates (items compared by canonical JSON). */
export function uniqueArray<T extends z.ZodType>(item: T, min: number, max: number) {
  return z
    .array(item)
    .min(min)
    .max(max)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((value, index) => {
        const key = canonicalJson(value);
        if (seen.has(key)) {
          report(ctx, [index], 'duplicate_item', 'duplicates an earlier item');
        }
        seen.add(key);
      });
    });
}
