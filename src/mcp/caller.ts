// Who sent a tools/call, for its log line: what the transport knows of the whole request (era,
// key fingerprint, User-Agent), refined by the message's own `_meta`: 2026-07-28's clientInfo,
// and W3C trace context under `traceparent`, the key MCP reserves for it (read in either era).
import type { Caller } from "../trace.js";

const META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
/** A version-00 traceparent; an all-zero trace or parent id is invalid (W3C Trace Context). */
const TRACEPARENT = /^00-(?!0{32})([\da-f]{32})-(?!0{16})([\da-f]{16})-([\da-f]{2})$/;

/** A name a client gives itself, bounded for the log line. */
const short = (value: unknown): string | undefined => (typeof value === "string" ? value.slice(0, 64) : undefined);

export function callerOf(request: Caller, meta: unknown): Caller {
  const fields = (typeof meta === "object" && meta) || {};
  const info = (fields as Record<string, { name?: unknown; version?: unknown } | undefined>)[META_CLIENT_INFO];
  const trace = TRACEPARENT.exec(String((fields as { traceparent?: unknown }).traceparent));
  return {
    ...request,
    ...(typeof info?.name === "string" && { client: short(info.name), client_version: short(info.version) }),
    // The call's own span: 64 random bits, a random UUID's first 16 hex digits.
    ...(trace && { trace_id: trace[1], parent_span_id: trace[2], span_id: crypto.randomUUID().replace(/-/g, "").slice(0, 16), trace_flags: trace[3] }),
  };
}

/** The request-level part: a User-Agent's first product ("curl/8.5.0"), until `_meta` says better. */
export function requestCaller(era: Caller["era"], key: string | undefined, userAgent: string | null): Caller {
  return { era, client: short(userAgent?.split(" ")[0]), key };
}
