import { z } from 'zod';
import { ConfigError, describeConfig, loadConfig } from './load.js';
import { databaseKeys, kafkaKeys } from './keys.js';

const schema = z.object({ ...kafkaKeys, ...databaseKeys, PORT: z.coerce.number().int().default(8081).describe('port') });

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const cfg = loadConfig(schema, {});
    expect(cfg.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(cfg.PORT).toBe(8081);
    expect(cfg.DATABASE_SCHEMA).toBe('public');
  });

  it('parses lists and numbers from strings', () => {
    const cfg = loadConfig(schema, { KAFKA_BROKERS: 'a:1, b:2', PORT: '9000' });
    expect(cfg.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(cfg.PORT).toBe(9000);
  });

  it('names every bad key in one error', () => {
    let error: unknown;
    try {
      loadConfig(schema, { KAFKA_BROKERS: 'nope', PORT: 'x', DATABASE_URL: 'mysql://h' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const keys = (error as ConfigError).problems.map((p) => p.key).sort();
    expect(keys).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'PORT']);
    expect((error as ConfigError).message).toContain('KAFKA_BROKERS');
  });
});

describe('describeConfig', () => {
  it('lists key, default and description', () => {
    const docs = describeConfig(schema);
    expect(docs.find((d) => d.key === 'PORT')).toEqual({ key: 'PORT', default: '8081', description: 'port' });
    expect(docs.find((d) => d.key === 'KAFKA_BROKERS')?.default).toBe('127.0.0.1:9092');
  });
});
