/**
 * `@incidents/projection`: the pure projection rules of events.md §5, producing the read
 * models of §6 as plain rows. No I/O, no clock: time comes only from events and arguments.
 */
export { project, ProjectionError, type ProjectOptions } from './project.js';
export { CONFLICT_REASON } from './select.js';
export { ADMIN1_PLACE_PRECISIONS, GRAIN_TIME_PRECISIONS, isoWeek, SITE_PLACE_PRECISIONS } from './derive/buckets.js';
export * from './incremental/index.js';
export type * from './rows.js';
