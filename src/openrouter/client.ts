// The one way this Worker calls OpenRouter: an OpenRouter object owns the base URL, the headers
// every call sends (attribution, and the key when there is one), the timeouts (on a Clock, so
// tests fake them) and a cap on every body it reads. Its four calls: the streamed chat
// completion, the key's details (GET /key), the public model list, and the PKCE code exchange
// (POST /auth/keys). None throws: each answers what happened, and nothing it says holds a key,
// code or verifier.
import { systemClock, type Clock } from "../clock.js";
import type { Config } from "../config.js";
import { readTextWithin } from "../http.js";
import { traceparentOf, type Caller } from "../trace.js";
import { parseRetryAfter, readKeyDetails, readRefusal, type KeyInfo, type UpstreamRefusal } from "./answers.js";

/** Sent as X-Title with every call: OpenRouter's attribution names the app. */
const TITLE = "OpenRouter MCP";
/** For every call but the chat completion: the whole answer, headers and body, within this. */
const REQUEST_TIMEOUT_MS = 15_000;
/** Error bodies, key details and the code exchange's answer are small; read no more than this. */
const SMALL_BODY_BYTES = 16 * 1024;
/** The model list is about a megabyte. */
const MODEL_LIST_BYTES = 16 * 1024 * 1024;

/** A piece of a message's content, as OpenRouter takes it (URLs may be https: or data: URLs). */
export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: string | undefined } }
  | { type: "video_url"; video_url: { url: string } }
  | { type: "file"; file: { filename: string; file_data: string } }
  | { type: "input_audio"; input_audio: { data: string; format: string } };

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string | ContentPart[];
}

/**
 * What goes upstream: OpenRouter's own field names, passed through once validated. A field left
 * undefined is not sent at all (JSON.stringify drops it), so OpenRouter's defaults apply.
 */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  /** Fallback models, tried in order after `model`. */
  models?: string[] | undefined;
  max_tokens?: number | undefined;
  temperature?: number | undefined;
  reasoning?:
    { effort?: string | undefined; max_tokens?: number | undefined; summary?: string | undefined } | undefined;
  verbosity?: string | undefined;
  provider?: Record<string, unknown> | undefined;
  response_format?: Record<string, unknown> | undefined;
  modalities?: string[] | undefined;
  /** With "audio" in modalities: the voice and the format of the spoken answer. */
  audio?: { voice: string; format: string } | undefined;
  image_config?: Record<string, unknown> | undefined;
  service_tier?: string | undefined;
  /** Keeps a conversation's calls on one provider (OpenRouter's sticky routing, for prompt caching). */
  session_id?: string | undefined;
  /** OpenRouter's plugins, such as the file parser: [{id: "file-parser", pdf: {engine}}]. */
  plugins?: Record<string, unknown>[] | undefined;
  /** Server tools OpenRouter runs itself, such as {type: "openrouter:web_search"}. */
  tools?: Record<string, unknown>[] | undefined;
}

export type ChatStart = { ok: true; body: ReadableStream<Uint8Array> } | ({ ok: false } & UpstreamRefusal);

export type KeyExchange =
  | { ok: true; key: string }
  /** OpenRouter refused the code (bad, expired, used, or the verifier does not match). */
  | { ok: false; refused: true; status: number }
  /** OpenRouter could not be reached (status 0) or answered something unexpected. */
  | { ok: false; refused: false; status: number };

export type KeyLookup =
  | { ok: true; info: KeyInfo }
  /** OpenRouter rejects the key (401, 403): it was deleted, or never was one. */
  | { ok: false; rejected: true }
  /** OpenRouter could not say: unreachable, too slow, rate limited, failing, or an odd answer. */
  | { ok: false; rejected: false; retryAfterSeconds: number | undefined };

/** The model list's text, or why there is none (for the log: a status, "unreachable", "too large"). */
export type ModelListFetch = { ok: true; text: string } | { ok: false; why: string };

