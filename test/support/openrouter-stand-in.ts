// A stand-in for OpenRouter on loopback, speaking its formats (streaming chat completions,
// errors, OAuth PKCE, key info), so tests never touch the real service.
//
// The model name picks the scenario:
//   any ordinary name           streams "Echo: <last user message>", a word per chunk
//   stand-in/tokens-N           N tokens "t0 " … "t{N-1} "
//   stand-in/slow-N-MS          the same, MS milliseconds apart
//   stand-in/hang-after-N       N tokens, then silence with the connection open
//   stand-in/hang-before        headers, then silence
//   stand-in/never-responds     no headers at all
//   stand-in/midstream-error-N  N tokens, then an error chunk (finish_reason "error") under HTTP 200
//   stand-in/broken-N           N tokens, then the socket is destroyed
//   stand-in/garbage-N          N tokens with frames that are not JSON mixed in
//   stand-in/crlf-N             N tokens with CRLF line endings
//   stand-in/split-N            N non-ASCII tokens "é{i}😀 ", written a few bytes at a time
//   stand-in/error-STATUS       HTTP STATUS with OpenRouter's error body
//   anthropic/claude-3.5-sonnet, stand-in/unknown   404 "No endpoints found"
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { noteSecret } from "./secret-ledger.js";

export const VALID_KEY = "sk-or-v1-stand-in-valid-key";
export const REVOKED_KEY = "sk-or-v1-revoked";

export interface RecordedRequest {
  method: string;
  path: string;
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
  /** Called with performance.now() when a chat stream writes its first token and its [DONE]. */
  onTiming?: (event: "first-token" | "done", at: number) => void;
  close(): Promise<void>;
}

