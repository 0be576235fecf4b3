// chat_completion's arguments as OpenRouter's request: the turns (the prompt with its images,
// videos and files attached, or the conversation), and each option under OpenRouter's own name, sent only
// when given. Two arguments stand for OpenRouter structures: `pdf` for the file-parser plugin,
// `web_search` for the openrouter:web_search server tool.
import type { ChatMessage, ChatRequest, ContentPart } from "../openrouter/client.js";
import type { ChatCompletionArguments } from "./chat-completion-schemas.js";

export function upstreamRequest(args: ChatCompletionArguments, defaultModel: string): ChatRequest {
  // Ours, not OpenRouter's, taken out here; every other argument is OpenRouter's, sent as given.
  const {
    prompt,
    images,
    videos,
    files,
    system,
    messages,
    include_reasoning,
    pdf,
    web_search,
    model,
    audio,
    parallel_models,
    synthesize,
    ...asGiven
  } = args;
  const turns: ChatMessage[] = system === undefined ? [] : [{ role: "system", content: system }];
  // With images or files, the prompt's text comes first, as OpenRouter advises, then they do.
  const parts: ContentPart[] = [
    ...(images ?? []).map((url): ContentPart => ({ type: "image_url", image_url: { url } })),
    ...(videos ?? []).map((url): ContentPart => ({ type: "video_url", video_url: { url } })),
    ...(files ?? []).map((file): ContentPart => ({ type: "file", file })),
  ];
  turns.push(
    ...(messages ?? [
      { role: "user", content: parts.length ? [{ type: "text", text: prompt ?? "" }, ...parts] : (prompt ?? "") },
    ]),
  );
  return {
    ...asGiven,
    model: model ?? defaultModel,
    messages: turns,
    // A spoken answer needs a voice and a format: OpenRouter's guide asks for both.
    audio: args.modalities?.includes("audio") ? { voice: "alloy", format: "wav", ...audio } : undefined,
    plugins: pdf && [{ id: "file-parser", pdf }],
    // true asks for the tool with OpenRouter's defaults; settings go in as its parameters.
    tools: web_search
      ? [{ type: "openrouter:web_search", ...(web_search === true ? {} : { parameters: web_search }) }]
      : undefined,
  };
}
