/**
 * Configuration from `process.env`: one zod schema per service, every key with a default
 * and a one-line description (`.describe()`), parsed once at start-up. Invalid values stop
 * the process with a message that names each bad key.
 */
export { loadConfig, describeConfig, ConfigError, type ConfigKeyDoc } from './load.js';
export { commonKeys, kafkaKeys, databaseKeys, httpKeys } from './keys.js';
