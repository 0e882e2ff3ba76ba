/** One invalid input, located by a JSON pointer (body) or a parameter name (query string). */
export interface FieldError {
  pointer?: string;
  parameter?: string;
  index?: number;
  id?: string;
  code: string;
  detail: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Stable problem type URI for a slug such as `invalid-event`. */
export function problemType(slug: string): string {
  return `urn:incidents:problem:${slug}`;
}

/** An error that the problem middleware turns into an `application/problem+json` response. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  toProblem(instance?: string): ProblemDetails {
    return {
      type: problemType(this.code),
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}
