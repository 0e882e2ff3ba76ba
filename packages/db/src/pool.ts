import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface DatabaseSettings {
  url: string;
  /** Schema put first on the search_path of every connection. */
  schema: string;
  max?: number;
  applicationName?: string;
}

// int8 and numeric as JS numbers would silently lose precision: read them as strings,
// except count(*) style int8 results that callers convert explicitly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

/** Creates a pool whose connections use `settings.schema` (then public) as search_path. */
export function createPool(settings: DatabaseSettings): Pool {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(settings.schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(settings.schema)}`);
  }
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.max ?? 10,
    application_name: settings.applicationName ?? 'incidents',
    options: `-c search_path=${settings.schema},public`,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // A client losing its connection (server restart) must not crash the process: idle ones
  // report through the pool, checked-out ones through their own 'error' event; the next
  // query on a dead client fails with a transient error that callers retry.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}
