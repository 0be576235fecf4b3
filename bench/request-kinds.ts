// The per-request section's Workers (bench/peers/ and ours) and what each is asked: the request
// kinds, their bodies and headers, and who speaks each.

export type PeerName = "floor" | "minimalMcp" | "ours" | "oursKeyed" | "sdkV1" | "sdkV2";
export const PEER_LABELS: Record<PeerName, string> = {
  floor: "floor",
  minimalMcp: "minimal MCP",
  ours: "ours",
  oursKeyed: "ours, key checked",
  sdkV1: "SDK v1",
  sdkV2: "SDK v2",
};

const LEGACY_HEADERS = { "MCP-Protocol-Version": "2025-11-25" };
const modernMeta = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};
const modernHeaders = (method: string) => ({ "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method });

export interface RequestKind {
  label: string;
  body: string;
  headers: Record<string, string>;
  /** Who speaks this request (the floor answers anything, the minimal MCP Worker what ours answers). */
  servedBy: PeerName[];
}
export const REQUEST_KINDS: RequestKind[] = [
  {
    label: "initialize (2025-11-25)",
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
    }),
    headers: LEGACY_HEADERS,
    servedBy: ["floor", "minimalMcp", "ours", "oursKeyed", "sdkV1", "sdkV2"],
  },
  {
    label: "tools/list (2025-11-25)",
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    headers: LEGACY_HEADERS,
    servedBy: ["floor", "minimalMcp", "ours", "oursKeyed", "sdkV1", "sdkV2"],
  },
  {
    label: "server/discover (2026-07-28)",
    body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "server/discover", params: { _meta: modernMeta } }),
    headers: modernHeaders("server/discover"),
    servedBy: ["floor", "minimalMcp", "ours", "oursKeyed", "sdkV2"],
  },
  {
    label: "tools/list (2026-07-28)",
    body: JSON.stringify({ jsonrpc: "2.0", id: 4, method: "tools/list", params: { _meta: modernMeta } }),
    headers: modernHeaders("tools/list"),
    servedBy: ["floor", "minimalMcp", "ours", "oursKeyed", "sdkV2"],
  },
];

/** How the minimal MCP Worker (bench/peers/minimal-mcp) finds a kind's answer: its protocol version and method. */
export function answerKey(kind: RequestKind): string {
  const { method } = JSON.parse(kind.body) as { method: string };
  return `${kind.headers["MCP-Protocol-Version"]} ${method}`;
}
