import { upcast } from './upcast.js';
import { edit, issuesOf, seedEvent } from './fixtures.test.js';

describe('upcast', () => {
  it.each<[string, unknown]>([
    ['an event without dataschema', seedEvent('seed-e011')],
    [
      'a v1 event',
      edit(seedEvent('seed-e011'), { '/dataschema': 'urn:incidents:IncidentReported:v1' }),
    ],
    [
      'a version no upcaster knows',
      edit(seedEvent('seed-e011'), { '/dataschema': 'urn:incidents:IncidentReported:v9' }),
    ],
    [
      'a dataschema named like an Object property',
      edit(seedEvent('seed-e011'), { '/dataschema': 'constructor' }),
    ],
    ['a non-object', 'text'],
  ])('given %s, then it is returned unchanged', (_name, raw) => {
    expect(upcast(raw)).toBe(raw);
  });

  it('given an unknown version, when upcast and validated, then validation rejects the dataschema', () => {
    const raw = edit(seedEvent('seed-e011'), {
      '/dataschema': 'urn:incidents:IncidentReported:v9',
    });
    expect(issuesOf(upcast(raw))).toEqual([['/dataschema', 'unsupported_dataschema']]);
  });
});
