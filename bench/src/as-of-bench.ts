/**
 * As-of benchmark: what one `asOf` answer costs the query service as the events up to asOf
 * grow. An as-of answer projects every stored event with time ≤ asOf in memory (§5.7); this
 * times the first (uncached) and second (kept) request of a casualty tally at asOf instants
 * that take given fractions of the store, and samples the service's resident set.
 *
 *   node bench/dist/as-of-bench.js --schema <base schema> [--fractions 0.05,0.1,0.3] [--bound N]
 *
 * `--schema`: a base schema whose serving version holds a store, e.g. a rebuild benchmark's
 * leftovers (`schemas left: bench_rb_…`). The service runs with QUERY_AS_OF_MAX_EVENTS = `--bound`
 * (default 0: unbounded); an answer refused for the bound is timed and reported as its 422.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createPool } from '@incidents/db';
import { databaseUrl, root } from './infra.js';
import { rssOfChildren, waitForLine } from './processes.js';
import path from 'node:path';

const { values } = parseArgs({ options: { schema: { type: 'string' }, fractions: { type: 'string', default: '0.05,0.1,0.3' }, bound: { type: 'string', default: '0' } } });

async function main(): Promise<void> {
  const base = values.schema;
  if (base === undefined) throw new Error('--schema <base schema> is required');
  const fractions = values.fractions.split(',').map(Number);
  if (fractions.some((f) => !(f > 0 && f <= 1))) throw new Error('--fractions takes numbers in (0, 1]');
  const pool = createPool({ url: databaseUrl, schema: base, max: 2 });
  const serving = (await pool.query<{ schema_name: string }>(`SELECT schema_name FROM projection_versions WHERE state = 'serving'`)).rows[0]?.schema_name ?? base;
  const store = `"${serving}".event_store`;
  const total = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${store}`)).rows[0]!.n);
  console.log(`store: ${total} events in ${serving}`);
  const child = spawn(process.execPath, [path.join(root, 'services/query/dist/main.js')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: base, QUERY_PORT: '0', QUERY_AS_OF_MAX_EVENTS: values.bound, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await waitForLine(child, /"url":"(http:\/\/[^"]+)"/);
    for (const f of fractions) {
      const at = (await pool.query<{ t: Date }>(`SELECT percentile_disc($1::float8) WITHIN GROUP (ORDER BY time) AS t FROM ${store}`, [f])).rows[0]!.t.toISOString();
      const n = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${store} WHERE time <= $1`, [at])).rows[0]!.n);
      let peak = rssOfChildren(child.pid!);
      const sampler = setInterval(() => (peak = Math.max(peak, rssOfChildren(child.pid!))), 200);
      let status = 0;
      const timed = async () => {
        const start = performance.now();
        const res = await fetch(`${url}/v1/stats/casualties?groupBy=role,outcome&asOf=${encodeURIComponent(at)}`);
        await res.arrayBuffer();
        status = res.status;
        if (res.status !== 200 && res.status !== 422) throw new Error(`asOf ${at}: ${res.status}`);
        return (performance.now() - start) / 1000;
      };
      const first = await timed();
      const second = await timed();
      clearInterval(sampler);
      const what = status === 422 ? `422 (over the bound) in ${first.toFixed(3)} s, again ${second.toFixed(3)} s` : `first ${first.toFixed(1)} s, kept ${second.toFixed(2)} s`;
      console.log(`asOf ${at}: ${n} events (${Math.round((100 * n) / total)} %): ${what}; service peak RSS ${peak} MiB`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
