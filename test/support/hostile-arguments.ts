// Strings shaped against super-linear checks, and where each string field of each tool's
// arguments sits: shared by the unit test that walks the schemas and the Worker test that sends
// each one at 1 MiB (test/tools/chat-completion-schemas.hostile*.test.ts).

/** `size` characters each: a long run that an overlapping repeat would retry at every position, then a character that fails it late. */
export function hostileValues(size: number): string[] {
  return [
    `https://${"a".repeat(size)} `,
    `https://${"a/".repeat(size / 2)} x`,
    `data:image/png;base64,${"A".repeat(size)}!`,
    `data:${"a".repeat(size)}`,
    `${"a".repeat(size)}!`,
    `${"a-".repeat(size / 2)}/ `,
    `${"A".repeat(size)}===x`,
    `${" ".repeat(size)}x`,
  ];
}

type Place = (value: string) => Record<string, unknown>;
const inMessage = (part: Record<string, unknown>) => ({ messages: [{ role: "user", content: [part] }] });

/** Each string field, named `<tool> <path>` as the unit test's walk names it, and arguments that put a value there. */
export const STRING_FIELDS: Record<string, Place> = {
  "chat_completion .prompt": (v) => ({ prompt: v }),
  "chat_completion .images[]": (v) => ({ prompt: "x", images: [v] }),
  "chat_completion .files[].filename": (v) => ({
    prompt: "x",
    files: [{ filename: v, file_data: "https://x.test/a.pdf" }],
  }),
  "chat_completion .files[].file_data": (v) => ({ prompt: "x", files: [{ filename: "a.pdf", file_data: v }] }),
  "chat_completion .messages[].content|0": (v) => ({ messages: [{ role: "user", content: v }] }),
  "chat_completion .messages[].content|1[]|text.text": (v) => inMessage({ type: "text", text: v }),
  "chat_completion .messages[].content|1[]|image_url.image_url.url": (v) =>
    inMessage({ type: "image_url", image_url: { url: v } }),
  "chat_completion .messages[].content|1[]|file.file.filename": (v) =>
    inMessage({ type: "file", file: { filename: v, file_data: "https://x.test/a.pdf" } }),
  "chat_completion .messages[].content|1[]|file.file.file_data": (v) =>
    inMessage({ type: "file", file: { filename: "a.pdf", file_data: v } }),
  "chat_completion .messages[].content|1[]|input_audio.input_audio.data": (v) =>
    inMessage({ type: "input_audio", input_audio: { data: v, format: "wav" } }),
  "chat_completion .messages[].content|1[]|input_audio.input_audio.format": (v) =>
    inMessage({ type: "input_audio", input_audio: { data: "AAAA", format: v } }),
  "chat_completion .messages[].content|1[]|video_url.video_url.url": (v) =>
    inMessage({ type: "video_url", video_url: { url: v } }),
  "chat_completion .videos[]": (v) => ({ prompt: "x", videos: [v] }),
  "chat_completion .audio.voice": (v) => ({ prompt: "x", modalities: ["text", "audio"], audio: { voice: v } }),
  "chat_completion .session_id": (v) => ({ prompt: "x", session_id: v }),
  "chat_completion .model": (v) => ({ prompt: "x", model: v }),
  "chat_completion .models[]": (v) => ({ prompt: "x", models: [v] }),
  "chat_completion .parallel_models[]": (v) => ({ prompt: "x", parallel_models: ["openai/gpt-4o-mini", v] }),
  "chat_completion .synthesize|0": (v) => ({ prompt: "x", parallel_models: ["a/b", "c/d"], synthesize: v }),
  "chat_completion .system": (v) => ({ prompt: "x", system: v }),
  "chat_completion .response_format|json_schema.json_schema.name": (v) => ({
    prompt: "x",
    response_format: { type: "json_schema", json_schema: { name: v, schema: {} } },
  }),
  "chat_completion .provider.order[]": (v) => ({ prompt: "x", provider: { order: [v] } }),
  "chat_completion .provider.only[]": (v) => ({ prompt: "x", provider: { only: [v] } }),
  "chat_completion .provider.ignore[]": (v) => ({ prompt: "x", provider: { ignore: [v] } }),
  "list_models .query": (v) => ({ query: v }),
  "list_models .supported_parameters[]": (v) => ({ supported_parameters: [v] }),
  "list_models .cursor": (v) => ({ cursor: v }),
  "get_completion .id": (v) => ({ id: v }),
};

/** Fields whose text is free: a long one may be taken (the body's size, or the conversation's cap, bounds it), never slowly. */
export const FREE_TEXT: ReadonlySet<string> = new Set([
  "chat_completion .prompt",
  "chat_completion .system",
  "chat_completion .messages[].content|0",
  "chat_completion .messages[].content|1[]|text.text",
]);
