// Trust boundaries: anything a stranger sent (a body, a cookie, a client_id, a fetched document)
// becomes a typed value one way only, through a zod/mini schema that states its shape.
import * as z from "zod/mini";

export type Decoded<T> = { ok: true; value: T } | { ok: false; problem: string; field: PropertyKey | undefined };

/** The value as the schema's output, or the first problem in the schema's own words and the field it is about. */
export function decode<S extends z.ZodMiniType>(value: unknown, schema: S): Decoded<z.output<S>> {
  const parsed = z.safeParse(schema, value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: issue?.message ?? "is not acceptable", field: issue?.path[0] };
}

/** JSON text through a schema: text that is not JSON is one more problem. */
export function decodeJson<S extends z.ZodMiniType>(text: string, schema: S): Decoded<z.output<S>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "it is not valid JSON", field: undefined };
  }
  return decode(value, schema);
}

/**
 * An integer, as z.int() takes one (safe: within ±(2^53 − 1)), and one message, "must be an
 * integer", for any value that is not; tools/list says "integer" (json-schemas.ts), without the
 * safe bounds z.int() would add to the JSON Schema.
 */
export function integer() {
  // The message for a value that is no number at all; a check's own issues keep theirs.
  return z
    .number({ error: (issue) => (issue.code === "invalid_type" ? INTEGER : undefined) })
    .check(z.refine(Number.isSafeInteger, INTEGER));
}

const INTEGER = "must be an integer";
