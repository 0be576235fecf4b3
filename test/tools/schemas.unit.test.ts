// tools/list shows JSON Schemas generated from the zod schemas; they must never drift apart.
import { describe, expect, it } from "vitest";
import chatCompletionJson from "../../src/tools/chat-completion-schemas.json";
import * as chatCompletion from "../../src/tools/chat-completion-schemas.js";
import listModelsJson from "../../src/tools/list-models-schemas.json";
import * as listModels from "../../src/tools/list-models-schemas.js";

describe("the tools' JSON Schemas", () => {
  it.each([
    ["chat_completion", chatCompletionJson, chatCompletion],
    ["list_models", listModelsJson, listModels],
  ] as const)("%s: match what zod generates (run `npm run schemas` after changing the zod schemas)", (_name, committed, schemas) => {
    expect(committed).toEqual(schemas.toolJsonSchemas());
  });
});
