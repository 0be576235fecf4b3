// MCP protocol revisions this server speaks.

export const LATEST_PROTOCOL_VERSION = "2025-11-25";

/** Newest first. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [
  LATEST_PROTOCOL_VERSION,
  "2025-06-18",
  "2025-03-26",
  "2024-11-05",
];

/** What the transport spec says to assume when a request carries no MCP-Protocol-Version header. */
export const VERSION_WHEN_HEADER_ABSENT = "2025-03-26";

/** JSON-RPC batches exist only in this revision: added by it, removed by the next. */
export const BATCH_PROTOCOL_VERSION = "2025-03-26";

export function isSupportedVersion(version: string): boolean {
  return SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

/** Version negotiation: echo the client's version when we speak it, else offer our latest. */
export function negotiateVersion(requested: unknown): string {
  return typeof requested === "string" && isSupportedVersion(requested) ? requested : LATEST_PROTOCOL_VERSION;
}
