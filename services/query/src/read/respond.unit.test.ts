import { prefersBrotli } from './respond.js';

describe('prefersBrotli', () => {
  it.each([
    ['gzip, deflate, br, zstd', true], // browsers: equal weights
    ['br', true],
    ['br;q=1, gzip;q=0.8', true],
    ['gzip;q=0.5, br;q=0.5', true],
    ['*', true],
    ['gzip, *;q=0.1', false],
    ['gzip;q=1, br;q=0.5', false],
    ['br;q=0, gzip', false],
    ['BR; Q=0.9, gzip;q=0.9', true],
    ['gzip', false],
    ['identity', false],
    ['br;q=nonsense', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (header, expected) => {
    expect(prefersBrotli(header)).toBe(expected);
  });
});
