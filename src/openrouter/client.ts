// Starts a streamed chat completion on OpenRouter and classifies a refusal before any byte
// of the answer is relayed, so the caller can still choose the HTTP status (401 re-login).

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** What goes upstream: OpenRouter's own field names, passed through once validated. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Fallback models, tried in order after `model`. */
  models?: string[] | undefined;
  max_tokens?: number | undefined;
  temperature?: number | undefined;
  reasoning?: { effort?: string | undefined; max_tokens?: number | undefined } | undefined;
  provider?: Record<string, unknown> | undefined;
}

export interface UpstreamRefusal {
  /** HTTP status from OpenRouter, or 0 when it could not be reached or did not answer. */
  status: number;
  /** No response headers came within the idle timeout. */
  timedOut?: boolean;
  /** OpenRouter's own message, when it sent one (never contains the key). */
  message: string | undefined;
  /** Seconds to wait before retrying, from Retry-After or the error body. */
  retryAfterSeconds: number | undefined;
  /** Models OpenRouter suggests instead, when it names any. */
  fallbackModels: string[];
}

type UpstreamStart = { ok: true; body: ReadableStream<Uint8Array> } | ({ ok: false } & UpstreamRefusal);

interface UpstreamTarget {
  baseUrl: string;
  /** Sent as HTTP-Referer for OpenRouter's attribution: the Worker's own origin. */
  referer: string;
  /** How long to wait for OpenRouter to start answering. */
  idleTimeoutMs: number;
}

const TITLE = "OpenRouter MCP";

export async function startChatCompletion(
  target: UpstreamTarget,
  key: string,
  request: ChatRequest,
  signal: AbortSignal,
): Promise<UpstreamStart> {
  const body = JSON.stringify({
    model: request.model,
    // OpenRouter reads `models` as the whole list in order, at most 3: the model comes first.
    models: request.models && [request.model, ...request.models],
    messages: request.messages,
    stream: true,
    max_tokens: request.max_tokens,
    temperature: request.temperature,
    reasoning: request.reasoning,
    provider: request.provider,
  });
  // The client's signal goes to fetch itself, so its going away cancels the request and the
  // body. Silence before the headers ends the wait instead; the request left behind has its
  // body cancelled if it ever answers, and ends with the invocation anyway.
  const answer = fetch(`${target.baseUrl}/chat/completions`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${key}`,
      "Content-Type": "application/json",
      Accept: "text/event-stream",
      "HTTP-Referer": target.referer,
      "X-Title": TITLE,
    },
    body,
    signal,
  });
  let stopWaiting = (): void => {};
  const silence = new Promise<"silence">((resolve) => {
    const timer = setTimeout(() => resolve("silence"), target.idleTimeoutMs);
    stopWaiting = () => clearTimeout(timer);
  });
  let response: Response | "silence";
  try {
    response = await Promise.race([answer, silence]);
  } catch {
    return { ok: false, status: 0, message: undefined, retryAfterSeconds: undefined, fallbackModels: [] };
  } finally {
    stopWaiting();
  }
  if (response === "silence") {
    answer.then((late) => late.body?.cancel(), () => {});
    return { ok: false, status: 0, timedOut: true, message: undefined, retryAfterSeconds: undefined, fallbackModels: [] };
  }
  if (response.ok && response.body) return { ok: true, body: response.body };
  return { ok: false, ...(await readRefusal(response)) };
}

async function readRefusal(response: Response): Promise<UpstreamRefusal> {
  let message: string | undefined;
  let retryAfterSeconds = parseRetryAfter(response.headers.get("Retry-After"));
  let fallbackModels: string[] = [];
  try {
    // Error bodies are small; cap what we read anyway.
    const text = (await response.text()).slice(0, 16_384);
    const parsed = JSON.parse(text) as { error?: Record<string, unknown> };
    const error = parsed.error;
    if (error && typeof error.message === "string") message = error.message;
    const availability = error?.availability as Record<string, unknown> | undefined;
    if (availability && typeof availability.retry_after === "number") retryAfterSeconds ??= availability.retry_after;
    if (availability && Array.isArray(availability.fallback_models)) {
      fallbackModels = availability.fallback_models.filter((m): m is string => typeof m === "string");
    }
  } catch {
    // Not JSON: keep the status alone.
  }
  return { status: response.status, message, retryAfterSeconds, fallbackModels };
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
