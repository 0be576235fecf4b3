// A stand-in for OpenRouter on loopback, speaking its formats (streaming chat completions,
// errors, OAuth PKCE with its consent page, key info), so `npm run demo`, `npm run bench` and the
// tests never touch the real service (docs/stand-in.md). This module is its front door: the
// server, and (from their own modules) its keys and SCENARIOS, the behaviours a model name picks.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { answerChatCompletion } from "./chat-completions.js";
import { bearer, readBody, sendError, sendJson } from "./http.js";
import { answerKeyLookup, DEMO_KEY, type IssuedKeys } from "./keys.js";
import { sortedModels } from "./model-orders.js";
import { MODELS } from "./models.js";
import { oauthPages } from "./oauth.js";
import { recordRequest, type RecordedRequest } from "./recorded-requests.js";
import { noteSecret } from "./secret-notes.js";

export { DEMO_KEY, REVOKED_KEY, VALID_KEY } from "./keys.js";
export { SCENARIOS } from "./scenarios.js";

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
  const issuedKeys: IssuedKeys = new Map();
  const login = oauthPages(issuedKeys);
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
  const chatContext = {
    demoAnswerTokens: options.answerTokens ?? 0,
    tokenDelayMs: options.tokenDelayMs ?? 0,
    seenPrompts,
    // Read when called: a bench sets standIn.onTiming after the stand-in has started.
    onTiming: (event: "first-token" | "done") => standIn.onTiming?.(event, performance.now()),
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
    requests.push(recordRequest(req, res, url, body));
    if (bearer(req) !== DEMO_KEY) noteSecret("key", bearer(req));

    const endpoint = `${req.method} ${url.pathname}`;
    if (endpoint === "POST /api/v1/chat/completions") return answerChatCompletion(req, res, body, chatContext);
    if (endpoint === "GET /api/v1/models") {
      const sort = url.searchParams.get("sort");
      return sendJson(res, 200, { data: sort === null ? MODELS : sortedModels(sort) });
    }
    if (endpoint === "GET /auth") return login.consentPage(url, res);
    if (endpoint === "POST /auth") return login.consentAnswer(new URLSearchParams(raw), res);
    if (endpoint === "POST /api/v1/auth/keys") return login.exchangeCode(body, res);
    if (endpoint === "GET /api/v1/key") return answerKeyLookup(req, res, issuedKeys);
    sendError(res, 404, `Not found: ${url.pathname}`);
  }

  return standIn;
}
