// No key ever appears in a log line, an error message or a page, whatever happens to the call.
import { describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "./support/fixture.js";
import { post, rpc } from "./support/http.js";

// Distinctive keys the stand-in accepts (any sk-or-v1- key but the revoked one).
const KEY = "sk-or-v1-SECRET-canary-0123456789abcdef";
const REVOKED = "sk-or-v1-revoked";

const { standIn, worker } = useWorkerWithStandIn({ UPSTREAM_IDLE_TIMEOUT_MS: "200" });
const seen: string[] = [];

const scenarios = [
  "stand-in/tokens-5",
  "stand-in/error-400",
  "stand-in/error-401",
  "stand-in/error-402",
  "stand-in/error-403",
  "stand-in/error-429",
  "stand-in/error-503",
  "stand-in/midstream-error-2",
  "stand-in/broken-2",
  "stand-in/hang-after-1",
  "anthropic/claude-3.5-sonnet",
];

describe("secrets", () => {
  it("never echoes the key in answers or logs, across every outcome", async () => {
    for (const accept of ["application/json", "application/json, text/event-stream"]) {
      for (const model of scenarios) {
        const res = await post(
          worker.mcpUrl,
          rpc(1, "tools/call", {
            name: "chat_completion",
            arguments: { prompt: "x", model },
            _meta: { progressToken: 1 },
          }),
          { key: KEY, accept },
        );
        seen.push([...res.headers].join("\n"), await res.text());
      }
      for (const key of [REVOKED, `${KEY} extra`, ""]) {
        const res = await post(
          worker.mcpUrl,
          rpc(2, "tools/call", { name: "chat_completion", arguments: { prompt: "x" } }),
          { accept, headers: { Authorization: `Bearer ${key}` } },
        );
        seen.push([...res.headers].join("\n"), await res.text());
      }
    }
    seen.push(await (await fetch(`${worker.origin}/`, { headers: { Authorization: `Bearer ${KEY}` } })).text());
    // The upstream did receive the key: the canary is live, so its absence below means something.
    expect(standIn.chatRequests().some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    const everything = [...seen, ...worker.logs()].join("\n");
    expect(everything).not.toContain("SECRET-canary");
    expect(everything).not.toContain(REVOKED);
  });
});

describe("HTML pages", () => {
  it("GET / forbids framing, scripts from elsewhere and referrers", async () => {
    const res = await fetch(`${worker.origin}/`);
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});
