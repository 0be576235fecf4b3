// Every curl and MCP Inspector CLI command in the README and docs/, run as a reader would paste
// it, against a Worker and the stand-in OpenRouter: each must get an answer, not an error. The
// documents name the demo's address and key; the Worker here listens elsewhere, so only the
// address is swapped.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_KEY } from "../../stand-in/openrouter.js";
import { useWorkerWithStandIn } from "../support/fixture.js";
import { codeBlocks, readDocs, ROOT } from "../support/markdown.js";

const DEMO_ORIGIN = "http://localhost:8787";

/** The shell blocks that talk to the Worker, with where they come from. */
const COMMANDS = readDocs().flatMap((doc) =>
  codeBlocks(doc.text)
    .filter((b) => b.lang === "sh" && /^[ \t]*(?:curl |npx @modelcontextprotocol\/inspector --cli )/m.test(b.code))
    .map((b, i) => ({ name: `${doc.path}, block ${i + 1}`, code: b.code })),
);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where Inspector's CLI keeps its state during the test, instead of ~/.mcp-inspector. */
const INSPECTOR_STORAGE = mkdtempSync(join(tmpdir(), "inspector-cli-"));

function bash(script: string): Promise<Run> {
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", MCP_STORAGE_DIR: INSPECTOR_STORAGE };
  return new Promise((resolve) => {
    // set -e: a command that fails fails the block. npx finds the Inspector this project installs.
    execFile("bash", ["-ec", script], { cwd: ROOT, timeout: 60_000, env }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The JSON-RPC messages in curl's output: one JSON document a line (-w '\n'), or SSE data lines. */
function curlMessages(stdout: string): { result?: { isError?: boolean }; error?: unknown; method?: string }[] {
  return stdout
    .split("\n")
    .map((line) => line.replace(/^data: /, "").trim())
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { result?: { isError?: boolean }; error?: unknown; method?: string });
}

/**
 * For each curl command of a block, in order, whether it fails on purpose: a tool error is what
 * the comment above it (which stands for every command up to the next comment) says to expect.
 */
function failsOnPurpose(code: string): boolean[] {
  let said = "";
  return code.split("\n").flatMap((line) => {
    if (/^\s*#/.test(line)) said = line;
    return /^[ \t]*curl /.test(line) ? [said.includes("(a tool error)")] : [];
  });
}

describe("the documents' commands", { timeout: 90_000 }, () => {
  const { worker } = useWorkerWithStandIn();
  afterAll(() => rmSync(INSPECTOR_STORAGE, { recursive: true, force: true }));

  it("has commands to run", () => {
    expect(COMMANDS.filter((c) => c.code.includes("curl ")).length).toBeGreaterThanOrEqual(2);
    expect(COMMANDS.some((c) => c.code.includes("--cli"))).toBe(true);
    // The documents use the demo's key, which the stand-in accepts like any sk-or-v1-… key.
    expect(COMMANDS.every((c) => !/sk-or-v1-/.test(c.code) || c.code.includes(DEMO_KEY))).toBe(true);
  });

  it.each(COMMANDS.map((c) => [c.name, c.code] as const))("%s", async (_name, code) => {
    const run = await bash(code.replaceAll(DEMO_ORIGIN, worker.origin));
    expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
    if (code.includes("--cli")) {
      expect(run.stdout).not.toMatch(/"isError": true/);
      expect(run.stdout).toMatch(/"(tools|content)"/);
      // Inspector's schema check (a summary line without --strict, each finding with it): nothing.
      expect(run.stderr).not.toMatch(/Schema portability|Warning: tool|Error: tool/);
      return;
    }
    const answers = curlMessages(run.stdout).filter((m) => m.method === undefined);
    const failing = failsOnPurpose(code);
    expect(answers.length, run.stdout).toBe(failing.length);
    answers.forEach((answer, i) => {
      expect(answer.error, JSON.stringify(answer)).toBeUndefined();
      expect(answer.result?.isError ?? false, JSON.stringify(answer)).toBe(failing[i]);
    });
    // -w '\n': the shell prompt starts on a line of its own.
    expect(run.stdout.endsWith("\n")).toBe(true);
  });
});
