// tools/list shows JSON Schemas generated from the zod schemas; they must never drift apart.
import { describe, expect, it } from "vitest";
import committed from "../../src/tools/chat-completion-schemas.json";
import { toolJsonSchemas } from "../../src/tools/chat-completion-schemas.js";

describe("chat_completion JSON Schemas", () => {
  it("match what zod generates (run `npm run schemas` after changing the zod schemas)", () => {
    expect(committed).toEqual(toolJsonSchemas());
  });
});
