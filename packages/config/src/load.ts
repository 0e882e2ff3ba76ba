import type { z } from 'zod';

/** Thrown when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly problems: { key: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses `env` (default `process.env`) with a schema whose keys are environment variable names. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // An empty variable means "not set", as in most shells' `FOO= cmd`.
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        key: String(issue.path[0] ?? '(root)'),
        message: issue.message,
      })),
    );
  }
  return result.data;
}

export interface ConfigKeyDoc {
  key: string;
  default: string;
  description: string;
}

/** Lists every key of a config schema with its default and description (for docs and `--help`). */
export function describeConfig(schema: z.ZodObject): ConfigKeyDoc[] {
  return Object.entries(schema.shape).map(([key, field]) => {
    const f = field as z.ZodType;
    const parsed = f.safeParse(undefined);
    return { key, default: parsed.success ? showDefault(parsed.data) : '(required)', description: f.description ?? '' };
  });
}

function showDefault(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (Array.isArray(value)) return value.map((v) => showDefault(v)).join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

