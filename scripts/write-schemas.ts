// Writes the tool's JSON Schemas from its zod schemas: `npm run schemas`.
import { writeFileSync } from "node:fs";
import { toolJsonSchemas } from "../src/tools/chat-completion-schemas.js";

const path = new URL("../src/tools/chat-completion-schemas.json", import.meta.url);
writeFileSync(path, `${JSON.stringify(toolJsonSchemas(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