export interface OpenRouterSettings {
  /** e.g. https://openrouter.ai/api/v1, without a trailing slash. */
  baseUrl: string;
  /** Sent as HTTP-Referer for OpenRouter's attribution: the Worker's own origin. */
  referer: string;
  /** How long a chat completion may take to start answering (its headers). */
  chatStartTimeoutMs: number;
  clock?: Clock;
  /** The fetch to call; the runtime's unless a test brings its own. */
  fetch?: typeof fetch;
  /** Who the calls are made for: their trace, if the request carried one, goes on as traceparent. */
  caller?: Caller | undefined;
}

type Sent = { ok: true; response: Response } | { ok: false; timedOut: boolean };

export class OpenRouter {
  readonly baseUrl: string;
  /** Times this client's calls; whoever keeps what it fetched (models.ts) reads the same time. */
  readonly clock: Clock;

  constructor(private readonly settings: OpenRouterSettings) {
    this.baseUrl = settings.baseUrl;
    this.clock = settings.clock ?? systemClock;
  }

  /**
   * POST /chat/completions, streamed. A refusal is read and classified before any byte of the
   * answer is relayed, so the caller can still choose the HTTP status (401 re-login). `signal`
   * (the client going away) cancels the request and its body; silence before the headers for
   * chatStartTimeoutMs cancels them too.
   */
  async startChat(key: string, request: ChatRequest, signal: AbortSignal): Promise<ChatStart> {
    const { models, ...fields } = request;
    // Every field as given (undefined ones are left out); OpenRouter reads `models` as the whole
    // list in order, at most 3: the model comes first.
    const body = JSON.stringify({ ...fields, models: models && [request.model, ...models], stream: true });
    const waited = this.deadline(this.settings.chatStartTimeoutMs, signal);
    try {
      const sent = await this.send("/chat/completions", {
        key,
        body,
        accept: "text/event-stream",
        signal: waited.signal,
      });
      if (!sent.ok) return { ok: false, ...unanswered(sent.timedOut && !signal.aborted) };
      const { response } = sent;
      if (response.ok && response.body) return { ok: true, body: response.body as ReadableStream<Uint8Array> };
      const text = await readTextWithin(response, SMALL_BODY_BYTES);
      return {
        ok: false,
        ...readRefusal(response.status, response.headers.get("Retry-After"), text, this.clock.now()),
      };
    } finally {
      waited.stop();
    }
  }

  /** GET /key: the key's label, limit and usage, or whether OpenRouter rejects the key. */
  async keyInfo(key: string): Promise<KeyLookup> {
    const answer = await this.exchange("/key", { key, accept: "application/json" }, SMALL_BODY_BYTES);
    if (answer.status === 401 || answer.status === 403) return { ok: false, rejected: true };
    const info = answer.status === 200 && answer.text !== undefined ? readKeyDetails(answer.text) : undefined;
    if (info) return { ok: true, info };
    return { ok: false, rejected: false, retryAfterSeconds: answer.retryAfterSeconds };
  }

  /** POST /auth/keys: the key a PKCE login's code and verifier stand for. */
  async exchangeCode(code: string, codeVerifier: string): Promise<KeyExchange> {
    const body = JSON.stringify({ code, code_verifier: codeVerifier, code_challenge_method: "S256" });
    const answer = await this.exchange("/auth/keys", { body, accept: "application/json" }, SMALL_BODY_BYTES);
    if (answer.status === 200) {
      const key = answer.text === undefined ? undefined : keyOf(answer.text);
      return key === undefined ? { ok: false, refused: false, status: 200 } : { ok: true, key };
    }
    // OpenRouter documents 400 (method mismatch) and 403 (bad code or verifier, expired code).
    const refused = answer.status >= 400 && answer.status < 500 && answer.status !== 429;
    return { ok: false, refused, status: answer.status };
  }

  /** GET /models, public: asked without the caller's key; `sort` as OpenRouter names its orders (pricing-low-to-high, …). */
  async modelList(sort?: string): Promise<ModelListFetch> {
    const path = sort === undefined ? "/models" : `/models?sort=${encodeURIComponent(sort)}`;
    const answer = await this.exchange(path, { accept: "application/json" }, MODEL_LIST_BYTES);
    if (answer.status === 0)
      return { ok: false, why: answer.timedOut ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : "unreachable" };
    if (answer.status !== 200) return { ok: false, why: `HTTP ${answer.status}` };
    return answer.text === undefined
      ? { ok: false, why: `larger than ${MODEL_LIST_BYTES} bytes, or cut short` }
      : { ok: true, text: answer.text };
  }

