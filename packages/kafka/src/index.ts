/**
 * Kafka access for the whole project. Every kafkajs call lives in this package so the
 * client can be swapped without touching services or the domain.
 */
export { createKafka, type KafkaSettings, type KafkaHandle } from './client.js';
export {
  ensureTopics,
  fetchLogEnds,
  deleteTopics,
  pingCluster,
  offsetsForTime,
  type TopicSpec,
  type PartitionEnd,
} from './admin.js';
export {
  EventLogProducer,
  type OutgoingRecord,
  type PublishedRecord,
  type ProducerOptions,
} from './producer.js';
export {
  startBatchConsumer,
  type IncomingRecord,
  type PartitionBatch,
  type BatchConsumerOptions,
  type RunningConsumer,
} from './consumer.js';
export { KafkaAccessError, type KafkaErrorCode } from './errors.js';
export { CLOUDEVENTS_CONTENT_TYPE, toKafkaRecord, headerText } from './cloudevents.js';
export { encodePosition, decodePosition, positionAfter, type LogPosition } from './position.js';
export { readTopic, streamTopic } from './read.js';
