// Turns OpenRouter's failures into messages that tell the person (or the model) what to do next.
import type { UpstreamRefusal } from "./answers.js";
import type { StreamSummary } from "./stream.js";

/** What OpenRouter's model list says about a model it refused with 404, when the list could be read. */
export interface ModelLookup {
  listed: boolean;
  /** The listed ids closest to the name, best first. */
  closest: string[];
}

export function describeRefusal(
  refusal: UpstreamRefusal,
  model: string,
  defaultModel: string,
  idleTimeoutMs: number,
  lookup?: ModelLookup,
): string {
  const said = refusal.message ? ` OpenRouter said: "${refusal.message}"` : "";
  const alternatives = refusal.fallbackModels.length
    ? ` OpenRouter suggests: ${refusal.fallbackModels.join(", ")}.`
    : "";
  const retry =
    refusal.retryAfterSeconds !== undefined
      ? `Retry in ${refusal.retryAfterSeconds} second${refusal.retryAfterSeconds === 1 ? "" : "s"}.`
      : "Retry in a few seconds.";
  switch (refusal.status) {
    case 0:
      return refusal.timedOut
        ? `OpenRouter did not answer within ${Math.round(idleTimeoutMs / 1000)} s, so the call was ended. Retry, or try another model.`
        : "Could not reach OpenRouter (network error). Check the connection and retry.";
    case 400:
      return `OpenRouter rejected the request as invalid.${said} Check the arguments (model, max_tokens, reasoning, provider, …) and retry.`;
    case 401:
      return `OpenRouter rejected the API key.${said} Log in again or use a valid OpenRouter key.`;
    case 402:
      return `Out of credits for this key.${said} Add credits at https://openrouter.ai/settings/credits or raise this key's credit limit at https://openrouter.ai/settings/keys, then retry.`;
    case 403:
      return `OpenRouter's moderation refused this input.${said} Rephrase the prompt or choose another model.`;
    case 404:
      if (lookup?.listed) {
        return `Model "${model}" is listed on OpenRouter but no provider can serve this request now.${said}${alternatives} Loosen the provider preferences, retry later, or choose another model.`;
      }
      if (lookup) {
        const closest = lookup.closest.length ? ` Closest ids: ${lookup.closest.join(", ")}.` : "";
        return `Model "${model}" is not on OpenRouter's model list.${said}${closest}${alternatives} Call list_models to search, or omit "model" to use the default (${defaultModel}).`;
      }
      return `Model "${model}" is unknown or has no available endpoints on OpenRouter.${said}${alternatives} Check the name at https://openrouter.ai/models, or omit "model" to use the default (${defaultModel}).`;
    case 408:
      return `OpenRouter timed out waiting for the model.${said} Retry, perhaps with a smaller max_tokens or another model.`;
    case 429:
      return `Rate limited by OpenRouter.${said} ${retry}${alternatives}`;
    default:
      if (refusal.status >= 500) {
        return `The model's provider is having trouble (HTTP ${refusal.status}).${said} ${retry}${alternatives} Or try another model.`;
      }
      return `OpenRouter answered HTTP ${refusal.status}.${said}`;
  }
}

/** Why a stream that started did not finish properly, or undefined when it did. */
export function describeStreamFailure(summary: StreamSummary, idleTimeoutMs: number): string | undefined {
  if (summary.error) {
    const code = summary.error.code !== undefined ? ` (${summary.error.code})` : "";
    return `The provider failed mid-answer${code}: ${summary.error.message}. The partial answer is included; retry to get a complete one.`;
  }
  if (summary.finishReason === "error") {
    return "The provider ended the answer with an error. The partial answer is included; retry to get a complete one.";
  }
  switch (summary.end) {
    case "done":
      return undefined;
    case "closed":
      // Some upstreams end without [DONE]; a finish reason means the answer is whole.
      return summary.finishReason
        ? undefined
        : "The answer stream ended early, before the model finished. The partial answer is included; retry to get a complete one.";
    case "broken":
      return "The connection to OpenRouter broke mid-answer. The partial answer is included; retry to get a complete one.";
    case "idle": {
      const seconds = Math.round(idleTimeoutMs / 1000);
      return summary.receivedAnything
        ? `OpenRouter stopped sending for ${seconds} s, so the call was ended. The partial answer is included; retry, or try another model.`
        : `OpenRouter accepted the request but sent nothing for ${seconds} s, so the call was ended. Retry, or try another model.`;
    }
    case "aborted":
      return "The call was cancelled.";
  }
}
