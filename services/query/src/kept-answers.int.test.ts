// Kept answers against a real PostgreSQL: a write of the read models (the projector's contract:
// tables and projection_state in one transaction) or a blue/green switch is seen by the very
// next request, however many answers are kept.
import { randomUUID } from 'node:crypto';
import { createPool, runMigrations, type Pool } from '@incidents/db';
import { databaseUrl, migrationsDir, uniqueName } from '../../../test/support/infra.js';
import { startQueryOnFreshSchema, type QueryOnFreshSchema } from '../../../test/support/query.js';

let pool: Pool;
let schema: string;
let query: QueryOnFreshSchema;

beforeAll(async () => {
  query = await startQueryOnFreshSchema();
  ({ pool, schema } = query);
  await write(pool, ['s-one']);
}, 60_000);

afterAll(async () => {
  await query?.stop();
});

/** Replaces the sources table and changes the write token, in one transaction (as the projector writes). */
async function write(db: Pool, ids: string[], projection = 'main', options: { token?: 'new' | 'same' } = {}): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM sources');
    for (const id of ids) {
      await client.query(`INSERT INTO sources (source_id, registered, reliability, reliability_history) VALUES ($1, true, 'B', '[]')`, [id]);
    }
    await client.query(
      `INSERT INTO projection_state (projection, events_applied, write_token) VALUES ($1, $2, $3)
       ON CONFLICT (projection) DO UPDATE SET events_applied = EXCLUDED.events_applied,
         write_token = CASE WHEN $4 THEN projection_state.write_token ELSE EXCLUDED.write_token END, updated_at = now()`,
      [projection, ids.length, randomUUID(), options.token === 'same'],
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

async function sources(path = '/v1/sources'): Promise<string[]> {
  const res = await fetch(`${query.url}${path}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { source_id: string }[] }).items.map((s) => s.source_id);
}

describe('kept answers', () => {
  it('answers the same bytes again, and a write is seen by the next request', async () => {
    const first = await fetch(`${query.url}/v1/sources`);
    const again = await fetch(`${query.url}/v1/sources`);
    expect(await again.text()).toBe(await first.text());
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    await write(pool, ['s-one', 's-two']);
    expect(await sources()).toEqual(['s-one', 's-two']);
    await write(pool, ['s-three']);
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => sources()));
    expect(new Set(concurrent.map((c) => c.join()))).toEqual(new Set(['s-three']));
  });

  it('sees a write that updates projection_state without a new token', async () => {
    await sources();
    await write(pool, ['s-four'], 'main', { token: 'same' });
    expect(await sources()).toEqual(['s-four']);
  });

  it('follows a blue/green switch, and the switch back', async () => {
    const version = uniqueName('v').toLowerCase().slice(0, 20);
    const versionSchema = `${schema}_${version}`.slice(0, 63);
    await runMigrations({ databaseUrl: databaseUrl(), schema: versionSchema, migrationsDir });
    const versionPool = createPool({ url: databaseUrl(), schema: versionSchema, max: 1 });
    try {
      await write(versionPool, ['s-green'], version);
      expect(await sources()).toEqual(['s-four']);
      await pool.query(`INSERT INTO projection_versions (name, schema_name, state) VALUES ($1, $2, 'serving')`, [version, versionSchema]);
      expect(await sources()).toEqual(['s-green']);
      expect(await sources('/v1/sources?registered=true')).toEqual(['s-green']);
      await write(versionPool, ['s-green', 's-green-2'], version);
      expect(await sources()).toEqual(['s-green', 's-green-2']);
      await pool.query(`UPDATE projection_versions SET state = 'retired' WHERE name = $1`, [version]);
      expect(await sources()).toEqual(['s-four']);
    } finally {
      await versionPool.end();
    }
  });
});
