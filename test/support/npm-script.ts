// Runs an npm script, or a command line it printed, as a person would in a terminal: its own
// process group (a terminal's foreground job), the lines it prints, and Ctrl-C, which sends
// SIGINT to the whole group.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { ROOT } from "./build-worker.js";
import { keepLog } from "./secret-ledger.js";

export interface RunningScript {
  /** What it printed so far, stdout and stderr together. */
  output(): string;
  /** Ctrl-C. Resolves with whether npm exited in time and whether any process of its group outlived it. */
  stop(): Promise<{ exited: boolean; leftRunning: boolean }>;
}

const STOP_TIMEOUT_MS = 20_000;

/**
 * `npm run <script> [-- args]` with these extra environment variables; resolves once `ready`
 * matches what it printed, and fails with its output if it exits or `timeoutMs` passes first.
 */
export function startNpmScript(
  script: string,
  options: { args?: string[]; env?: Record<string, string>; ready: RegExp; timeoutMs: number },
): Promise<RunningScript> {
  const args = ["run", script, ...(options.args?.length ? ["--", ...options.args] : [])];
  return startJob(`npm run ${script}`, "npm", args, options);
}

/** A command line pasted into a shell in the project's folder, as a person would from what a script printed. */
export function startCommandLine(
  line: string,
  options: { env?: Record<string, string>; ready: RegExp; timeoutMs: number },
): Promise<RunningScript> {
  return startJob(line, "bash", ["-c", line], options);
}

async function startJob(
  name: string,
  file: string,
  args: string[],
  options: { env?: Record<string, string>; ready: RegExp; timeoutMs: number },
): Promise<RunningScript> {
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
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

  const deadline = Date.now() + options.timeoutMs;
  while (!options.ready.test(text)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not get ready (exit code ${child.exitCode}). It printed:\n${text}`);
    }
    await sleep(100);
  }
  return { output: () => text, stop };
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

/** A free port on 127.0.0.1 (free when asked: something else may take it before it is used). */
export async function freePort(): Promise<number> {
  const port = await listenBriefly(0);
  if (port === undefined) throw new Error("found no free port");
  return port;
}

/** A free port whose neighbour `offset` above is free too (the demo's stand-in goes there). */
export async function freePortPair(offset: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await listenBriefly(0);
    if (port !== undefined && port + offset <= 65535 && (await listenBriefly(port + offset)) !== undefined) return port;
  }
  throw new Error(`found no two free ports ${offset} apart`);
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
