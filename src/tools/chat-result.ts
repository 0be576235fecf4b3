// chat_completion's result once the stream has ended: the text, then any failure, generated
// images as image blocks and cited sources as resource links; structuredContent says the same
// in fields (the images by type and size only, never their data twice), and the answer parsed
// as JSON when response_format asked for JSON.
import type { Usage } from "../openrouter/stream.js";
import type { CallToolResult, ContentBlock } from "./tool.js";

/**
 * The most a result may take, in bytes of JSON: Claude's apps refuse a tool result over 1 MiB
 * ("Tool result is too large. Maximum size is 1MB"), and a durable call stores its result in one
 * Durable Object value, which may not pass 2 MB. Images that would pass it are left out, with a
 * note; the text is always sent whole.
 */
export const MAX_RESULT_BYTES = 1_000_000;

export interface Answer {
  text: string;
  model: string;
  provider: string | undefined;
  finishReason: string | undefined;
  usage: Usage;
  /** The reasoning text, when include_reasoning asked for it. */
  reasoning: string | undefined;
  /** Why the answer is incomplete, when the stream failed. */
  failure: string | undefined;
  /** Generated images, as OpenRouter sends them: data: URLs. */
  images: string[];
  /** Cited sources, url → title (OpenRouter may repeat one: the first title that says something stays). */
  citations: Map<string, string>;
  /** response_format asked for JSON: the text must parse. */
  expectsJson: boolean;
}

export function chatResult(answer: Answer): CallToolResult {
  const { text } = answer;
  let { failure } = answer;
  let json: unknown;
  if (answer.expectsJson && !failure) {
    try {
      json = JSON.parse(text);
    } catch {
      failure = `The answer is not the JSON response_format asked for${answer.finishReason === "length" ? ": it was cut at max_tokens" : ""}.`;
    }
  }
  const links = [...answer.citations].filter(([url]) => /^https?:\/\//.test(url));
  // data:<type>;base64,<data>; anything else (OpenRouter sends data: URLs) is left out below.
  const images = answer.images.map((url) => /^data:([^;,]+);base64,/.exec(url.slice(0, 300)) ?? undefined).map((match, i) => {
    const data = match ? answer.images[i]!.slice(match[0].length) : "";
    return { mime_type: match?.[1] ?? "", bytes: Math.floor((data.length * 3) / 4) - (data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0), data, omitted: !match || undefined };
  });
  // Fields left undefined are not sent (JSON has no undefined). An object the transport
  // serialises, the text escaped twice: escaping it once and splicing it into both places showed
  // no gain in `npm run bench`'s relay (10,000 tokens, 16 KB reads: 0.46–0.47 ms per 1k tokens
  // either way, two runs each).
  const structuredContent: Record<string, unknown> = {
    text,
    model: answer.model,
    provider: answer.provider,
    finish_reason: answer.finishReason ?? null,
    usage: answer.usage,
    reasoning: answer.reasoning,
    json,
    images: images.length ? images.map(({ mime_type, bytes }) => ({ mime_type, bytes })) : undefined,
    citations: links.length ? links.map(([url, title]) => ({ url, title })) : undefined,
    error: failure,
  };
  const content: ContentBlock[] = text === "" && failure ? [] : [{ type: "text", text }];
  if (failure) content.push({ type: "text", text: failure });
  const linked: ContentBlock[] = links.map(([uri, title]) => ({ type: "resource_link", uri, name: title || uri }));
  // The images go after the text, in order, while the result stays within MAX_RESULT_BYTES (a
  // text answer is not measured: it is always sent whole).
  let size = images.length ? JSON.stringify({ content, linked, structuredContent }).length + 64 * images.length : 0;
  const omitted: string[] = [];
  images.forEach((image, i) => {
    if (!image.omitted && size + image.data.length <= MAX_RESULT_BYTES) {
      content.push({ type: "image", data: image.data, mimeType: image.mime_type });
      size += image.data.length;
    } else {
      (structuredContent.images as { omitted?: boolean }[])[i]!.omitted = true;
      omitted.push(`${image.mime_type || "not base64"}, ${(image.bytes / 1e6).toFixed(1)} MB`);
    }
  });
  content.push(...linked);
  if (omitted.length) {
    content.push({
      type: "text",
      text: `Left out ${omitted.length} generated image(s) (${omitted.join("; ")}): a tool result must stay under 1 MB, the most Claude's apps take. Ask for a smaller image.`,
    });
  }
  return failure ? { content, structuredContent, isError: true } : { content, structuredContent };
}
