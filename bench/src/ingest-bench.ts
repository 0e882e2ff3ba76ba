/**
 * Ingest benchmark, one run on one machine:
 *  1. Kafka's own ProducerPerformance (1 KB records, acks=all): the ceiling of the log;
 *  2. the ingest service with batches of 100 events per request;
 *  3. the ingest service with one event per request;
 *  4. a bare express handler that parses JSON and answers 202: the HTTP ceiling.
 *
 *   node bench/dist/ingest-bench.js [--seconds 20] [--concurrency 32,128] [--phases perf,batched,single,bare] [--rounds 1]
 *
 * Single events run at each concurrency (clients) for both the service and the bare handler;
 * the ratio of their maxima is the figure the target is about.
 *
 * Needs the local broker (infra/kafka/kafka.sh start) and a build (npx tsc -b).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka, ensureTopics } from '@incidents/kafka';
import { root } from './infra.js';
import { runLoad, type LoadResult } from './load.js';
import { syntheticEvents } from './synthetic.js';
import { waitForLine } from './processes.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32,128' },
    phases: { type: 'string', default: 'perf,batched,single,bare' },
    rounds: { type: 'string', default: '1' },
    'batch-clients': { type: 'string', default: '8' },
  },
});
// Running some phases only is for profiling one of them (NODE_OPTIONS=--cpu-prof reaches the spawned services); the ratios need all four.
const phases = new Set(values.phases.split(','));
const rounds = Number(values.rounds);
const batchClients = Number(values['batch-clients']);
if (!Number.isInteger(batchClients) || batchClients < 1) throw new Error('--batch-clients takes a positive integer');
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive integer');
for (const p of phases) if (!['perf', 'batched', 'single', 'bare'].includes(p)) throw new Error(`--phases: unknown phase ${p}`);
const seconds = Number(values.seconds);
const concurrencies = values.concurrency.split(',').map(Number);
if (concurrencies.some((c) => !Number.isInteger(c) || c < 1)) throw new Error('--concurrency takes positive integers, comma-separated');
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const suffix = Date.now().toString(36);
const KEY = 'bench-key';


function producerPerformance(topic: string, records: number): { perSecond: number; p50: number; p99: number; line: string } {
  const classpath = execFileSync('bash', [path.join(root, 'infra/kafka/kafka.sh'), 'classpath']).toString().trim();
  const out = execFileSync(
    'java',
    ['-Xmx512m', '-cp', classpath, 'org.apache.kafka.tools.ProducerPerformance', '--topic', topic, '--num-records', String(records), '--record-size', '1024', '--throughput', '-1', '--producer-props', `bootstrap.servers=${brokers}`, 'acks=all'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  ).toString();
  const line = out.trim().split('\n').at(-1)!;
  const m = /([\d.]+) records\/sec.*?(\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/.exec(line);
  if (!m) throw new Error(`cannot read ProducerPerformance output: ${line}`);
  return { perSecond: Number(m[1]), p50: Number(m[2]), p99: Number(m[4]), line };
}

/** CPU seconds (user + system) a process has used so far; 0 when it is gone. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function brokerPid(): number | undefined {
  try {
    // where infra/kafka/kafka.sh keeps it
    const dir = process.env.KAFKA_DIR ?? path.join(process.env.INCIDENTS_CACHE ?? path.join(os.homedir(), '.cache/incidents'), 'kafka');
    const pid = Number(readFileSync(path.join(dir, 'broker.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

interface CpuShare {
  /** the HTTP service's process: ingest, or the bare handler */
  name: string;
  /** shares of a core */
  service: number;
  broker: number;
  load: number;
  /** the service's CPU time per event, µs */
  perEvent: number;
}

/**
 * Runs a load phase and measures the share of a core that the service process, the broker and
 * this load generator used during it: the process near 100 % (of its one core for Node) is
 * the bottleneck, and CPU time per event is a figure far steadier than events/s on a machine
 * whose speed drifts.
 */
async function measured(name: string, pid: number | undefined, load: () => Promise<LoadResult>): Promise<[LoadResult, CpuShare]> {
  const broker = brokerPid();
  const before = { service: cpuSeconds(pid), broker: cpuSeconds(broker), load: process.cpuUsage() };
  const r = await load();
  const used = process.cpuUsage(before.load);
  const service = cpuSeconds(pid) - before.service;
  return [
    r,
    {
      name,
      service: service / r.seconds,
      broker: (cpuSeconds(broker) - before.broker) / r.seconds,
      load: (used.user + used.system) / 1e6 / r.seconds,
      perEvent: r.events > 0 ? (service / r.events) * 1e6 : Number.NaN,
    },
  ];
}

