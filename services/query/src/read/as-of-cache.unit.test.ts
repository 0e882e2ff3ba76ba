import type { Projection } from '@incidents/projection';
import { AsOfCache, AsOfProjection } from './as-of-cache.js';

const projection = (n: number) => ({ sites: [{ site_id: `s${n}` }] }) as unknown as Projection;

describe('AsOfCache', () => {
  it('computes once per key, shares concurrent computations and evicts the least recently used', async () => {
    const cache = new AsOfCache(2);
    let computed = 0;
    const compute = (n: number) => () => {
      computed += 1;
      return Promise.resolve({ projection: projection(n), events: 10 });
    };
    const [a, b] = await Promise.all([cache.get('a', compute(1)), cache.get('a', compute(1))]);
    expect(a).toBe(b);
    expect(computed).toBe(1);
    await cache.get('b', compute(2));
    await cache.get('a', compute(1)); // a is now the most recent
    await cache.get('c', compute(3)); // evicts b
    expect(computed).toBe(3);
    await cache.get('a', compute(1));
    expect(computed).toBe(3);
    await cache.get('b', compute(2));
    expect(computed).toBe(4);
    expect(a.tableJson('sites')).toBe('[{"site_id":"s1"}]');
  });

  it('forgets a failed computation', async () => {
    const cache = new AsOfCache(2);
    await expect(cache.get('k', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await expect(cache.get('k', () => Promise.resolve({ projection: projection(1), events: 1 }))).resolves.toBeDefined();
  });

  it('keeps at most its event budget in all, and always the most recent projection', async () => {
    const cache = new AsOfCache(8, 100);
    let computed = 0;
    const compute = (n: number, events: number) => () => {
      computed += 1;
      return Promise.resolve({ projection: projection(n), events });
    };
    await cache.get('a', compute(1, 40));
    await cache.get('b', compute(2, 50));
    expect(cache.size).toBe(2);
    await cache.get('c', compute(3, 30)); // 120 > 100: a (the oldest) goes
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([false, true, true]);
    await cache.get('d', compute(4, 250)); // larger than the budget alone: kept, every other one goes
    expect([cache.has('b'), cache.has('c'), cache.has('d')]).toEqual([false, false, true]);
    await cache.get('d', compute(4, 250));
    expect(computed).toBe(4);
  });

  it('runs a statement once per parameters over one projection, and hands out copies', async () => {
    const p = new AsOfProjection(projection(1));
    let runs = 0;
    const run = (n: number) => () => {
      runs += 1;
      return Promise.resolve([{ best: n, groups: ['a'] }]);
    };
    const first = await p.rows('SELECT best', ['x'], run(1));
    first[0]!.groups.push('changed by a handler');
    expect(await p.rows('SELECT best', ['x'], run(2))).toEqual([{ best: 1, groups: ['a'] }]);
    expect(runs).toBe(1);
    expect(await p.rows('SELECT best', ['y'], run(3))).toEqual([{ best: 3, groups: ['a'] }]);
    expect(runs).toBe(2);
    // a failed run is not kept
    await expect(p.rows('SELECT fails', [], () => Promise.reject(new Error('canceled')))).rejects.toThrow('canceled');
    expect(await p.rows('SELECT fails', [], run(4))).toEqual([{ best: 4, groups: ['a'] }]);
  });
});
