// Who sent a tools/call, for its log line: what the transport knows of the whole request (era,
// key fingerprint, User-Agent), refined by the message's own `_meta`: 2026-07-28's clientInfo,
// and W3C trace context under `traceparent`, the key MCP reserves for it (read in either era).
import * as z from "zod/mini";
import type { Caller } from "../trace.js";

const META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
/** A version-00 traceparent; an all-zero trace or parent id is invalid (W3C Trace Context). */
const TRACEPARENT = /^00-(?!0{32})[\da-f]{32}-(?!0{16})[\da-f]{16}-[\da-f]{2}$/;

// Each field is read on its own, so that an unusable one is dropped alone: never an error, a log
// line being no reason to refuse a call. Optional, so that an absent field parses without one.
// Only these keys are looked at, however many `_meta` holds.
const metaFields = z.optional(
  z.object({ [META_CLIENT_INFO]: z.optional(z.unknown()), traceparent: z.optional(z.unknown()) }),
);
const clientInfo = z.optional(z.object({ name: z.string(), version: z.optional(z.unknown()) }));
const clientVersion = z.optional(z.string());
const traceparent = z.optional(z.string().check(z.regex(TRACEPARENT)));

/** A name a client gives itself, bounded for the log line. */
const short = (value: string | undefined): string | undefined => value?.slice(0, 64);

export function callerOf(request: Caller, meta: unknown): Caller {
  // dispatch.ts refuses a tools/call whose `_meta` is no object; here such a one would say nothing.
  const fields = z.safeParse(metaFields, meta).data;
  const info = z.safeParse(clientInfo, fields?.[META_CLIENT_INFO]).data;
  // The schema matched its format, so the four parts are exactly what "-" separates.
  const trace = z.safeParse(traceparent, fields?.traceparent).data?.split("-");
  return {
    ...request,
    ...(info && { client: short(info.name), client_version: short(z.safeParse(clientVersion, info.version).data) }),
    // The call's own span: 64 random bits, a random UUID's first 16 hex digits.
    ...(trace && {
      trace_id: trace[1],
      parent_span_id: trace[2],
      span_id: crypto.randomUUID().replace(/-/g, "").slice(0, 16),
      trace_flags: trace[3],
    }),
  };
}

/** The trace id of a request's `_meta.traceparent`, when it carries a valid one (for an error's log line). */
export function traceIdOf(meta: unknown): string | undefined {
  const fields = z.safeParse(metaFields, meta).data;
  return z.safeParse(traceparent, fields?.traceparent).data?.split("-")[1];
}

/** The request-level part: a User-Agent's first product ("curl/8.5.0"), until `_meta` says better. */
export function requestCaller(era: Caller["era"], key: string | undefined, userAgent: string | null): Caller {
  return { era, client: short(userAgent?.split(" ")[0]), key };
}
