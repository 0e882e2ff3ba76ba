// The harness of the black-box audit scenarios (test/scenario-audit*.e2e.test.ts): a world of
// CloudEvents posted through the public ingest API in a shuffled order that keeps each
// subject's own order, read back through the public query API with the read-your-writes token.
import { loadConfig } from '@incidents/config';
import type { Pool } from '@incidents/db';
import { listen, type RunningServer } from '@incidents/http';
import { encodePosition, positionAfter } from '@incidents/kafka';
import { createLogger } from '@incidents/telemetry';
import type { RunningProjector } from '../../services/projector/src/app.js';
import { buildQueryApp } from '../../services/query/src/app.js';
import { QueryConfig } from '../../services/query/src/config.js';
import { rng } from '../../bench/src/synthetic.js';
import { OpenApiChecker } from '../query-support/openapi.js';
import { postEvents, request, type JsonResponse } from './http.js';
import { freshSchema, freshTopic, testKafka, waitFor } from './infra.js';
import { startIngest, type RunningIngest } from './ingest.js';
import { runProjector } from './projector.js';
import type { z } from 'zod';
import type {
  AttackStats as AttackStatsSchema,
  CasualtyFigure,
  CasualtyStats,
  CountFigure,
  IncidentDetail,
  IncidentSummary,
  ResponseEdge,
  Series,
} from '../../services/query/src/responses.js';

export interface AuditEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

/** A factory of a world's events: ids get the world's prefix, every event the world's feed. */
export function auditEvents(prefix: string, feed: string) {
  return (id: string, type: string, subject: string, time: string, data: Record<string, unknown>): AuditEvent => ({
    specversion: '1.0',
    id: `${prefix}${id}`,
    source: feed,
    type,
    subject,
    time,
    datacontenttype: 'application/json',
    data,
  });
}

/**
 * Factories of a world's reference data (`SourceRegistered`, `ActorRegistered`), timed at `time`
 * unless told otherwise; `ev` is the world's `auditEvents` factory.
 */
export function referenceEvents(ev: ReturnType<typeof auditEvents>, time: string) {
  return {
    source: (sid: string, name: string, kind: string, scale: string, reliability: string, at = time) =>
      ev(`src-${sid}`, 'SourceRegistered', `source/${sid}`, at, { source_id: sid, name, kind, scale, reliability }),
    actor: (aid: string, name: string, type: number, home?: string) =>
      ev(`act-${aid}`, 'ActorRegistered', `actor/${aid}`, time, { actor_id: aid, name, actor_type: type, ...(home ? { home_country_iso3: home } : {}) }),
  };
}

/** Interleaves the subjects at random, keeping each subject's own order. */
export function shuffledOrder(streams: readonly AuditEvent[][], random: () => number): AuditEvent[] {
  const queues = streams.map((s) => [...s]);
  const out: AuditEvent[] = [];
  while (queues.some((q) => q.length > 0)) {
    const open = queues.filter((q) => q.length > 0);
    out.push(open[Math.floor(random() * open.length)]!.shift()!);
  }
  return out;
}

/** Ingest, projector and query service over a fresh topic and schema, with a world posted. */
export class AuditStack {
  private constructor(
    private readonly pool: Pool,
    private readonly ingest: RunningIngest,
    private readonly projector: RunningProjector,
    private readonly query: RunningServer,
    private readonly openapi: OpenApiChecker,
    /** the events in the order they were posted */
    readonly postedOrder: AuditEvent[],
    private readonly topic: string,
    private readonly acks: { partition: number; offset: string }[],
  ) {
    this.latest = encodePosition(positionAfter(topic, acks));
  }

  private latest: string;

  /** the read-your-writes token after the last post (the world's, or a late wave's) */
  get position(): string {
    return this.latest;
  }

  get url(): string {
    return this.query.url;
  }

