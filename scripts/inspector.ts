// `npm run inspector`: MCP Inspector's web UI pointed at the running Worker. It runs the Inspector
// this project installs (a devDependency), on the Node 22 the project brings, so it works offline:
//   npm run inspector                        the Worker of `npm run demo` or `npm run dev` (DEMO_PORT, 8787)
//   npm run inspector -- https://…/mcp       any other MCP URL
// It is `npx @modelcontextprotocol/inspector --transport http --server-url <MCP URL>`, the command
// the README and the landing page show, with the Worker checked first.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { INSPECTOR_NODE } from "../src/pages/clients.js";

/** What Inspector 2 declares in its engines, as the landing page and the README say it. */
const NODE_NEEDED = INSPECTOR_NODE.split(".").map(Number) as [number, number];

const url = process.argv[2] ?? `http://localhost:${process.env.DEMO_PORT ?? 8787}/mcp`;
let origin: string;
try {
  origin = new URL(url).origin;
} catch {
  fail(`"${url}" is not a URL. Give the MCP URL: npm run inspector -- http://localhost:8787/mcp`);
}

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < NODE_NEEDED[0] || (major === NODE_NEEDED[0] && minor < NODE_NEEDED[1])) {
  fail(
    `MCP Inspector needs Node ${NODE_NEEDED.join(".")} or later; this is Node ${process.versions.node}. Run it through npm (npm run inspector), which uses the project's Node 22.`,
  );
}

if (!(await reachable(origin))) {
  const start = url.startsWith("http://localhost:")
    ? "Start the Worker first (npm run demo, or npm run dev), or"
    : "Check the URL, or";
  fail(`Nothing answers at ${origin}. ${start} give another MCP URL: npm run inspector -- <MCP URL>`);
}

const inspectorDir = dirname(createRequire(import.meta.url).resolve("@modelcontextprotocol/inspector/package.json"));
const bin = join(inspectorDir, "clients", "launcher", "build", "index.js");
console.log(
  `MCP Inspector for ${url} (Streamable HTTP): connect, and it logs in through the consent pages. Ctrl-C stops it.`,
);
// Inspector writes to the terminal directly and stops on the terminal's Ctrl-C with this process.
const inspector = spawn(process.execPath, [bin, "--web", "--transport", "http", "--server-url", url], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => inspector.kill(signal));
inspector.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1)));

/** Whether anything answers HTTP at the origin (any status will do). */
async function reachable(target: string): Promise<boolean> {
  try {
    const response = await fetch(`${target}/?about`, { signal: AbortSignal.timeout(10_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
