import type { Projection } from '@incidents/projection';
import { AsOfCache } from './as-of-cache.js';

const projection = (n: number) => ({ sites: [{ site_id: `s${n}` }] }) as unknown as Projection;

describe('AsOfCache', () => {
  it('computes once per key, shares concurrent computations and evicts the least recently used', async () => {
    const cache = new AsOfCache(2);
    let computed = 0;
    const compute = (n: number) => () => {
      computed += 1;
      return Promise.resolve(projection(n));
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
    await expect(cache.get('k', () => Promise.resolve(projection(1)))).resolves.toBeDefined();
  });
});
