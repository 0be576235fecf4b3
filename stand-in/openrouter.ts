// A stand-in for OpenRouter on loopback, speaking its formats (streaming chat completions,
// errors, OAuth PKCE with its consent page, key info), so `npm run demo`, `npm run bench` and the
// tests never touch the real service (docs/stand-in.md). The model name picks the scenario: see
// SCENARIOS, which the demo prints and docs/stand-in.md lists (a test holds the page to it).
// It also echoes routing (see `route`): a `models` list falls back past retired models, and the
// provider named first in provider.order or provider.only is reported as the one that answered.
// GET /api/v1/models answers the public model list (models.ts), with no key.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  citations,
  drawnImages,
  notAnImage,
  jsonAnswer,
  lastPrompt,
  priceRefusal,
  searchesWeb,
  type FeatureRequest,
} from "./features.js";
import { priceUnavailable, scenarioUnavailable } from "./availability.js";
import { sortedModels } from "./model-orders.js";
import { MODELS } from "./models.js";
import { noteSecret } from "./secret-notes.js";
import { spokenPieces, unspokenFormat } from "./speech.js";

export const VALID_KEY = "sk-or-v1-stand-in-valid-key";
export const REVOKED_KEY = "sk-or-v1-revoked";
/** The key `npm run demo` prints: public on purpose, so the secret ledger does not track it. */
export const DEMO_KEY = "sk-or-v1-demo-key";
/**
 * Keys whose lookup (GET /key) fails, as OpenRouter's may: `sk-or-v1-lookup-503-<anything>`
 * answers that status, `…-lookup-hang-…` never answers, `…-lookup-drop-…` cuts the connection.
 */
const LOOKUP_FAILURE = /^sk-or-v1-lookup-(\d{3}|hang|drop)-/;

export interface Scenario {
  /** The model name; N, MS and STATUS stand for numbers. */
  model: string;
  /** A name to paste, for the scenarios worth trying by hand (the demo prints these). */
  example?: string;
  what: string;
}

/** Every behaviour the stand-in has, picked by the request's model name. */
export const SCENARIOS: readonly Scenario[] = [
  {
    model: "any other name",
    example: "openai/gpt-4o-mini",
    what: "`Echo: <prompt>`, then, under `npm run demo`, a short answer about the demo, a word every 10 ms",
  },
  { model: "stand-in/slow-N-MS", example: "stand-in/slow-20-500", what: "N tokens, MS milliseconds apart" },
  {
    model: "stand-in/tokens-N",
    example: "stand-in/tokens-1000",
    what: "N tokens (`t0 t1 t2 …`) at once, also under `npm run demo` (whose other answers come a word every 10 ms)",
  },
  {
    model: "stand-in/midstream-error-N",
    example: "stand-in/midstream-error-20",
    what: "N tokens, then an error chunk under HTTP 200",
  },
  {
    model: "stand-in/error-STATUS",
    example: "stand-in/error-402",
    what: "OpenRouter's error: 402 no credits, 429 rate limited (Retry-After), 400, 401, 403, 408, 5xx",
  },
  {
    model: "stand-in/hang-after-N",
    example: "stand-in/hang-after-5",
    what: "N tokens, then silence: the call ends after `UPSTREAM_IDLE_TIMEOUT_MS` (5 s under `npm run demo`, a minute by default)",
  },
  { model: "stand-in/hang-before", what: "headers, then silence" },
  { model: "stand-in/never-responds", what: "no headers at all" },
  { model: "stand-in/broken-N", what: "N tokens, then the connection is cut" },
  { model: "stand-in/garbage-N", what: "N tokens with frames that are not JSON mixed in" },
  { model: "stand-in/crlf-N", what: "N tokens with CRLF line endings" },
  { model: "stand-in/split-N", what: "N non-ASCII tokens, written a few bytes at a time" },
  {
    model: "stand-in/silent-N",
    example: "stand-in/silent-90",
    what: "a model silent for N seconds before its first token: only `: OPENROUTER PROCESSING` comments, one a second, then the echo",
  },
  {
    model: "stand-in/at-capacity",
    example: "stand-in/at-capacity",
    what: "429 with OpenRouter's availability error `capacity_exhausted`: retry after 40 s (and Retry-After), fallback models `openai/gpt-4o-mini`, `anthropic/claude-haiku-4.5`",
  },
  {
    model: "stand-in/retired",
    example: "stand-in/retired",
    what: "404 with the availability error `model_deprecated`, its successor `openai/gpt-5-mini` as the fallback model",
  },
  {
    model: "stand-in/thinking-N-MS",
    example: "stand-in/thinking-40-50",
    what: "a thinking model: N reasoning tokens (`r0 r1 …`, as `delta.reasoning` and `reasoning_details`), MS milliseconds apart, then the echo; usage counts `reasoning_tokens`",
  },
  {
    model: "stand-in/image-N-KB",
    example: "stand-in/image-1",
    what: 'a model that draws: with `modalities` `["image", "text"]`, a line of text, then N 48×48 PNG images of about KB kilobytes each (about 9 KB without KB) as `delta.images`',
  },
  {
    model: "stand-in/not-an-image",
    what: 'a model that draws, wrongly: with `modalities` `["image", "text"]`, a `data:text/html` URL as its first image, then a PNG',
  },
  {
    model: "any name, with `response_format`",
    what: 'the answer as JSON: `{"echo": <prompt>}`, or an object with the schema\'s properties filled in (the `stand-in/` scenarios ignore it, so `stand-in/tokens-5` answers text that is not JSON)',
  },
  {
    model: "any name, with `web_search` (or a `:online` id)",
    what: "the answer, then two `url_citation` annotations (sent twice, as OpenRouter may), and `web_search_requests: 1` in usage",
  },
  {
    model: "any name, with images, videos, files or audio",
    what: "the echo says what it received: `[image https://…]`, `[video video/mp4, 1234 bytes]`, `[file report.pdf, application/pdf, 1234 bytes]`, `[audio wav, 1234 bytes]`; a `pdf` engine is named",
  },
  {
    model: 'any name, with `modalities` `["text", "audio"]`',
    what: "the echo spoken, as OpenRouter streams audio: a short tone a word in `delta.audio.data` (`wav` or `pcm16`, 24 kHz; other formats are refused with 400), the words in `delta.audio.transcript`",
  },
  {
    model: "any name, with `provider.max_price`",
    what: '404 "No endpoints found" with the availability error `constraint_filtered` when the limit is below the model\'s listed price',
  },
  {
    model: "stand-in/unknown",
    example: "stand-in/unknown",
    what: '404 "No endpoints found", as for any other `stand-in/` name and `anthropic/claude-3.5-sonnet`',
  },
];