  /**
   * Posts the world in a shuffled order (`seed` picks it, so a failing order can be replayed),
   * in batches of 1–6 events (a batch of one in structured mode), then `reposted` once more
   * in a request of its own (twice in one request is a 400); waits until the query API
   * reflects every event.
   */
  static async start(streams: readonly AuditEvent[][], reposted: string, seed: number): Promise<AuditStack> {
    const kafka = testKafka();
    const topic = await freshTopic(kafka);
    const { pool, schema } = await freshSchema();
    const ingest = await startIngest(kafka, topic);
    const projector = await runProjector(kafka, pool, topic);
    const config = loadConfig(QueryConfig, { DATABASE_SCHEMA: schema, EVENTS_TOPIC: topic });
    const query = await listen(buildQueryApp({ config, pool, logger: createLogger('query-test', 'error') }), '127.0.0.1', 0);
    const openapi = new OpenApiChecker((await request(`${query.url}/openapi.json`)).body as ConstructorParameters<typeof OpenApiChecker>[0]);

    const random = rng(seed);
    const postedOrder = shuffledOrder(streams, random);
    const acks: { partition: number; offset: string }[] = [];
    const post = async (payload: unknown, contentType: string) => {
      const res = await postEvents(ingest.url, payload, { contentType });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${res.text}`);
      acks.push(...(res.body as { events: { partition: number; offset: string }[] }).events);
    };
    for (let i = 0; i < postedOrder.length; ) {
      const size = 1 + Math.floor(random() * 6);
      const batch: AuditEvent[] = [];
      for (const e of postedOrder.slice(i, i + size)) {
        if (batch.some((b) => b.id === e.id)) break;
        batch.push(e);
      }
      i += batch.length;
      if (batch.length === 1) await post(batch[0], 'application/cloudevents+json');
      else await post(batch, 'application/cloudevents-batch+json');
    }
    await post(
      streams.flat().find((e) => e.id === reposted),
      'application/cloudevents+json',
    );

    const stack = new AuditStack(pool, ingest, projector, query, openapi, postedOrder, topic, acks);
    await stack.waitForPosition();
    return stack;
  }

  private async waitForPosition(): Promise<void> {
    await waitFor(
      'the query API to reflect every posted event',
      async () => {
        const res = await request(`${this.query.url}/v1/changes?position=${this.position}&limit=5000`);
        return res.status === 200 && (res.body as { stale: boolean }).stale === false;
      },
      60_000,
    );
  }

  /** POSTs `payload` to the ingest API as it is and returns the answer, whatever its status (for refusals). */
  postRaw(payload: unknown, contentType = 'application/cloudevents-batch+json'): Promise<JsonResponse> {
    return postEvents(this.ingest.url, payload, { contentType });
  }

  /**
   * Posts `events` after the world in one request (a late wave), moves the read-your-writes token
   * past them and waits until the query API reflects them: later `get`s see them.
   */
  async postLate(events: AuditEvent[]): Promise<void> {
    const res = await postEvents(this.ingest.url, events, { contentType: 'application/cloudevents-batch+json' });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${res.text}`);
    this.acks.push(...(res.body as { events: { partition: number; offset: string }[] }).events);
    this.latest = encodePosition(positionAfter(this.topic, this.acks));
    await this.waitForPosition();
  }

  /** GET a path with the read-your-writes token; expects 200 and an answer matching /openapi.json. */
  async get<T>(path: string): Promise<T> {
    const sep = path.includes('?') ? '&' : '?';
    const res = await request(`${this.query.url}${path}${sep}position=${this.position}`);
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${res.text}`);
    const template = path.split('?')[0]!.replace(/^\/v1\/incidents\/[^/]+$/, '/v1/incidents/{id}');
    this.openapi.check(template, res.body);
    return res.body as T;
  }

  async stop(): Promise<void> {
    await this.query.close(1000);
    await this.projector.stop();
    await this.ingest.stop();
    await this.pool.end();
  }
}

/**
 * Starts an `AuditStack` for the test file (beforeAll, posting `streams` in the order
 * `AUDIT_SEED` or `defaultSeed` picks) and stops it after; `stack()` is the running stack.
 */
export function auditSuite(
  streams: readonly AuditEvent[][],
  reposted: string,
  defaultSeed: number,
): { stack: () => AuditStack; get: <T>(path: string) => Promise<T> } {
  const seed = Number(process.env.AUDIT_SEED ?? defaultSeed);
  let running: AuditStack | undefined;
  beforeAll(async () => {
    running = await AuditStack.start(streams, reposted, seed);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });
  const stack = () => {
    if (running === undefined) throw new Error('the audit stack did not start');
    return running;
  };
  it('posted every event once, in an order that is not the streams\' own, and reposted one of them', () => {
    const all = streams.flat();
    expect(stack().postedOrder).toHaveLength(all.length);
    expect(stack().postedOrder.map((e) => e.id)).not.toEqual(all.map((e) => e.id));
    expect(all.some((e) => e.id === reposted)).toBe(true);
  });
  return { stack, get: <T>(path: string) => stack().get<T>(path) };
}

// The query service's own response schemas (services/query/src/responses.ts), not copies.
export type Lbh = z.infer<typeof CountFigure> | { low: number | null; best: number | null; high: number | null } | null;
export const lbh = (x: Lbh) => (x === null ? null : `${x.low} / ${x.best} / ${x.high}`);
/** An incident of `GET /v1/incidents`. */
export type Summary = z.infer<typeof IncidentSummary>;
/** A source's series behind a figure. */
export type SeriesOut = z.infer<typeof Series>;
/** A casualty figure of an incident or operation. */
export type Figure = z.infer<typeof CasualtyFigure>;
/** A response link as an incident's detail and `GET /v1/responses` show it. */
export type Edge = z.infer<typeof ResponseEdge>;
/** `GET /v1/incidents/{id}`. */
export type Detail = z.infer<typeof IncidentDetail>;
/** `GET /v1/stats/casualties`. */
export type Tally = z.infer<typeof CasualtyStats>;
/** `GET /v1/stats/attacks`. */
export type AttackStats = z.infer<typeof AttackStatsSchema>;

/** A casualty row as one line: period, scope, side, affiliation, key, low / best / high, incomplete (the parts the query grouped by). */
export function tallyLine(r: Tally['rows'][number]): string {
  return [
    r.period,
    r.incident_id,
    r.operation_id,
    r.side === undefined ? undefined : (r.side ?? '(none)'),
    r.affiliation === undefined ? undefined : (r.affiliation ?? '(none)'),
    r.role,
    r.outcome,
    r.nationality === undefined ? undefined : (r.nationality ?? '(unknown)'),
    `${r.low} / ${r.best} / ${r.high}`,
    r.incomplete ? 'incomplete' : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(' ');
}
