import { ProblemError } from '@incidents/http';

/** Collects bound parameters while a statement is assembled: every value is a `$n`, never text. */
export class Bind {
  readonly values: unknown[] = [];
  private readonly where: string[] = [];

  /** Binds a value and returns its placeholder. */
  $(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Adds a condition when `value` is defined; `condition` gets the placeholder. */
  when<T>(value: T | undefined, condition: (placeholder: string, value: T) => string): void {
    if (value !== undefined) this.where.push(condition(this.$(value), value));
  }

  and(condition: string): void {
    this.where.push(condition);
  }

  clause(): string {
    return this.where.length === 0 ? '' : `WHERE ${this.where.join('\n  AND ')}`;
  }
}

/** Opaque keyset cursor: the sort it belongs to and the last row's key values. */
export function encodeCursor(sort: string, key: readonly string[]): string {
  return Buffer.from(JSON.stringify({ s: sort, k: key }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, sort: string, length: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const p = parsed as { s?: unknown; k?: unknown } | undefined;
  if (
    p === undefined ||
    p === null ||
    p.s !== sort ||
    !Array.isArray(p.k) ||
    p.k.length !== length ||
    !p.k.every((v): v is string => typeof v === 'string' && v.length <= 300)
  ) {
    throw new ProblemError(400, 'invalid-parameter', 'Invalid parameter', 'Invalid query parameter(s): cursor.', [
      { parameter: 'cursor', code: 'invalid_cursor', detail: 'not a cursor of this listing and sort; start again without cursor' },
    ]);
  }
  return p.k;
}

/**
 * Keyset condition "row after the cursor" for an ORDER BY over `columns` (text expressions,
 * compared by code point), all ascending or all descending.
 */
export function after(bind: Bind, columns: readonly string[], key: readonly string[], descending: boolean): string {
  const op = descending ? '<' : '>';
  const c = (i: number) => `${columns[i]} COLLATE "C"`;
  const parts: string[] = [];
  for (let i = 0; i < columns.length; i++) {
    const equal = columns.slice(0, i).map((_, j) => `${c(j)} = ${bind.$(key[j])}`);
    parts.push(`(${[...equal, `${c(i)} ${op} ${bind.$(key[i])}`].join(' AND ')})`);
  }
  return `(${parts.join(' OR ')})`;
}

export function orderBy(columns: readonly string[], descending: boolean): string {
  return columns.map((col) => `${col} COLLATE "C" ${descending ? 'DESC' : 'ASC'}`).join(', ');
}
