// `npm run demo` as a person runs it (test/support/npm-script.ts), on a free port, with the MCP
// URL and key read from what it prints.
import { freePortPair, startNpmScript } from "./npm-script.js";

export interface RunningDemo {
  port: number;
  /** What the demo printed: the MCP URL and key are read from here. */
  mcpUrl: string;
  key: string;
  output(): string;
  /** Ctrl-C. Resolves with whether npm exited in time and whether any process of its group outlived it. */
  stop(): Promise<{ exited: boolean; leftRunning: boolean }>;
}

export async function startDemo(): Promise<RunningDemo> {
  const port = await freePortPair(10);
  // Ready once the banner is printed whole.
  const demo = await startNpmScript("demo", {
    env: { DEMO_PORT: String(port) },
    ready: /Ctrl-C stops both[\s\S]*Scenarios[\s\S]*─{20}/,
    timeoutMs: 120_000,
  });
  const field = (name: string) => new RegExp(`^ +${name} +(\\S+)`, "m").exec(demo.output())?.[1] ?? "";
  return { port, mcpUrl: field("MCP URL"), key: field("Key"), output: demo.output, stop: demo.stop };
}
