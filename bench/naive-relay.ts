// The baseline relay the benchmark compares against: what a straightforward implementation
// does. Lines split by hand, JSON.parse on every frame, one progress notification per chunk,
// and the answer kept as one growing string.

export async function naiveRelay(
  body: ReadableStream<Uint8Array>,
  progressToken: number,
  send: (text: string) => void,
): Promise<string> {
  const reader = body
    .pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>)
    .getReader();
  let buffer = "";
  let answer = "";
  let tokens = 0;
  let model = "";
  let usage: unknown;
  let finishReason: string | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += value;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line.startsWith("data: ")) continue;
      const data = line.slice(6);
      if (data === "[DONE]") continue;
      let chunk: {
        model?: string;
        usage?: unknown;
        choices?: { delta?: { content?: string }; finish_reason?: string | null }[];
      };
      try {
        chunk = JSON.parse(data);
      } catch {
        continue;
      }
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (choice?.finish_reason) finishReason = choice.finish_reason;
      const content = choice?.delta?.content;
      if (content) {
        answer += content;
        tokens++;
        const notification = {
          jsonrpc: "2.0",
          method: "notifications/progress",
          params: { progressToken, progress: tokens, message: `${model}: ${tokens} tokens: ${answer.slice(-60)}` },
        };
        send(`event: message\ndata: ${JSON.stringify(notification)}\n\n`);
      }
    }
  }
  const result = {
    content: [{ type: "text", text: answer }],
    structuredContent: { text: answer, model, finish_reason: finishReason, usage },
  };
  return JSON.stringify(result);
}
