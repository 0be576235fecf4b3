// Writes each tool's JSON Schemas from its zod schemas: `npm run schemas`.
import { writeFileSync } from "node:fs";
import * as chatCompletion from "../src/tools/chat-completion-schemas.js";
import * as getCompletion from "../src/tools/get-completion-schemas.js";
import * as listModels from "../src/tools/list-models-schemas.js";

for (const [name, schemas] of [
  ["chat-completion", chatCompletion],
  ["list-models", listModels],
  ["get-completion", getCompletion],
] as const) {
  const path = new URL(`../src/tools/${name}-schemas.json`, import.meta.url);
  writeFileSync(path, `${JSON.stringify(schemas.toolJsonSchemas(), null, 2)}\n`);
  console.log(`wrote ${path.pathname}`);
}
