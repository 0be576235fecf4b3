// The relay's floor: a Worker that asks the upstream for the same streamed answer as ours and
// reads it to the end without looking at it. Its CPU per 1,000 tokens is the least any relay
// spends in workerd (the request out, the reads in), so ours reads as a multiple of it.
//
// With `?in=object`, the same read runs inside a new Durable Object (one per request, as a
// durable call has), which stores a status before and a result after: the least a durable call
// can spend, so that the cost of the object itself is measured apart from our relay's.
import { DurableObject } from "cloudflare:workers";

interface Env {
  OPENROUTER_BASE_URL: string;
  FLOOR_OBJECTS: DurableObjectNamespace<ReadOnlyCall>;
}

async function readUpstream(base: string, model: string, authorization: string): Promise<number> {
  const upstream = await fetch(`${base}/chat/completions`, {
    method: "POST",
    headers: { Authorization: authorization, "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "x" }], stream: true }),
  });
  let bytes = 0;
  const reader = upstream.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
  return bytes;
}

export class ReadOnlyCall extends DurableObject<Env> {
  async read(model: string, authorization: string): Promise<number> {
    this.ctx.storage.kv.put("call", { status: "working" });
    const bytes = await readUpstream(this.env.OPENROUTER_BASE_URL, model, authorization);
    this.ctx.storage.kv.put("call", { status: "completed", bytes });
    return bytes;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const model = url.searchParams.get("model") ?? "stand-in/tokens-100";
    const authorization = request.headers.get("Authorization") ?? "";
    const bytes =
      url.searchParams.get("in") === "object"
        ? await env.FLOOR_OBJECTS.get(env.FLOOR_OBJECTS.idFromName(crypto.randomUUID())).read(model, authorization)
        : await readUpstream(env.OPENROUTER_BASE_URL, model, authorization);
    return Response.json({ bytes });
  },
};
