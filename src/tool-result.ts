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

/**
 * The most a result takes, in bytes of JSON (UTF-8): what Claude's apps accept ("Tool result is
 * too large. Maximum size is 1MB"). Images and audio are left out past it (tools/chat-result.ts),
 * and a durable call keeps at most this much (keptWithin): an ordinary call sends its text whole.
 */
export const MAX_RESULT_BYTES = 1_000_000;

/** Room kept for the note a cut result carries. */
const NOTE_BYTES = 1024;

/**
 * `result` within `maxBytes` of JSON: as it is when it fits, else with every text in it (its text
 * blocks, the strings of its structuredContent) cut at the most characters that fit, its
 * structuredContent marked `truncated`, and a last block saying so. Images and audio stay whole
 * (their own cap already counts the text); only a result they alone fill loses them too.
 */
export function keptWithin(result: CallToolResult, maxBytes: number): CallToolResult {
  const size = utf8Bytes(JSON.stringify(result));
  if (size <= maxBytes) return result;
  const longest = longestText(result);
  // A first guess in proportion, then a tenth less each time it does not fit yet.
  let at = Math.floor((longest * (maxBytes - NOTE_BYTES)) / size);
  for (;;) {
    const cut = cutTexts(result, at, longest, maxBytes);
    if (utf8Bytes(JSON.stringify(cut)) <= maxBytes) return cut;
    if (at === 0) return { ...cut, content: cut.content.filter((block) => block.type === "text") };
    at = Math.floor(at * 0.9);
  }
}

function cutTexts(result: CallToolResult, at: number, longest: number, maxBytes: number): CallToolResult {
  const note =
    `This answer is longer than a durable call keeps (${maxBytes.toLocaleString("en-US")} bytes of JSON), so each text ` +
    `in it is cut at ${at.toLocaleString("en-US")} characters (the longest had ${longest.toLocaleString("en-US")}). ` +
    "Ask for a shorter answer (max_tokens), or call without a task or background: an ordinary call sends the text whole.";
  const content: ContentBlock[] = result.content.map((block) =>
    block.type === "text" ? { type: "text", text: cutText(block.text, at) } : block,
  );
  content.push({ type: "text", text: note });
  const structured = result.structuredContent && {
    ...(cutStrings(result.structuredContent, at) as object),
    truncated: true,
  };
  return { ...result, content, ...(structured ? { structuredContent: structured } : {}) };
}

function cutText(text: string, at: number): string {
  if (text.length <= at) return text;
  // Never half a surrogate pair.
  const end = at > 0 && /[\uD800-\uDBFF]/.test(text[at - 1]!) ? at - 1 : at;
  return `${text.slice(0, end)}…`;
}

function cutStrings(value: unknown, at: number): unknown {
  if (typeof value === "string") return cutText(value, at);
  if (Array.isArray(value)) return value.map((item) => cutStrings(item, at));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cutStrings(item, at)]));
  return value;
}

function longestText(result: CallToolResult): number {
  let longest = 0;
  const visit = (value: unknown): void => {
    if (typeof value === "string") longest = Math.max(longest, value.length);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(visit);
  };
  for (const block of result.content) if (block.type === "text") visit(block.text);
  visit(result.structuredContent);
  return longest;
}

/** How many bytes JSON text (which has no lone surrogate: JSON.stringify escapes them) takes in UTF-8. */
function utf8Bytes(json: string): number {
  let bytes = 0;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code < 0xe000;

/** How many bytes `text` takes inside a JSON string, in UTF-8: escapes counted (\n, \", \u001f, a lone surrogate). */
export function jsonTextBytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (
      code === 0x22 ||
      code === 0x5c ||
      code === 0x08 ||
      code === 0x0c ||
      code === 0x0a ||
      code === 0x0d ||
      code === 0x09
    )
      bytes += 2;
    else if (code < 0x20) bytes += 6;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else if (code >= 0xd800 && code < 0xe000) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}
