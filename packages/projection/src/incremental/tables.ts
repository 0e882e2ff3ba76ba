import type { Projection } from '../rows.js';

/** The read-model tables (§6), named like the `Projection` fields that fill them. */
export const READ_MODEL_TABLES = [
  'incident_current',
  'operations',
  'attack_counts',
  'casualty_tally',
  'casualty_tally_by_period',
  'response_graph',
  'incident_timeline',
  'source_discrepancies',
  'revision_feed',
  'external_stats',
  'documents',
  'sources',
  'actors',
  'sites',
] as const satisfies readonly (keyof Projection)[];
export type ReadModelTable = (typeof READ_MODEL_TABLES)[number];

/**
 * Every table the projector writes for the read models: the tables of §6 and
 * `reference_citations`, which holds, per source or site, the incidents and operations citing
 * it. A reference event's revision_feed row that lists them is stored with empty lists and
 * `cites` naming the set, so a new citation costs one row, not a rewrite of a list that grows
 * with the store (migration 009). Readers fill the lists back (`revision_feed.cites`).
 */
export const STORED_TABLES = [...READ_MODEL_TABLES, 'reference_citations'] as const;
export type StoredTable = (typeof STORED_TABLES)[number];

/** Primary key columns of each table (packages/db/migrations/002, 008, 009). */
export const PRIMARY_KEYS: Readonly<Record<StoredTable, readonly string[]>> = {
  incident_current: ['incident_id'],
  operations: ['operation_id'],
  attack_counts: [
    'grain',
    'period',
    'geo_level',
    'geo_key',
    'kind',
    'method',
    'perpetrator',
    'perpetrator_likelihood',
  ],
  casualty_tally: [
    'scope_kind',
    'scope_id',
    'role',
    'outcome',
    'nationality',
    'side',
    'affiliation_actor_id',
  ],
  casualty_tally_by_period: [
    'grain',
    'period',
    'role',
    'outcome',
    'nationality',
    'side',
    'affiliation_actor_id',
  ],
  response_graph: ['link_id', 'trigger_incident_id', 'response_kind', 'response_id'],
  incident_timeline: ['incident_id', 'time', 'event_id', 'event_source'],
  source_discrepancies: ['scope_kind', 'scope_id', 'field'],
  revision_feed: ['time', 'event_id', 'event_source'],
  external_stats: ['stat_id'],
  documents: ['doc_id'],
  sources: ['source_id'],
  actors: ['actor_id'],
  sites: ['site_id'],
  reference_citations: ['ref', 'kind', 'id'],
};

/** Tables whose every row belongs to one entity of one cluster, and the columns naming it. */
export const OWNER_COLUMNS = {
  incident_current: ['incident_id'],
  operations: ['operation_id'],
  casualty_tally: ['scope_kind', 'scope_id'],
  response_graph: ['link_id'],
  incident_timeline: ['incident_id'],
  source_discrepancies: ['scope_kind', 'scope_id'],
  revision_feed: ['event_source', 'event_id'],
  external_stats: ['stat_id'],
  documents: ['doc_id'],
} as const satisfies Partial<Record<ReadModelTable, readonly string[]>>;
export type ClusterTable = keyof typeof OWNER_COLUMNS;
export const CLUSTER_TABLES = Object.keys(OWNER_COLUMNS) as ClusterTable[];

export type Row = Record<string, unknown>;

/**
 * A change to one table. A writer applies, in this order: deletion of the keys in `deletes`;
 * then `upserts` (insert or replace by primary key; with `additive`, add the numeric columns
 * to the stored row and delete a row left with no incidents).
 */
export interface TableWrite {
  readonly table: StoredTable;
  readonly upserts: readonly Row[];
  readonly deletes: readonly Row[];
  readonly additive?: boolean;
  /**
   * No row of `upserts` has its key in the table yet: they are rows whose key the cluster
   * that produced them did not hold before (a row's owner is named by its cluster's keys, so
   * no other cluster wrote one with its key). A writer may insert them without handling conflicts.
   */
  readonly fresh?: boolean;
}

export function keyOfRow(table: StoredTable, row: Row): string {
  return JSON.stringify(PRIMARY_KEYS[table].map((c) => row[c]));
}
