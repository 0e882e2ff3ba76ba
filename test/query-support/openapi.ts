/** Validates real answers against the served OpenAPI document (its JSON Schema, read back by zod). */
import { z } from 'zod';

type Doc = { paths: Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } }> };

export class OpenApiChecker {
  private readonly cache = new Map<string, z.ZodType>();
  constructor(private readonly doc: Doc) {}

  /** Throws with the zod issues when `body` does not match the 200 schema of `path`. */
  check(path: string, body: unknown): void {
    let schema = this.cache.get(path);
    if (schema === undefined) {
      const json = this.doc.paths[path]?.get.responses['200']?.content?.['application/json']?.schema;
      if (json === undefined) throw new Error(`no 200 schema for ${path} in the OpenAPI document`);
      schema = z.fromJSONSchema(json as Parameters<typeof z.fromJSONSchema>[0], { defaultTarget: 'draft-2020-12' });
      this.cache.set(path, schema);
    }
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new Error(`answer of ${path} does not match the OpenAPI schema:\n${JSON.stringify(result.error.issues.slice(0, 5), null, 1)}`);
    }
  }
}
