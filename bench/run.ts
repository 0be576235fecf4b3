// `npm run bench`: relay cost, added latency, request rate, bundle size and bytes on the wire,
// each beside a baseline measured in the same run. No network: a stand-in upstream on loopback
// or in memory. Prints one table and writes bench/results/latest.json.
//
// BENCH_ONLY=relay npm run bench: the relay cost alone (about ten seconds, nothing built and no
// workerd, latest.json left as it was), to compare a change with its parent in runs taken in turn.
// BENCH_ONLY=durable npm run bench: the durable calls section alone, tasks/list included (about a minute).
// BENCH_ONLY=big-bodies npm run bench: the memory of calls near the 16 MiB body limit alone (about half a minute).
// BENCH_ONLY=requests npm run bench: the per-request CPU in workerd alone, ours beside the floor
// and the minimal MCP Worker (no SDK peers; under a minute), to compare a change with its parent
// in runs taken in turn.
//
// Each section is a module of its own: relay.ts (1), latency.ts (2 and 5), requests.ts (3, its
// Workers and requests in request-kinds.ts), durable.ts and task-list.ts, big-bodies.ts; report.ts
// holds the table they add rows to.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { readRuntimeOptions } from "../scripts/wrangler-config.js";
import { bigBodies, bigBodyRows } from "./big-bodies.js";
import { durableCalls, durableRows } from "./durable.js";
import { latencyAndWire } from "./latency.js";
import { relayCost } from "./relay.js";
import { printTable, row, rows } from "./report.js";
import { PEER_LABELS, type PeerName } from "./request-kinds.js";
import { perRequest, printPerRequest } from "./requests.js";
import { taskList, taskListRows } from "./task-list.js";
import type { Compat, Runtime } from "./workerd.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUILD = `${ROOT}bench/.build`;

// ---------------------------------------------------------------------------------------------
// Builds and the shared workerd.

function build(dir: string, outdir: string): string {
  execFileSync(`${ROOT}node_modules/.bin/wrangler`, ["deploy", "--dry-run", "--outdir", outdir], {
    cwd: dir,
    stdio: "pipe",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  return outdir;
}

function sizeOf(file: string): { raw: number; gzip: number } {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

// ---------------------------------------------------------------------------------------------

/**
 * wrangler.toml's runtime, read through wrangler after the relay section (see loadMiniflare), and
 * the compatibility ours and the SDK peers are served with (nodejs_compat: the peers need it).
 */
async function readRuntime(): Promise<{ runtime: Runtime; compat: Compat }> {
  const runtime = await readRuntimeOptions();
  const compat = {
    compatibilityDate: runtime.compatibilityDate,
    compatibilityFlags: [...runtime.compatibilityFlags, "nodejs_compat"],
  };
  return { runtime, compat };
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === "relay") {
    await relayCost();
    for (const r of rows)
      if (r.metric.startsWith("relay CPU"))
        console.log(`${r.metric}: ${r.ours.toFixed(3)} ms, ${r.against} ${r.baseline!.toFixed(3)} ms`);
    return;
  }
  if (process.env.BENCH_ONLY === "big-bodies") {
    bigBodyRows(await bigBodies(`${build(ROOT, `${BUILD}/ours`)}/index.js`, await readRuntimeOptions()));
    printTable();
    return;
  }
  if (process.env.BENCH_ONLY === "durable") {
    const ours = `${build(ROOT, `${BUILD}/ours`)}/index.js`;
    const relayFloor = `${build(`${ROOT}bench/peers/relay-floor`, `${BUILD}/relay-floor`)}/worker.js`;
    const runtime = await readRuntimeOptions();
    durableRows(await durableCalls(ours, relayFloor, runtime));
    taskListRows(await taskList(ours, runtime));
    printTable();
    return;
  }
  const peer = (name: string) => `${build(`${ROOT}bench/peers/${name}`, `${BUILD}/${name}`)}/worker.js`;
  if (process.env.BENCH_ONLY === "requests") {
    const ours = `${build(ROOT, `${BUILD}/ours`)}/index.js`;
    const { runtime, compat } = await readRuntime();
    const scripts = { floor: peer("floor"), minimalMcp: peer("minimal-mcp"), ours, oursKeyed: ours };
    printPerRequest(await perRequest(scripts, runtime, compat));
    return;
  }
  const started = performance.now();
  const ours = `${build(ROOT, `${BUILD}/ours`)}/index.js`;
  const scripts: Record<PeerName, string> = {
    floor: peer("floor"),
    minimalMcp: peer("minimal-mcp"),
    ours,
    oursKeyed: ours,
    sdkV1: peer("sdk-v1"),
    sdkV2: peer("sdk-v2"),
  };
  const relayFloor = peer("relay-floor");
  const sizes = { ours: sizeOf(ours), sdkV1: sizeOf(scripts.sdkV1), sdkV2: sizeOf(scripts.sdkV2) };
  for (const against of ["sdkV1", "sdkV2"] as const) {
    const theirs = sizes[against];
    // The guard the project holds itself to: 100 KB (of 1,024 bytes, as this table counts), about the SDK v2 peer's.
    row(
      "bundle size, gzip",
      sizes.ours.gzip / 1024,
      theirs.gzip / 1024,
      "KB",
      "≤ 100 KB",
      sizes.ours.gzip <= 100 * 1024,
      false,
      PEER_LABELS[against],
    );
    row(
      "bundle size, raw",
      sizes.ours.raw / 1024,
      theirs.raw / 1024,
      "KB",
      "(for reading)",
      null,
      false,
      PEER_LABELS[against],
    );
  }

  const relay = await relayCost();
  const { runtime, compat } = await readRuntime();
  const wire = await latencyAndWire(ours, runtime, compat);
  for (const tokens of [100, 1000, 10000]) {
    row(
      `bytes on the wire per 1k tokens (${tokens}-token answer)`,
      wire[`wireBytesPer1k_${tokens}`] as number,
      relay[`naiveWireBytesPer1k_${tokens}`] as number,
      "bytes",
      "bounded, not growing with length",
      null,
      false,
      "naive",
    );
  }
  const perK = [100, 1000, 10000].map((t) => wire[`wireBytesPer1k_${t}`] as number);
  rows.at(-1)!.met = perK[2]! <= perK[1]! * 1.5;
  const perRequestCost = await perRequest(scripts, runtime, compat);
  const durable = await durableCalls(ours, relayFloor, runtime);
  durableRows(durable);
  const taskListFigures = await taskList(ours, runtime);
  taskListRows(taskListFigures);
  const bigBodyFigures = await bigBodies(ours, runtime);
  bigBodyRows(bigBodyFigures);
  printTable();
  printPerRequest(perRequestCost);
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    seconds: (performance.now() - started) / 1000,
    rows,
    sizes,
    relay,
    wire,
    perRequest: perRequestCost,
    durable,
    taskList: taskListFigures,
    bigBodies: bigBodyFigures,
  };
  writeFileSync(`${ROOT}bench/results/latest.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote bench/results/latest.json (${report.seconds.toFixed(0)} s)`);
}

await main();
