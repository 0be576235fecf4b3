// Runs the bundled Worker in workerd (Miniflare) on loopback, with the given Worker vars.
import {
  convertV4MiniflareOptions,
  fetch as miniflareFetch,
  Log,
  LogLevel,
  Miniflare,
  type Request as MiniflareRequest,
  type Response as MiniflareResponse,
} from "miniflare";
import type { Readable } from "node:stream";
import { BUILD_DIR } from "./build-worker.js";
import { keepLog } from "./secret-ledger.js";
import { loadRuntimeOptions } from "../../scripts/wrangler-config.js";

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

export interface WorkerOptions {
  /**
   * Sees every request the Worker sends out (fetch); answer one to stand in for a site on the
   * internet (e.g. a client's metadata document), or undefined to let it through.
   */
  outbound?: (request: MiniflareRequest) => Promise<MiniflareResponse | undefined> | MiniflareResponse | undefined;
  /** Listen on this port instead of a free one: to restart a Worker with other vars at the same origin. */
  port?: number;
  /**
   * Keep Durable Objects' storage in this folder instead of in memory: a Worker started again on
   * the same folder finds what the last one stored (a restart, as a deploy does to a running call).
   */
  persistTo?: string;
  /** Run this bundled script instead of the Worker's own (with wrangler.toml's bindings all the same). */
  script?: string;
}

export async function startWorker(
  vars: Record<string, string> = {},
  options: WorkerOptions = {},
): Promise<RunningWorker> {
  const lines: string[] = [];
  const capture = (stream: Readable) => {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => lines.push(...chunk.split("\n").filter(Boolean)));
  };
  // Miniflare 5 takes a new shape of options; the v4 shape, converted, says the same in fewer words.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      scriptPath: options.script ?? `${BUILD_DIR}/index.js`,
      // wrangler.toml's compatibility date and flags, Durable Objects and rate limits.
      ...loadRuntimeOptions(BUILD_DIR),
      bindings: vars,
      host: "127.0.0.1",
      port: options.port ?? 0,
      ...(options.persistTo ? { resourcePersistencePath: options.persistTo } : {}),
      log: new CapturingLog(lines),
      ...(options.outbound
        ? {
            outboundService: async (request: MiniflareRequest) =>
              (await options.outbound!(request)) ?? miniflareFetch(request),
          }
        : {}),
      // Miniflare 5 hands the Worker's console output over as structured logs, not on stdout.
      handleStructuredLogs: ({ message }) => lines.push(...message.split("\n").filter(Boolean)),
      handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
        capture(stdout);
        capture(stderr);
      },
    }),
  );
  const url = await mf.ready;
  const origin = url.origin;
  return {
    origin,
    mcpUrl: `${origin}/mcp`,
    logs: () => lines,
    dispose: async () => {
      await mf.dispose();
      keepLog(lines);
    },
  };
}
