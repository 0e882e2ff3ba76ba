import { z } from 'zod';
import { EVENT_DATA_SCHEMAS, EVENT_TYPES } from '@incidents/events';
import type { IngestConfig } from './config.js';

function dataSchema(type: (typeof EVENT_TYPES)[number]): unknown {
  // Cross-field rules (refinements) have no JSON Schema form; the 400 response states them.
  return z.toJSONSchema(EVENT_DATA_SCHEMAS[type], { unrepresentable: 'any', io: 'input', target: 'draft-2020-12' });
}

function envelope(type: (typeof EVENT_TYPES)[number]): unknown {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' },
      source: { type: 'string', minLength: 1, maxLength: 256, pattern: '^\\S+$' },
      type: { const: type },
      subject: { type: 'string', pattern: '^(incident|operation|site|source|actor|link|context)/[a-z0-9][a-z0-9._-]{0,127}$' },
      time: { type: 'string', format: 'date-time', description: 'RFC 3339 UTC with Z, ≤ 6 fractional digits, ≤ 5 min ahead of the ingest clock' },
      datacontenttype: { const: 'application/json' },
      dataschema: { const: `urn:incidents:${type}:v1` },
      traceparent: { type: 'string' },
      tracestate: { type: 'string' },
      data: { $ref: `#/components/schemas/${type}Data` },
    },
  };
}

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'detail'],
        properties: {
          index: { type: 'integer' },
          id: { type: 'string' },
          pointer: { type: 'string', description: 'JSON pointer into the request body, e.g. /3/data/count/low' },
          code: { type: 'string' },
          detail: { type: 'string' },
        },
      },
    },
  },
};

function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

/** The OpenAPI 3.1 document of the ingest API, generated from the event schemas. */
export function openApiDocument(config: IngestConfig): Record<string, unknown> {
  const schemas: Record<string, unknown> = { Problem: problem };
  for (const type of EVENT_TYPES) {
    schemas[`${type}Data`] = dataSchema(type);
    schemas[`${type}Event`] = envelope(type);
  }
  schemas.Event = { oneOf: EVENT_TYPES.map((t) => ({ $ref: `#/components/schemas/${t}Event` })), discriminator: { propertyName: 'type' } };
  schemas.Batch = { type: 'array', minItems: 1, maxItems: config.INGEST_BATCH_LIMIT, items: { $ref: '#/components/schemas/Event' } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Incident ingest API',
      version: '1.0.0',
      description:
        'Upstream feeds post CloudEvents 1.0 (wire contract v1). A request is validated as a whole and acknowledged (202) only after Kafka has every event.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A feed API key; each key may write only the sources it is granted.' } },
      schemas,
    },
    security: [{ apiKey: [] }],
    paths: {
      '/v1/events': {
        post: {
          summary: 'Publish events (structured, batch or binary CloudEvents mode)',
          requestBody: {
            required: true,
            content: {
              'application/cloudevents+json': { schema: { $ref: '#/components/schemas/Event' } },
              'application/cloudevents-batch+json': { schema: { $ref: '#/components/schemas/Batch' } },
              'application/json': {
                schema: { oneOf: [{ $ref: '#/components/schemas/Event' }, { $ref: '#/components/schemas/Batch' }] },
                description: 'One event or an array; with ce-* headers the body is the `data` of one event (binary mode).',
              },
            },
          },
          responses: {
            '202': {
              description: 'Every event is durable in Kafka.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['accepted', 'position', 'events'],
                    properties: {
                      accepted: { type: 'integer' },
                      position: { type: 'string', description: 'Token for the query service (read-your-writes).' },
                      events: {
                        type: 'array',
                        items: {
                          type: 'object',
                          required: ['source', 'id', 'partition', 'offset'],
                          properties: { source: { type: 'string' }, id: { type: 'string' }, partition: { type: 'integer' }, offset: { type: 'string' } },
                        },
                      },
                    },
                  },
                },
              },
            },
            '400': problemResponse('Malformed JSON or invalid events; nothing was published.'),
            '401': problemResponse('Missing or invalid API key.'),
            '403': problemResponse('The key may not write one of the sources.'),
            '413': problemResponse('Body, event or batch over the limit.'),
            '415': problemResponse('Unsupported content type.'),
            '429': problemResponse('The key is over its rate (Retry-After).'),
            '503': problemResponse('Kafka did not acknowledge in time (Retry-After); re-posting is safe.'),
          },
        },
      },
      '/health/live': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'The process answers.' } } } },
      '/health/ready': {
        get: { summary: 'Readiness', security: [], responses: { '200': { description: 'Kafka answers.' }, '503': { description: 'Kafka does not answer.' } } },
      },
    },
  };
}
