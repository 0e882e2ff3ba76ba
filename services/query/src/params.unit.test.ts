import { ProblemError } from '@incidents/http';
import { AttackStatsParams, CasualtyStatsParams, IncidentListParams, normaliseInstant, parseParams } from './params.js';

function problemOf(fn: () => unknown): ProblemError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a ProblemError');
}

describe('parseParams', () => {
  it('parses lists, booleans, limits and normalises asOf', () => {
    const p = parseParams(IncidentListParams, {
      kind: 'attack,response_strike',
      hasCasualties: 'true',
      limit: '2',
      asOf: '2023-03-25T23:59:59+02:00',
      admin1: "SYR/Deir ez-Zor,Al-Hasakah",
    });
    expect(p).toMatchObject({ kind: ['attack', 'response_strike'], hasCasualties: true, limit: 2, asOf: '2023-03-25T21:59:59.000000Z' });
    expect(p.admin1).toEqual(['SYR/Deir ez-Zor', 'Al-Hasakah']);
  });

  it.each([
    [{ nope: '1' }, 'nope', 'unknown_parameter'],
    [{ limit: '0' }, 'limit', 'too_small'],
    [{ limit: '501' }, 'limit', 'too_big'],
    [{ limit: 'ten' }, 'limit', 'invalid_format'],
    [{ from: '2023-02-30' }, 'from', 'custom'],
    [{ from: '2023-03-25', to: '2023-03-24' }, 'to', 'custom'],
    [{ asOf: '2023-03-25' }, 'asOf', 'custom'],
    [{ kind: 'attack,bombing' }, 'kind', 'custom'],
    [{ status: 'deleted' }, 'status', 'invalid_union'],
    [{ sort: 'munitions' }, 'sort', 'invalid_value'],
    [{ kind: ['attack', 'other'] }, 'kind', 'repeated_parameter'],
    [{ site: "x'; DROP TABLE incident_current;--" }, 'site', 'custom'],
  ])('rejects %j naming %s', (query, parameter, code) => {
    const problem = problemOf(() => parseParams(IncidentListParams, query));
    expect(problem.status).toBe(400);
    expect(problem.errors).toContainEqual(expect.objectContaining({ parameter, code }));
    expect(problem.message).toContain(parameter);
  });

  it('rejects unknown groupBy values for each stats endpoint', () => {
    expect(problemOf(() => parseParams(AttackStatsParams, { groupBy: 'role' })).errors?.[0]?.parameter).toBe('groupBy');
    expect(problemOf(() => parseParams(CasualtyStatsParams, { groupBy: 'method' })).errors?.[0]?.parameter).toBe('groupBy');
  });
});

describe('normaliseInstant', () => {
  it.each([
    ['2023-03-25T23:59:59Z', '2023-03-25T23:59:59.000000Z'],
    ['2023-03-25T23:59:59.5z', '2023-03-25T23:59:59.500000Z'],
    ['2023-03-26T01:00:00+03:00', '2023-03-25T22:00:00.000000Z'],
    ['2023-03-25T24:00:00Z', undefined],
    ['2023-02-29T00:00:00Z', undefined],
    ['2023-03-25 23:59:59Z', undefined],
    ['2023-03-25T23:59:59.1234567Z', undefined],
  ])('%s → %s', (input, expected) => {
    expect(normaliseInstant(input)).toBe(expected);
  });
});
