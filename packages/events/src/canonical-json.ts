/**
 * RFC 8785 (JCS) serialisation of a JSON value: object keys sorted by UTF-16 code units,
 * no whitespace, numbers and strings as ECMAScript `JSON.stringify` writes them.
 *
 * Object properties whose value is `undefined` are omitted, as `JSON.stringify` does.
 * Throws a `TypeError` on anything else that is not JSON (non-finite numbers, bigint,
 * functions, symbols, `undefined` outside an object property).
 */
export function canonicalJson(value: unknown): string {
  // String concatenation, no intermediate arrays: every stored event is hashed through this.
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a JSON number: ${value}`);
    return JSON.stringify(value);
  }
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let out = '{';
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      if (out.length > 1) out += ',';
      out += `${JSON.stringify(key)}:${canonicalJson(member)}`;
    }
    return `${out}}`;
  }
  throw new TypeError(`not a JSON value: ${typeof value}`);
}
