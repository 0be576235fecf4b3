// MCP protocol revisions this server speaks, in two eras:
// legacy (an `initialize` handshake) and modern (every request describes itself in `_meta`).

export const MODERN_PROTOCOL_VERSION = "2026-07-28";
export const LATEST_LEGACY_VERSION = "2025-11-25";

const MODERN_PROTOCOL_VERSIONS: readonly string[] = [MODERN_PROTOCOL_VERSION];

/** Newest first. */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = [
  LATEST_LEGACY_VERSION,
  "2025-06-18",
  "2025-03-26",
  "2024-11-05",
];

export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = [
  ...MODERN_PROTOCOL_VERSIONS,
  ...LEGACY_PROTOCOL_VERSIONS,
];

/** What the transport spec says to assume when a request carries no MCP-Protocol-Version header. */
export const VERSION_WHEN_HEADER_ABSENT = "2025-03-26";

/** JSON-RPC batches exist only in this revision: added by it, removed by the next. */
export const BATCH_PROTOCOL_VERSION = "2025-03-26";

export type Era = "legacy" | "modern";

export function isSupportedVersion(version: string): boolean {
  return SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

/**
 * Whether a legacy revision has MCP Tasks (the utility came with 2025-11-25): before it there are
 * no tasks/ methods, and a tools/call's `task` is a parameter the revision does not know.
 */
export function hasLegacyTasks(version: string): boolean {
  return version === LATEST_LEGACY_VERSION;
}

export function isModernVersion(version: string): boolean {
  return MODERN_PROTOCOL_VERSIONS.includes(version);
}

/**
 * `initialize` version negotiation (legacy era): echo the client's version when we speak it,
 * else offer our latest legacy version.
 */
export function negotiateVersion(requested: unknown): string {
  return typeof requested === "string" && LEGACY_PROTOCOL_VERSIONS.includes(requested)
    ? requested
    : LATEST_LEGACY_VERSION;
}
