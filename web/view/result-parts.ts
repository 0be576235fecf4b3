// The parts of a chat_completion result beyond one text answer, read from structuredContent (and
// the content blocks that carry data): several models' answers, each under its model with its
// cost; a synthesis; a spoken answer; and the advice a refusal carries. Plain data: render.ts
// draws it.

/** One model's answer of several, or the synthesis written from them. */
export interface ShownAnswer {
  /** The model as the call named it. */
  model: string;
  text: string;
  cost?: number;
  tokens: number;
  finishReason: string | null;
  /** What went wrong, in the server's words: the answer is missing or incomplete. */
  error?: string;
  truncated: boolean;
}

export interface ShownAudio {
  mimeType: string;
  bytes: number;
  transcript: string;
  /** A data: URL, when the result carried the audio (it may be left out, past the size cap). */
  src?: string;
}

/** What a refusal says to do, as fields: when to retry, which models to try, where to add credits. */
export interface Advice {
  retryAfterSeconds?: number;
  models: string[];
  addCreditsUrl?: string;
}

type Record_ = Record<string, unknown>;

export function answersOf(structured: Record_): ShownAnswer[] | undefined {
  if (!isRecord(structured.answers)) return undefined;
  return Object.entries(structured.answers).flatMap(([model, entry]) => (isRecord(entry) ? [shown(model, entry)] : []));
}

export function synthesisOf(structured: Record_): ShownAnswer | undefined {
  const entry = structured.synthesis;
  return isRecord(entry) ? shown(typeof entry.model === "string" ? entry.model : "synthesis", entry) : undefined;
}

function shown(model: string, entry: Record_): ShownAnswer {
  const usage = isRecord(entry.usage) ? entry.usage : {};
  return {
    model,
    text: typeof entry.text === "string" ? entry.text : "",
    ...(typeof usage.cost === "number" ? { cost: usage.cost } : {}),
    tokens: typeof usage.completion_tokens === "number" ? usage.completion_tokens : 0,
    finishReason: typeof entry.finish_reason === "string" ? entry.finish_reason : null,
    ...(typeof entry.error === "string" ? { error: entry.error } : {}),
    truncated: entry.truncated === true,
  };
}

export function audioOf(
  structured: Record_,
  content: readonly { type: string; data?: string; mimeType?: string }[],
): ShownAudio | undefined {
  const audio = structured.audio;
  if (!isRecord(audio)) return undefined;
  const block = content.find((b) => b.type === "audio" && typeof b.data === "string");
  const mimeType = typeof audio.mime_type === "string" ? audio.mime_type : (block?.mimeType ?? "audio/wav");
  return {
    mimeType,
    bytes: typeof audio.bytes === "number" ? audio.bytes : 0,
    transcript: typeof audio.transcript === "string" ? audio.transcript : "",
    ...(block ? { src: `data:${block.mimeType ?? mimeType};base64,${block.data}` } : {}),
  };
}

export function adviceOf(structured: Record_): Advice | undefined {
  const suggestions = structured.suggestions;
  if (!isRecord(suggestions)) return undefined;
  const models = Array.isArray(suggestions.models)
    ? suggestions.models.filter((m): m is string => typeof m === "string")
    : [];
  return {
    ...(typeof suggestions.retry_after_seconds === "number"
      ? { retryAfterSeconds: suggestions.retry_after_seconds }
      : {}),
    models,
    ...(typeof suggestions.add_credits_url === "string" ? { addCreditsUrl: suggestions.add_credits_url } : {}),
  };
}

function isRecord(value: unknown): value is Record_ {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
