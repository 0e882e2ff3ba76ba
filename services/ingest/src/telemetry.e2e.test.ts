import { freshTopic, testKafka, waitFor } from '../../../test/support/infra.js';
import { TEST_KEY, postEvents, testApiKeys } from '../../../test/support/http.js';
import { spawnService } from '../../../test/support/processes.js';
import { seedEvents } from '../../../test/support/seed.js';

it('traces a request end to end with the standard OTEL_* configuration (HTTP server span and the publish span share a trace)', async () => {
  const topic = await freshTopic(testKafka());
  const port = String(18_000 + Math.floor(Math.random() * 1000));
  const ingest = spawnService('ingest', {
    EVENTS_TOPIC: topic,
    INGEST_PORT: port,
    INGEST_API_KEYS: JSON.stringify(testApiKeys),
    OTEL_TRACES_EXPORTER: 'console',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    LOG_LEVEL: 'info',
  });
  try {
    await waitFor('ingest to listen', () => Promise.resolve(ingest.output().includes('ingest listening')));
    const res = await postEvents(`http://127.0.0.1:${port}`, [seedEvents()[0]], { key: TEST_KEY });
    expect(res.status).toBe(202);
    const out = await waitFor('the spans to be exported', () => {
      const text = ingest.output();
      return Promise.resolve(text.includes("name: 'ingest.publish'") && text.includes('@opentelemetry/instrumentation-http') ? text : undefined);
    });
    // The console exporter prints each span as an object whose traceId precedes its name.
    const traceOf = (marker: string) => {
      const before = out.slice(0, out.indexOf(marker));
      return [...before.matchAll(/traceId: '([0-9a-f]{32})'/g)].at(-1)?.[1];
    };
    const publish = traceOf("name: 'ingest.publish'");
    expect(publish).toMatch(/^[0-9a-f]{32}$/);
    expect(traceOf("name: 'POST'")).toBe(publish);
  } finally {
    ingest.child.kill('SIGTERM');
    await ingest.exited;
  }
});
