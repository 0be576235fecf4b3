// tools/list shows JSON Schemas generated from the zod schemas; they must never drift apart.
import { describe, expect, it } from "vitest";
import chatCompletionJson from "../../src/tools/chat-completion-schemas.json";
import * as chatCompletion from "../../src/tools/chat-completion-schemas.js";
import getCompletionJson from "../../src/tools/get-completion-schemas.json";
import * as getCompletion from "../../src/tools/get-completion-schemas.js";
import listModelsJson from "../../src/tools/list-models-schemas.json";
import * as listModels from "../../src/tools/list-models-schemas.js";

describe("the tools' JSON Schemas", () => {
  it.each([
    ["chat_completion", chatCompletionJson, chatCompletion],
    ["list_models", listModelsJson, listModels],
    ["get_completion", getCompletionJson, getCompletion],
  ] as const)(
    "%s: match what zod generates (run `npm run schemas` after changing the zod schemas)",
    (_name, committed, schemas) => {
      expect(committed).toEqual(schemas.toolJsonSchemas());
    },
  );

  it.each([
    ["chat_completion", chatCompletionJson],
    ["list_models", listModelsJson],
    ["get_completion", getCompletionJson],
  ] as const)(
    "%s: give every value one type (a list of types is what MCP Inspector flags as not portable)",
    (_name, committed) => {
      const lists: string[] = [];
      const walk = (node: unknown, path: string): void => {
        if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${path}[${i}]`));
        else if (typeof node === "object" && node !== null) {
          for (const [key, value] of Object.entries(node)) {
            if (key === "type" && Array.isArray(value)) lists.push(path);
            walk(value, `${path}.${key}`);
          }
        }
      };
      walk(committed, "");
      expect(lists).toEqual([]);
    },
  );

  it("chat_completion: each argument's description is its own (shorthands once shared one object, so all said provider's)", () => {
    const described = Object.entries(chatCompletionJson.inputSchema.properties).flatMap(([name, schema]) =>
      "description" in schema ? [[name, schema.description] as const] : [],
    );
    expect(new Set(described.map(([, text]) => text)).size).toBe(described.length);
    expect(JSON.stringify(chatCompletionJson.inputSchema).match(/Routing:/g)).toHaveLength(1);
  });
});
