// zod → JSON Schema 2020-12, which OpenAPI 3.1 takes as it is. Responses are converted as sent
// (io: output), in one pass over the named schemas and every response schema, so that a named
// schema inside a response becomes a $ref to its component; request inputs are converted as
// accepted (io: input: a field with a default is optional), inline.
import * as z from '#shared/validation.ts';

export type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';
const OPTIONS = { target: 'draft-2020-12', unrepresentable: 'any' } as const;

/** Drops what each converted schema carries for standing alone; inside the document it is a part. */
function part(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

export function inputSchema(schema: z.ZodMiniType): JsonSchema {
  return part(z.toJSONSchema(schema, { ...OPTIONS, io: 'input' }));
}

export interface ResponseSchemas {
  components: Record<string, JsonSchema>;
  /** Each response schema's JSON Schema: a $ref when it is itself named. */
  of(schema: z.ZodMiniType): JsonSchema;
}

export function responseSchemas(named: ReadonlyMap<string, z.ZodMiniType>, responses: readonly z.ZodMiniType[]): ResponseSchemas {
  const registry = z.registry<{ id: string }>();
  const idOf = new Map<z.ZodMiniType, string>();
  for (const [id, schema] of named) {
    registry.add(schema, { id });
    idOf.set(schema, id);
  }
  // The unnamed ones under ids of their own, taken back out of the components afterwards.
  const unnamed = new Map<z.ZodMiniType, string>();
  for (const schema of responses) {
    if (idOf.has(schema) || unnamed.has(schema)) continue;
    const id = `response-${unnamed.size}`;
    registry.add(schema, { id });
    unnamed.set(schema, id);
  }
  const { schemas } = z.toJSONSchema(registry, { ...OPTIONS, io: 'output', uri: (id) => `${COMPONENTS}${id}` }) as { schemas: Record<string, JsonSchema> };
  const components = Object.fromEntries([...named.keys()].map((id) => [id, part(schemas[id]!)]));
  return {
    components,
    of(schema) {
      const id = idOf.get(schema);
      if (id !== undefined) return { $ref: `${COMPONENTS}${id}` };
      const converted = schemas[unnamed.get(schema) ?? ''];
      if (!converted) throw new Error('A response schema that was not converted');
      return part(converted);
    },
  };
}