  /** One call whose answer is read whole: status 0 when none came within REQUEST_TIMEOUT_MS. */
  private async exchange(
    path: string,
    message: { key?: string; body?: string; accept: string },
    maxBytes: number,
  ): Promise<{ status: number; timedOut: boolean; text: string | undefined; retryAfterSeconds: number | undefined }> {
    const waited = this.deadline(REQUEST_TIMEOUT_MS);
    try {
      const sent = await this.send(path, { ...message, signal: waited.signal });
      if (!sent.ok) return { status: 0, timedOut: sent.timedOut, text: undefined, retryAfterSeconds: undefined };
      const { response } = sent;
      // The deadline still runs: a body that drips is cut off too.
      const text = await readTextWithin(response, maxBytes);
      const retryAfterSeconds = parseRetryAfter(response.headers.get("Retry-After"), this.clock.now());
      return { status: response.status, timedOut: waited.signal.aborted, text, retryAfterSeconds };
    } finally {
      waited.stop();
    }
  }

  private async send(
    path: string,
    message: { key?: string | undefined; body?: string; accept: string; signal: AbortSignal },
  ): Promise<Sent> {
    const headers: Record<string, string> = {
      Accept: message.accept,
      "HTTP-Referer": this.settings.referer,
      "X-Title": TITLE,
    };
    if (message.key !== undefined) headers.Authorization = `Bearer ${message.key}`;
    if (message.body !== undefined) headers["Content-Type"] = "application/json";
    const traceparent = traceparentOf(this.settings.caller);
    if (traceparent) headers.traceparent = traceparent;
    const call = this.settings.fetch ?? fetch;
    try {
      const response = await call(`${this.baseUrl}${path}`, {
        method: message.body === undefined ? "GET" : "POST",
        headers,
        body: message.body,
        signal: message.signal,
        redirect: "manual",
      });
      return { ok: true, response };
    } catch {
      // Unreachable, or too slow: the caller says which.
      return { ok: false, timedOut: message.signal.aborted };
    }
  }

  /**
   * A signal that aborts after `ms` on this client's clock, and with `follow` (the client going
   * away), which it keeps following after stop(): a streamed body still ends with the client.
   * stop() when done, so no timer stays behind. Linked by hand with one listener: AbortSignal.any
   * costs a short relay measurably more, and its weak references more work for the GC.
   */
  private deadline(ms: number, follow?: AbortSignal): { signal: AbortSignal; stop(): void } {
    const controller = new AbortController();
    const timer = this.clock.setTimeout(() => controller.abort(new Error("OpenRouter did not answer in time")), ms);
    if (follow?.aborted) controller.abort(follow.reason);
    else follow?.addEventListener("abort", () => controller.abort(follow.reason), { once: true });
    return { signal: controller.signal, stop: () => this.clock.clear(timer) };
  }
}

/** The client for this Worker's settings, calling on behalf of a request to `origin` (for a tool call's `caller`). */
export function openRouterFor(
  config: Pick<Config, "openRouterBaseUrl" | "upstreamIdleTimeoutMs">,
  origin: string,
  caller?: Caller,
  clock?: Clock,
): OpenRouter {
  return new OpenRouter({
    baseUrl: config.openRouterBaseUrl,
    referer: origin,
    chatStartTimeoutMs: config.upstreamIdleTimeoutMs,
    caller,
    clock,
  });
}

function unanswered(timedOut: boolean): UpstreamRefusal {
  return {
    status: 0,
    ...(timedOut ? { timedOut: true } : {}),
    message: undefined,
    retryAfterSeconds: undefined,
    fallbackModels: [],
  };
}

function keyOf(text: string): string | undefined {
  try {
    const { key } = JSON.parse(text) as { key?: unknown };
    return typeof key === "string" && key !== "" ? key : undefined;
  } catch {
    // Not JSON: no key.
    return undefined;
  }
}
