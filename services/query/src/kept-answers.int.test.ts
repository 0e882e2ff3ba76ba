// Kept answers against a real PostgreSQL: a write of the read models (the projector's contract:
// tables and projection_state in one transaction) or a blue/green switch is seen by the very
// next request, however many answers are kept.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createPool, runMigrations, type Pool } from '@incidents/db';
import { databaseUrl, migrationsDir, uniqueName } from '../../../test/support/infra.js';
import { startQueryOnFreshSchema, type QueryOnFreshSchema } from '../../../test/support/query.js';
import { BROTLI_FROM_BYTES } from './read/respond.js';

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

describe('compressed kept answers', () => {
  const BROWSER = 'gzip, deflate, br, zstd';
  const get = (path: string, acceptEncoding: string) =>
    new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http
        .get(`${query.url}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });

  it('sends a big kept answer brotli-compressed once its brotli form is made, gzip until then, with the same ETag', async () => {
    await write(pool, Array.from({ length: 400 }, (_, i) => `source-with-a-long-identifier-${String(i).padStart(4, '0')}`));
    const plain = await get('/v1/sources', 'identity');
    expect(plain.body.length).toBeGreaterThanOrEqual(BROTLI_FROM_BYTES);
    expect(plain.headers['content-encoding']).toBeUndefined();
    // the first sending of an answer is gzip (an answer not kept is never brotli-compressed)
    const first = await get('/v1/sources', BROWSER);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(first.body).equals(plain.body)).toBe(true);
    let packed = first;
    for (const deadline = Date.now() + 10_000; packed.headers['content-encoding'] !== 'br' && Date.now() < deadline; ) {
      packed = await get('/v1/sources', BROWSER);
      expect(['gzip', 'br']).toContain(packed.headers['content-encoding']);
    }
    expect(packed.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(packed.body).equals(plain.body)).toBe(true);
    expect(packed.body.length).toBeLessThan(first.body.length);
    expect(Number(packed.headers['content-length'])).toBe(packed.body.length);
    expect(packed.headers.etag).toBe(plain.headers.etag);
    expect(packed.headers.vary).toMatch(/Accept-Encoding/i);
    // clients that do not take brotli, or take gzip more gladly, get gzip; no encoding, none
    expect((await get('/v1/sources', 'gzip')).headers['content-encoding']).toBe('gzip');
    expect((await get('/v1/sources', 'gzip;q=1, br;q=0.5')).headers['content-encoding']).toBe('gzip');
    expect((await get('/v1/sources', 'br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
    expect((await get('/v1/sources', 'identity')).headers['content-encoding']).toBeUndefined();
    // a write makes a new answer: gzip again until its own brotli form is made
    await write(pool, ['s-small']);
    const small = await get('/v1/sources', BROWSER);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toMatchObject({ items: [{ source_id: 's-small' }] });
  });
});
