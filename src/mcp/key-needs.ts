// What the requests of one /mcp body need of the caller's key, from their methods and, for a tool
// call, from what the tool declares (tools/tool.ts, ToolPolicy): the transport checks the key
// against this before any request, or any tool's arguments, is read further (transport/bearer.ts).
import { findTool } from "../tools/index.js";
import type { Tool } from "../tools/tool.js";
import type { JsonRpcRequest } from "./jsonrpc.js";
import { declaresTasks } from "./tasks.js";
import type { Era } from "./versions.js";

export interface KeyNeeds {
  /** A key must come with the requests (none: they are answered without one, under OPEN_DISCOVERY). */
  key: boolean;
  /** A key inside a sealed token is looked up at OpenRouter too: the requests connect. */
  askSealed: boolean;
  /**
   * The key must be one OpenRouter has vouched for, not merely one it has not rejected: a request
   * leaves state behind (a durable call, kept an hour) or reads one (a Durable Object is asked).
   */
  verified: boolean;
}

/** What a body past MAX_BODY_BYTES needs, whatever it holds: its room is only for a verified key. */
export const VERIFIED_KEY: KeyNeeds = { key: true, askSealed: false, verified: true };

/** The requests a client sends to connect: their key is checked with OpenRouter even inside a sealed token. */
const CONNECTING_METHODS: ReadonlySet<string> = new Set(["initialize", "server/discover"]);

/**
 * What these requests need of the key. Unless OPEN_DISCOVERY, every request needs one; with it,
 * only a tool call whose tool needs a key, and the requests that need a verified one. Those are
 * the same in every mode: the tasks/ methods, a tool that reads durable calls, and a call that may
 * become durable (asked to run as a task, or asking for it in its arguments).
 */
export function keyNeeds(requests: readonly JsonRpcRequest[], era: Era, openDiscovery: boolean): KeyNeeds {
  const needs: KeyNeeds = { key: false, askSealed: false, verified: false };
  for (const request of requests) {
    const tool = request.method === "tools/call" ? toolOf(request) : undefined;
    const verified = request.method.startsWith("tasks/") || (tool !== undefined && mayLeaveState(tool, request, era));
    needs.verified ||= verified;
    needs.key ||= verified || !openDiscovery || tool?.policy.needsKey === true;
    needs.askSealed ||= !openDiscovery && CONNECTING_METHODS.has(request.method);
  }
  return needs;
}

/**
 * Whether a request looks at or steers a durable call (a tasks/ method, or a tool that reads
 * them): each asks a Durable Object, none starts a paid call, and clients poll with them, so they
 * have a rate limit of their own (RATE_LIMIT_TASK_REQUESTS), apart from tool calls'.
 */
export function asksDurableCall(request: JsonRpcRequest): boolean {
  if (request.method.startsWith("tasks/")) return true;
  return request.method === "tools/call" && toolOf(request)?.policy.readsDurableCalls === true;
}

function toolOf(request: JsonRpcRequest): Tool | undefined {
  const name = request.params?.name;
  return typeof name === "string" ? findTool(name) : undefined;
}

/** Whether this call of `tool` may leave a durable call behind, or reads one. */
function mayLeaveState(tool: Tool, request: JsonRpcRequest, era: Era): boolean {
  const { params } = request;
  if (tool.policy.readsDurableCalls || tool.policy.leavesState(params?.arguments)) return true;
  // A tool that runs as a task does so when the client asks: with params.task (2025-11-25), or by
  // declaring the Tasks extension (2026-07-28), where a call still working after a while becomes one.
  const asksForTask = era === "modern" ? declaresTasks(params) : params?.task !== undefined;
  return asksForTask && tool.check !== undefined;
}
