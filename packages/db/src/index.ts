/**
 * PostgreSQL access: pool (one schema per deployment or test), transactions, advisory
 * locks, bulk COPY, and the node-pg-migrate runner. Tables are created only by migrations.
 */
export { createPool, type DatabaseSettings, type Pool, type PoolClient } from './pool.js';
export { withTransaction, isTransientDbError } from './transaction.js';
export { copyIn, copyField, COPY_NULL } from './copy.js';
export { runMigrations, type MigrationOptions } from './migrate.js';
export { servingProjection, listVersions, type ProjectionVersion, type VersionState } from './versions.js';
