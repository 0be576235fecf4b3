// Who made a tool call and under which trace: what its log line says besides the call itself
// (in the line's own words: tools/call-log.ts writes these fields as they are), carried from the
// request down to OpenRouter and into a durable call's object. At the bottom of src/ because
// every layer from the transport to the OpenRouter client reads it; mcp/caller.ts fills it in.

export interface Caller {
  era: "legacy" | "modern";
  /** From `_meta["io.modelcontextprotocol/clientInfo"]` (2026-07-28), else the User-Agent's first product. */
  client?: string | undefined;
  client_version?: string | undefined;
  /** The first 8 hex digits of the key's SHA-256: tells keys apart in the log, names none. */
  key?: string | undefined;
  /**
   * W3C trace context from the request's `_meta.traceparent`: the call is a span of its own
   * (span_id, new), child of the caller's (parent_span_id).
   */
  trace_id?: string | undefined;
  parent_span_id?: string | undefined;
  span_id?: string | undefined;
  trace_flags?: string | undefined;
}

/** The traceparent that makes the call's span the parent of the next one (OpenRouter's), if it has a trace. */
export function traceparentOf(caller: Caller | undefined): string | undefined {
  return caller?.trace_id && `00-${caller.trace_id}-${caller.span_id}-${caller.trace_flags}`;
}
