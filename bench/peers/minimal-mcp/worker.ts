// The minimal MCP Worker: the least an MCP server must do for a request, and nothing else. It
// reads the body, parses it as JSON, and answers the bytes ours answers the same request with,
// taken from ours by the bench before the measurement and handed over in ANSWERS (keyed by the
// protocol version header and the method). No checks, no dispatch, no serialisation: ours reads
// beside it as what its own work costs, and beside the floor (which reads nothing) as all of it.
interface Env {
  /** JSON: { "<MCP-Protocol-Version> <method>": { body, headers } }. */
  ANSWERS: string;
}

interface Answer {
  body: string;
  headers: [string, string][];
}

/** The answers, their bodies encoded once (as ours keeps its tool list), on the first request. */
let answers: Map<string, { body: Uint8Array<ArrayBuffer>; headers: [string, string][] }> | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    answers ??= new Map(
      Object.entries(JSON.parse(env.ANSWERS) as Record<string, Answer>).map(([key, { body, headers }]) => [
        key,
        { body: new TextEncoder().encode(body), headers },
      ]),
    );
    const message = JSON.parse(await request.text()) as { method?: unknown };
    const answer = answers.get(`${request.headers.get("MCP-Protocol-Version")} ${String(message.method)}`);
    return answer ? new Response(answer.body, { headers: answer.headers }) : new Response(null, { status: 404 });
  },
};
