// `npm run demo`: everything offline with one command. The stand-in OpenRouter listens on
// DEMO_PORT + 10 and the Worker runs under `wrangler dev` on DEMO_PORT (8787), pointed at it for
// both the API and the login; then the MCP URL, a key and the scenarios are printed. Ctrl-C
// stops both. `npm run stand-in` (`--stand-in-only`) starts the stand-in alone. `--help` says so
// and starts nothing.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { curlCall } from "../src/pages/clients.js";
import { DEMO_KEY, SCENARIOS, startOpenRouterStandIn, type StandIn } from "../stand-in/openrouter.js";
import { isListening } from "./ports.js";

/** The stand-in sits this far above the Worker's port, so the printed lines stay the same run to run. */
const STAND_IN_OFFSET = 10;
/** A short upstream idle timeout, so that stand-in/hang-after-N ends in seconds (the default is a minute). */
const DEMO_IDLE_TIMEOUT_MS = 5_000;

const USAGE = `npm run demo: the Worker under wrangler dev, with OpenRouter played by a stand-in on
loopback, all offline (no account, key or network). It prints the MCP URL, a key and the
scenarios to try; Ctrl-C stops both.

  npm run demo                  the Worker on port 8787, the stand-in on 8797
  DEMO_PORT=8790 npm run demo   the Worker on 8790, the stand-in on 8800
  npm run stand-in              the stand-in alone (--stand-in-only), with the wrangler dev line
                                that points a Worker at it
  npm run demo -- --help        this help (-h)

Settings, from the environment:
  DEMO_PORT        the Worker's port (default 8787); the stand-in listens 10 above it
  TOKEN_DELAY_MS   the pause before each token of an ordinary answer (default 10)

More: docs/demo.md and docs/stand-in.md.`;

const standInOnly = readArguments(process.argv.slice(2)).standInOnly;

const port = Number(process.env.DEMO_PORT ?? 8787);
if (!Number.isInteger(port) || port < 1024 || port > 65535 - STAND_IN_OFFSET) {
  fail(
    `DEMO_PORT must be a port number between 1024 and ${65535 - STAND_IN_OFFSET}; it is "${process.env.DEMO_PORT}".`,
  );
}
const standInPort = port + STAND_IN_OFFSET;
const origin = `http://localhost:${port}`;
const otherPort = `another port: DEMO_PORT=${port + 1} npm run ${standInOnly ? "stand-in" : "demo"}`;

if (!standInOnly && (await isListening(port))) {
  fail(`Port ${port} is already in use (another \`npm run demo\` or \`npm run dev\`?). Stop it, or pick ${otherPort}`);
}
let standIn: StandIn;
try {
  standIn = await startOpenRouterStandIn({
    port: standInPort,
    tokenDelayMs: Number(process.env.TOKEN_DELAY_MS ?? 10),
    answerTokens: 300,
  });
} catch (error) {
  fail(`The stand-in OpenRouter could not start: ${(error as Error).message}. Stop what uses it, or pick ${otherPort}`);
}

if (standInOnly) {
  // The download of Request.cf data is off here too (below); wrangler.toml has no setting for it.
  console.log(`Stand-in OpenRouter on ${standIn.origin}; Ctrl-C stops it. Point a Worker at it with
  CLOUDFLARE_CF_FETCH_ENABLED=false npx wrangler dev --port ${port} --var OPENROUTER_BASE_URL:${standIn.apiBase} --var OPENROUTER_AUTH_URL:${standIn.authUrl}
A key it accepts: ${DEMO_KEY}`);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
    process.on(signal, () => void standIn.close().then(() => process.exit(0)));
} else {
  console.log(`Starting the stand-in OpenRouter on ${standIn.origin} and the Worker under wrangler dev on ${origin}…`);
  await runWrangler(standIn);
}

