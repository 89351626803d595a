// Schemas every route group's documentation shares: the error body, `{ data }` envelopes,
// pagination, and the registry that names schemas once (the document's components). Plain
// zod objects: building them costs a route group nothing worth measuring, and only the meta
// group turns them into JSON Schema.
import * as z from '#shared/validation.ts';
import { ERROR_CODES } from './error-status.ts';

const NAMED = new Map<string, z.ZodMiniType>();

/**
 * Names a response shape: it becomes one entry of the document's components.schemas, referenced
 * wherever a response contains it. Request bodies are not named: they are described inline, as
 * the route accepts them (defaults optional), while responses are described as sent.
 */
export function named<T extends z.ZodMiniType>(id: string, schema: T): T {
  if (NAMED.has(id) && NAMED.get(id) !== schema) throw new Error(`Two schemas are named ${id}`);
  NAMED.set(id, schema);
  return schema;
}

/** Every named schema of the route groups loaded so far. */
export const namedSchemas = (): ReadonlyMap<string, z.ZodMiniType> => NAMED;

export const isoTime = z.iso.datetime({ offset: true });

/** The one error body of every refusal (http-response.ts: errorBody). */
export const errorSchema = named(
  'Error',
  z.object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      /** Only for VALIDATION_ERROR: each invalid input by its path. */
      issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
    }),
  }),
);

export const dataOf = <T extends z.ZodMiniType>(schema: T) => z.object({ data: schema });

/** `{ data: { <idField>: id, deleted: true } }`: what a DELETE answers. */
export const deletedOf = (idField: string) => dataOf(z.object({ [idField]: z.string(), deleted: z.literal(true) }));

export const pageMetaSchema = named(
  'PageMeta',
  z.object({
    page: z.int(),
    pageSize: z.int(),
    total: z.int(),
    totalPages: z.int(),
    hasNext: z.boolean(),
    hasPrev: z.boolean(),
  }),
);

export const pageLinksSchema = named('PageLinks', z.object({ self: z.string(), next: z.optional(z.string()), prev: z.optional(z.string()) }));

export const pageOf = <T extends z.ZodMiniType>(item: T) => z.object({ data: z.array(item), meta: pageMetaSchema, links: pageLinksSchema });

/** A path parameter: a string shaped like the id it stands for (path-parameters.ts answers 404 otherwise). */
export const idParam = (pattern: RegExp, description: string) => z.string().check(z.regex(pattern), z.describe(description));

/** page and limit of a paginated sub-resource (scans/page-request.ts). */
export const pageQuery = (maxLimit: number, defaultLimit: number) => ({
  page: z.optional(z.int().check(z.gte(1), z.lte(1_000_000), z.describe('Page number, from 1 (default 1)'))),
  limit: z.optional(z.int().check(z.gte(1), z.lte(maxLimit), z.describe(`Items per page (default ${defaultLimit})`))),
});
