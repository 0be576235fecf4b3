// The get_completion tool's arguments, as zod schemas. Its result is chat_completion's, so
// tools/list shows chat_completion's output schema for it (one copy in the bundle).
import * as z from "zod/mini";
import { integer } from "../decode.js";
import { jsonSchemas } from "./json-schemas.js";

/** The longest get_completion waits in one call: under every host's timeout we know of (60 s and up). */
export const MAX_WAIT_SECONDS = 50;

export const inputSchema = z.strictObject({
  id: z.string().check(z.minLength(1, "must not be empty"), z.maxLength(64, "must be at most 64 characters")),
  wait: z.optional(integer().check(z.gte(0), z.lte(MAX_WAIT_SECONDS))),
  cancel: z.optional(z.boolean()),
});

function descriptions(): Record<string, string> {
  return {
    id: "The completion id that chat_completion with background: true answered.",
    wait: `Seconds to wait for the answer before answering with the status and the text so far (0 to ${MAX_WAIT_SECONDS}, default ${MAX_WAIT_SECONDS}).`,
    cancel:
      "true: stop the completion. OpenRouter stops generating; the text written until then is kept and returned (it was paid for).",
  };
}

/** The input's JSON Schema for tools/list, as `npm run schemas` writes it to get-completion-schemas.json. */
export function toolJsonSchemas(): { inputSchema: unknown } {
  return { inputSchema: jsonSchemas(inputSchema, z.object({}), descriptions()).inputSchema };
}
