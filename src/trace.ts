// Who made a tool call and under which trace: what its log line says besides the call itself,
// carried from the request down to OpenRouter, and into a durable call's object. At the bottom
// of src/ because every layer from the transport to the OpenRouter client reads it.
//
// Trace context: MCP 2026-07-28 reserves `traceparent` in a request's `_meta` for W3C Trace
// Context (any era may send it). A tool call is a span of its own: its id is new, its parent is
// the caller's, and OpenRouter receives `traceparent` naming our span, as W3C asks of a
// participant that records one (the log line is that record).

export interface TraceContext {
  traceId: string;
  /** The caller's span. */
  parentId: string;
  /** This tool call's span, sent upstream as the parent of OpenRouter's. */
  spanId: string;
  flags: string;
}

export interface Caller {
  era: "legacy" | "modern";
  /** From `_meta["io.modelcontextprotocol/clientInfo"]` (2026-07-28), else the User-Agent's first product. */
  client: string | undefined;
  clientVersion: string | undefined;
  /** The first 8 hex digits of the key's SHA-256: tells keys apart in the log, names none. */
  keyFingerprint: string | undefined;
  trace: TraceContext | undefined;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const NAME = /^[\w .@/:+-]{1,64}$/;

/** A version-00 traceparent, or undefined for anything else (never echoed: it is checked first). */
export function readTraceparent(value: unknown): TraceContext | undefined {
  const match = typeof value === "string" ? TRACEPARENT.exec(value) : null;
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return undefined;
  // 64 random bits: a random UUID's first 16 hex digits.
  return { traceId: match[1]!, parentId: match[2]!, spanId: crypto.randomUUID().replace(/-/g, "").slice(0, 16), flags: match[3]! };
}

/** The traceparent header that makes our span the parent of the next one. */
export function traceparentHeader(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}

/** A client's self-description fit for a log line (short, plain characters), or undefined. */
export function plainName(value: unknown): string | undefined {
  return typeof value === "string" && NAME.test(value) ? value : undefined;
}
