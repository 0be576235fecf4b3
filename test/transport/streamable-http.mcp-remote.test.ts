// mcp-remote, the stdio bridge that Claude Desktop and other stdio-only hosts use, started from the
// bare /mcp URL: the 401 on connecting starts its OAuth, its BROWSER (test/support/consent-browser.mjs)
// approves both consent pages, and the tool call's progress reaches the stdio client.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/build-worker.js";
import { useWorkerWithStandIn } from "../support/fixture.js";

const MCP_REMOTE = `${ROOT}node_modules/mcp-remote/dist/proxy.js`;
const CONSENT_BROWSER = `${ROOT}test/support/consent-browser.mjs`;

const { standIn, worker } = useWorkerWithStandIn({ PROGRESS_INTERVAL_MS: "10" });
const home = mkdtempSync(join(tmpdir(), "mcp-remote-test-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** A port nobody listens on now, for mcp-remote's OAuth callback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("mcp-remote", () => {
  it("logs in from the bare URL when connecting, then calls the tool with progress", async () => {
    const browserLog = join(home, "browser.log");
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP_REMOTE, worker.mcpUrl, String(await freePort()), "--host", "127.0.0.1"],
      env: {
        ...env,
        BROWSER: CONSENT_BROWSER,
        CONSENT_BROWSER_LOG: browserLog,
        MCP_REMOTE_CONFIG_DIR: join(home, "config"),
      },
      stderr: "pipe",
    });
    let bridgeLog = "";
    transport.stderr?.on("data", (chunk: Buffer) => (bridgeLog += chunk.toString("utf8")));
    const client = new Client({ name: "mcp-remote-test", version: "1.0.0" });
    try {
      await client.connect(transport);
      // The browser went through our consent page, OpenRouter's (the stand-in), and back to mcp-remote.
      const visited = readFileSync(browserLog, "utf8");
      expect(visited).toContain(`${worker.origin}/authorize?`);
      expect(visited).toContain(`${standIn.authUrl}?`);
      expect(visited).toMatch(/key_label=[^&\s]+/);
      expect(visited).toMatch(/ http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?code=/);

      const progress: Progress[] = [];
      const result = await client.callTool(
        { name: "chat_completion", arguments: { prompt: "x", model: "stand-in/slow-20-10" } },
        undefined,
        { onprogress: (p) => progress.push(p) },
      );
      expect(result.isError, bridgeLog).toBeFalsy();
      expect(result.content).toEqual([{ type: "text", text: Array.from({ length: 20 }, (_, i) => `t${i} `).join("") }]);
      expect(progress.length).toBeGreaterThan(1);
      for (let i = 1; i < progress.length; i++)
        expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
      // The key it got came from the login: the stand-in issued it, and the chat call carried it.
      const issued = standIn.requests.filter((r) => r.path === "/api/v1/auth/keys");
      expect(issued).toHaveLength(1);
      expect(standIn.chatRequests().at(-1)?.headers.authorization).toMatch(/^Bearer sk-or-v1-[0-9a-f]{48}$/);
    } finally {
      await client.close();
    }
  }, 90_000);
});
