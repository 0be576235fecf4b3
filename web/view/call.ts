// What the view knows about the call it shows, from what the host hands it (the tool's input,
// partial input included, and its result) and from get_completion's answers while it follows a
// background completion. Plain data and pure functions: render.ts draws it, follow.ts feeds it.
import {
  adviceOf,
  answersOf,
  audioOf,
  synthesisOf,
  type Advice,
  type ShownAnswer,
  type ShownAudio,
} from "./result-parts.js";

/** Where the call stands, as the view says it. */
export type Phase = "asking" | "waiting" | "thinking" | "writing" | "completed" | "failed" | "cancelled";

export interface ShownImage {
  mimeType: string;
  bytes: number;
  /** A data: URL once the view has the image (from the result, or read from the durable call). */
  src?: string;
  /** Left out of the text result (its size cap): the durable call keeps it, or nobody does. */
  omitted: boolean;
}

interface Citation {
  url: string;
  title: string;
}

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  reasoning_tokens?: number;
  web_search_requests?: number;
  cost?: number;
}

export interface CallState {
  tool: "chat_completion" | "get_completion";
  phase: Phase;
  model?: string;
  /** What was asked: the prompt, or the conversation's last user message. */
  prompt?: string;
  /** Switches the input turned on: background, image, web search, JSON. */
  asked: string[];
  /** The background completion this call is, or waits for. */
  completionId?: string;
  /** Tokens counted so far (thinking included), while it works. */
  tokens: number;
  /** The answer so far, then the whole answer. */
  text: string;
  /** The progress line the server keeps while a background call works. */
  statusMessage?: string;
  reasoning?: string;
  /** response_format's answer, parsed. */
  json?: unknown;
  hasJson: boolean;
  images: ShownImage[];
  citations: Citation[];
  usage?: Usage;
  provider?: string;
  finishReason?: string | null;
  /** Why the call failed or the answer is incomplete, in the server's words. */
  error?: string;
  /** With parallel_models: each model's answer, in the order the call named them. */
  answers?: ShownAnswer[];
  /** With synthesize: the answer written from theirs (its text is `text` too). */
  synthesis?: ShownAnswer;
  /** A spoken answer. */
  audio?: ShownAudio;
  /** A refusal's advice: when to retry, which models to try, where to add credits. */
  advice?: Advice;
}

export function newCall(): CallState {
  return {
    tool: "chat_completion",
    phase: "asking",
    asked: [],
    tokens: 0,
    text: "",
    images: [],
    citations: [],
    hasJson: false,
  };
}

type Args = Record<string, unknown>;

/** The tool's input (complete, or partial while the host's model still writes it). */
export function withInput(state: CallState, args: Args, complete: boolean): CallState {
  const next: CallState = { ...state };
  if (typeof args.id === "string" && !("prompt" in args) && !("messages" in args)) {
    next.tool = "get_completion";
    next.completionId = args.id;
    if (complete && state.phase === "asking") next.phase = "waiting";
    return next;
  }
  next.tool = "chat_completion";
  if (typeof args.model === "string") next.model = args.model;
  if (Array.isArray(args.parallel_models)) next.model = `${args.parallel_models.length} models`;
  const prompt = promptOf(args);
  if (prompt !== undefined) next.prompt = prompt;
  const asked: string[] = [];
  if (args.background === true) asked.push("background");
  if (Array.isArray(args.modalities) && args.modalities.includes("image")) asked.push("image");
  if (args.web_search !== undefined && args.web_search !== false) asked.push("web search");
  if (args.response_format !== undefined) asked.push("JSON");
  if (Array.isArray(args.modalities) && args.modalities.includes("audio")) asked.push("spoken");
  if (Array.isArray(args.parallel_models))
    asked.push(args.parallel_models.filter((m) => typeof m === "string").join(", "));
  if (typeof args.synthesize === "string" || args.synthesize === true)
    asked.push(`synthesis by ${args.synthesize === true ? "the default model" : args.synthesize}`);
  next.asked = asked;
  if (complete && state.phase === "asking") next.phase = "waiting";
  return next;
}

function promptOf(args: Args): string | undefined {
  if (typeof args.prompt === "string") return args.prompt;
  if (!Array.isArray(args.messages)) return undefined;
  const users = args.messages.filter((m): m is Args => isRecord(m) && m.role === "user");
  const last = users.at(-1)?.content;
  if (typeof last === "string") return last;
  if (!Array.isArray(last)) return undefined;
  return last
    .filter((part): part is Args => isRecord(part) && part.type === "text" && typeof part.text === "string")
    .map((part) => part.text as string)
    .join("\n");
}

interface ContentBlock {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
}