/** The scenario word of a `stand-in/…` model name or pattern: "slow" for stand-in/slow-N-MS. */
function scenarioKind(model: string): string | undefined {
  return /^stand-in\/([a-z]+(?:-[a-z]+)*)/.exec(model)?.[1];
}
const KINDS = new Set(SCENARIOS.map((s) => scenarioKind(s.model)).filter((k) => k !== undefined && k !== "unknown"));

/**
 * What ordinary model names answer after the echo under `npm run demo` (answerTokens): a short
 * answer about the demo itself, streamed a word at a time.
 */
const DEMO_ANSWER =
  `Hello from the stand-in OpenRouter. This answer was written on your machine, a word at a time, so that you can watch it arrive as progress while it streams. No account, no key and no network were needed: the Worker you are talking to is the real one, running under wrangler dev, and only OpenRouter is played by a small server on loopback.

What you just watched is what happens with a real model. Your client sent a tools/call with a progress token. The Worker asked OpenRouter for a streamed chat completion, counted the tokens as they came back and sent a progress notification at most every tenth of a second. When the stream ended, it sent the whole answer as the tool's result, with the model, the provider and the usage.

Other model names pick other behaviour. Try stand-in/slow-20-500 for a slow answer, stand-in/thinking-40-50 for a model that thinks before it answers, stand-in/midstream-error-20 for an error in the middle of the stream, stand-in/error-402 for a key that has run out of credits, or stand-in/hang-after-5 for an upstream that stops answering. The list_models tool finds them all.

For real answers, run npm run dev instead and log in with your OpenRouter account, setting a credit limit on the key your client receives. Or deploy the Worker with npm run deploy, and connect Claude, Cursor or VS Code to it.`.match(
    /\S+\s*/g,
  )!;

interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, with its "?" (empty when there is none). */
  search: string;
  headers: Record<string, string>;
  body: unknown;
  closedEarly: boolean;
  finished: boolean;
  whenClosed: Promise<"client-closed" | "finished">;
}

