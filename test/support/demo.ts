// Runs `npm run demo` as a person would in a terminal: its own process group (a terminal's
// foreground job), the lines it prints, and Ctrl-C, which sends SIGINT to the whole group.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { ROOT } from "./build-worker.js";
import { keepLog } from "./secret-ledger.js";

export interface RunningDemo {
  port: number;
  /** What the demo printed: the MCP URL and key are read from here. */
  mcpUrl: string;
  key: string;
  output(): string;
  /** Ctrl-C. Resolves with whether npm exited in time and whether any process of its group outlived it. */
  stop(): Promise<{ exited: boolean; leftRunning: boolean }>;
}

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

export async function startDemo(): Promise<RunningDemo> {
  const port = await freePortPair(10);
  const child = spawn("npm", ["run", "demo"], {
    cwd: ROOT,
    env: { ...process.env, DEMO_PORT: String(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const group = child.pid!;
  let text = "";
  const exited = once(child, "exit").then(() => true);
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (text += chunk));
  }

  let stopped: Promise<{ exited: boolean; leftRunning: boolean }> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      signalGroup(group, "SIGINT");
      const exitedInTime = await Promise.race([exited, sleep(STOP_TIMEOUT_MS).then(() => false)]);
      // npm exits once its script does; give the rest of the group a moment to be reaped.
      let leftRunning = true;
      for (let i = 0; i < 50 && leftRunning; i++) {
        leftRunning = signalGroup(group, 0);
        if (leftRunning) await sleep(100);
      }
      if (leftRunning) signalGroup(group, "SIGKILL");
      keepLog(text.split("\n"));
      return { exited: exitedInTime, leftRunning };
    })());

  // Ready once the banner is printed whole; a demo that dies or hangs on the way fails the test with its output.
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!/Ctrl-C stops both[\s\S]*Scenarios[\s\S]*─{20,}/.test(text)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm run demo did not get ready (exit code ${child.exitCode}). It printed:\n${text}`);
    }
    await sleep(100);
  }
  const field = (name: string) => new RegExp(`^ +${name} +(\\S+)`, "m").exec(text)?.[1] ?? "";
  return { port, mcpUrl: field("MCP URL"), key: field("Key"), output: () => text, stop };
}

/** True when some process of the group exists (signal 0 only checks). */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

/** A free port whose neighbour `offset` above is free too (the demo's stand-in goes there). */
async function freePortPair(offset: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await listenBriefly(0);
    if (port !== undefined && port + offset <= 65535 && (await listenBriefly(port + offset)) !== undefined) return port;
  }
  throw new Error("found no two free ports for the demo");
}

function listenBriefly(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
