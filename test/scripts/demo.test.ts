// `npm run demo` as a newcomer uses it: started on a free port, the MCP URL and key read from
// what it prints, a call that streams progress, the printed curl call pasted, a stalled upstream
// ended by the demo's short idle timeout, a login from the bare URL and one in a browser (offline:
// through the stand-in, never openrouter.ai), then Ctrl-C and nothing left running.
// (npm run inspector, which it names too, has its own test.) Then `npm run stand-in`, whose printed
// wrangler dev line is pasted as it is, and `npm run demo -- --help`, which starts nothing.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { auth } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { TestBrowser } from "../support/browser.js";
import { useDemo } from "../support/fixture.js";
import { freePortPair, startCommandLine, startNpmScript, type RunningScript } from "../support/npm-script.js";
import { rawGet } from "../support/http.js";
import { ROOT } from "../support/markdown.js";
import { MemoryOAuthProvider, walkConsent } from "../support/oauth.js";
import { curlCall } from "../../src/pages/clients.js";
import { DEMO_KEY, SCENARIOS } from "../../stand-in/openrouter.js";
import { isListening } from "../../scripts/ports.js";

const demo = useDemo();

/** `npm run demo -- <args>` run to its end: its exit code and what it printed. */
function runDemoToEnd(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) =>
    execFile(
      "npm",
      ["run", "demo", "--", ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    ),
  );
}