export interface StandIn {
  origin: string;
  apiBase: string;
  authUrl: string;
  requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  modelListRequests(): RecordedRequest[];
  /** Called with performance.now() when a chat stream writes its first token and its [DONE]. */
  onTiming?: (event: "first-token" | "done", at: number) => void;
  close(): Promise<void>;
}

interface IssuedCode {
  challenge: string;
  limit: number | null;
  label: string | undefined;
  createdAt: number;
  used: boolean;
}

const RETIRED = new Set(["anthropic/claude-3.5-sonnet", "stand-in/unknown"]);

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

export interface StandInOptions {
  /** Delay before each token of every answer except stand-in/slow-N-MS and stand-in/tokens-N (default 0). */
  tokenDelayMs?: number;
  /**
   * Ordinary model names answer the echo, then (when this is above 0) a short answer about the
   * demo, cut at this many tokens in all (default 0: the echo alone).
   */
  answerTokens?: number;
  /** A fixed port on 127.0.0.1 (default: any free port). */
  port?: number;
}

export async function startOpenRouterStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const codes = new Map<string, IssuedCode>();
  const keys = new Map<string, { limit: number | null; label: string | undefined }>();
  const seenPrompts = new Set<string>();

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new Error(`Port ${options.port} on 127.0.0.1 is already in use`) : error),
    );
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const standIn: StandIn = {
    origin,
    apiBase: `${origin}/api/v1`,
    authUrl: `${origin}/auth`,
    requests,
    chatRequests: () => requests.filter((r) => r.method === "POST" && r.path === "/api/v1/chat/completions"),
    modelListRequests: () => requests.filter((r) => r.method === "GET" && r.path === "/api/v1/models"),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const raw = await readBody(req);
    let body: unknown = raw === "" ? undefined : raw;
    try {
      if (raw !== "") body = JSON.parse(raw);
    } catch {
      // keep the raw text
    }
    const recorded = record(req, res, url, body);
    requests.push(recorded);
    if (bearer(req) !== DEMO_KEY) noteSecret("key", bearer(req));

    if (req.method === "POST" && url.pathname === "/api/v1/chat/completions") return chat(req, res, body);
    if (req.method === "GET" && url.pathname === "/api/v1/models") {
      const sort = url.searchParams.get("sort");
      return sendJson(res, 200, { data: sort === null ? MODELS : sortedModels(sort) });
    }
    if (req.method === "GET" && url.pathname === "/auth") return consentPage(url, res);
    if (req.method === "POST" && url.pathname === "/auth") return consentAnswer(new URLSearchParams(raw), res);
    if (req.method === "POST" && url.pathname === "/api/v1/auth/keys") return exchangeCode(body, res);
    if (req.method === "GET" && url.pathname === "/api/v1/key") return keyInfo(req, res);
    sendJson(res, 404, { error: { code: 404, message: `Not found: ${url.pathname}` } });
  }

  async function chat(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const key = bearer(req);
    if (!key || !key.startsWith("sk-or-v1-") || key === REVOKED_KEY) {
      return sendJson(res, 401, { error: { code: 401, message: "User not found." } });
    }
    if (typeof body !== "object" || body === null) {
      return sendJson(res, 400, { error: { code: 400, message: "Request body must be JSON" } });
    }
    const request = body as RoutedRequest & FeatureRequest & { max_tokens?: number; stream?: boolean };
    const { model, provider } = route(request);
    const prompt = lastPrompt(request);
    // A :online id is the model with web search on.
    const scenario = /^stand-in\/([a-z-]+?)(?:-(\d+))?(?:-(\d+))?$/.exec(model.replace(/:online$/, ""));
    const kind = scenario?.[1] ?? "echo";
    if (RETIRED.has(model)) {
      return sendJson(res, 404, { error: { code: 404, message: `No endpoints found for ${model}.` } });
    }
    if (model.startsWith("stand-in/") && !KINDS.has(kind)) {
      const listed = SCENARIOS.map((s) => s.model).filter((m) => m.startsWith("stand-in/") && !RETIRED.has(m));
      return sendJson(res, 404, {
        error: {
          code: 404,
          message: `No endpoints found for ${model}. The stand-in's scenarios: ${listed.join(", ")}.`,
        },
      });
    }
    const n = Number(scenario?.[2] ?? 0);
    const ms = Number(scenario?.[3] ?? 0);

    const priced = priceRefusal(request, priceOf(model));
    const unavailable = priced ? priceUnavailable(model, priced) : scenarioUnavailable(kind, model);
    if (unavailable) return sendJson(res, unavailable.status, unavailable.body, unavailable.headers);
    const speaking = kind === "echo" && (request.modalities?.includes("audio") ?? false);
    const unspoken = speaking ? unspokenFormat(request.audio?.format) : undefined;
    if (unspoken) return sendJson(res, 400, { error: { code: 400, message: unspoken } });
    if (kind === "never-responds") return; // the request hangs before any header
    if (kind === "error") {
      const status = n;
      const error = ERROR_BODIES[status] ?? { message: `Error ${status}` };
      const headers: Record<string, string> = status === 429 ? { "Retry-After": "7" } : {};
      return sendJson(res, status, { error: { code: status, ...error } }, headers);
    }

    const draws = kind === "image" || kind === "not-an-image";
    const drawing = draws && (request.modalities?.includes("image") ?? false);
    const cited = searchesWeb(request) ? citations(request, prompt) : [];
    let tokens: string[];
    // JSON comes in pieces of a few characters, as a model writes it.
    if (kind === "echo" && request.response_format) tokens = jsonAnswer(request, prompt).match(/[\s\S]{1,8}/g) ?? [];
    else if (kind === "echo") tokens = echoAnswer(prompt, options.answerTokens ?? 0);
    else if (draws)
      tokens = (drawing ? "Here is your image." : 'This model draws when modalities include "image".').match(
        /\S+\s*/g,
      )!;
    else if (kind === "split") tokens = Array.from({ length: n }, (_, i) => `é${i}😀 `);
    else if (kind === "thinking" || kind === "silent") tokens = `Echo: ${prompt}`.match(/\S+\s*|\s+/g) ?? [];
    else tokens = Array.from({ length: n }, (_, i) => `t${i} `);
    const thoughts = kind === "thinking" ? Array.from({ length: n }, (_, i) => `r${i} `) : [];
    let finishReason = "stop";
    if (typeof request.max_tokens === "number" && request.max_tokens < tokens.length) {
      tokens = tokens.slice(0, request.max_tokens);
      finishReason = "length";
    }
    const promptTokens = prompt.split(/\s+/).filter(Boolean).length;
    const images = !drawing ? [] : kind === "image" ? drawnImages(n, ms) : [notAnImage(), ...drawnImages(1, 0)];
    // The provider's cache: a prompt seen before is read from it.
    const cachedTokens = seenPrompts.has(prompt) ? promptTokens : 0;
    seenPrompts.add(prompt);
    const answerUsage = () =>
      usage(model, promptTokens, tokens.length, thoughts.length, { cachedTokens, searches: cited.length ? 1 : 0 });

    if (request.stream !== true) {
      const content = tokens.join("");
      const message = {
        role: "assistant",
        content,
        ...(images.length ? { images } : {}),
        ...(cited.length ? { annotations: cited } : {}),
      };
      return sendJson(res, 200, {
        id: "gen-standin",
        model,
        object: "chat.completion",
        choices: [{ index: 0, message, finish_reason: finishReason }],
        usage: answerUsage(),
      });
    }

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
    const write =
      kind === "split" ? (text: string) => writeInPieces(res, text) : (text: string) => void res.write(text);
    write(comment);

    // tokens-N comes at once whatever the pace (a big answer, cheaply); slow-N-MS at its own.
    const delay =
      kind === "tokens" ? 0 : kind === "slow" || (ms > 0 && kind !== "image") ? ms : (options.tokenDelayMs ?? 0);
    // A model that works silently: OpenRouter keeps the connection alive with comments meanwhile.
    for (let second = 0; kind === "silent" && second < n; second++) {
      await sleep(1000);
      if (res.destroyed) return;
      write(comment);
    }
    const spoken = speaking ? spokenPieces(tokens, request.audio?.format ?? "wav") : [];
    for (const [i, thought] of thoughts.entries()) {
      if (res.destroyed) return;
      if (delay > 0) await sleep(delay);
      write(thinkingFrame({ id, provider, model, created }, thought, i));
    }
    const count = kind === "hang-after" ? n : tokens.length;
    for (let i = 0; i < count; i++) {
      if (res.destroyed) return;
      if (delay > 0) await sleep(delay);
      if (i === 0) standIn.onTiming?.("first-token", performance.now());
      // A spoken answer has no content: its words are the audio's transcript.
      write(speaking ? chunk("", null, { content: null, audio: spoken[i] }) : chunk(tokens[i] ?? `t${i} `));
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
      standIn.onTiming?.("done", performance.now());
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
    write(frame({ id, provider, model, object: "chat.completion.chunk", created, choices: [], usage: answerUsage() }));
    write(`data: [DONE]${eol}${eol}`);
    standIn.onTiming?.("done", performance.now());
    res.end();
  }

  function consentPage(url: URL, res: ServerResponse): void {
    const callback = url.searchParams.get("callback_url");
    if (!callback) return sendHtml(res, 400, "<p>Missing callback_url</p>");
    const challenge = url.searchParams.get("code_challenge") ?? "";
    const label = url.searchParams.get("key_label") ?? "";
    if (url.searchParams.get("auto") === "approve") return redirectWithCode(callback, challenge, null, label, res);
    const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escape(value)}">`;
    // An empty icon, so the browser asks for no /favicon.ico (a 404 in its console); long URLs wrap at a phone's width.
    sendHtml(
      res,
      200,
      `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorize · stand-in OpenRouter</title><link rel="icon" href="data:,">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}h1,code{overflow-wrap:anywhere}
.note{background:#fff4d6;padding:.5rem .75rem;border-radius:6px}button{font:inherit;padding:.4rem 1rem;margin-right:.5rem}</style>
<p class="note">Stand-in OpenRouter for offline trials: no account needed, and its keys work only with the stand-in.</p>
<h1>Authorize ${escape(hostOf(callback))}</h1>
<p>An app asks for an OpenRouter key${label ? ` named <strong>${escape(label)}</strong>` : ""}; it will be sent to <code>${escape(callback)}</code>.</p>
<form method="post" action="/auth">
${hidden("callback_url", callback)}${hidden("code_challenge", challenge)}${hidden("code_challenge_method", url.searchParams.get("code_challenge_method") ?? "")}${hidden("key_label", label)}
<p><label>Credit limit in dollars (empty: none) <input name="limit" type="number" min="0" step="any" value=""></label></p>
<button name="action" value="approve">Authorize</button>
<button name="action" value="deny">Cancel</button>
</form>`,
    );
  }

  function consentAnswer(form: URLSearchParams, res: ServerResponse): void {
    const callback = form.get("callback_url");
    if (!callback) return sendHtml(res, 400, "<p>Missing callback_url</p>");
    if (form.get("action") !== "approve") {
      res.writeHead(302, { Location: appendQuery(callback, "error", "access_denied") }).end();
      return;
    }
    const limit = form.get("limit");
    redirectWithCode(
      callback,
      form.get("code_challenge") ?? "",
      limit ? Number(limit) : null,
      form.get("key_label") ?? "",
      res,
    );
  }

  function redirectWithCode(
    callback: string,
    challenge: string,
    limit: number | null,
    label: string,
    res: ServerResponse,
  ): void {
    const code = randomBytes(16).toString("hex");
    noteSecret("code", code);
    codes.set(code, { challenge, limit, label: label || undefined, createdAt: Date.now(), used: false });
    res.writeHead(302, { Location: appendQuery(callback, "code", code) }).end();
  }

  // Every invalid exchange answers 400: the real service's exact statuses for these are not documented.
  function exchangeCode(body: unknown, res: ServerResponse): void {
    const { code, code_verifier: verifier } = (body ?? {}) as { code?: string; code_verifier?: string };
    noteSecret("code", code);
    noteSecret("verifier", verifier);
    const issued = code ? codes.get(code) : undefined;
    const fresh = issued && !issued.used && Date.now() - issued.createdAt < 10 * 60_000;
    const matches =
      issued &&
      typeof verifier === "string" &&
      createHash("sha256").update(verifier).digest("base64url") === issued.challenge;
    if (!issued || !fresh || !matches) {
      if (issued && fresh) issued.used = true; // a wrong verifier burns the code, as single use demands
      return sendJson(res, 400, { error: { code: 400, message: "Invalid code or code_verifier" } });
    }
    issued.used = true;
    const key = `sk-or-v1-${randomBytes(24).toString("hex")}`;
    noteSecret("key", key);
    keys.set(key, { limit: issued.limit, label: issued.label });
    sendJson(res, 200, { key, user_id: "user_standin" });
  }

  function keyInfo(req: IncomingMessage, res: ServerResponse): void {
    const key = bearer(req);
    if (!key || !key.startsWith("sk-or-v1-") || key === REVOKED_KEY) {
      return sendJson(res, 401, { error: { code: 401, message: "User not found." } });
    }
    // A lookup OpenRouter does not answer, for keys that ask for one (chats with them still work).
    const failure = LOOKUP_FAILURE.exec(key)?.[1];
    if (failure === "hang") return;
    if (failure === "drop") return void res.socket?.destroy();
    if (failure !== undefined) {
      return sendJson(res, Number(failure), { error: { code: Number(failure), message: "Lookup failed." } });
    }
    const issued = keys.get(key);
    const limit = issued?.limit ?? null;
    const usageSoFar = 0.0123;
    sendJson(res, 200, {
      data: {
        // OpenRouter names a key by the key_label its login was given, else by a masked key.
        label: issued?.label ?? `${key.slice(0, 12)}...${key.slice(-3)}`,
        limit,
        usage: usageSoFar,
        is_free_tier: false,
        limit_remaining: limit === null ? null : limit - usageSoFar,
      },
    });
  }

  return standIn;
}

