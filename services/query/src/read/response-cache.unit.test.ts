import { ResponseCache, type Rendered } from './response-cache.js';
import { GenerationWatch, ServingState, type Generation } from './serving.js';

const answer = (bytes: number): Rendered => ({ headers: [['Cache-Control', 'public, max-age=5']], body: Buffer.alloc(bytes, 'x'), etag: 'W/"x"' });

describe('ResponseCache', () => {
  it('keeps answers of the latest generation seen only, and drops them all when it changes', () => {
    const cache = new ResponseCache(1 << 20);
    cache.observe('g1');
    cache.set('g1', '/a', answer(10));
    cache.set('g0', '/b', answer(10)); // computed in an older snapshot: not kept
    expect(cache.get('/a')).toBeDefined();
    expect(cache.get('/b')).toBeUndefined();
    cache.observe('g2');
    expect(cache.get('/a')).toBeUndefined();
    cache.set('g1', '/a', answer(10)); // a slow request of the old generation: not kept
    expect(cache.get('/a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('is bounded in bytes, evicts the least recently used and never keeps an answer above an eighth of the bound', () => {
    const cache = new ResponseCache(8 * 1024);
    cache.observe('g');
    cache.set('g', '/big', answer(1024));
    expect(cache.get('/big')).toBeUndefined();
    for (let i = 0; i < 20; i++) cache.set('g', `/u${i}`, answer(200));
    expect(cache.bytes).toBeLessThanOrEqual(8 * 1024);
    expect(cache.get('/u0')).toBeUndefined();
    expect(cache.get('/u19')).toBeDefined();
    cache.set('g', '/u19', answer(300)); // replacing an entry accounts for the old one
    expect(cache.bytes).toBeLessThanOrEqual(8 * 1024);
  });

  it('gives an entry read since it was kept a second chance: the unread ones go first', () => {
    const cache = new ResponseCache(8 * 1024);
    cache.observe('g');
    const per = answer(200).body.length + 2 * '/u00'.length + 512;
    const fit = Math.floor((8 * 1024) / per);
    for (let i = 0; i < fit; i++) cache.set('g', `/u${String(i).padStart(2, '0')}`, answer(200));
    expect(cache.size).toBe(fit);
    expect(cache.get('/u00')).toBeDefined(); // the oldest, but read
    cache.set('g', '/new', answer(200));
    expect(cache.get('/u00')).toBeDefined();
    expect(cache.get('/u01')).toBeUndefined(); // the oldest unread one went
    expect(cache.get('/new')).toBeDefined();
    expect(cache.size).toBe(fit);
  });

  it('is off with a bound of 0', () => {
    expect(new ResponseCache(0).enabled).toBe(false);
  });

  it('shares one computation between concurrent misses of a URL', async () => {
    const cache = new ResponseCache(1 << 20);
    cache.observe('g');
    let calls = 0;
    const compute = () => {
      calls += 1;
      return Promise.resolve({ generation: 'g', rendered: answer(1) });
    };
    const first = cache.shared('/a', compute);
    const second = cache.shared('/a', compute);
    expect([first.leader, second.leader]).toEqual([true, false]);
    expect(await second.result).toBe(await first.result);
    expect(calls).toBe(1);
    expect(cache.shared('/a', compute).leader).toBe(true);
  });
});

describe('GenerationWatch', () => {
  it('answers each caller with a check that started after it called, sharing checks between callers', async () => {
    const started: number[] = [];
    const pending: ((g: Generation) => void)[] = [];
    const watch = new GenerationWatch(() => {
      started.push(started.length);
      return new Promise<Generation>((resolve) => pending.push(resolve));
    });
    const gen = (token: string): Generation => ({ schema: 's', projection: 'main', token });
    const a = watch.current(); // starts check 0
    const b = watch.current(); // check 0 began before b: b waits for check 1
    const c = watch.current(); // shares check 1 with b
    expect(started).toEqual([0]);
    pending[0]!(gen('t0'));
    expect((await a).token).toBe('t0');
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    pending[1]!(gen('t1'));
    expect([(await b).token, (await c).token]).toEqual(['t1', 't1']);
    const d = watch.current(); // nothing running: a check of its own
    expect(started).toEqual([0, 1, 2]);
    pending[2]!(gen('t2'));
    expect((await d).token).toBe('t2');
  });

  it('lets the next callers check again after a failed check', async () => {
    let fail = true;
    const watch = new GenerationWatch(() => (fail ? Promise.reject(new Error('db down')) : Promise.resolve({ schema: 's', projection: 'main', token: 't' })));
    await expect(watch.current()).rejects.toThrow('db down');
    fail = false;
    await expect(watch.current()).resolves.toMatchObject({ token: 't' });
  });
});

describe('ServingState', () => {
  it('reads the token from the schema that served last, and corrects its guess after a switch', () => {
    const state = new ServingState('base', 'main');
    expect(state.sql()).toMatch(/FROM projection_state WHERE projection = 'main'/);
    expect(state.read({ version: null, version_schema: null, token: 't' })).toEqual({ schema: 'base', projection: 'main', token: 't' });
    expect(state.read({ version: 'v2', version_schema: 'base_v2', token: 't' })).toBeUndefined();
    expect(state.sql()).toMatch(/FROM "base_v2"\.projection_state WHERE projection = 'v2'/);
    expect(state.read({ version: 'v2', version_schema: 'base_v2', token: 'u' })).toEqual({ schema: 'base_v2', projection: 'v2', token: 'u' });
  });
});
