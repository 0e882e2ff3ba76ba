import { trace, SpanStatusCode, INVALID_SPAN_CONTEXT, type Span, type Attributes } from '@opentelemetry/api';

/** The project's tracer; a no-op until `startTelemetry` registered an SDK. */
export const tracer = trace.getTracer('incidents');

let recording = false;
const NOT_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Called by `startTelemetry` once an SDK records spans. */
export function markRecording(): void {
  recording = true;
}

/**
 * Runs `fn` inside an active span that records failures. Without an SDK it runs `fn` with a
 * non-recording span directly: the API's no-op path still costs a context switch and a promise
 * per call, which a hot path (one ingest request) should not pay for nothing.
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!recording) return fn(NOT_RECORDING);
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
