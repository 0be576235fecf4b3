// The resources the view reads through the host: the server answers resources/read for these
// (src/mcp/resources.ts names the same URIs; a Chromium test reads one through it).

/** An image a background completion made, kept in full by its durable call: only its key may read it. */
export function completionImageUri(completionId: string, index: number): string {
  return `openrouter-mcp://completions/${encodeURIComponent(completionId)}/images/${index}`;
}
