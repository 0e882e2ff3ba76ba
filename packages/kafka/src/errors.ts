export type KafkaErrorCode =
  | 'publish_timeout'
  | 'queue_full'
  | 'broker_unavailable'
  | 'producer_stopped'
  | 'partition_unknown';

/** An error of the Kafka access layer; callers switch on `code`, never on the message. */
export class KafkaAccessError extends Error {
  constructor(
    readonly code: KafkaErrorCode,
    message: string,
    readonly retriable = true,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KafkaAccessError';
  }
}
