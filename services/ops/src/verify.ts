import { STORED_TABLES } from '@incidents/projection';
import type { Pool } from '@incidents/db';


export interface TableChecksum {
  table: string;
  rows: number;
  checksum: string;
}

/** Row count and an order-independent checksum of every read-model table of a schema. */
export async function checksums(pool: Pool, schema: string): Promise<TableChecksum[]> {
  const result: TableChecksum[] = [];
  for (const table of STORED_TABLES) {
    const r = await pool.query<{ rows: string; checksum: string | null }>(
      `SELECT count(*) AS rows, md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))) AS checksum FROM "${schema}"."${table}" t`,
    );
    result.push({ table, rows: Number(r.rows[0]!.rows), checksum: r.rows[0]!.checksum ?? 'empty' });
  }
  return result;
}

export interface VerifyDifference {
  table: string;
  live: TableChecksum;
  rebuilt: TableChecksum;
}

export function differences(live: TableChecksum[], rebuilt: TableChecksum[]): VerifyDifference[] {
  return live.flatMap((l) => {
    const r = rebuilt.find((x) => x.table === l.table)!;
    return l.rows === r.rows && l.checksum === r.checksum ? [] : [{ table: l.table, live: l, rebuilt: r }];
  });
}
