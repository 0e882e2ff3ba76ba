import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describeConfig } from '@incidents/config';
import { IngestConfig } from '../services/ingest/src/config.js';
import { ProjectorConfig } from '../services/projector/src/config.js';
import { QueryConfig } from '../services/query/src/config.js';

// docker compose cannot run on machines without a Docker engine; its structure is checked
// here so it stays consistent with the non-Docker path (env names, ports, topics, versions).
const root = path.resolve(__dirname, '..');
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('runs the same Kafka version as infra/kafka/pom.xml', () => {
    const pom = readFileSync(path.join(root, 'infra/kafka/pom.xml'), 'utf8');
    const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
    expect(version).toMatch(/^4\./);
    expect(services.kafka?.image).toBe(`apache/kafka:${version}`);
    expect(services.kafka?.environment?.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
  });

  it('has the three services, init jobs for topics and migrations, and an observability profile', () => {
    expect(services.ingest?.command).toEqual(['node', 'services/ingest/dist/main.js']);
    expect(services.projector?.command).toEqual(['node', 'services/projector/dist/main.js']);
    expect(services.query?.command).toEqual(['node', 'services/query/dist/main.js']);
    expect(services['init-topics']?.command).toEqual(['node', 'services/ops/dist/cli.js', 'topics']);
    expect(services['init-migrations']?.command).toEqual(['node', 'services/ops/dist/cli.js', 'migrate']);
    expect(services.projector?.depends_on?.['init-migrations']?.condition).toBe('service_completed_successfully');
    expect(services['otel-collector']?.profiles).toEqual(['observability']);
    for (const name of ['ingest', 'projector', 'query']) expect(services[name]?.build).toBe('.');
  });

  it('uses the ports and topic names of the non-Docker path', () => {
    const ingest = IngestConfig.parse({});
    const query = QueryConfig.parse({});
    expect(services.ingest?.ports).toContain(`${ingest.INGEST_PORT}:${ingest.INGEST_PORT}`);
    expect(services.query?.ports).toContain(`${query.QUERY_PORT}:${query.QUERY_PORT}`);
    expect(services.kafka?.ports).toContain('9092:19092');
    expect(services.ingest?.environment?.EVENTS_TOPIC).toBe(ingest.EVENTS_TOPIC);
    expect(services.ingest?.environment?.DEAD_LETTER_TOPIC).toBe(ingest.DEAD_LETTER_TOPIC);
  });

  it('sets only environment variables the services know', () => {
    const known = new Set(
      [IngestConfig, ProjectorConfig, QueryConfig].flatMap((schema) => describeConfig(schema).map((d) => d.key)),
    );
    for (const name of ['ingest', 'projector', 'query']) {
      for (const key of Object.keys(services[name]?.environment ?? {})) {
        if (key.startsWith('OTEL_')) continue;
        expect(known.has(key) ? key : `unknown ${key} in ${name}`).toBe(key);
      }
    }
  });
});