async function runWrangler(standIn: StandIn): Promise<void> {
  const wranglerBin = join(
    dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
    "bin",
    "wrangler.js",
  );
  const args = [wranglerBin, "dev", "--port", String(port), "--show-interactive-dev-session=false"];
  args.push("--var", `OPENROUTER_BASE_URL:${standIn.apiBase}`, "--var", `OPENROUTER_AUTH_URL:${standIn.authUrl}`);
  args.push("--var", `UPSTREAM_IDLE_TIMEOUT_MS:${DEMO_IDLE_TIMEOUT_MS}`);
  // wrangler writes straight to the terminal: a pipe through this process would leave it
  // spinning on a broken pipe if this process died first.
  const wrangler = spawn(process.execPath, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      // Offline, Miniflare's fetch of Request.cf data from workers.cloudflare.com fails and prints a
      // stack trace twice; this Worker does not read request.cf, so the placeholder is enough.
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
  });
  let stopping = false;
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    await stopChild(wrangler);
    await standIn.close();
    console.log("Stopped the Worker and the stand-in OpenRouter.");
    process.exit(exitCode);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(0));
  process.on("exit", () => wrangler.exitCode === null && wrangler.kill("SIGKILL"));
  wrangler.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`wrangler dev stopped (${signal ?? `exit code ${code}`}); its output is above.`);
    void stop(1);
  });

  const slow = setTimeout(
    () => console.log("(wrangler dev is taking a while: a first start on a slow machine can take a minute)"),
    30_000,
  );
  // Wait for the port, then ask once (wrangler holds the request until the Worker is ready).
  while (!stopping && !(await isListening(port))) await sleep(250);
  while (!stopping && !(await answers(`${origin}/?about`))) await sleep(1_000);
  clearTimeout(slow);
  if (!stopping) console.log(banner(standIn));
}

function banner(standIn: StandIn): string {
  const mcpUrl = `${origin}/mcp`;
  const tryThese = SCENARIOS.filter((s) => s.example !== undefined);
  const width = Math.max(...tryThese.map((s) => s.example!.length));
  const plain = (text: string) => text.replaceAll("`", "");
  const indent = (text: string) => text.replace(/^/gm, "  ");
  const rule = "─".repeat(78);
  const inspector = port === 8787 ? "npm run inspector" : `DEMO_PORT=${port} npm run inspector`;
  return `${rule}
Offline demo ready: the Worker on ${origin}, OpenRouter played by a stand-in
on ${standIn.origin}. No account and no network needed; Ctrl-C stops both.

  MCP URL   ${mcpUrl}
  Key       ${DEMO_KEY}   (the stand-in accepts any sk-or-v1-… key)
  Browser   ${origin}/   log in (the stand-in's consent page) and try a prompt

Connect a client (in another terminal; it logs in through both consent pages):
  MCP Inspector    ${inspector}
  stdio clients    npx -y mcp-remote ${mcpUrl}
  Cursor, VS Code and others: the README's "Connect a client", with the MCP URL above
Or send the key yourself:
${indent(curlCall(mcpUrl, DEMO_KEY))}

Scenarios, picked by the tool's "model" argument (all of them: docs/stand-in.md):
${tryThese.map((s) => `  ${s.example!.padEnd(width)}  ${s.example === s.model ? "" : `${s.model.replace("stand-in/", "")}: `}${plain(s.what)}`).join("\n")}
${rule}`;
}

/** Stops a child and waits for it: SIGINT as Ctrl-C would (wrangler then stops workerd), SIGKILL if it lingers. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Whether the Worker answers yet (wrangler holds requests until it is ready). */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** The command line's options; `--help` prints the usage and exits, anything unknown fails. */
function readArguments(args: string[]): { standInOnly: boolean } {
  let values: { help?: boolean; "stand-in-only"?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { help: { type: "boolean", short: "h" }, "stand-in-only": { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // parseArgs's first sentence names what it refused ("Unknown option '--port'"); its second
    // suggests a `--` that npm would swallow.
    const refused = (error as Error).message.split(". ")[0];
    fail(`${refused}. npm run demo -- --help lists what the demo takes.`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return { standInOnly: values["stand-in-only"] === true };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
