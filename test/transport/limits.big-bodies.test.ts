// A /mcp body past 1 MiB: only a lone tools/call with a key OpenRouter accepts is read, one such
// body at a time per isolate; a stranger's megabytes are refused from the headers or once past
// 1 MiB, unparsed (issue 16 §1, issue 24 §3).
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { REVOKED_KEY, VALID_KEY } from "../../stand-in/openrouter.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { postWithKey as post, rpc, smallRpcError } from "../support/http.js";

// The stand-in answers the key lookups.
const { worker } = useWorkerWithStandIn();

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
        expect((await smallRpcError(res, -32001)).id).toBeNull();
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
    expect((await smallRpcError(refused, -32006)).error.message).toContain("one at a time");
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