export interface ToolResult {
  content?: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/**
 * A result of chat_completion or get_completion: the final answer, a background completion just
 * started, or one still working (its text so far). Counts and text never go back.
 */
export function withResult(state: CallState, result: ToolResult): CallState {
  const next: CallState = { ...state };
  const structured = result.structuredContent;
  const texts = (result.content ?? []).filter((block) => block.type === "text").map((block) => block.text ?? "");
  if (!structured) {
    // A tool error before any work (bad arguments, a missing login): its text says it all.
    next.phase = result.isError ? "failed" : "completed";
    if (result.isError) next.error = texts.join("\n") || "The call failed.";
    else next.text = texts.join("\n");
    return next;
  }
  const completion = isRecord(structured.completion) ? structured.completion : undefined;
  if (typeof structured.model === "string") next.model = structured.model;
  if (completion && typeof completion.id === "string") next.completionId = completion.id;
  const status = completion?.status;
  const text = typeof structured.text === "string" ? structured.text : "";
  const usage = isRecord(structured.usage) ? (structured.usage as Usage) : undefined;
  if (status === "working") {
    if (text.length >= next.text.length) next.text = text;
    next.tokens = Math.max(next.tokens, usage?.completion_tokens ?? 0);
    next.statusMessage = typeof completion?.status_message === "string" ? completion.status_message : undefined;
    next.phase = next.text !== "" ? "writing" : next.tokens > 0 ? "thinking" : "waiting";
    return next;
  }
  next.text = text;
  next.usage = usage;
  next.tokens = Math.max(next.tokens, usage?.completion_tokens ?? 0);
  next.provider = typeof structured.provider === "string" ? structured.provider : undefined;
  next.finishReason = typeof structured.finish_reason === "string" ? structured.finish_reason : null;
  next.reasoning =
    typeof structured.reasoning === "string" && structured.reasoning !== "" ? structured.reasoning : undefined;
  next.hasJson = "json" in structured && structured.json !== undefined;
  next.json = structured.json;
  next.citations = Array.isArray(structured.citations)
    ? structured.citations.filter(
        (c): c is Citation => isRecord(c) && typeof c.url === "string" && typeof c.title === "string",
      )
    : [];
  next.images = imagesOf(result, structured);
  next.answers = answersOf(structured);
  next.synthesis = synthesisOf(structured);
  if (next.answers)
    next.model = `${next.answers.length} models${next.synthesis ? ` · synthesis by ${next.synthesis.model}` : ""}`;
  next.audio = audioOf(structured, result.content ?? []);
  next.advice = adviceOf(structured);
  next.statusMessage = undefined;
  if (status === "cancelled") {
    next.phase = "cancelled";
  } else if (result.isError) {
    next.phase = "failed";
    // The result's own words (why the answer is incomplete, or the tool error's text) before the
    // durable call's summary of how it ended.
    next.error =
      (typeof structured.error === "string" ? structured.error : undefined) ??
      (texts.join("\n") ||
        (typeof completion?.status_message === "string" ? completion.status_message : "The call failed."));
  } else {
    next.phase = "completed";
    next.error = undefined;
  }
  return next;
}

/** The images structuredContent lists, with the data of those the content carries (in order: the ones not omitted). */
function imagesOf(result: ToolResult, structured: Record<string, unknown>): ShownImage[] {
  const listed = Array.isArray(structured.images) ? structured.images.filter(isRecord) : [];
  const carried = (result.content ?? []).filter((block) => block.type === "image" && typeof block.data === "string");
  let next = 0;
  return listed.map((image) => {
    const mimeType = typeof image.mime_type === "string" ? image.mime_type : "";
    const bytes = typeof image.bytes === "number" ? image.bytes : 0;
    if (image.omitted === true) return { mimeType, bytes, omitted: true };
    const block = carried[next++];
    return block
      ? { mimeType, bytes, omitted: false, src: `data:${block.mimeType};base64,${block.data}` }
      : { mimeType, bytes, omitted: true };
  });
}

/** The host says the tool call was cancelled (by the person, or otherwise). */
export function withCancelled(state: CallState): CallState {
  return isSettled(state.phase) ? state : { ...state, phase: "cancelled" };
}

/** Following a background completion failed: the view says so, and that the call may still be going. */
export function withLostTouch(state: CallState, reason: string): CallState {
  return { ...state, phase: "failed", error: reason };
}

export function isSettled(phase: Phase): boolean {
  return phase === "completed" || phase === "failed" || phase === "cancelled";
}

/** What goes into the model's context once a followed background completion ends. */
export function contextText(state: CallState): string {
  const who = state.model ?? "The model";
  const id = state.completionId === undefined ? "" : ` (completion ${state.completionId})`;
  switch (state.phase) {
    case "completed":
      return `${who}${id} answered:\n\n${state.text}`;
    case "cancelled":
      return `The background completion${id} was cancelled.${state.text ? ` The answer until then:\n\n${state.text}` : ""}`;
    default:
      return `The background completion${id} failed: ${state.error ?? "no reason given"}.${state.text ? ` The answer until then:\n\n${state.text}` : ""}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