describe("npm run demo", { timeout: 60_000 }, () => {
  it("prints the MCP URL, a key that works and the scenarios to try, without wrangler's Request.cf noise", () => {
    expect(demo.mcpUrl).toBe(`http://localhost:${demo.port}/mcp`);
    expect(demo.key).toBe(DEMO_KEY);
    for (const scenario of SCENARIOS.filter((s) => s.example !== undefined))
      expect(demo.output()).toContain(scenario.example);
    expect(demo.output()).toContain(`http://127.0.0.1:${demo.port + 10}`);
    expect(demo.output()).not.toContain("Request.cf");
  });

  it("answers a call with the printed key, streaming progress as the answer grows", async () => {
    const client = new Client({ name: "demo-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(demo.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${demo.key}` } },
      }),
    );
    try {
      const progress: Progress[] = [];
      const result = await client.callTool(
        { name: "chat_completion", arguments: { prompt: "hello demo" } },
        undefined,
        {
          onprogress: (p) => progress.push(p),
        },
      );
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ finish_reason: "stop" });
      expect((result.structuredContent as { text: string }).text).toMatch(
        /^Echo: hello demo\n\nHello from the stand-in OpenRouter\./,
      );
      // Some 230 tokens, a word every 10 ms: progress to watch, not a single notification.
      expect(progress.length).toBeGreaterThan(5);
      for (let i = 1; i < progress.length; i++)
        expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
    } finally {
      await client.close();
    }
  });

  it("names the clients to start, and its curl call works as pasted, ending with a newline", async () => {
    expect(demo.output()).toContain(`DEMO_PORT=${demo.port} npm run inspector`);
    expect(demo.output()).toContain(`npx -y mcp-remote ${demo.mcpUrl}`);
    const printed = /^ {2}(curl [\s\S]*?\}\}\}')$/m.exec(demo.output())?.[1];
    expect(printed, demo.output()).toBeDefined();
    const command = printed!.replace(/^ {2}/gm, "");
    expect(command).toBe(curlCall(demo.mcpUrl, DEMO_KEY));
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile("bash", ["-c", command], { timeout: 30_000 }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    expect(stdout.endsWith("}\n")).toBe(true);
    expect(JSON.parse(stdout)).toMatchObject({ id: 1, result: { structuredContent: { finish_reason: "stop" } } });
  });

  it("ends a call to an upstream that stops answering after the demo's short idle timeout", async () => {
    const client = new Client({ name: "demo-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(demo.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${demo.key}` } },
      }),
    );
    try {
      const result = await client.callTool({
        name: "chat_completion",
        arguments: { prompt: "x", model: "stand-in/hang-after-2" },
      });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toMatchObject({
        text: "t0 t1 ",
        error: expect.stringMatching(/stopped sending for 5 s/),
      });
    } finally {
      await client.close();
    }
  });

  it("logs an MCP client in from the bare URL, through the stand-in's consent page", async () => {
    const provider = new MemoryOAuthProvider();
    expect(await auth(provider, { serverUrl: demo.mcpUrl })).toBe("REDIRECT");
    const dance = await walkConsent(new TestBrowser(), provider.authorizationUrl!.href, { limit: "3" });
    expect(dance.openRouterUrl.origin).toBe(`http://127.0.0.1:${demo.port + 10}`);
    expect(
      await auth(provider, { serverUrl: demo.mcpUrl, authorizationCode: dance.final.searchParams.get("code")! }),
    ).toBe("AUTHORIZED");

    const client = new Client({ name: "demo-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(demo.mcpUrl), { authProvider: provider }));
    try {
      const result = await client.callTool({
        name: "chat_completion",
        arguments: { prompt: "logged in", model: "stand-in/tokens-3" },
      });
      expect(result.content).toEqual([{ type: "text", text: "t0 t1 t2 " }]);
    } finally {
      await client.close();
    }
  });

  it("shows a browser opening / the landing page, whose login goes to the stand-in's consent page, not to openrouter.ai", async () => {
    const home = `http://localhost:${demo.port}/`;
    const opened = await rawGet(home, {
      "Sec-Fetch-Mode": "navigate",
      "Sec-Fetch-Dest": "document",
      Accept: "text/html",
    });
    expect(opened.status).toBe(200);
    expect(opened.body).toContain('href="/login"');
    // wrangler dev serves the page's styles from public/, and its script and the MCP Apps view from
    // public/build/, which its [build] step (npm run build:web) wrote first (wrangler.toml).
    for (const asset of ["style.css", "build/playground.js", "build/completion-view.html"])
      expect((await fetch(`${home}${asset}`)).status, asset).toBe(200);
    const view = await fetch(`${home}build/completion-view.html`);
    expect(view.headers.get("Content-Security-Policy")).toContain("connect-src 'none'");
    const standIn = `http://127.0.0.1:${demo.port + 10}/`;
    const { stoppedAt } = await new TestBrowser().navigate(`${home}login`, (next) => !next.startsWith(standIn));
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

describe("npm run stand-in", { timeout: 120_000 }, () => {
  it("prints a wrangler dev line that, pasted, runs the Worker against it offline, with no stack trace", async () => {
    const port = await freePortPair(10);
    const standIn = await startNpmScript("stand-in", {
      env: { DEMO_PORT: String(port) },
      ready: /A key it accepts: \S+/,
      timeoutMs: 60_000,
    });
    let worker: RunningScript | undefined;
    try {
      const line = /^ {2}(\S.*wrangler dev .*)$/m.exec(standIn.output())?.[1];
      expect(line, standIn.output()).toBeDefined();
      expect(line).toContain(`--port ${port} `);
      // docs/demo.md shows the line for the default port.
      const documented = /^(CLOUDFLARE_CF_FETCH_ENABLED=false npx wrangler dev .*)$/m.exec(
        readFileSync(join(ROOT, "docs/demo.md"), "utf8"),
      )?.[1];
      expect(documented?.replaceAll("8797", String(port + 10)).replaceAll("8787", String(port))).toBe(line);
      worker = await startCommandLine(line!, { ready: /Ready on http/, timeoutMs: 90_000 });
      // The landing page names the stand-in the line points at, and a call goes through it.
      const page = await fetch(`http://localhost:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`a stand-in on this machine (<code>http://127.0.0.1:${port + 10}</code>)`);
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          "bash",
          ["-c", curlCall(`http://localhost:${port}/mcp`, DEMO_KEY)],
          { timeout: 30_000 },
          (error, out) => (error ? reject(error) : resolve(out)),
        ),
      );
      expect(JSON.parse(stdout)).toMatchObject({ id: 1, result: { structuredContent: { finish_reason: "stop" } } });
      // No stack trace (offline, wrangler's download of Request.cf data prints one unless it is off).
      expect(worker.output()).not.toMatch(/^ +at /m);
      expect(worker.output()).not.toMatch(/Request\.cf|ENOTFOUND|\bError\b/);
    } finally {
      await worker?.stop();
      await standIn.stop();
    }
  });
});

describe("npm run demo -- --help", { timeout: 90_000 }, () => {
  it("prints how to run the demo and exits 0, starting nothing", async () => {
    for (const flag of ["--help", "-h"]) {
      const port = await freePortPair(10);
      const { code, output } = await runDemoToEnd([flag], { DEMO_PORT: String(port) });
      expect(code, output).toBe(0);
      for (const line of ["DEMO_PORT=8790 npm run demo", "npm run stand-in", "--stand-in-only", "TOKEN_DELAY_MS"])
        expect(output).toContain(line);
      expect(output).not.toMatch(/Starting the stand-in|wrangler dev is taking/);
      for (const taken of [port, port + 10]) expect(await isListening(taken)).toBe(false);
    }
    // Help comes first: a DEMO_PORT the demo would refuse does not stand in its way.
    expect((await runDemoToEnd(["--help"], { DEMO_PORT: "not-a-port" })).code).toBe(0);
  });

  it("names an option it does not know, points to --help and exits non-zero, starting nothing", async () => {
    const port = await freePortPair(10);
    const { code, output } = await runDemoToEnd(["--port", "8790"], { DEMO_PORT: String(port) });
    expect(code).not.toBe(0);
    expect(output).toContain("Unknown option '--port'. npm run demo -- --help lists what the demo takes.");
    for (const taken of [port, port + 10]) expect(await isListening(taken)).toBe(false);
  });
});
