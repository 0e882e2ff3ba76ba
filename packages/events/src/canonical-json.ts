/**
 * RFC 8785 (JCS) serialisation of a JSON value: object keys sorted by UTF-16 code units,
 * no whitespace, numbers and strings as ECMAScript `JSON.stringify` writes them.
 *
 * Object properties whose value is `undefined` are omitted, as `JSON.stringify` does.
 * Throws a `TypeError` on anything else that is not JSON (non-finite numbers, bigint,
 * functions, symbols, `undefined` outside an object property).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a JSON number: ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`not a JSON value: ${typeof value}`);
}
