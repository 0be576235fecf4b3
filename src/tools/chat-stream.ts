// One model's streamed answer, read whole: its text, reasoning, images, speech and sources as they
// come (each told to the model's status, and each unit of progress to `onUnit`), then how the
// stream ended. A call with one model makes its result of it; a call with several, one of each.
import type { Answer } from "./chat-result.js";
import { describeStreamFailure } from "../openrouter/errors.js";
import { readChatStream } from "../openrouter/stream.js";
import type { ModelStatus } from "./chat-status.js";
import type { ToolCallContext } from "./tool.js";

/**
 * What the relay knows of the call: the arguments, which may hold 16 MiB of images and files, are
 * left behind once they are sent, however long the answer streams.
 */
export interface AnswerShape {
  model: string;
  /** The call asked for a spoken answer (modalities), in this format. */
  spokenFormat: string | undefined;
  withReasoning: boolean;
  expectsJson: boolean;
}

export async function readAnswer(
  body: ReadableStream<Uint8Array>,
  { model, spokenFormat, withReasoning, expectsJson }: AnswerShape,
  {
    config,
    onText,
    onImage,
    signal,
    clock,
  }: Pick<ToolCallContext, "config" | "onText" | "onImage" | "signal" | "clock">,
  status: ModelStatus,
  onUnit: () => void,
): Promise<Answer> {
  const pieces: string[] = [];
  const thoughts: string[] = [];
  const images: string[] = [];
  const spoken: string[] = [];
  const transcript: string[] = [];
  const citations = new Map<string, string>();
  const summary = await readChatStream(body, {
    onContent: (text) => {
      pieces.push(text);
      onText?.(text);
      status.text(pieces);
      onUnit();
    },
    // A thinking model's reasoning counts as progress too, so the call never goes quiet.
    onReasoning: (text) => {
      thoughts.push(text);
      status.reasoning(thoughts);
      onUnit();
    },
    onImage: (url) => {
      images.push(url);
      onImage?.(url);
      status.image();
      onUnit();
    },
    onAudio: (data, words) => {
      if (data !== undefined) spoken.push(data);
      if (words !== undefined) {
        transcript.push(words);
        onText?.(words);
      }
      status.speech(transcript);
      onUnit();
    },
    onComment: () => status.comment(),
    onCitation: (url, title) => void (citations.get(url) || citations.set(url, title)),
    idleTimeoutMs: config.upstreamIdleTimeoutMs,
    signal,
    clock,
  });
  const failure = describeStreamFailure(summary, config.upstreamIdleTimeoutMs);
  status.end(failure !== undefined);
  const units = status.units;
  return {
    text: pieces.join(""),
    model: summary.model ?? model,
    provider: summary.provider,
    finishReason: summary.finishReason,
    usage: summary.usage ?? { prompt_tokens: 0, completion_tokens: units, total_tokens: units },
    reasoning: withReasoning ? thoughts.join("") : undefined,
    failure,
    images,
    audio:
      spokenFormat === undefined
        ? undefined
        : { format: spokenFormat, pieces: spoken, transcript: transcript.join("") },
    citations,
    expectsJson,
  };
}