interface IssuedCode {
  challenge: string;
  limit: number | null;
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

export async function startOpenRouterStandIn(options: { tokenDelayMs?: number } = {}): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const codes = new Map<string, IssuedCode>();
  const keyLimits = new Map<string, number | null>();

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const standIn: StandIn = {
    origin,
    apiBase: `${origin}/api/v1`,
    authUrl: `${origin}/auth`,
    requests,
    chatRequests: () => requests.filter((r) => r.method === "POST" && r.path === "/api/v1/chat/completions"),
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
    const recorded = record(req, res, url.pathname, body);
    requests.push(recorded);
    noteSecret("key", bearer(req));

    if (req.method === "POST" && url.pathname === "/api/v1/chat/completions") return chat(req, res, body);
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
    const request = body as { model?: string; messages?: { role: string; content: string }[]; max_tokens?: number; stream?: boolean };
    const model = request.model ?? "openrouter/auto";
    const prompt = request.messages?.filter((m) => m.role === "user").at(-1)?.content ?? "";
    if (RETIRED.has(model)) {
      return sendJson(res, 404, { error: { code: 404, message: `No endpoints found for ${model}.` } });
    }
    const scenario = /^stand-in\/([a-z-]+?)(?:-(\d+))?(?:-(\d+))?$/.exec(model);
    const kind = scenario?.[1] ?? "echo";
    const n = Number(scenario?.[2] ?? 0);
    const ms = Number(scenario?.[3] ?? 0);

    if (kind === "never-responds") return; // the request hangs before any header
    if (kind === "error") {
      const status = n;
      const error = ERROR_BODIES[status] ?? { message: `Error ${status}` };
      const headers: Record<string, string> = status === 429 ? { "Retry-After": "7" } : {};
      return sendJson(res, status, { error: { code: status, ...error } }, headers);
    }

    let tokens: string[];
    if (kind === "echo") tokens = `Echo: ${prompt}`.match(/\S+\s*|\s+/g) ?? [];
    else if (kind === "split") tokens = Array.from({ length: n }, (_, i) => `é${i}😀 `);
    else tokens = Array.from({ length: n }, (_, i) => `t${i} `);
    let finishReason = "stop";
    if (typeof request.max_tokens === "number" && request.max_tokens < tokens.length) {
      tokens = tokens.slice(0, request.max_tokens);
      finishReason = "length";
    }
    const promptTokens = prompt.split(/\s+/).filter(Boolean).length;

    if (request.stream !== true) {
      const content = tokens.join("");
      return sendJson(res, 200, {
        id: "gen-standin",
        model,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finishReason }],
        usage: usage(promptTokens, tokens.length),
      });
    }

    const eol = kind === "crlf" ? "\r\n" : "\n";
    const id = `gen-standin-${randomBytes(4).toString("hex")}`;
    const created = Math.floor(Date.now() / 1000);
    const frame = (payload: unknown): string => `data: ${JSON.stringify(payload)}${eol}${eol}`;
    const comment = `: OPENROUTER PROCESSING${eol}${eol}`;
    const chunk = (content: string, finish: string | null = null) =>
      frame({
        id,
        provider: "StandIn",
        model,
        object: "chat.completion.chunk",
        created,
        choices: [{ index: 0, delta: { role: "assistant", content }, finish_reason: finish, native_finish_reason: finish, logprobs: null }],
      });

    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    res.flushHeaders();
    if (kind === "hang-before") return; // headers only, then silence
    const write = kind === "split" ? (text: string) => writeInPieces(res, text) : (text: string) => void res.write(text);
    write(comment);

    const delay = kind === "slow" ? ms : (options.tokenDelayMs ?? 0);
    const count = kind === "hang-after" ? n : tokens.length;
    for (let i = 0; i < count; i++) {
      if (res.destroyed) return;
      if (delay > 0) await sleep(delay);
      if (i === 0) standIn.onTiming?.("first-token", performance.now());
      write(chunk(tokens[i] ?? `t${i} `));
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
    write(chunk("", finishReason));
    write(frame({ id, provider: "StandIn", model, object: "chat.completion.chunk", created, choices: [], usage: usage(promptTokens, tokens.length) }));
    write(`data: [DONE]${eol}${eol}`);
    standIn.onTiming?.("done", performance.now());
    res.end();
  }

  function consentPage(url: URL, res: ServerResponse): void {
    const callback = url.searchParams.get("callback_url");
    if (!callback) return sendHtml(res, 400, "<p>Missing callback_url</p>");
    const challenge = url.searchParams.get("code_challenge") ?? "";
    if (url.searchParams.get("auto") === "approve") return redirectWithCode(callback, challenge, null, res);
    const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escape(value)}">`;
    sendHtml(
      res,
      200,
      `<!doctype html><title>Authorize</title><h1>Authorize ${escape(callback)}</h1>
<form method="post" action="/auth">
${hidden("callback_url", callback)}${hidden("code_challenge", challenge)}${hidden("code_challenge_method", url.searchParams.get("code_challenge_method") ?? "")}
<label>Credit limit <input name="limit" type="number" value=""></label>
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
    redirectWithCode(callback, form.get("code_challenge") ?? "", limit ? Number(limit) : null, res);
  }

  function redirectWithCode(callback: string, challenge: string, limit: number | null, res: ServerResponse): void {
    const code = randomBytes(16).toString("hex");
    noteSecret("code", code);
    codes.set(code, { challenge, limit, createdAt: Date.now(), used: false });
    res.writeHead(302, { Location: appendQuery(callback, "code", code) }).end();
  }

  // Every invalid exchange answers 400: the real service's exact statuses for these are not documented.
  function exchangeCode(body: unknown, res: ServerResponse): void {
    const { code, code_verifier: verifier } = (body ?? {}) as { code?: string; code_verifier?: string };
    noteSecret("code", code);
    noteSecret("verifier", verifier);
    const issued = code ? codes.get(code) : undefined;
    const fresh = issued && !issued.used && Date.now() - issued.createdAt < 10 * 60_000;
    const matches = issued && typeof verifier === "string" && createHash("sha256").update(verifier).digest("base64url") === issued.challenge;
    if (!issued || !fresh || !matches) {
      if (issued && fresh) issued.used = true; // a wrong verifier burns the code, as single use demands
      return sendJson(res, 400, { error: { code: 400, message: "Invalid code or code_verifier" } });
    }
    issued.used = true;
    const key = `sk-or-v1-${randomBytes(24).toString("hex")}`;
    noteSecret("key", key);
    keyLimits.set(key, issued.limit);
    sendJson(res, 200, { key, user_id: "user_standin" });
  }

  function keyInfo(req: IncomingMessage, res: ServerResponse): void {
    const key = bearer(req);
    if (!key || !key.startsWith("sk-or-v1-") || key === REVOKED_KEY) {
      return sendJson(res, 401, { error: { code: 401, message: "User not found." } });
    }
    const limit = keyLimits.get(key) ?? null;
    const usageSoFar = 0.0123;
    sendJson(res, 200, {
      data: {
        label: `${key.slice(0, 12)}...${key.slice(-3)}`,
        limit,
        usage: usageSoFar,
        is_free_tier: false,
        limit_remaining: limit === null ? null : limit - usageSoFar,
      },
    });
  }

  return standIn;
}

function record(req: IncomingMessage, res: ServerResponse, path: string, body: unknown): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  let settle: (how: "client-closed" | "finished") => void = () => {};
  const recorded: RecordedRequest = {
    method: req.method ?? "GET",
    path,
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

function usage(prompt: number, completion: number) {
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, cost: completion * 0.000001 };
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
