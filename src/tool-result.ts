// MCP's CallToolResult as this server fills it: what a tool answers, what a durable call keeps
// and hands back over Workers RPC, and what both protocol eras send. At the bottom of src/
// because tools/ makes it and durable/ stores it.

/** MCP's content blocks as our tools fill them (type aliases, so that each is a plain record). */
type TextContent = { type: "text"; text: string };
/** An image, as base64 data and its MIME type. */
type ImageContent = { type: "image"; data: string; mimeType: string };
/** Audio, as base64 data and its MIME type (MCP since 2025-03-26). */
type AudioContent = { type: "audio"; data: string; mimeType: string };
/** A link the client may open or fetch; `name` (required by MCP) is its title. */
type ResourceLink = { type: "resource_link"; uri: string; name: string };
export type ContentBlock = TextContent | ImageContent | AudioContent | ResourceLink;

/** Content blocks, and structured content per the tool's outputSchema. */
export interface CallToolResult {
  content: ContentBlock[];
  /**
   * A JSON object. Typed as `object`, not as a record of unknown values, so that a durable call's
   * stub can return it (Workers RPC types only what it can carry; `unknown` is not that).
   */
  structuredContent?: object;
  /** A tool error: the text says what to change. */
  isError?: true;
}

/**
 * The image a data: URL holds, as an image block takes it, when it is base64 of an image type
 * (image/*); anything else (text/html, say, whatever a model or an upstream sends) is no image,
 * and never becomes an image block or a resource served as one.
 */
export function imageOfDataUrl(url: string): { mimeType: string; data: string } | undefined {
  const comma = url.indexOf(",");
  if (comma < 0) return undefined;
  const mimeType = /^data:(image\/[\w.+-]{1,100});base64$/i.exec(url.slice(0, comma))?.[1];
  return mimeType === undefined ? undefined : { mimeType: mimeType.toLowerCase(), data: url.slice(comma + 1) };
}

/** A tool error before any work: text only, which a task request can also quote as its error message. */
export interface ToolError extends CallToolResult {
  content: TextContent[];
  isError: true;
}
