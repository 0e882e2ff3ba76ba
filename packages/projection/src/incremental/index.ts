export {
  IncrementalProjection,
  SNAPSHOT_FORMAT,
  type EngineSnapshot,
  type DirtyCluster,
  type Ingested,
  type StoredEvent,
  type VariantsOf,
} from './engine.js';
export {
  REFERENCE_EVENT_TYPES,
  clusterKeys,
  isReferenceEvent,
  namedReferences,
  pairKey,
  referenceChanges,
} from './keys.js';
export {
  CLUSTER_TABLES,
  OWNER_COLUMNS,
  PRIMARY_KEYS,
  READ_MODEL_TABLES,
  STORED_TABLES,
  keyOfRow,
  type ClusterTable,
  type ReadModelTable,
  type Row,
  type StoredTable,
  type TableWrite,
} from './tables.js';
