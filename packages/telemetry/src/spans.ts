import { trace, SpanStatusCode, type Span, type Attributes } from '@opentelemetry/api';

/** The project's tracer; a no-op until `startTelemetry` registered an SDK. */
export const tracer = trace.getTracer('incidents');

/** Runs `fn` inside an active span that records failures. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
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
