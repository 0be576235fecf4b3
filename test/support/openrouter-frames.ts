// Frames as OpenRouter streams them, for the tests of src/openrouter (stream.ts, fast-delta.ts).

export function chunk(content: string, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({
    id: "gen-1",
    provider: "P",
    model: "vendor/model",
    object: "chat.completion.chunk",
    created: 1,
    choices: [
      {
        index: 0,
        delta: { role: "assistant", content },
        finish_reason: null,
        native_finish_reason: null,
        logprobs: null,
      },
    ],
    ...extra,
  })}\n\n`;
}
export const finish = (reason = "stop") =>
  `data: ${JSON.stringify({ id: "gen-1", model: "vendor/model", choices: [{ index: 0, delta: { content: "" }, finish_reason: reason }] })}\n\n`;
export const usage = `data: ${JSON.stringify({ id: "gen-1", model: "vendor/model-2024", choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7, cost: 0.0001 } })}\n\n`;
export const done = "data: [DONE]\n\n";

/** A thinking model's frame as OpenRouter streams it: the reasoning twice, as text and as details. */
export function thinking(
  text: string,
  detail: Record<string, unknown> = { type: "reasoning.text", text, format: "unknown", index: 0 },
): string {
  return `data: ${JSON.stringify({
    id: "gen-1",
    provider: "P",
    model: "vendor/thinker",
    object: "chat.completion.chunk",
    created: 1,
    choices: [
      {
        index: 0,
        delta: { role: "assistant", content: "", reasoning: text, reasoning_details: [detail] },
        finish_reason: null,
        native_finish_reason: null,
        logprobs: null,
      },
    ],
  })}\n\n`;
}

/** A frame whose delta is given as is (for reasoning without a reasoning string, key orders). */
export function deltaFrame(delta: Record<string, unknown>): string {
  return `data: ${JSON.stringify({ id: "gen-1", model: "vendor/thinker", choices: [{ index: 0, delta, finish_reason: null, logprobs: null }] })}\n\n`;
}
