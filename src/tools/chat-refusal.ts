// What a call OpenRouter refused before any answer becomes: a tool error that says what to do,
// with the advice as fields. For an unknown model, OpenRouter's (cached) list tells a typo from a
// model without endpoints.
import type { Config } from "../config.js";
import type { UpstreamRefusal } from "../openrouter/answers.js";
import type { OpenRouter } from "../openrouter/client.js";
import { describeRefusal, refusalSuggestions } from "../openrouter/errors.js";
import { closestModelIds, modelList } from "../openrouter/models.js";
import type { ToolError } from "../tool-result.js";
import { refusalResult } from "./chat-result.js";

export async function refusedCall(
  openRouter: OpenRouter,
  refusal: UpstreamRefusal,
  model: string,
  config: Config,
): Promise<ToolError> {
  const rows = refusal.status === 404 ? await modelList(openRouter) : undefined;
  const lookup = rows && { listed: rows.some((row) => row.id === model), closest: closestModelIds(rows, model) };
  const message = describeRefusal(refusal, model, config.defaultModel, config.upstreamIdleTimeoutMs, lookup);
  return refusalResult(model, message, refusalSuggestions(refusal, lookup), refusal.availability);
}
