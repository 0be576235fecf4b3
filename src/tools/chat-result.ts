// chat_completion's result once the stream has ended: the text, then any failure, a spoken
// answer as an audio block, generated images as image blocks and cited sources as resource links; structuredContent says the same
// in fields (the images by type and size only, never their data twice), and the answer parsed
// as JSON when response_format asked for JSON.
import type { Availability } from "../openrouter/answers.js";
import type { Suggestions } from "../openrouter/errors.js";
import type { Usage } from "../openrouter/stream.js";
// Images that would pass the result's cap are left out, with a note; the text is always sent
// whole (a durable call keeps it within the cap: tool-result.ts).
import {
  imageOfDataUrl,
  MAX_RESULT_BYTES,
  type CallToolResult,
  type ContentBlock,
  type ToolError,
} from "../tool-result.js";
import { base64Bytes, spokenAudio } from "./chat-audio.js";

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
  /** A spoken answer: its format, its base64 pieces as they streamed, and its transcript. */
  audio?: { format: string; pieces: string[]; transcript: string } | undefined;
  /** Cited sources, url → title (OpenRouter may repeat one: the first title that says something stays). */
  citations: Map<string, string>;
  /** response_format asked for JSON: the text must parse. */
  expectsJson: boolean;
}

export function chatResult(answer: Answer): CallToolResult {
  // A model that speaks may send its words only as the audio's transcript.
  const text = answer.text === "" && answer.audio ? answer.audio.transcript : answer.text;
  let { failure } = answer;
  let json: unknown;
  if (answer.expectsJson && !failure) {
    try {
      json = JSON.parse(text);
    } catch {
      failure = `The answer is not the JSON response_format asks for${answer.finishReason === "length" ? ": max_tokens cut it" : ""}.`;
    }
  }
  const links = [...answer.citations].filter(([url]) => /^https?:/.test(url));
  // data:image/<type>;base64,<data>: anything else (OpenRouter sends none) is left out, not shown.
  const images: { mime_type: string; bytes: number; omitted?: true }[] = [];
  const data = answer.images.map((url) => {
    const image = imageOfDataUrl(url);
    const base64 = image?.data ?? "";
    images.push({ mime_type: image?.mimeType ?? "", bytes: base64Bytes(base64) });
    return base64;
  });
  const spoken = answer.audio?.pieces.length ? spokenAudio(answer.audio.format, answer.audio.pieces) : undefined;
  const audio: { mime_type: string; bytes: number; transcript: string; omitted?: true } | undefined = spoken && {
    mime_type: spoken.mimeType,
    bytes: spoken.bytes,
    transcript: answer.audio!.transcript,
  };
  // Fields left undefined are not sent (JSON has no undefined). An object the transport
  // serialises, the text escaped twice: splicing it in escaped once showed no gain in the bench's
  // relay (docs/performance.md).
  const structuredContent: Record<string, unknown> = {
    text,
    model: answer.model,
    provider: answer.provider,
    finish_reason: answer.finishReason ?? null,
    usage: answer.usage,
    reasoning: answer.reasoning,
    json,
    images: images.length ? images : undefined,
    audio,
    citations: links.length ? links.map(([url, title]) => ({ url, title })) : undefined,
    error: failure,
  };
  const content: ContentBlock[] = text === "" && failure ? [] : [{ type: "text", text }];
  if (failure) content.push({ type: "text", text: failure });
  const linked: ContentBlock[] = links.map(([uri, title]) => ({ type: "resource_link", uri, name: title || uri }));
  // The audio, then the images, go after the text, in order, while the result stays within
  // MAX_RESULT_BYTES (a text answer is not measured: it is always sent whole).
  let size =
    images.length || spoken
      ? JSON.stringify({ content, linked, structuredContent }).length + 64 * (images.length + 1)
      : 0;
  if (spoken && audio) {
    if (size + spoken.data.length <= MAX_RESULT_BYTES) {
      size += spoken.data.length;
      content.push({ type: "audio", data: spoken.data, mimeType: spoken.mimeType });
    } else audio.omitted = true;
  }
  let tooLarge = 0;
  let notImages = 0;
  data.forEach((base64, i) => {
    if (base64 === "") notImages++;
    else if ((size += base64.length) <= MAX_RESULT_BYTES)
      return void content.push({ type: "image", data: base64, mimeType: images[i]!.mime_type });
    else tooLarge++;
    images[i]!.omitted = true;
  });
  content.push(...linked);
  if (audio?.omitted) {
    content.push({
      type: "text",
      text: `Left out the spoken answer (${audio.bytes} bytes of ${audio.mime_type}): results stay under 1 MB for Claude's apps. Ask for a shorter answer, or format mp3 or opus.`,
    });
  }
  if (tooLarge + notImages) {
    const why = [
      ...(tooLarge ? ["results stay under 1 MB for Claude's apps"] : []),
      ...(notImages ? [`${notImages} not of an image type`] : []),
    ];
    content.push({
      type: "text",
      text: `Left out ${tooLarge + notImages} image(s), omitted in structuredContent.images: ${why.join("; ")}.`,
    });
  }
  return failure ? { content, structuredContent, isError: true } : { content, structuredContent };
}

/**
 * A call OpenRouter refused before any answer: a tool error whose text says what to do, and
 * whose structuredContent (the tool's one shape, no answer in it) holds the same advice as fields.
 */
export function refusalResult(
  model: string,
  message: string,
  suggestions: Suggestions,
  availability: Availability | undefined,
): ToolError {
  const structuredContent = {
    text: "",
    model,
    finish_reason: null,
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    error: message,
    ...(Object.keys(suggestions).length ? { suggestions } : {}),
    ...(availability ? { availability: { code: availability.code, retryable: availability.retryable } } : {}),
  };
  return { content: [{ type: "text", text: message }], structuredContent, isError: true };
}