/** "Echo: <prompt>", then, when `total` is above 0, the demo's answer, at most `total` tokens in all. */
function echoAnswer(prompt: string, total: number): string[] {
  const echo: string[] = `Echo: ${prompt}`.match(/\S+\s*|\s+/g) ?? [];
  if (total <= 0) return echo;
  return [...echo, "\n\n", ...DEMO_ANSWER].slice(0, Math.max(total, echo.length));
}

function record(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  let settle: (how: "client-closed" | "finished") => void = () => {};
  const recorded: RecordedRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    search: url.search,
    headers,
    body,
    closedEarly: false,
    finished: false,
    whenClosed: new Promise((resolve) => (settle = resolve)),
  };
  res.on("finish", () => {
    recorded.finished = true;
    settle("finished");
  });
  res.on("close", () => {
    if (!res.writableFinished) {
      recorded.closedEarly = true;
      settle("client-closed");
    }
  });
  return recorded;
}

/** Prices in dollars per token for models the list does not name (and the default model). */
const DEFAULT_PRICE = { prompt: 0.000001, completion: 0.000002 };

/** The model's listed prices, in dollars per token. */
function priceOf(model: string): { prompt: number; completion: number } {
  const listed = MODELS.find((m) => m.id === model)?.pricing;
  return listed
    ? { prompt: Math.max(0, Number(listed.prompt)), completion: Math.max(0, Number(listed.completion)) }
    : DEFAULT_PRICE;
}

