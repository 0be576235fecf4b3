// Who sent a tools/call, for its log line: what the transport knows of the whole request (era,
// key fingerprint, User-Agent), refined by the message's own `_meta` (2026-07-28's clientInfo,
// and W3C trace context under the keys MCP reserves for it, in either era).
import { plainName, readTraceparent, type Caller } from "../trace.js";

const META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";

export function callerOf(request: Caller, meta: unknown): Caller {
  if (typeof meta !== "object" || meta === null) return request;
  const fields = meta as Record<string, unknown>;
  const info = fields[META_CLIENT_INFO] as { name?: unknown; version?: unknown } | undefined;
  const client = plainName(info?.name);
  return {
    ...request,
    ...(client === undefined ? {} : { client, clientVersion: plainName(info?.version) }),
    trace: readTraceparent(fields.traceparent),
  };
}

/** The request-level part: a User-Agent's first product ("curl/8.5.0"), until `_meta` says better. */
export function requestCaller(era: Caller["era"], keyFingerprint: string | undefined, userAgent: string | null): Caller {
  const product = /^([^\s/]+)(?:\/(\S+))?/.exec(userAgent ?? "");
  return { era, client: plainName(product?.[1]), clientVersion: plainName(product?.[2]), keyFingerprint, trace: undefined };
}
