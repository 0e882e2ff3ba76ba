/**
 * Export/import benchmark: `incidents-ops export` of a log of N synthetic events to a file,
 * then `incidents-ops import` of that file through an ingest service into a fresh topic; wall
 * time, events/s and the ops process's peak resident set for each (sampled every 0.2 s), and
 * a check that the imported log holds every exported event.
 *
 *   node bench/dist/export-import-bench.js --incidents 20000
 *   node bench/dist/export-import-bench.js --topic <topic>     # export an existing log instead (e.g. a rebuild benchmark's)
 *
 * Needs the local broker and a build.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka, ensureTopics, fetchLogEnds, type KafkaHandle } from '@incidents/kafka';
import { root } from './infra.js';
import { publishSynthetic, rssOfChildren, waitForLine } from './processes.js';

const { values } = parseArgs({ options: { incidents: { type: 'string', default: '20000' }, topic: { type: 'string' } } });
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const suffix = Date.now().toString(36);
const KEY = 'bench-key';

/** Runs the ops CLI with `args`; its wall time and peak RSS. */
async function ops(args: string[], env: Record<string, string>): Promise<{ seconds: number; peakMiB: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'services/ops/dist/cli.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOfChildren(child.pid!))), 200);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`incidents-ops ${args.join(' ')} exited with ${code}: ${stderr}`);
  return { seconds: (performance.now() - started) / 1000, peakMiB: peak };
}

const total = async (kafka: KafkaHandle, topic: string) => (await fetchLogEnds(kafka, topic)).reduce((n, e) => n + Number(BigInt(e.high) - BigInt(e.low)), 0);

async function main(): Promise<void> {
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'bench', logLevel: 'nothing' });
  let topic = values.topic;
  if (topic === undefined) {
    topic = `bench-export-${suffix}`;
    const n = await publishSynthetic(kafka, topic, { incidents: Number(values.incidents), seed: 4, prefix: `x${suffix}` });
    console.log(`log: ${n} events over ${values.incidents} incidents in topic ${topic}`);
  }
  const events = await total(kafka, topic);
  const dir = mkdtempSync(path.join(tmpdir(), 'export-bench-'));
  const file = path.join(dir, 'log.ndjson');
  try {
    const exported = await ops(['export', '--out', file], { KAFKA_BROKERS: brokers, EVENTS_TOPIC: topic });
    const bytes = statSync(file).size;
    console.log(
      `export: ${events} events (${(bytes / 2 ** 20).toFixed(1)} MiB of NDJSON) in ${exported.seconds.toFixed(1)} s = ${Math.round(events / exported.seconds)} events/s; peak RSS ${exported.peakMiB} MiB`,
    );

    const target = `bench-import-${suffix}`;
    await ensureTopics(kafka, [{ topic: target, numPartitions: 6, config: { 'retention.ms': '-1' } }]);
    const keys = JSON.stringify([{ name: 'bench', sha256: createHash('sha256').update(KEY).digest('hex'), sources: ['*'] }]);
    const ingest = spawn(process.execPath, [path.join(root, 'services/ingest/dist/main.js')], {
      env: { ...process.env, KAFKA_BROKERS: brokers, EVENTS_TOPIC: target, INGEST_PORT: '0', INGEST_API_KEYS: keys, INGEST_RATE_LIMIT: '100000000', INGEST_RATE_BURST: '100000000', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await waitForLine(ingest, /"url":"(http:\/\/[^"]+)"/);
      const imported = await ops(['import', file], { INGEST_URL: url, INGEST_API_KEY: KEY, EVENTS_TOPIC: target, KAFKA_BROKERS: brokers });
      const landed = await total(kafka, target);
      console.log(`import: ${events} events in ${imported.seconds.toFixed(1)} s = ${Math.round(events / imported.seconds)} events/s; peak RSS ${imported.peakMiB} MiB (the ops process)`);
      console.log(`imported log: ${landed} records (${landed === events ? 'every exported event' : `MISSING ${events - landed}`})`);
      if (landed !== events) process.exitCode = 1;
    } finally {
      ingest.kill('SIGTERM');
      await new Promise((r) => ingest.on('exit', r));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
