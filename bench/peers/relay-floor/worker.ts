// The relay's floor: a Worker that asks the upstream for the same streamed answer as ours and
// reads it to the end without looking at it. Its CPU per 1,000 tokens is the least any relay
// spends in workerd (the request out, the reads in), so ours reads as a multiple of it.
interface Env {
  OPENROUTER_BASE_URL: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const model = new URL(request.url).searchParams.get("model") ?? "stand-in/tokens-100";
    const upstream = await fetch(`${env.OPENROUTER_BASE_URL}/chat/completions`, {
      method: "POST",
      headers: { Authorization: request.headers.get("Authorization") ?? "", "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "x" }], stream: true }),
    });
    let bytes = 0;
    const reader = upstream.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
    return Response.json({ bytes });
  },
};
