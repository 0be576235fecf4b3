// POST /api/v1/chat/completions: the request's key, model and features decide the answer, which is
// refused (OpenRouter's error shapes and statuses), sent whole, or streamed (chat-stream.ts). It
// echoes routing too: a `models` list falls back past retired models, and the provider named first
// in provider.order or provider.only is reported as the one that answered.
import type { IncomingMessage, ServerResponse } from "node:http";
import { answerWords, thoughtWords } from "./answer-text.js";
import { priceUnavailable, scenarioUnavailable } from "./availability.js";
import { streamAnswer, type StreamPace } from "./chat-stream.js";
import {
  citations,
  drawnImages,
  notAnImage,
  lastPrompt,
  priceRefusal,
  searchesWeb,
  type FeatureRequest,
} from "./features.js";
import { bearer, sendError, sendJson } from "./http.js";
import { acceptsKey } from "./keys.js";
import { listedScenarioModels, pickScenario, RETIRED } from "./scenarios.js";
import { spokenPieces, unspokenFormat } from "./speech.js";
import { priceOf, usage } from "./usage.js";

const ERROR_BODIES: Record<number, { message: string; metadata?: Record<string, unknown> }> = {
  400: { message: "Invalid request: max_tokens must be a positive integer" },
  401: { message: "User not found." },
  402: { message: "Insufficient credits. Add more using https://openrouter.ai/settings/credits" },
  403: {
    message: "Your input was flagged",
    metadata: { reasons: ["violence"], flagged_input: "…", provider_name: "StandIn", model_slug: "stand-in/x" },
  },
  408: { message: "Request timed out" },
  429: { message: "Rate limit exceeded" },
  500: { message: "Internal Server Error" },
  502: { message: "Provider returned error" },
  503: { message: "No available providers" },
};

interface RoutedRequest {
  model?: string;
  models?: string[];
  provider?: { order?: string[]; only?: string[] };
}

type ChatRequest = RoutedRequest & FeatureRequest & { max_tokens?: number; stream?: boolean };

interface ChatContext extends StreamPace {
  /** Above 0, ordinary model names add the demo's answer after the echo (StandInOptions.answerTokens). */
  demoAnswerTokens: number;
  /** Every prompt answered so far: the provider's cache, which reports a prompt seen before as cached tokens. */
  seenPrompts: Set<string>;
}

export async function answerChatCompletion(
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: ChatContext,
): Promise<void> {
  if (!acceptsKey(bearer(req))) return sendError(res, 401, "User not found.");
  if (typeof body !== "object" || body === null) return sendError(res, 400, "Request body must be JSON");
  const request = body as ChatRequest;
  const { model, provider } = route(request);
  const prompt = lastPrompt(request);
  if (RETIRED.has(model)) return sendError(res, 404, `No endpoints found for ${model}.`);
  const scenario = pickScenario(model);
  if (!scenario) {
    const listed = listedScenarioModels().join(", ");
    return sendError(res, 404, `No endpoints found for ${model}. The stand-in's scenarios: ${listed}.`);
  }
  const { kind, n, ms } = scenario;

  const priced = priceRefusal(request, priceOf(model));
  const unavailable = priced ? priceUnavailable(model, priced) : scenarioUnavailable(kind, model);
  if (unavailable) return sendJson(res, unavailable.status, unavailable.body, unavailable.headers);
  const speaking = kind === "echo" && (request.modalities?.includes("audio") ?? false);
  const unspoken = speaking ? unspokenFormat(request.audio?.format) : undefined;
  if (unspoken) return sendError(res, 400, unspoken);
  if (kind === "never-responds") return; // the request hangs before any header
  if (kind === "error") {
    const status = n;
    const error = ERROR_BODIES[status] ?? { message: `Error ${status}` };
    const headers: Record<string, string> = status === 429 ? { "Retry-After": "7" } : {};
    return sendJson(res, status, { error: { code: status, ...error } }, headers);
  }

  const drawing = (kind === "image" || kind === "not-an-image") && (request.modalities?.includes("image") ?? false);
  const cited = searchesWeb(request) ? citations(request, prompt) : [];
  let tokens = answerWords(scenario, request, prompt, context.demoAnswerTokens, drawing);
  const thoughts = thoughtWords(scenario);
  let finishReason = "stop";
  if (typeof request.max_tokens === "number" && request.max_tokens < tokens.length) {
    tokens = tokens.slice(0, request.max_tokens);
    finishReason = "length";
  }
  const promptTokens = prompt.split(/\s+/).filter(Boolean).length;
  const images = !drawing ? [] : kind === "image" ? drawnImages(n, ms) : [notAnImage(), ...drawnImages(1, 0)];
  // The provider's cache: a prompt seen before is read from it.
  const cachedTokens = context.seenPrompts.has(prompt) ? promptTokens : 0;
  context.seenPrompts.add(prompt);
  const answerUsage = usage(model, promptTokens, tokens.length, thoughts.length, {
    cachedTokens,
    searches: cited.length ? 1 : 0,
  });

  if (request.stream !== true) {
    const message = {
      role: "assistant",
      content: tokens.join(""),
      ...(images.length ? { images } : {}),
      ...(cited.length ? { annotations: cited } : {}),
    };
    return sendJson(res, 200, {
      id: "gen-standin",
      model,
      object: "chat.completion",
      choices: [{ index: 0, message, finish_reason: finishReason }],
      usage: answerUsage,
    });
  }
  const spoken = speaking ? spokenPieces(tokens, request.audio?.format ?? "wav") : undefined;
  const answer = { ...scenario, model, provider, tokens, thoughts, images, citations: cited, finishReason, spoken };
  return streamAnswer(res, { ...answer, usage: answerUsage }, context);
}

/**
 * The model and provider that answer, as OpenRouter would pick them: the first of `models` (or
 * `model`) that is not retired, and the first provider named in provider.order or provider.only.
 */
function route(request: RoutedRequest): { model: string; provider: string } {
  const candidates = request.models?.length ? request.models : [request.model ?? "openrouter/auto"];
  const model = candidates.find((m) => !RETIRED.has(m)) ?? candidates[0]!;
  return { model, provider: request.provider?.order?.[0] ?? request.provider?.only?.[0] ?? "StandIn" };
}
