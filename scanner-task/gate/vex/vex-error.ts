// A VEX document the gate cannot use: one line naming the file and the first problem, e.g.
// `vex.json: /statements/0/status: must be equal to one of the allowed values`.
import type { ErrorObject } from 'ajv';

export class VexError extends Error {
  override readonly name = 'VexError';
}

/** Ajv's first error as `<JSON pointer>: <message>`, with the detail Ajv keeps in its params where the message lacks it. */
export function schemaProblem(errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (!error) return 'does not match its schema';
  const params = error.params as { additionalProperty?: string; allowedValues?: unknown[] };
  const detail =
    params.additionalProperty !== undefined
      ? ` ("${params.additionalProperty}")`
      : params.allowedValues !== undefined
        ? ` (${params.allowedValues.map(String).join(', ')})`
        : '';
  return `${error.instancePath || '/'}: ${error.message ?? 'is invalid'}${detail}`;
}
