// The tools this server offers, in `tools/list` order: a new tool is one module exporting a
// `Tool` (tool.ts), and one line in TOOLS.
import type { Config } from "../config.js";
import { chatCompletion } from "./chat-completion.js";
import { getCompletion } from "./get-completion.js";
import { listModels } from "./list-models.js";
import type { Tool } from "./tool.js";

export const TOOLS: readonly Tool[] = [chatCompletion, listModels, getCompletion];

/** What initialize and server/discover tell a client's model about the tools. */
export const TOOL_INSTRUCTIONS =
  "Call chat_completion with a prompt (or a whole conversation as messages) to get an answer from a model on OpenRouter. " +
  "Optional: model, system, max_tokens, temperature, reasoning for thinking models, routing (models, provider). " +
  "Call list_models to find a model id by name, price, context length or modality. " +
  "Progress notifications report tokens as they stream, thinking included. " +
  "For answers that may take minutes, pass background: true and wait for them with get_completion (or use MCP Tasks).";

export function findTool(name: string): Tool | undefined {
  return TOOLS.find((tool) => tool.name === name);
}

/** What a tools/list answer varies by: 2025-11-25's task support, and MCP Apps' `_meta.ui`. */
export interface ListVariant {
  taskSupport: boolean;
  apps: boolean;
}

/** Per config: each variant's list, serialised once. */
const listJson = new WeakMap<Config, Map<string, string>>();

/**
 * The `tools` array of a `tools/list` result, serialised once per config and variant: tools/list
 * answers it as text spliced into the envelope, so no request serialises the schemas again.
 */
export function toolListJson(config: Config, { taskSupport, apps }: ListVariant): string {
  let cached = listJson.get(config);
  if (cached === undefined) listJson.set(config, (cached = new Map<string, string>()));
  const slot = `${taskSupport}:${apps}`;
  let json = cached.get(slot);
  if (json === undefined) {
    json = JSON.stringify(
      TOOLS.map((tool) => {
        const { _meta, ...plain } = tool.definition(config);
        const definition = apps && _meta ? { ...plain, _meta } : plain;
        return taskSupport && tool.check ? { ...definition, execution: { taskSupport: "optional" } } : definition;
      }),
    );
    cached.set(slot, json);
  }
  return json;
}
