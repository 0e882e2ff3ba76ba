import type { Pool, PoolClient } from './pool.js';

export type VersionState = 'building' | 'serving' | 'retired' | 'scratch';

export interface ProjectionVersion {
  name: string;
  schema_name: string;
  state: VersionState;
  created_at: string;
  caught_up_at: string | null;
  switched_at: string | null;
  retired_at: string | null;
}

const COLUMNS = `name, schema_name, state,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
  to_char(caught_up_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS caught_up_at,
  to_char(switched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS switched_at,
  to_char(retired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS retired_at`;

/** The projection that serves reads: the `serving` version, else the base schema's "main". */
export async function servingProjection(db: Pool | PoolClient, baseSchema: string): Promise<{ name: string; schema: string }> {
  const r = await db.query<{ name: string; schema_name: string }>(
    `SELECT name, schema_name FROM projection_versions WHERE state = 'serving'`,
  );
  const row = r.rows[0];
  return row ? { name: row.name, schema: row.schema_name } : { name: 'main', schema: baseSchema };
}

export async function listVersions(db: Pool | PoolClient): Promise<ProjectionVersion[]> {
  const r = await db.query<ProjectionVersion>(`SELECT ${COLUMNS} FROM projection_versions ORDER BY created_at, name`);
  return r.rows;
}
