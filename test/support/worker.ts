// Runs the bundled Worker in workerd (Miniflare) on loopback, with the given Worker vars.
import { Log, LogLevel, Miniflare } from "miniflare";
import type { Readable } from "node:stream";
import { BUILD_DIR } from "./build-worker.js";

export interface RunningWorker {
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  mcpUrl: string;
  /** Everything workerd and Miniflare printed: the Worker's console output included. */
  logs(): string[];
  dispose(): Promise<void>;
}

/** Keeps Miniflare's own log lines instead of printing them. */
class CapturingLog extends Log {
  constructor(private readonly lines: string[]) {
    super(LogLevel.DEBUG);
  }
  protected override log(message: string): void {
    this.lines.push(message);
  }
}

export async function startWorker(vars: Record<string, string> = {}): Promise<RunningWorker> {
  const lines: string[] = [];
  const capture = (stream: Readable) => {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => lines.push(...chunk.split("\n").filter(Boolean)));
  };
  const mf = new Miniflare({
    modules: true,
    scriptPath: `${BUILD_DIR}/index.js`,
    compatibilityDate: "2026-04-20",
    compatibilityFlags: ["enable_request_signal"],
    bindings: vars,
    host: "127.0.0.1",
    port: 0,
    log: new CapturingLog(lines),
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      capture(stdout);
      capture(stderr);
    },
  });
  const url = await mf.ready;
  const origin = url.origin;
  return { origin, mcpUrl: `${origin}/mcp`, logs: () => lines, dispose: () => mf.dispose() };
}
