// Rate limits per client address (Cloudflare's Rate Limiting binding under Miniflare): keys new to
// this server are looked up RATE_LIMIT_LOGIN times a minute per address, counting only the lookups
// OpenRouter does not accept; and which address a request counts against (CF-Connecting-IP).
import { describe, expect, it } from "vitest";
import { clientAddress } from "../src/rate-limits.js";
import { useWorkerWithStandIn } from "./support/fixture.js";
import { post, rpc } from "./support/http.js";
import { inOneWindow } from "./support/rate-limit-window.js";

const { standIn, worker } = useWorkerWithStandIn({ RATE_LIMIT_LOGIN: "4" });

const from = (address: string) => ({ "CF-Connecting-IP": address });

describe("keys new to this server, per address", () => {
  const keyLookups = () => standIn.requests.filter((r) => r.method === "GET" && r.path === "/api/v1/key").length;
  const listTools = (id: number, key: string, address: string) =>
    post(worker.mcpUrl, rpc(id, "tools/list"), { key, headers: from(address), accept: "application/json" });
  /** Shaped like a key, and rejected by the stand-in (it takes only sk-or-v1-… keys). */
  const junk = (round: number, i: number) => `sk-or-v0-junk-${round}-${i}`;

  it("counts only the lookups OpenRouter does not accept: RATE_LIMIT_LOGIN of them a minute, then 429 without asking; a key it knows still passes", async () => {
    const found = await inOneWindow(async (round) => {
      const address = `192.0.2.${80 + round}`;
      const known = `sk-or-v1-person-known-${round}`;
      const statuses: number[] = [(await listTools(1, known, address)).status];
      // People behind one address (NAT, CGNAT, a shared /64), each with a key of their own: counted as nothing.
      for (let i = 0; i < 8; i++) statuses.push((await listTools(2, `sk-or-v1-person-${round}-${i}`, address)).status);
      for (let i = 0; i < 4; i++) statuses.push((await listTools(3, junk(round, i), address)).status);
      const asked = keyLookups();
      const refused = await listTools(9, `sk-or-v1-person-${round}-9`, address);
      return {
        statuses,
        refused: {
          status: refused.status,
          retryAfter: refused.headers.get("Retry-After"),
          body: (await refused.json()) as { id: unknown; error: { code: number; message: string } },
        },
        askedPastLimit: keyLookups() - asked,
        knownAgain: (await listTools(10, known, address)).status,
        elsewhere: (await listTools(11, `sk-or-v1-person-${round}-elsewhere`, `192.0.2.${90 + round}`)).status,
      };
    });
    expect(found.statuses).toEqual([...Array(9).fill(200), 401, 401, 401, 401]);
    expect(found.refused.status).toBe(429);
    expect(found.refused.retryAfter).toBe("60");
    expect(found.refused.body.id).toBe(9);
    expect(found.refused.body.error.code).toBe(-32005);
    expect(found.refused.body.error.message).toContain("Too many keys OpenRouter did not accept");
    expect(found.askedPastLimit).toBe(0);
    // A key already checked costs no lookup, so it is never refused for this; another address has its own count.
    expect(found.knownAgain).toBe(200);
    expect(found.elsewhere).toBe(200);
  });
});

describe("the client address the limits count", () => {
  const at = (address: string | undefined) =>
    clientAddress(
      new Request("https://mcp.example.com/", {
        headers: address === undefined ? {} : { "CF-Connecting-IP": address },
      }),
    );

  it("is the IPv4 address, an IPv6 one's /64, and nothing for this machine", () => {
    expect(at("203.0.113.9")).toBe("203.0.113.9");
    expect(at("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(at("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(at("2001:db8:1:2::6")).toBe("2001:db8:1:2::/64");
    expect(at("2001:db8::6")).toBe("2001:db8:0:0::/64");
    expect(at("2001:db8::1:2:3:4")).toBe("2001:db8:0:0::/64");
    for (const loopback of [undefined, "127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"])
      expect(at(loopback)).toBeUndefined();
  });
});
