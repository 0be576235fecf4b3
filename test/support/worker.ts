// Runs the bundled Worker in workerd (Miniflare) on loopback, with the given Worker vars.
import { Miniflare } from "miniflare";
import { BUILD_DIR } from "./build-worker.js";

export interface RunningWorker {
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  mcpUrl: string;
  dispose(): Promise<void>;
}

export async function startWorker(vars: Record<string, string> = {}): Promise<RunningWorker> {
  const mf = new Miniflare({
    modules: true,
    scriptPath: `${BUILD_DIR}/index.js`,
    compatibilityDate: "2026-04-20",
    compatibilityFlags: ["enable_request_signal"],
    bindings: vars,
    host: "127.0.0.1",
    port: 0,
  });
  const url = await mf.ready;
  const origin = url.origin;
  return { origin, mcpUrl: `${origin}/mcp`, dispose: () => mf.dispose() };
}
