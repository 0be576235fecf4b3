// Small helpers for talking to the Worker the way curl would.
import { expect } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";

const JSON_AND_SSE = "application/json, text/event-stream";

export interface PostOptions {
  headers?: Record<string, string>;
  accept?: string;
  key?: string;
  protocolVersion?: string;
  signal?: AbortSignal;
}

export function post(url: string, body: unknown, options: PostOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: options.accept ?? JSON_AND_SSE,
    ...options.headers,
  };
  if (options.key) headers.Authorization = `Bearer ${options.key}`;
  if (options.protocolVersion) headers["MCP-Protocol-Version"] = options.protocolVersion;
  return fetch(url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: options.signal,
  });
}

/**
 * post() with the stand-in's valid key unless the options carry another: for tests about something
 * other than logging in, since every /mcp request needs a key by default.
 */
export function postWithKey(url: string, body: unknown, options: PostOptions = {}): Promise<Response> {
  return post(url, body, { ...options, key: options.key ?? VALID_KEY });
}

export interface SseEvent {
  event: string | undefined;
  id: string | undefined;
  data: string;
}

/** Splits an SSE body into events, and reports comment lines separately. */
export function parseSse(text: string): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (block.trim() === "") continue;
    let event: string | undefined;
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(":")) comments.push(line);
      else if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("id:")) id = line.slice(3).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length) events.push({ event, id, data: data.join("\n") });
  }
  return { events, comments };
}

/** The JSON-RPC messages of an SSE body, in order. */
export function sseMessages(text: string): Array<Record<string, any>> {
  return parseSse(text).events.map((e) => JSON.parse(e.data));
}

export function rpc(id: number | string, method: string, params?: Record<string, unknown>) {
  return params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };
}

/** tools/call of chat_completion with these arguments (and `_meta` when given). */
export function chatCall(args: Record<string, unknown>, meta?: Record<string, unknown>, id: number | string = 1) {
  return rpc(
    id,
    "tools/call",
    meta ? { name: "chat_completion", arguments: args, _meta: meta } : { name: "chat_completion", arguments: args },
  );
}

/** What the stand-in answers for stand-in/tokens-N (and slow-N-MS): "t0 t1 … ". */
export const tokensText = (n: number): string => Array.from({ length: n }, (_, i) => `t${i} `).join("");

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw POST through node:http, which (unlike fetch) lets a test forge the Host header. */
export function rawPost(url: string, body: string, headers: Record<string, string>): Promise<RawResponse> {
  return rawRequest("POST", url, body, headers);
}

/** A raw GET through node:http, which (unlike fetch) sends Sec-Fetch-Mode as given: a browser's navigation. */
export function rawGet(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return rawRequest("GET", url, "", headers);
}

async function rawRequest(
  method: string,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<RawResponse> {
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The answer's body, which must be one small JSON-RPC error with this code. */
export async function smallRpcError(
  res: Response,
  code: number,
): Promise<{ id: unknown; error: { code: number; message: string } }> {
  const text = await res.text();
  expect(text.length).toBeLessThan(1024);
  const body = JSON.parse(text);
  expect(body).toMatchObject({ jsonrpc: "2.0", error: { code } });
  return body;
}
