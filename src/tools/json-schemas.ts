// Turns a tool's zod schemas into the JSON Schemas tools/list shows. Run by `npm run schemas`
// (and the test that keeps the committed JSON in step), never by the Worker.
import * as z from "zod/mini";

type JsonObject = { properties?: Record<string, Record<string, unknown>>; $schema?: string };

export function jsonSchemas(input: z.ZodMiniType, output: z.ZodMiniType, descriptions: Record<string, string>): { inputSchema: unknown; outputSchema: unknown } {
  const inputSchema = z.toJSONSchema(input, { io: "input" }) as JsonObject;
  const outputSchema = z.toJSONSchema(output, { io: "output" }) as JsonObject;
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
