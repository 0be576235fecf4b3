// `npm run demo` as a newcomer uses it: started on a free port, the MCP URL and key read from
// what it prints, a call that streams progress, a login from the bare URL and one in a browser
// (offline: through the stand-in, never openrouter.ai), then Ctrl-C and nothing left running.
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { TestBrowser } from "../support/browser.js";
import { useDemo } from "../support/fixture.js";
import { rawGet } from "../support/http.js";
import { MemoryOAuthProvider, walkConsent } from "../support/oauth.js";
import { DEMO_KEY, SCENARIOS } from "../../stand-in/openrouter.js";
import { isListening } from "../../scripts/ports.js";

const demo = useDemo();

describe("npm run demo", { timeout: 60_000 }, () => {
  it("prints the MCP URL, a key that works and the scenarios to try, without wrangler's Request.cf noise", () => {
    expect(demo.mcpUrl).toBe(`http://localhost:${demo.port}/mcp`);
    expect(demo.key).toBe(DEMO_KEY);
    for (const scenario of SCENARIOS.filter((s) => s.example !== undefined)) expect(demo.output()).toContain(scenario.example);
    expect(demo.output()).toContain(`http://127.0.0.1:${demo.port + 10}`);
    expect(demo.output()).not.toContain("Request.cf");
  });

  it("answers a call with the printed key, streaming progress as the answer grows", async () => {
    const client = new Client({ name: "demo-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(demo.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${demo.key}` } } }));
    try {
      const progress: Progress[] = [];
      const result = await client.callTool({ name: "chat_completion", arguments: { prompt: "hello demo" } }, undefined, {
        onprogress: (p) => progress.push(p),
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ finish_reason: "stop", usage: { completion_tokens: 300 } });
      expect((result.structuredContent as { text: string }).text).toMatch(/^Echo: hello demo\n\nThis answer comes from the stand-in/);
      // 300 tokens over about 3 s: progress to watch, not a single notification.
      expect(progress.length).toBeGreaterThan(5);
      for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
    } finally {
      await client.close();
    }
  });

  it("logs an MCP client in from the bare URL, through the stand-in's consent page", async () => {
    const provider = new MemoryOAuthProvider();
    expect(await auth(provider, { serverUrl: demo.mcpUrl })).toBe("REDIRECT");
    const dance = await walkConsent(new TestBrowser(), provider.authorizationUrl!.href, { limit: "3" });
    expect(dance.openRouterUrl.origin).toBe(`http://127.0.0.1:${demo.port + 10}`);
    expect(await auth(provider, { serverUrl: demo.mcpUrl, authorizationCode: dance.final.searchParams.get("code")! })).toBe("AUTHORIZED");

    const client = new Client({ name: "demo-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(demo.mcpUrl), { authProvider: provider }));
    try {
      const result = await client.callTool({ name: "chat_completion", arguments: { prompt: "logged in", model: "stand-in/tokens-3" } });
      expect(result.content).toEqual([{ type: "text", text: "t0 t1 t2 " }]);
    } finally {
      await client.close();
    }
  });

  it("sends a browser opening / to the stand-in's consent page, not to openrouter.ai", async () => {
    const home = `http://localhost:${demo.port}/`;
    const opened = await rawGet(home, { "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", Accept: "text/html" });
    expect(opened.status).toBe(302);
    const standIn = `http://127.0.0.1:${demo.port + 10}/`;
    const { stoppedAt } = await new TestBrowser().navigate(new URL(String(opened.headers.location), home).href, (next) => !next.startsWith(standIn));
    expect(stoppedAt).toMatch(new RegExp(`^${standIn}auth\\?`));
    const consent = await fetch(stoppedAt!);
    expect(consent.status).toBe(200);
    expect(await consent.text()).toContain("Credit limit");
  });

  it("stops the Worker and the stand-in on Ctrl-C, leaving nothing running", async () => {
    const { exited, leftRunning } = await demo.stop();
    expect(exited).toBe(true);
    expect(leftRunning).toBe(false);
    expect(demo.output()).toContain("Stopped the Worker and the stand-in OpenRouter.");
    for (const port of [demo.port, demo.port + 10]) expect(await isListening(port)).toBe(false);
  });
});
