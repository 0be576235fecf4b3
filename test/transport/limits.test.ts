// What one /mcp request may ask: a batch holds a few dozen messages, its answers must fit a
// budget, and an id or a progress token is at most a few hundred characters. Beyond, the request
// is refused whole, with a small JSON-RPC error, before any of it is worked on (issue 16 §1).
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { REVOKED_KEY, VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { chatCall, postWithKey as post, rpc, sseMessages } from "../support/http.js";

const { standIn, worker } = useWorkerWithStandIn();

const BATCH = "2025-03-26";
const listMembers = (count: number) => Array.from({ length: count }, (_, i) => rpc(i, "tools/list"));
const chat = (id: number, meta?: Record<string, unknown>) =>
  chatCall({ prompt: "x", model: "stand-in/tokens-3" }, meta, id);

/** The answer's body, which must be one small JSON-RPC error with this code. */
async function refusal(
  res: Response,
  code: number,
): Promise<{ id: unknown; error: { code: number; message: string } }> {
  const text = await res.text();
  expect(text.length).toBeLessThan(1024);
  const body = JSON.parse(text);
  expect(body).toMatchObject({ jsonrpc: "2.0", error: { code } });
  return body;
}

describe("batches", () => {
  it("refuses 3,000 tools/list in 141 KB (once answered with 18.6 MB) with one small error", async () => {
    const body = JSON.stringify(listMembers(3_000));
    expect(body.length).toBeGreaterThan(140_000);
    const res = await post(worker.mcpUrl, body, { protocolVersion: BATCH });
    expect(res.status).toBe(400);
    const { id, error } = await refusal(res, -32600);
    expect(id).toBeNull();
    expect(error.message).toBe(
      "Invalid Request: a batch may hold at most 32 messages, not 3000. Send the rest in further requests.",
    );
  });

  it("refuses a full 1 MiB batch of tools/list the same way", async () => {
    const member = JSON.stringify(rpc(1, "tools/list"));
    const count = Math.floor((1024 * 1024 - 2) / (member.length + 1));
    const res = await post(worker.mcpUrl, `[${Array(count).fill(member).join(",")}]`, { protocolVersion: BATCH });
    expect(res.status).toBe(400);
    expect((await refusal(res, -32600)).error.message).toContain("at most 32 messages");
  });

  it("answers a batch of 32 pings", async () => {
    const res = await post(
      worker.mcpUrl,
      Array.from({ length: 32 }, (_, i) => rpc(i, "ping")),
      { protocolVersion: BATCH },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(32);
  });

  it("refuses 32 tools/list, whose answers would take some 200 KB, and answers a few", async () => {
    const refused = await post(worker.mcpUrl, listMembers(32), { protocolVersion: BATCH });
    expect(refused.status).toBe(400);
    expect((await refusal(refused, -32600)).error.message).toMatch(
      /^Invalid Request: answering this batch would take about \d+ KB, more than the 128 KB one request may ask for/,
    );
    const answered = await post(worker.mcpUrl, listMembers(4), { protocolVersion: BATCH });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toHaveLength(4);
  });

  it("counts a tasks/list as the full page it may answer: 32 (once some 165 KB of answers) are refused, 3 answered", async () => {
    const lists = (count: number) => Array.from({ length: count }, (_, i) => rpc(i, "tasks/list"));
    const refused = await post(worker.mcpUrl, lists(32), { protocolVersion: BATCH });
    expect(refused.status).toBe(400);
    expect((await refusal(refused, -32600)).error.message).toMatch(/^Invalid Request: answering this batch would take/);
    const answered = await post(worker.mcpUrl, lists(3), { protocolVersion: BATCH, accept: "application/json" });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toHaveLength(3);
  });

  it("counts a list_models call as the full page it may answer: 32 are refused, 4 answered", async () => {
    const pages = (count: number) =>
      Array.from({ length: count }, (_, i) => rpc(i, "tools/call", { name: "list_models", arguments: { limit: 50 } }));
    const refused = await post(worker.mcpUrl, pages(32), { protocolVersion: BATCH, accept: "application/json" });
    expect(refused.status).toBe(400);
    await refusal(refused, -32600);
    const answered = await post(worker.mcpUrl, pages(4), { protocolVersion: BATCH, accept: "application/json" });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toHaveLength(4);
  });

  it("refuses before any of the work: a batch over the limits sends nothing upstream", async () => {
    const before = standIn.chatRequests().length;
    const calls = Array.from({ length: 33 }, (_, i) => chat(i));
    const res = await post(worker.mcpUrl, calls, { protocolVersion: BATCH, accept: "application/json" });
    expect(res.status).toBe(400);
    await refusal(res, -32600);
    expect(standIn.chatRequests().length).toBe(before);
  });
});

describe("stored results in a batch", () => {
  // A finished task's result (or a background completion's) may hold up to 1 MB of images, and
  // reading it again costs nothing: 31 tasks/result for one such task once answered 29.6 MB to a
  // request of 3 KB, all held in memory to be joined.
  it("are refused when asked for with anything else, and answered alone", async () => {
    const created = await post(
      worker.mcpUrl,
      rpc(1, "tools/call", {
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/image-1-700", modalities: ["image", "text"] },
        task: {},
      }),
      { accept: "application/json", protocolVersion: "2025-11-25" },
    );
    const taskId: string = (await created.json()).result.task.taskId;
    const result = (id: number) => rpc(id, "tasks/result", { taskId });
    const alone = await post(worker.mcpUrl, result(2), { accept: "application/json", protocolVersion: "2025-11-25" });
    expect(JSON.stringify(await alone.json()).length).toBeGreaterThan(700_000);
    for (const batch of [Array.from({ length: 31 }, (_, i) => result(i)), [result(1), rpc(2, "ping")]]) {
      const refused = await post(worker.mcpUrl, batch, { protocolVersion: BATCH, accept: "application/json" });
      expect(refused.status).toBe(400);
      expect((await refusal(refused, -32600)).error.message).toMatch(
        /^Invalid Request: answering this batch would take about \d+ KB/,
      );
    }
    const waits = [1, 2].map((i) =>
      rpc(i, "tools/call", { name: "get_completion", arguments: { id: taskId, wait: 0 } }),
    );
    const refusedWaits = await post(worker.mcpUrl, waits, { protocolVersion: BATCH, accept: "application/json" });
    expect(refusedWaits.status).toBe(400);
    await refusal(refusedWaits, -32600);
  });
});

describe("ids and progress tokens", () => {
  it("refuses an id of 1 MB without echoing it", async () => {
    const res = await post(worker.mcpUrl, rpc("i".repeat(1_000_000), "ping"));
    expect(res.status).toBe(400);
    const { id, error } = await refusal(res, -32600);
    expect(id).toBeNull();
    expect(error.message).toBe('Invalid Request: "id" must be at most 256 characters');
  });

  it("takes an id of 256 characters", async () => {
    const id = "i".repeat(256);
    const res = await post(worker.mcpUrl, rpc(id, "ping"));
    expect(await res.json()).toEqual({ jsonrpc: "2.0", id, result: {} });
  });

  it("refuses a progress token of 1 MB (once copied into every progress notification) before calling upstream", async () => {
    const before = standIn.chatRequests().length;
    const res = await post(worker.mcpUrl, chat(5, { progressToken: "p".repeat(1_000_000) }));
    const { id, error } = await refusal(res, -32602);
    expect(id).toBe(5);
    expect(error.message).toBe("Invalid params: _meta.progressToken must be at most 256 characters");
    expect(standIn.chatRequests().length).toBe(before);
  });

  it("echoes a progress token of 256 characters in its notifications", async () => {
    const token = "p".repeat(256);
    const res = await post(worker.mcpUrl, chat(6, { progressToken: token }));
    const messages = sseMessages(await res.text());
    const progress = messages.filter((m) => m.method === "notifications/progress");
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((m) => m.params.progressToken === token)).toBe(true);
    expect(messages.at(-1)).toMatchObject({ id: 6, result: { structuredContent: { text: "t0 t1 t2 " } } });
  });

  it("quotes an unknown method of 1 MB cut short", async () => {
    const res = await post(worker.mcpUrl, rpc(7, "m".repeat(1_000_000)));
    const { error } = await refusal(res, -32601);
    expect(error.message).toBe(`Method not found: "${"m".repeat(100)}…"`);
  });
});

describe("a body past 1 MiB", () => {
  // Only a lone tools/call may pass 1 MiB (images and files), and only with a key OpenRouter
  // accepts: a stranger's megabytes are neither held nor parsed (16 MiB of them made some 60 MB
  // of strings and objects before the 401, and a few such requests could exhaust an isolate).
  const big = "x".repeat(2 * 1024 * 1024);
  const call = JSON.stringify(rpc(8, "tools/call", { name: "chat_completion", arguments: { prompt: big } }));

  it("declared by a caller without a key gets the 401 that asks for one from the headers alone, the body never read", async () => {
    const { status, authenticate } = await answerToHeaders(worker.mcpUrl, call.length);
    expect(status).toBe(401);
    expect(authenticate).toMatch(/^Bearer resource_metadata="/);
  });

  it.each([
    ["without a key", {}, /^Bearer resource_metadata="[^"]+"$/],
    ["with a key OpenRouter rejects", { Authorization: `Bearer ${REVOKED_KEY}` }, /error="invalid_token"/],
    ["with a token shaped like no key", { Authorization: "Bearer not-an-openrouter-key" }, /error="invalid_token"/],
  ])(
    "sent chunked %s gets 401 once past 1 MiB, unparsed: not JSON at all is no 400 or 413, and its id is not known",
    async (_, headers, challenge) => {
      for (const text of [call, `{${big}`]) {
        const bytes = new TextEncoder().encode(text);
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.subarray(at, at + 64 * 1024));
            controller.close();
          },
        });
        const res = await fetch(worker.mcpUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
          body,
          duplex: "half",
        } as RequestInit);
        expect(res.status).toBe(401);
        expect(res.headers.get("WWW-Authenticate")).toMatch(challenge);
        expect((await refusal(res, -32001)).id).toBeNull();
      }
    },
  );

  it("with a key OpenRouter accepts is read: a lone tools/call is answered", async () => {
    const res = await post(worker.mcpUrl, call, { accept: "application/json" });
    expect(res.status).toBe(200);
    expect((await res.json()).result.structuredContent.text).toMatch(/^Echo: x{100}/);
  });

  // Each took some 100 MiB of workerd's memory by the time it was parsed and sent on (npm run
  // bench): six at once took 540 MiB, where an isolate has 128 MB.
  it("is read one at a time: while one is read, the next is answered 503 with Retry-After, a ping meanwhile 200", async () => {
    const { first, refused } = await whileOneIsRead();
    expect(refused.headers.get("Retry-After")).toBe("2");
    expect((await refusal(refused, -32006)).error.message).toContain("one at a time");
    expect((await post(worker.mcpUrl, rpc(9, "ping"), { accept: "application/json" })).status).toBe(200);
    first.finish();
    expect((await first.answer).status).toBe(200);
    // The place is free again.
    expect((await post(worker.mcpUrl, call, { accept: "application/json" })).status).toBe(200);
  });

  it("frees its place when the client goes away in the middle of the body", async () => {
    const { first } = await whileOneIsRead();
    first.abort();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      const res = await post(worker.mcpUrl, call, { accept: "application/json" });
      status = res.status;
      await res.text();
    }
    expect(status).toBe(200);
  });

  /**
   * A big call stalled in the middle of its body, and the 503 another one got meanwhile. Which of
   * two big bodies takes the place is a race: the stalled one may lose it to the other (and be
   * refused itself), so the pair is tried again until it holds it.
   */
  async function whileOneIsRead(): Promise<{ first: StalledCall; refused: Response }> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const first = stalledBigCall();
      await first.stalled;
      // Pacing, not a measurement: the stalled body's bytes reach the Worker meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
      const second = await post(worker.mcpUrl, call, { accept: "application/json" });
      if (second.status === 503) return { first, refused: second };
      await second.text();
      first.abort();
    }
    throw new Error("no big body was ever refused while another was read");
  }

  interface StalledCall {
    /** Once its first 1.5 MiB are sent. */
    stalled: Promise<void>;
    answer: Promise<Response>;
    finish(): void;
    abort(): void;
  }

  /** A big tools/call sent chunked: 1.5 MiB of it at once, the rest when the test says. */
  function stalledBigCall(): StalledCall {
    const bytes = new TextEncoder().encode(
      JSON.stringify(rpc(10, "tools/call", { name: "chat_completion", arguments: { prompt: "y".repeat(3 << 20) } })),
    );
    const stall = 1.5 * 1024 * 1024;
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let stalled = () => {};
    const reachedStall = new Promise<void>((resolve) => (stalled = resolve));
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (at >= stall) {
          stalled();
          await finished;
        }
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(at, (at += 64 * 1024)));
      },
    });
    const going = new AbortController();
    const answer = fetch(worker.mcpUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${VALID_KEY}` },
      body,
      duplex: "half",
      signal: going.signal,
    } as RequestInit);
    // Awaited by the test when it cares; a refused or abandoned one must not fail the run.
    answer.catch(() => {});
    return { stalled: reachedStall, answer, finish: () => finish(), abort: () => going.abort() };
  }
});

/** Sends headers that declare `length` bytes of JSON, then waits for the answer without sending any body. */
function answerToHeaders(url: string, length: number): Promise<{ status: number; authenticate: string | undefined }> {
  return new Promise((resolve, reject) => {
    const headers = {
      "Content-Type": "application/json",
      Accept: "application/json",
      "Content-Length": String(length),
    };
    const req = request(url, { method: "POST", agent: false, headers }, (res) => {
      resolve({ status: res.statusCode ?? 0, authenticate: res.headers["www-authenticate"] });
      res.resume();
      req.destroy();
    });
    req.on("error", reject);
    req.setTimeout(4_000, () => req.destroy(new Error("no answer within 4 s: the Worker waited for the body")));
    req.flushHeaders();
  });
}
