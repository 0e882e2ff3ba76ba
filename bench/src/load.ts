import http from 'node:http';

export interface LoadResult {
  requests: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  requestsPerSecond: number;
  p50ms: number;
  p99ms: number;
  statuses: Record<number, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Sends `bodies` as POST requests with `concurrency` keep-alive connections, for at most
 * `maxSeconds`, and measures each request's latency. Bounded in count and time; loopback only.
 */
export async function runLoad(options: {
  url: string;
  /** One entry per request; `path` overrides the URL's path and query for that request. */
  bodies: { body: string; events: number; path?: string }[];
  concurrency: number;
  headers: Record<string, string>;
  maxSeconds: number;
  method?: string;
  /** Open loop: start requests at this rate (per second) instead of as fast as answers come. */
  ratePerSecond?: number;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('the load generator only targets loopback');
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  let events = 0;
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;
  const one = (item: { body: string; events: number; path?: string }) =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(
        { agent, host: target.hostname, port: target.port, path: item.path ?? target.pathname + target.search, method: options.method ?? 'POST', headers: { ...options.headers, 'content-length': Buffer.byteLength(item.body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            if (res.statusCode === 202 || res.statusCode === 200) events += item.events;
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(item.body);
    });
  const worker = async () => {
    while (next < options.bodies.length && performance.now() < deadline) {
      const item = options.bodies[next++]!;
      await one(item);
    }
  };
  if (options.ratePerSecond === undefined) {
    await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  } else {
    // Open loop: request i starts at started + i / rate, whatever the answers do (bounded in flight).
    const inflight = new Set<Promise<void>>();
    const interval = 1000 / options.ratePerSecond;
    for (let i = 0; i < options.bodies.length && performance.now() < deadline; i += 1) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (inflight.size >= options.concurrency) await Promise.race(inflight);
      const p = one(options.bodies[i]!).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
  }
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    requestsPerSecond: latencies.length / seconds,
    p50ms: percentile(latencies, 50),
    p99ms: percentile(latencies, 99),
    statuses,
  };
}