const share = (c: CpuShare) =>
  `${c.name} ${Math.round(c.service * 100)} %, broker ${Math.round(c.broker * 100)} %, load generator ${Math.round(c.load * 100)} % of a core; ${c.name} ${c.perEvent.toFixed(1)} µs CPU per event`;

function row(name: string, r: { eventsPerSecond: number; p50ms: number; p99ms: number }): string {
  return `| ${name} | ${Math.round(r.eventsPerSecond)} | ${r.p50ms.toFixed(1)} | ${r.p99ms.toFixed(1)} |`;
}

async function main(): Promise<void> {
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'bench', logLevel: 'nothing' });
  const perfTopic = `bench-perf-${suffix}`;
  const topic = `bench-ingest-${suffix}`;
  await ensureTopics(kafka, [
    { topic: perfTopic, numPartitions: 6 },
    { topic, numPartitions: 6 },
  ]);

  const perfRuns: ReturnType<typeof producerPerformance>[] = [];

  const events = [...syntheticEvents({ incidents: 60_000, seed: 3, prefix: `ib${suffix}`, source: '/feeds/bench' })];
  const avgBytes = Math.round(events.reduce((n, e) => n + JSON.stringify(e).length, 0) / events.length);
  const keys = JSON.stringify([{ name: 'bench', sha256: createHash('sha256').update(KEY).digest('hex'), sources: ['/feeds/'] }]);
  const headers = { 'content-type': 'application/cloudevents-batch+json', authorization: `Bearer ${KEY}` };
  // One event per request is latency-bound at a given number of clients (a request waits for
  // its acks=all), so each side runs at every concurrency and the ceilings are the maxima.
  const singles = (c: number, round: number) => events.map((e) => ({ body: JSON.stringify({ ...e, id: `${e.id}-s${c}r${round}` }), events: 1 }));

  let ingest: ChildProcess | undefined;
  let ingestUrl = '';
  if (phases.has('batched') || phases.has('single')) {
    ingest = spawn(process.execPath, [path.join(root, 'services/ingest/dist/main.js')], {
      env: { ...process.env, KAFKA_BROKERS: brokers, EVENTS_TOPIC: topic, INGEST_PORT: '0', INGEST_API_KEYS: keys, INGEST_RATE_LIMIT: '100000000', INGEST_RATE_BURST: '100000000', INGEST_MAX_QUEUED_EVENTS: '200000', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    ingestUrl = await waitForLine(ingest, /"url":"(http:\/\/[^"]+)"/);
  }
  const batchedRuns: LoadResult[] = [];
  const cpu = new Map<LoadResult, CpuShare>();
  const run = async (load: () => Promise<LoadResult>, service = 'ingest', pid = ingest?.pid): Promise<LoadResult> => {
    const [r, c] = await measured(service, pid, load);
    cpu.set(r, c);
    console.log(`    ${Math.round(r.eventsPerSecond)} events/s; ${share(c)}`);
    return r;
  };
  let bare: ChildProcess | undefined;
  let barePort = '';
  if (phases.has('bare')) {
    bare = spawn(process.execPath, [path.join(root, 'bench/dist/bare-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    barePort = await waitForLine(bare, /listening (\d+)/);
  }
  // With --rounds > 1 every phase runs once per round, in turn, so a machine whose speed drifts
  // affects each side alike; each figure is the median of its rounds.
  const singleRounds = new Map<number, LoadResult[]>();
  const bareRounds = new Map<number, LoadResult[]>();
  for (let round = 1; round <= rounds; round++) {
    if (phases.has('perf')) {
      console.log(`1/4 ProducerPerformance (1 KB, acks=all, 300k records) (round ${round}/${rounds})…`);
      const perf = producerPerformance(perfTopic, 300_000);
      console.log(`    ${perf.line}`);
      perfRuns.push(perf);
    }
    if (ingest && phases.has('batched')) {
      console.log(`2/4 ingest, 100 events per request (round ${round}/${rounds})…`);
      const batches: { body: string; events: number }[] = [];
      for (let i = 0; i + 100 <= events.length; i += 100) {
        batches.push({ body: JSON.stringify(events.slice(i, i + 100).map((e) => ({ ...e, id: `${e.id}-b${round}` }))), events: 100 });
      }
      batchedRuns.push(await run(() => runLoad({ url: `${ingestUrl}/v1/events`, bodies: batches, concurrency: batchClients, headers, maxSeconds: seconds })));
    }
    for (const c of concurrencies) {
      if (ingest && phases.has('single')) {
        console.log(`3/4 ingest, 1 event per request, ${c} clients (round ${round}/${rounds})…`);
        const r = await run(() => runLoad({ url: `${ingestUrl}/v1/events`, bodies: singles(c, round), concurrency: c, headers: { ...headers, 'content-type': 'application/cloudevents+json' }, maxSeconds: seconds }));
        singleRounds.set(c, [...(singleRounds.get(c) ?? []), r]);
      }
      if (bare) {
        console.log(`4/4 bare express handler, 1 event per request, ${c} clients (round ${round}/${rounds})…`);
        const r = await run(() => runLoad({ url: `http://127.0.0.1:${barePort}/v1/events`, bodies: singles(c, round), concurrency: c, headers: { 'content-type': 'application/json' }, maxSeconds: seconds }), 'bare handler', bare.pid);
        bareRounds.set(c, [...(bareRounds.get(c) ?? []), r]);
      }
    }
  }
  for (const child of [ingest, bare]) {
    if (!child) continue;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  const median = (runs: LoadResult[]): LoadResult => [...runs].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor((runs.length - 1) / 2)]!;
  const perf = perfRuns.length === 0 ? undefined : [...perfRuns].sort((a, b) => a.perSecond - b.perSecond)[Math.floor((perfRuns.length - 1) / 2)]!;
  const batched = batchedRuns.length === 0 ? undefined : median(batchedRuns);
  const singleRuns: [number, LoadResult][] = [...singleRounds].map(([c, runs]) => [c, median(runs)]);
  const bareRuns: [number, LoadResult][] = [...bareRounds].map(([c, runs]) => [c, median(runs)]);
  if (rounds > 1) {
    if (perfRuns.length > 0) console.log(`    ProducerPerformance, each round: ${perfRuns.map((r) => Math.round(r.perSecond)).join(', ')} records/s`);
    if (batchedRuns.length > 0) console.log(`    ingest batched, each round: ${batchedRuns.map((r) => Math.round(r.eventsPerSecond)).join(', ')} events/s`);
    for (const [c, runs] of singleRounds) console.log(`    ingest single, ${c} clients, each round: ${runs.map((r) => Math.round(r.eventsPerSecond)).join(', ')} events/s`);
    for (const [c, runs] of bareRounds) console.log(`    bare express, ${c} clients, each round: ${runs.map((r) => Math.round(r.eventsPerSecond)).join(', ')} events/s`);
  }

  const check = (r: LoadResult, name: string) => {
    const bad = Object.entries(r.statuses).filter(([s]) => s !== '202');
    if (bad.length > 0) console.log(`    WARNING ${name}: non-202 answers ${JSON.stringify(r.statuses)}`);
  };
  if (batched) check(batched, 'batched');
  for (const [c, r] of singleRuns) check(r, `single, ${c} clients`);
  console.log('');
  console.log(`events: synthetic CloudEvents, ${avgBytes} bytes on average; batched with ${batchClients} clients, single events with ${concurrencies.join(', ')}; ${seconds} s per phase at most`);
  console.log('| run | events/s | p50 ms | p99 ms |');
  console.log('|---|---|---|---|');
  if (perf) console.log(`| Kafka ProducerPerformance (1 KB, acks=all) | ${Math.round(perf.perSecond)} | ${perf.p50} | ${perf.p99} |`);
  if (batched) console.log(row('ingest, 100 events/request', batched));
  for (const [c, r] of singleRuns) console.log(row(`ingest, 1 event/request, ${c} clients`, r));
  for (const [c, r] of bareRuns) console.log(row(`bare express, 1 event/request, ${c} clients`, r));
  console.log('');
  console.log('CPU during the runs above (the medians):');
  if (batched) console.log(`- ingest, 100 events/request: ${share(cpu.get(batched)!)}`);
  for (const [c, r] of singleRuns) console.log(`- ingest, 1 event/request, ${c} clients: ${share(cpu.get(r)!)}`);
  for (const [c, r] of bareRuns) console.log(`- bare express, ${c} clients: ${share(cpu.get(r)!)}`);
  console.log('');
  if (perf && batched) console.log(`batched / ProducerPerformance = ${((batched.eventsPerSecond / perf.perSecond) * 100).toFixed(1)} % (target ≥ 40 %)`);
  if (singleRuns.length > 0 && bareRuns.length > 0) {
    for (const [c, r] of singleRuns) {
      const b = bareRuns.find(([bc]) => bc === c)![1];
      console.log(`single / bare express at ${c} clients = ${((r.eventsPerSecond / b.eventsPerSecond) * 100).toFixed(1)} %`);
    }
    const best = (runs: [number, LoadResult][]) => runs.reduce((a, b) => (b[1].eventsPerSecond > a[1].eventsPerSecond ? b : a));
    const [singleC, single] = best(singleRuns);
    const [bareC, bareResult] = best(bareRuns);
    console.log(
      `single / bare express, maxima (${singleC} and ${bareC} clients) = ${((single.eventsPerSecond / bareResult.eventsPerSecond) * 100).toFixed(1)} % (target ≥ 50 %)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