/**
 * Usage as OpenRouter reports it: the cost in dollars is tokens times the model's listed
 * per-token prices, an exact decimal (OpenRouter reports e.g. 0.00004026, never a binary
 * floating-point tail such as 0.000039999999999999996).
 */
function usage(
  model: string,
  prompt: number,
  answer: number,
  reasoning = 0,
  extra: { cachedTokens?: number; searches?: number } = {},
) {
  const completion = answer + reasoning;
  const price = priceOf(model);
  const promptCost = exactDollars(prompt * price.prompt);
  const completionCost = exactDollars(completion * price.completion);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    cost: exactDollars(promptCost + completionCost),
    is_byok: false,
    prompt_tokens_details: { cached_tokens: extra.cachedTokens ?? 0, audio_tokens: 0 },
    cost_details: {
      upstream_inference_cost: null,
      upstream_inference_prompt_cost: promptCost,
      upstream_inference_completions_cost: completionCost,
    },
    ...(reasoning > 0 ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
    ...(extra.searches ? { server_tool_use_details: { web_search_requests: extra.searches } } : {}),
  };
}

/** Dollars rounded to 12 decimals: an integer divided by a power of ten prints as its shortest decimal. */
function exactDollars(dollars: number): number {
  return Math.round(dollars * 1e12) / 1e12;
}

// --- Routing and thinking (issue 12) ------------------------------------------------------------

interface RoutedRequest {
  model?: string;
  models?: string[];
  provider?: { order?: string[]; only?: string[] };
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

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(payload));
}

/** The host a callback URL names, for a heading that fits a phone's width (the whole URL is shown below it). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" }).end(html);
}

/** Writes bytes 1–7 at a time, splitting frames and multi-byte characters across writes. */
function writeInPieces(res: ServerResponse, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0, size = 1; i < bytes.length; i += size, size = (size % 7) + 1) res.write(bytes.subarray(i, i + size));
}

function appendQuery(url: string, name: string, value: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}${name}=${encodeURIComponent(value)}`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
