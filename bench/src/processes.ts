/** Helpers the benchmark scripts share: child processes, their memory, a synthetic log. */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { EventLogProducer, ensureTopics, toKafkaRecord, type KafkaHandle } from '@incidents/kafka';
import { syntheticEvents } from './synthetic.js';

/** Resolves with the first capture of `pattern` (or the match) in a child's output. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${seen.slice(-500)}`)), 30_000);
    const on = (d: Buffer) => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[0]);
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
  });
}

/** Resident set of a process and its children, MiB (0 for those gone). */
export function rssOfChildren(pid: number): number {
  // The rebuild command and the projector it runs: sum their resident sets.
  let total = 0;
  for (const p of [pid, ...childrenOf(pid)]) {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return Math.round(total / 1024);
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Publishes the synthetic stream of `incidents` incidents to `topic` (6 partitions, kept forever); returns its number of events. */
export async function publishSynthetic(kafka: KafkaHandle, topic: string, options: { incidents: number; seed: number; prefix: string }): Promise<number> {
  await ensureTopics(kafka, [{ topic, numPartitions: 6, config: { 'retention.ms': '-1' } }]);
  const producer = new EventLogProducer(kafka, { topic, maxBatchRecords: 2000, maxQueuedRecords: 100_000_000, ackTimeoutMs: 3_600_000 });
  await producer.start();
  let events = 0;
  let batch: ReturnType<typeof toKafkaRecord>[] = [];
  const pending: Promise<unknown>[] = [];
  for (const e of syntheticEvents(options)) {
    batch.push(toKafkaRecord(e));
    events += 1;
    if (batch.length === 5000) {
      pending.push(producer.publish(batch));
      batch = [];
      if (pending.length > 20) await Promise.all(pending.splice(0));
    }
  }
  pending.push(producer.publish(batch));
  await Promise.all(pending);
  await producer.stop();
  return events;
}
