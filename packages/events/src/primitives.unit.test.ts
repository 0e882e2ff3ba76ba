import { codePointLength, instantKey, isKnownTimeZone, localDateOf } from './primitives.js';

describe('codePointLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['📡📡', 2],
    ['é', 1],
    ['e\u0301', 2],
  ])('given %j, then it counts %i code points', (s, n) => {
    expect(codePointLength(s)).toBe(n);
  });
});

describe('instantKey', () => {
  it.each([
    ['2023-03-24T03:21:00Z', '2023-03-24T03:21:00.000000'],
    ['2023-03-24T03:21:00.5Z', '2023-03-24T03:21:00.500000'],
    ['2023-03-24T03:21:00.123456Z', '2023-03-24T03:21:00.123456'],
  ])('given the Instant %s, then its key is %s', (instant, key) => {
    expect(instantKey(instant)).toBe(key);
  });

  it.each([
    '2023-03-24T03:21:00',
    '2023-03-24t03:21:00z',
    '2023-03-24T03:21:60Z',
    '2023-04-31T00:00:00Z',
    '2023-03-24T03:21:00.Z',
    '2023-03-24 03:21:00Z',
  ])('given the non-Instant %s, then it has no key', (s) => {
    expect(instantKey(s)).toBeUndefined();
  });
});

describe('localDateOf', () => {
  it.each([
    ['2023-03-23T23:40:00Z', 'Asia/Damascus', '2023-03-24'],
    ['2023-03-23T20:59:59.999999Z', 'Asia/Damascus', '2023-03-23'],
    ['2023-03-23T21:00:00Z', 'Asia/Damascus', '2023-03-24'],
    ['2023-03-24T03:00:00Z', 'America/New_York', '2023-03-23'],
    ['2023-03-24T03:00:00Z', 'UTC', '2023-03-24'],
  ])('given %s in %s, then the local date is %s', (instant, tz, date) => {
    expect(localDateOf(instant, tz)).toBe(date);
  });

  it('given an unknown zone or a bad instant, then there is no local date', () => {
    expect(localDateOf('2023-03-24T03:00:00Z', 'Nowhere/Land')).toBeUndefined();
    expect(localDateOf('yesterday', 'UTC')).toBeUndefined();
  });
});

describe('isKnownTimeZone', () => {
  it.each(['Asia/Damascus', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT-3', 'Europe/Kiev'])(
    'given %s, then it is known',
    (tz) => {
      expect(isKnownTimeZone(tz)).toBe(true);
    },
  );

  it.each([
    '',
    'Mars/Olympus_Mons',
    '+03:00',
    'UTC+3',
    ' Asia/Damascus',
    'Asia/Damascus/',
    'asia/damascus',
    'utc',
  ])('given %j, then it is not known', (tz) => {
    expect(isKnownTimeZone(tz)).toBe(false);
  });
});
