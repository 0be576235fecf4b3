// Bodies over the limit, with a Content-Length or chunked: 413, and the Worker answers the next
// request normally. (Under wrangler dev, cancelling such a body made its proxy answer the next
// request 503; that is checked by hand there, see the README's hardening section.)
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { post, rpc } from "../support/http.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";

const { worker } = useWorkerWithStandIn();

/** A chunked body (no Content-Length) of `bytes` bytes, sent 64 KiB at a time. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  const piece = new Uint8Array(64 * 1024).fill(0x61);
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      controller.enqueue(piece.subarray(0, Math.min(left, piece.length)));
      left -= piece.length;
    },
  });
}

/** A key the stand-in accepts: past 1 MiB, /mcp reads only for a key OpenRouter has vouched for. */
const WITH_KEY = { Authorization: `Bearer ${VALID_KEY}` };

describe.each([
  // /mcp reads up to 16 MiB from a caller with a key, since a lone tools/call may carry images
  // and files; past 1 MiB any other message is refused once read
  // (test/tools/chat-completion.features.test.ts), and a caller without a key gets 401 unread
  // (test/transport/limits.big-bodies.test.ts).
  ["/mcp", "application/json", 16 * 1024 * 1024, WITH_KEY],
  ["/register", "application/json", 16 * 1024, {}],
  ["/token", "application/x-www-form-urlencoded", 16 * 1024, {}],
])("a body over the limit at %s", (path, contentType, limit, headers) => {
  it("chunked gets 413, and the next request is served", async () => {
    const res = await fetch(`${worker.origin}${path}`, {
      method: "POST",
      headers: { "Content-Type": contentType, Accept: "application/json", ...headers },
      body: chunked(limit + 200_000),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    await res.body?.cancel();
    const next = await post(worker.mcpUrl, rpc(1, "ping"), { key: VALID_KEY });
    expect(next.status).toBe(200);
  });

  it("with a Content-Length gets 413 before the body is sent, and the next request is served", async () => {
    // Only the headers go out: the answer must come from the Content-Length alone. (Sending the
    // body too races the server's close against the client's writes: a reset may eat the 413.)
    expect(await statusForDeclaredLength(`${worker.origin}${path}`, contentType, limit + 200_000, headers)).toBe(413);
    const next = await post(worker.mcpUrl, rpc(1, "ping"), { key: VALID_KEY });
    expect(next.status).toBe(200);
  });
});

/** Sends headers that declare `length` bytes, then waits for the answer's status without sending any. */
function statusForDeclaredLength(
  url: string,
  contentType: string,
  length: number,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent: false,
        headers: {
          ...headers,
          "Content-Type": contentType,
          Accept: "application/json",
          "Content-Length": String(length),
        },
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      },
    );
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
    req.flushHeaders();
  });
}
