import kafkajs, { type Message, type Producer, type ICustomPartitioner } from 'kafkajs';
import type { KafkaHandle } from './client.js';
import { KafkaAccessError } from './errors.js';
import { partitionForKey } from './partition.js';

const { Partitioners } = kafkajs;

export interface OutgoingRecord {
  key: string;
  value: string;
  headers?: Record<string, string>;
  /** Record timestamp, ms since epoch as a string (default: when it is sent). */
  timestamp?: string;
}

export interface PublishedRecord {
  partition: number;
  offset: string;
}

export interface ProducerOptions {
  topic: string;
  /** Largest number of records in one Kafka send. */
  maxBatchRecords?: number;
  /** How long a send waits for more records once one is queued, ms. */
  lingerMs?: number;
  /** Records waiting or in flight beyond which `publish` fails fast with `queue_full`. */
  maxQueuedRecords?: number;
  /** Deadline for Kafka's acknowledgement of a `publish` call, ms. */
  ackTimeoutMs?: number;
}

interface Pending {
  records: OutgoingRecord[];
  resolve: (r: PublishedRecord[]) => void;
  reject: (e: Error) => void;
  settled: boolean;
}

/**
 * Publishes records to one topic with an idempotent producer (acks=all). Concurrent
 * `publish` calls are micro-batched into shared sends, and sends are serialised: kafkajs
 * does no batching itself, and its idempotent producer misbehaves with concurrent sends.
 * A `publish` resolves only when Kafka has acknowledged every one of its records.
 */
export class EventLogProducer {
  private readonly producer: Producer;
  private readonly partitionOf = new WeakMap<Message, number>();
  private readonly queue: Pending[] = [];
  private queuedRecords = 0;
  private sending = false;
  private timer: NodeJS.Timeout | undefined;
  private connected = false;
  private stopped = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};
  private readonly opts: Required<ProducerOptions>;

  constructor(handle: KafkaHandle, options: ProducerOptions) {
    this.opts = {
      maxBatchRecords: 1000,
      lingerMs: 2,
      maxQueuedRecords: 20_000,
      ackTimeoutMs: 5000,
      ...options,
    };
    const recordingPartitioner: ICustomPartitioner = () => {
      const choose = Partitioners.DefaultPartitioner();
      return (args) => {
        // keyed records (all of ours) the same way as the default partitioner, without its
        // per-record Long objects (a tenth of the batched intake's CPU time)
        const { key, partition: given } = args.message;
        const partition =
          given === undefined && (typeof key === 'string' || Buffer.isBuffer(key)) ? partitionForKey(key, args.partitionMetadata.length) : choose(args);
        this.partitionOf.set(args.message, partition);
        return partition;
      };
    };
    this.producer = handle.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: recordingPartitioner,
      retry: { initialRetryTime: 100, retries: 3, maxRetryTime: 1000 },
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  /** Connects eagerly; `publish` also connects on demand, so a broker that is down at start-up is not fatal. */
  async start(): Promise<void> {
    await this.ensureConnected();
  }

  /** True once a connection to the cluster is open. */
  isConnected(): boolean {
    return this.connected;
  }

  /** Publishes records in order; resolves with each record's partition and offset. */
  publish(records: OutgoingRecord[]): Promise<PublishedRecord[]> {
    if (this.stopped) {
      return Promise.reject(new KafkaAccessError('producer_stopped', 'the producer is shutting down'));
    }
    if (records.length === 0) return Promise.resolve([]);
    if (this.queuedRecords + records.length > this.opts.maxQueuedRecords) {
      return Promise.reject(
        new KafkaAccessError('queue_full', `more than ${this.opts.maxQueuedRecords} records are waiting for Kafka`),
      );
    }
    return new Promise<PublishedRecord[]>((resolve, reject) => {
      const pending: Pending = { records, resolve, reject, settled: false };
      const deadline = setTimeout(() => {
        if (pending.settled) return;
        pending.settled = true;
        reject(
          new KafkaAccessError('publish_timeout', `Kafka did not acknowledge within ${this.opts.ackTimeoutMs} ms`),
        );
      }, this.opts.ackTimeoutMs);
      deadline.unref();
      pending.resolve = (r) => {
        clearTimeout(deadline);
        if (!pending.settled) {
          pending.settled = true;
          resolve(r);
        }
      };
      pending.reject = (e) => {
        clearTimeout(deadline);
        if (!pending.settled) {
          pending.settled = true;
          reject(e);
        }
      };
      this.queue.push(pending);
      this.queuedRecords += records.length;
      this.schedule();
    });
  }

  /** Stops accepting records, sends what is queued (bounded by the ack timeout), disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.queue.length > 0 || this.sending) {
      this.schedule();
      await Promise.race([this.idle, new Promise((r) => setTimeout(r, this.opts.ackTimeoutMs).unref())]);
    }
    await this.producer.disconnect().catch(() => undefined);
    this.connected = false;
  }

  private schedule(): void {
    if (this.sending || this.timer) return;
    if (this.queue.length === 1 && this.opts.lingerMs > 0 && !this.stopped) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.opts.lingerMs);
    } else {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, 0);
    }
  }

  private async ensureConnected(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    this.idle = new Promise((r) => (this.markIdle = r));
    try {
      while (this.queue.length > 0) {
        const batch = this.takeBatch();
        if (batch.length === 0) continue;
        await this.sendBatch(batch);
      }
    } finally {
      this.sending = false;
      this.markIdle();
    }
  }

  /** Takes whole requests (skipping ones that already timed out) up to the batch size. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let count = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (batch.length > 0 && count + next.records.length > this.opts.maxBatchRecords) break;
      this.queue.shift();
      this.queuedRecords -= next.records.length;
      if (next.settled) continue;
      batch.push(next);
      count += next.records.length;
    }
    return batch;
  }

  private async sendBatch(batch: Pending[]): Promise<void> {
    const messages: Message[][] = batch.map((p) =>
      p.records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp })),
    );
    try {
      await this.ensureConnected();
      const metadata = await this.producer.send({
        topic: this.opts.topic,
        acks: -1,
        messages: messages.flat(),
      });
      const base = new Map<number, bigint>();
      for (const m of metadata) {
        if (m.errorCode !== 0) throw new Error(`Kafka error code ${m.errorCode} on partition ${m.partition}`);
        base.set(m.partition, BigInt(m.baseOffset ?? '0'));
      }
      // Records of one partition are appended in send order starting at that partition's base offset.
      const seen = new Map<number, bigint>();
      batch.forEach((pending, i) => {
        const results = messages[i]!.map((message) => {
          const partition = this.partitionOf.get(message);
          const start = partition === undefined ? undefined : base.get(partition);
          if (partition === undefined || start === undefined) {
            throw new KafkaAccessError('partition_unknown', 'could not map a record to its partition', false);
          }
          const index = seen.get(partition) ?? 0n;
          seen.set(partition, index + 1n);
          return { partition, offset: (start + index).toString() };
        });
        pending.resolve(results);
      });
    } catch (error) {
      const wrapped =
        error instanceof KafkaAccessError
          ? error
          : new KafkaAccessError('broker_unavailable', `Kafka send failed: ${(error as Error).message}`, true, {
              cause: error,
            });
      if (wrapped.code === 'broker_unavailable') {
        this.connected = false;
        await this.producer.disconnect().catch(() => undefined);
      }
      for (const p of batch) p.reject(wrapped);
    }
  }
}
