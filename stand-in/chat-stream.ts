// A chat completion streamed as OpenRouter streams it (SSE): `: OPENROUTER PROCESSING` comments,
// a chunk a token (reasoning first, for a thinking model), images and citations once the text is
// done, the finish reason, a last chunk with usage, then `data: [DONE]`; or, as the scenario asks,
// silence, a cut connection, frames that are not JSON, CRLF, bytes split mid-character, or an
// error chunk under HTTP 200.
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { citations, drawnImages } from "./features.js";
import type { PickedScenario } from "./scenarios.js";
import type { usage } from "./usage.js";

/** What to stream: chat-completions.ts has decided every part of it. */
interface StreamedAnswer extends PickedScenario {
  model: string;
  provider: string;
  tokens: string[];
  /** A thinking model's reasoning, streamed before the tokens. */
  thoughts: string[];
  images: ReturnType<typeof drawnImages>;
  citations: ReturnType<typeof citations>;
  finishReason: string;
  /** A spoken answer's audio, a piece a token; then the chunks carry no content. */
  spoken: { data: string; transcript: string }[] | undefined;
  usage: ReturnType<typeof usage>;
}

export interface StreamPace {
  /** The pause before each token when the scenario sets none (StandInOptions.tokenDelayMs). */
  tokenDelayMs: number;
  onTiming(event: "first-token" | "done"): void;
}

export async function streamAnswer(res: ServerResponse, answer: StreamedAnswer, pace: StreamPace): Promise<void> {
  const { kind, n, ms, model, provider, tokens, thoughts, images, spoken, finishReason } = answer;
  const cited = answer.citations;
  const eol = kind === "crlf" ? "\r\n" : "\n";
  const id = `gen-standin-${randomBytes(4).toString("hex")}`;
  const created = Math.floor(Date.now() / 1000);
  const frame = (payload: unknown): string => `data: ${JSON.stringify(payload)}${eol}${eol}`;
  const comment = `: OPENROUTER PROCESSING${eol}${eol}`;
  const chunk = (content: string, finish: string | null = null, more: Record<string, unknown> = {}) =>
    frame({
      id,
      provider,
      model,
      object: "chat.completion.chunk",
      created,
      choices: [
        {
          index: 0,
          delta: { role: "assistant", content, ...more },
          finish_reason: finish,
          native_finish_reason: finish,
          logprobs: null,
        },
      ],
    });

  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
  res.flushHeaders();
  if (kind === "hang-before") return; // headers only, then silence
  const write = kind === "split" ? (text: string) => writeInPieces(res, text) : (text: string) => void res.write(text);
  write(comment);

  // tokens-N comes at once whatever the pace (a big answer, cheaply); slow-N-MS at its own.
  const delay = kind === "tokens" ? 0 : kind === "slow" || (ms > 0 && kind !== "image") ? ms : pace.tokenDelayMs;
  // A model that works silently: OpenRouter keeps the connection alive with comments meanwhile.
  for (let second = 0; kind === "silent" && second < n; second++) {
    await sleep(1000);
    if (res.destroyed) return;
    write(comment);
  }
  for (const [i, thought] of thoughts.entries()) {
    if (res.destroyed) return;
    if (delay > 0) await sleep(delay);
    write(thinkingFrame({ id, provider, model, created }, thought, i));
  }
  const count = kind === "hang-after" ? n : tokens.length;
  for (let i = 0; i < count; i++) {
    if (res.destroyed) return;
    if (delay > 0) await sleep(delay);
    if (i === 0) pace.onTiming("first-token");
    // A spoken answer has no content: its words are the audio's transcript.
    write(spoken ? chunk("", null, { content: null, audio: spoken[i] }) : chunk(tokens[i] ?? `t${i} `));
    if (kind === "garbage" && i % 5 === 2) write(`data: {not json${eol}${eol}data: ${eol}${eol}`);
    if ((i + 1) % 10 === 0) write(comment);
  }
  if (kind === "hang-after") return; // silence, connection open
  if (kind === "broken") {
    // Let the tokens reach the client, then cut the connection without ending the response.
    await sleep(50);
    res.socket?.destroy();
    return;
  }
  if (kind === "midstream-error") {
    write(
      frame({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        provider: "StandIn",
        error: { code: 502, message: "Provider disconnected unexpectedly" },
        choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
      }),
    );
    write(`data: [DONE]${eol}${eol}`);
    pace.onTiming("done");
    res.end();
    return;
  }
  // Images come whole, in a frame of their own, once drawn; citations after the text, and again.
  if (images.length) {
    await sleep(Math.max(delay, 20));
    write(chunk("", null, { images }));
  }
  if (cited.length) write(chunk("", null, { annotations: cited }));
  write(chunk("", finishReason, cited.length ? { annotations: cited } : {}));
  write(frame({ id, provider, model, object: "chat.completion.chunk", created, choices: [], usage: answer.usage }));
  write(`data: [DONE]${eol}${eol}`);
  pace.onTiming("done");
  res.end();
}

/** A thinking model's frame as OpenRouter streams it: the reasoning as text and again as details. */
function thinkingFrame(
  head: { id: string; provider: string; model: string; created: number },
  text: string,
  index: number,
): string {
  const delta = {
    role: "assistant",
    content: "",
    reasoning: text,
    reasoning_details: [{ type: "reasoning.text", text, format: "unknown", index }],
  };
  const payload = {
    ...head,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: null, native_finish_reason: null, logprobs: null }],
  };
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** Writes bytes 1–7 at a time, splitting frames and multi-byte characters across writes. */
function writeInPieces(res: ServerResponse, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0, size = 1; i < bytes.length; i += size, size = (size % 7) + 1) res.write(bytes.subarray(i, i + size));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
