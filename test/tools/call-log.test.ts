// One log line per tool call (src/tools/call-log.ts): every field an operator reads, no secret,
// prompt or answer; a durable call's line from its object, once; and the caller's trace context
// carried into the line and on to OpenRouter.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { postWithKey, rpc, sseMessages } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });

const PROMPT = "a prompt that must never reach the log";
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";

type Line = Record<string, unknown>;

/** The tool-call lines the Worker has logged so far. */
function toolCallLines(): Line[] {
  return worker
    .logs()
    .filter((line) => line.includes('"event":"tool_call"'))
    .map((line) => JSON.parse(line.slice(line.indexOf("{"))) as Line);
}

/** Waits (by polling, no timing asserted) until `count` lines match. */
async function linesMatching(match: (line: Line) => boolean, count = 1): Promise<Line[]> {
  for (let i = 0; i < 200; i++) {
    const found = toolCallLines().filter(match);
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no such log line: ${JSON.stringify(toolCallLines())}`);
}

const fingerprint = createHash("sha256").update(VALID_KEY).digest("hex").slice(0, 8);

describe("the tool-call log line", () => {
  it("says what was asked and answered, what it cost, how it ended and who asked; never the key, prompt or answer", async () => {
    const res = await postWithKey(
      worker.mcpUrl,
      rpc(1, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: PROMPT, model: "stand-in/thinking-6-1" },
        _meta: { progressToken: 1, traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
      }),
      { headers: { "User-Agent": "test-client/1.2.3 (the log test)" } },
    );
    const answer = sseMessages(await res.text()).at(-1)!;
    const text = String(answer.result.structuredContent.text);
    const [line] = await linesMatching((l) => l.trace_id === TRACE_ID);
    expect(line).toMatchObject({
      event: "tool_call",
      tool: "chat_completion",
      ended: "answered",
      model_asked: "stand-in/thinking-6-1",
      model: "stand-in/thinking-6-1",
      finish_reason: "stop",
      era: "legacy",
      // A 2025 request names its client only in initialize: the User-Agent's first product stands in.
      client: "test-client/1.2.3",
      key: fingerprint,
      trace_id: TRACE_ID,
      parent_span_id: PARENT_ID,
    });
    for (const field of [
      "provider",
      "prompt_tokens",
      "completion_tokens",
      "reasoning_tokens",
      "cost",
      "ttft_ms",
      "duration_ms",
      "span_id",
    ]) {
      expect(line, field).toHaveProperty(field);
    }
    expect(line!.reasoning_tokens).toBe(6);
    expect(line!.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line!.span_id).not.toBe(PARENT_ID);
    // OpenRouter received the trace, with this call's span as the parent.
    const upstream = standIn.chatRequests().find((r) => JSON.stringify(r.body).includes(PROMPT))!;
    expect(upstream.headers.traceparent).toBe(`00-${TRACE_ID}-${line!.span_id}-01`);

    const everything = worker.logs().join("\n");
    expect(everything).not.toContain(VALID_KEY);
    expect(everything).not.toContain(PROMPT);
    expect(text.length).toBeGreaterThan(10);
    expect(everything).not.toContain(text.trim());
  });

  it("names the client a 2026-07-28 request describes, and logs a tool error, a refusal and an unknown model as such", async () => {
    const call = (id: number, args: Record<string, unknown>) =>
      postWithKey(
        worker.mcpUrl,
        rpc(id, "tools/call", {
          name: "chat_completion",
          arguments: args,
          _meta: {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": { name: "log-test", version: "9.9" },
            traceparent: "not a traceparent",
          },
        }),
        { protocolVersion: "2026-07-28", headers: { "Mcp-Method": "tools/call", "Mcp-Name": "chat_completion" } },
      );
    await (await call(2, { prompt: PROMPT, model: "stand-in/error-402" })).text();
    const [line] = await linesMatching((l) => l.client === "log-test" && l.model_asked === "stand-in/error-402");
    expect(line).toMatchObject({ era: "modern", client_version: "9.9", ended: "tool_error", key: fingerprint });
    expect(line).not.toHaveProperty("trace_id");
    await (await call(3, { prompt: PROMPT, model: "<script>" })).text();
    const [bad] = await linesMatching(
      (l) => l.client === "log-test" && l.ended === "tool_error" && l.model_asked === undefined,
    );
    expect(JSON.stringify(bad)).not.toContain("script");
  });

  it("logs list_models, which has no model or spend", async () => {
    await (
      await postWithKey(worker.mcpUrl, rpc(4, "tools/call", { name: "list_models", arguments: { query: "stand-in" } }))
    ).text();
    const [line] = await linesMatching((l) => l.tool === "list_models");
    expect(line).toMatchObject({ ended: "answered", key: fingerprint });
    expect(line).not.toHaveProperty("model");
    expect(line).not.toHaveProperty("cost");
  });

  it("logs a background call twice, with the spend once: the request that started it, and its Durable Object", async () => {
    const marker = "00000000000000000000000000abcdef";
    const start = await postWithKey(
      worker.mcpUrl,
      rpc(5, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: PROMPT, model: "stand-in/slow-5-10", background: true },
        _meta: { traceparent: `00-${marker}-${PARENT_ID}-00` },
      }),
    );
    const started = (await start.json()) as { result: { structuredContent: { completion: { id: string } } } };
    const id = started.result.structuredContent.completion.id;
    const lines = await linesMatching((l) => l.trace_id === marker, 2);
    const request = lines.find((l) => l.durable === undefined)!;
    const durable = lines.find((l) => l.durable === "background")!;
    expect(request).toMatchObject({ tool: "chat_completion", ended: "answered", completion: "working" });
    expect(request).not.toHaveProperty("completion_tokens");
    expect(durable).toMatchObject({
      tool: "chat_completion",
      ended: "answered",
      model: "stand-in/slow-5-10",
      completion_tokens: 5,
      key: fingerprint,
      client: "node",
    });
    expect(durable).toHaveProperty("ttft_ms");
    // get_completion fetches what was already paid for: its line carries no spend.
    await (
      await postWithKey(worker.mcpUrl, rpc(6, "tools/call", { name: "get_completion", arguments: { id } }))
    ).text();
    const [fetched] = await linesMatching((l) => l.tool === "get_completion");
    expect(fetched).toMatchObject({ completion: "completed", ended: "answered" });
    expect(fetched).not.toHaveProperty("completion_tokens");
    // Once from the object, however long the wait.
    expect(toolCallLines().filter((l) => l.durable === "background" && l.trace_id === marker)).toHaveLength(1);
    expect(worker.logs().join("\n")).not.toContain(PROMPT);
  });

  it("logs an MCP task as such from the request, and its work from the Durable Object", async () => {
    const marker = "0000000000000000000000000000fa5c";
    const res = await postWithKey(
      worker.mcpUrl,
      rpc(7, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: PROMPT, model: "stand-in/tokens-3" },
        task: {},
        _meta: { traceparent: `00-${marker}-${PARENT_ID}-01` },
      }),
      { headers: { "MCP-Protocol-Version": "2025-11-25" } },
    );
    expect(res.status).toBe(200);
    await res.text();
    const lines = await linesMatching((l) => l.trace_id === marker, 2);
    expect(lines.find((l) => l.durable === undefined)).toMatchObject({ ended: "task" });
    expect(lines.find((l) => l.durable === "task")).toMatchObject({
      ended: "answered",
      completion_tokens: 3,
      key: fingerprint,
    });
  });
});
