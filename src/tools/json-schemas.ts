// Turns a tool's zod schemas into the JSON Schemas tools/list shows. Run by `npm run schemas`
// (and the test that keeps the committed JSON in step), never by the Worker.
import * as z from "zod/mini";

type JsonObject = { properties?: Record<string, Record<string, unknown>>; $schema?: string };

/**
 * Any JSON value, as a value zod types unknown is (an answer parsed as JSON): one branch per JSON
 * type, each with a `type`, where zod writes `{}`, a schema that says nothing, which clients'
 * schema checks warn about (MCP Inspector's --strict).
 */
const ANY_JSON_SCHEMA = {
  // The object's branch says what it is (any properties), which also keeps zod from folding the
  // branches into one `type` array, a form some clients read less well.
  anyOf: [
    { type: "object", additionalProperties: true },
    ...["array", "string", "number", "boolean", "null"].map((type) => ({ type })),
  ],
};

/**
 * `shorthands` replace the generated schema at a path of the input schema ("messages.items.
 * properties.content") with a shorter one: for a union of nested objects that words describe
 * as well as a page of JSON Schema (the Worker ships these schemas, so their size counts). The
 * zod schema still validates every field.
 */
export function jsonSchemas(
  input: z.ZodMiniType,
  output: z.ZodMiniType,
  descriptions: Record<string, string>,
  shorthands: Record<string, Record<string, unknown>> = {},
): { inputSchema: unknown; outputSchema: unknown } {
  const inputSchema = z.toJSONSchema(input, { io: "input", override: overrides }) as JsonObject;
  for (const [path, schema] of Object.entries(shorthands)) {
    const keys = ["properties", ...path.split(".")];
    const last = keys.pop()!;
    const parent = keys.reduce<Record<string, unknown> | undefined>(
      (node, key) => node?.[key] as Record<string, unknown> | undefined,
      inputSchema,
    );
    if (!parent?.[last]) throw new Error(`A shorthand for "${path}", which the input schema does not have`);
    parent[last] = structuredClone(schema); // a copy: a description set later on one place stays there
  }
  const outputSchema = z.toJSONSchema(output, { io: "output", override: overrides }) as JsonObject;
  // MCP reads a schema without $schema as draft 2020-12, which is what zod writes.
  delete inputSchema.$schema;
  delete outputSchema.$schema;
  for (const [name, description] of Object.entries(descriptions)) {
    const property = inputSchema.properties?.[name];
    if (!property) throw new Error(`A description for "${name}", which is not an argument`);
    property.description = description;
  }
  return { inputSchema, outputSchema };
}

/**
 * What zod does not write as we need it: decode.ts's integer() is a number with a refine zod
 * cannot read (written as z.int() is), and an unknown is any JSON value.
 */
function overrides({
  zodSchema,
  jsonSchema,
}: {
  zodSchema: z.core.$ZodTypes;
  jsonSchema: Record<string, unknown>;
}): void {
  if (zodSchema._zod.def.type === "unknown") {
    Object.assign(jsonSchema, structuredClone(ANY_JSON_SCHEMA));
    return;
  }
  const checks = (zodSchema._zod.def as { checks?: z.core.$ZodCheck[] }).checks ?? [];
  if (!checks.some((check) => (check._zod.def as { fn?: unknown }).fn === Number.isSafeInteger)) return;
  jsonSchema.type = "integer";
  if (jsonSchema.maximum === undefined) jsonSchema.maximum = Number.MAX_SAFE_INTEGER;
}
