// `npm run inspector` as the README and the demo name it: MCP Inspector's web UI starts from the
// project's own devDependency (no download), pointed at a running Worker, reaches it (and is sent
// to log in), and stops on Ctrl-C leaving nothing running.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { freePort, startNpmScript } from "../support/npm-script.js";
import { ROOT } from "../support/markdown.js";
import { INSPECTOR_NODE } from "../../src/pages/clients.js";

describe("npm run inspector", { timeout: 90_000 }, () => {
  const { worker } = useWorkerWithStandIn();
  const storage = mkdtempSync(join(tmpdir(), "inspector-test-"));
  afterAll(() => rmSync(storage, { recursive: true, force: true }));

  /** Inspector's own settings: a free port, no browser, its files in a temporary folder. */
  async function inspectorEnv(): Promise<Record<string, string>> {
    return {
      CLIENT_PORT: String(await freePort()),
      MCP_SANDBOX_PORT: "0",
      MCP_APP_ORIGIN_PORT: "0",
      MCP_AUTO_OPEN_ENABLED: "false",
      MCP_INSPECTOR_SECRET_STORE: "memory",
      MCP_STORAGE_DIR: storage,
    };
  }

  it("opens Inspector's web UI pointed at the Worker, which answers it, and stops on Ctrl-C", async () => {
    const env = await inspectorEnv();
    const inspector = await startNpmScript("inspector", {
      args: [worker.mcpUrl],
      env,
      ready: /is up and running at/,
      timeoutMs: 60_000,
    });
    try {
      const ui = `http://127.0.0.1:${env.CLIENT_PORT}`;
      const page = await fetch(`${ui}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<title>MCP Inspector</title>");

      // What the UI does on Connect: Inspector's server connects to the Worker and sends initialize;
      // with no key yet, the Worker's 401 starts the login at the Worker's metadata.
      const apiToken = /Auth token: (\S+)/.exec(inspector.output())![1]!;
      const api = (path: string, body: unknown) =>
        fetch(`${ui}${path}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "x-mcp-remote-auth": `Bearer ${apiToken}` },
          body: JSON.stringify(body),
        });
      const connected = (await (
        await api("/api/mcp/connect", { config: { type: "streamable-http", url: worker.mcpUrl } })
      ).json()) as { sessionId: string };
      const initialize = {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "inspector-test", version: "1" },
        },
      };
      const sent = (await (
        await api("/api/mcp/send", { sessionId: connected.sessionId, message: initialize })
      ).json()) as { kind?: string; authChallenge?: { resourceMetadataUrl?: string } };
      expect(sent).toMatchObject({
        kind: "auth_challenge",
        authChallenge: { resourceMetadataUrl: `${worker.origin}/.well-known/oauth-protected-resource/mcp` },
      });
    } finally {
      const { exited, leftRunning } = await inspector.stop();
      expect(exited).toBe(true);
      expect(leftRunning).toBe(false);
    }
  });

  it("says what to do when nothing answers at the URL", async () => {
    const env = await inspectorEnv();
    const nowhere = `http://127.0.0.1:${await freePort()}/mcp`;
    await expect(
      startNpmScript("inspector", { args: [nowhere], env, ready: /is up and running at/, timeoutMs: 30_000 }),
    ).rejects.toThrow(/Nothing answers at http:\/\/127\.0\.0\.1:\d+\. Check the URL/);
  });
});

describe("the Node MCP Inspector needs", () => {
  it("is what the installed Inspector declares, as the landing page, the README and npm run inspector say", () => {
    const engines = (
      JSON.parse(readFileSync(join(ROOT, "node_modules/@modelcontextprotocol/inspector/package.json"), "utf8")) as {
        engines: { node: string };
      }
    ).engines.node;
    expect(engines).toBe(`>=${INSPECTOR_NODE}.0`);
  });
});
