// `npm run bench`: relay cost, added latency, request rate, bundle size and bytes on the wire,
// each beside a baseline measured in the same run. No network: a stand-in upstream on loopback
// or in memory. Prints one table and writes bench/results/latest.json.
//
// BENCH_ONLY=relay npm run bench: the relay cost alone (about ten seconds, nothing built and no
// workerd, latest.json left as it was), to compare a change with its parent in runs taken in turn.
// BENCH_ONLY=durable npm run bench: the durable calls section alone (about half a minute).
// BENCH_ONLY=big-bodies npm run bench: the memory of calls near the 16 MiB body limit alone (about half a minute).
// BENCH_ONLY=requests npm run bench: the per-request CPU in workerd alone, ours beside the floor
// (no SDK peers; about half a minute), to compare a change with its parent in runs taken in turn.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { Miniflare } from "miniflare";
import { systemClock } from "../src/clock.js";
import { readConfig } from "../src/config.js";
import { messageJson, success } from "../src/mcp/jsonrpc.js";
import { ProgressNotifier } from "../src/mcp/progress.js";
import { chatCompletion } from "../src/tools/chat-completion.js";
import { startOpenRouterStandIn, VALID_KEY } from "../stand-in/openrouter.js";
import { readRuntimeOptions } from "../scripts/wrangler-config.js";
import { bigBodies, type BigBodyFigures } from "./big-bodies.js";
import { durableCalls, type DurableFigures } from "./durable.js";
import { cpuNanoseconds, loadMiniflare, median, percentile, QUIET, workerdPids } from "./measure.js";
import { naiveRelay } from "./naive-relay.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUILD = `${ROOT}bench/.build`;
/** wrangler.toml's runtime, read through wrangler after the relay section (see loadMiniflare). */
let RUNTIME: Awaited<ReturnType<typeof readRuntimeOptions>>;
/** wrangler.toml's runtime for ours; nodejs_compat for the SDK peers, which need it. */
let COMPAT: { compatibilityDate: string; compatibilityFlags: string[] };

interface Row {
  metric: string;
  ours: number;
  baseline: number | null;
  /** What the baseline is: "naive relay", "SDK v1", "SDK v2". */
  against: string;
  unit: string;
  /** How many times better ours is than the baseline (rates: ours/baseline; costs: baseline/ours). */
  advantage: number | null;
  target: string;
  met: boolean | null;
}
const rows: Row[] = [];
function row(
  metric: string,
  ours: number,
  baseline: number | null,
  unit: string,
  target: string,
  met: boolean | null,
  higherIsBetter = false,
  against = "",
): void {
  const advantage = baseline === null ? null : higherIsBetter ? ours / baseline : baseline / ours;
  rows.push({ metric, ours, baseline, against, unit, advantage, target, met });
}

// ---------------------------------------------------------------------------------------------
// 1. Relay cost: the real tool handler versus the naive relay, on identical in-memory upstreams.

function upstreamChunks(tokens: number): Uint8Array[] {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [encoder.encode(": OPENROUTER PROCESSING\n\n")];
  const base = {
    id: "gen-bench-1",
    provider: "Bench",
    model: "bench/model",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
  };
  for (let i = 0; i < tokens; i++) {
    const choices = [
      {
        index: 0,
        delta: { role: "assistant", content: `t${i} ` },
        finish_reason: null,
        native_finish_reason: null,
        logprobs: null,
      },
    ];
    chunks.push(encoder.encode(`data: ${JSON.stringify({ ...base, choices })}\n\n`));
  }
  chunks.push(
    encoder.encode(
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: "stop" }] })}\n\n`,
    ),
  );
  chunks.push(
    encoder.encode(
      `data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 1, completion_tokens: tokens, total_tokens: tokens + 1, cost: 0.001 } })}\n\n`,
    ),
  );
  chunks.push(encoder.encode("data: [DONE]\n\n"));
  return chunks;
}

/** The same bytes in reads of a given size, as a socket delivers an upstream that does not pause. */
function rechunk(chunks: Uint8Array[], size: number): Uint8Array[] {
  const all = Buffer.concat(chunks);
  const out: Uint8Array[] = [];
  for (let i = 0; i < all.length; i += size) out.push(new Uint8Array(all.subarray(i, i + size)));
  return out;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

const config = readConfig({ OPENROUTER_BASE_URL: "http://upstream.invalid/api/v1" });
const realFetch = globalThis.fetch;

/** Runs the real tool handler on an upstream answered from memory; the Response is built before the clock starts. */
function ourRelay(chunks: Uint8Array[], countBytes: (text: string) => void): () => Promise<string> {
  const upstream = new Response(streamOf(chunks), { headers: { "Content-Type": "text/event-stream" } });
  return async () => {
    globalThis.fetch = async () => upstream;
    try {
      const started = await chatCompletion.call(
        { prompt: "x", model: "bench/model" },
        { config, key: "k", origin: "http://bench", signal: new AbortController().signal, clock: systemClock },
      );
      if (started.kind !== "stream") throw new Error(`relay did not start: ${started.kind}`);
      // As dispatch does it: progress notifications written as SSE events, the final count at the end.
      const progress = new ProgressNotifier(1, started.progressTotal, config.progressIntervalMs, (notification) =>
        countBytes(`event: message\ndata: ${messageJson(notification)}\n\n`),
      );
      const result = await started.relay(progress);
      progress.complete();
      // As the transport does it: the answer serialised once, as it is sent.
      return messageJson(success(1, result));
    } finally {
      globalThis.fetch = realFetch;
    }
  };
}

/**
 * The real tool handler with parallel_models: `streams` models asked at once, each answered from
 * memory with the same chunks (a Response of its own each, built before the clock starts).
 */
function ourParallelRelay(chunks: Uint8Array[], streams: number): () => Promise<string> {
  const upstreams = Array.from(
    { length: streams },
    () => new Response(streamOf(chunks), { headers: { "Content-Type": "text/event-stream" } }),
  );
  const models = Array.from({ length: streams }, (_, i) => `bench/model-${i}`);
  return async () => {
    let next = 0;
    globalThis.fetch = async () => upstreams[next++]!;
    try {
      const started = await chatCompletion.call(
        { prompt: "x", parallel_models: models },
        { config, key: "k", origin: "http://bench", signal: new AbortController().signal, clock: systemClock },
      );
      if (started.kind !== "stream") throw new Error(`parallel relay did not start: ${started.kind}`);
      const progress = new ProgressNotifier(1, started.progressTotal, config.progressIntervalMs, () => {});
      const result = await started.relay(progress);
      progress.complete();
      return messageJson(success(1, result));
    } finally {
      globalThis.fetch = realFetch;
    }
  };
}

async function cpuOf(run: () => Promise<unknown>): Promise<{ cpuMs: number; wallMs: number }> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

const RELAY_CASES = [
  [100, 300],
  [1000, 60],
  [10000, 12],
] as const;

/**
 * Runs both relays on every case until V8 has optimised them: a Worker's isolate serves many
 * requests, so the steady state is what a request pays. Without this the first case measured
 * mostly the JIT warming up (about 0.1 ms a call), on our side and the naive one's alike.
 */
async function warmUp(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    for (const [tokens, runs] of RELAY_CASES) {
      const chunks = rechunk(upstreamChunks(tokens), 16_384);
      for (let r = 0; r < runs; r++) {
        await ourRelay(chunks, () => {})();
        await naiveRelay(streamOf(chunks), 1, () => {});
      }
    }
  }
}

async function relayCost(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  await warmUp();
  for (const [tokens, runs] of RELAY_CASES) {
    const frames = upstreamChunks(tokens);
    // Two shapes of the same upstream: no delay (reads of 16 KB, as a socket fills them), and
    // one frame per read (a model that pauses between tokens: the worst case per token).
    for (const [shape, chunks] of [
      ["16 KB reads", rechunk(frames, 16_384)],
      ["a frame per read", frames],
    ] as const) {
      const samples = {
        ours: [] as number[],
        naive: [] as number[],
        oursWall: [] as number[],
        naiveWall: [] as number[],
      };
      for (let r = 0; r < runs + 5; r++) {
        const ours = await cpuOf(ourRelay(chunks, () => {}));
        const upstream = streamOf(chunks);
        const naive = await cpuOf(() => naiveRelay(upstream, 1, () => {}));
        if (r < 5) continue; // warm-up
        samples.ours.push(ours.cpuMs);
        samples.naive.push(naive.cpuMs);
        samples.oursWall.push(ours.wallMs);
        samples.naiveWall.push(naive.wallMs);
      }
      const per1k = (ms: number) => (ms * 1000) / tokens;
      const oursCpu = per1k(median(samples.ours));
      const naiveCpu = per1k(median(samples.naive));
      results[`${tokens} tokens, ${shape}`] = {
        oursCpuMsPer1k: oursCpu,
        naiveCpuMsPer1k: naiveCpu,
        oursWallMsPer1k: per1k(median(samples.oursWall)),
        naiveWallMsPer1k: per1k(median(samples.naiveWall)),
      };
      row(
        `relay CPU per 1k tokens (${tokens} tokens, ${shape})`,
        oursCpu,
        naiveCpu,
        "ms",
        "≤ naive/3 and < 2 ms",
        oursCpu <= naiveCpu / 3 && oursCpu < 2,
        false,
        "naive",
      );
      row(
        `relay wall per 1k tokens (${tokens} tokens, ${shape})`,
        per1k(median(samples.oursWall)),
        per1k(median(samples.naiveWall)),
        "ms",
        "(for reading)",
        null,
        false,
        "naive",
      );
    }

    // The same answer from three models at once: the relay's cost per token of all three, beside
    // one stream's (the rows above) measured again in the same loop, turn about.
    if (tokens >= 1000) {
      for (const [shape, chunks] of [
        ["16 KB reads", rechunk(frames, 16_384)],
        ["a frame per read", frames],
      ] as const) {
        const three: number[] = [];
        const one: number[] = [];
        for (let r = 0; r < runs + 5; r++) {
          const parallel = await cpuOf(ourParallelRelay(chunks, 3));
          const single = await cpuOf(ourRelay(chunks, () => {}));
          if (r < 5) continue; // warm-up
          three.push(parallel.cpuMs);
          one.push(single.cpuMs);
        }
        const threePer1k = (median(three) * 1000) / (3 * tokens);
        const onePer1k = (median(one) * 1000) / tokens;
        results[`3 streams, ${tokens} tokens each, ${shape}`] = {
          oursCpuMsPer1k: threePer1k,
          oneStreamCpuMsPer1k: onePer1k,
        };
        row(
          `relay CPU per 1k tokens, 3 streams at once (${tokens} tokens each, ${shape})`,
          threePer1k,
          onePer1k,
          "ms",
          "≤ 1.25 × one stream's",
          threePer1k <= 1.25 * onePer1k,
          false,
          "one stream",
        );
      }
    }

    // Bytes the naive relay would put on the wire for the same answer.
    let naiveBytes = 0;
    const naiveFinal = await naiveRelay(streamOf(frames), 1, (text) => (naiveBytes += Buffer.byteLength(text)));
    naiveBytes += Buffer.byteLength(`event: message\ndata: {"jsonrpc":"2.0","id":1,"result":${naiveFinal}}\n\n`);
    results[`naiveWireBytesPer1k_${tokens}`] = (naiveBytes * 1000) / tokens;
  }
  return results;
}

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
// 2 and 5. Added latency and bytes on the wire, through workerd on loopback.

interface StreamTimes {
  firstProgressAt: number | undefined;
  resultAt: number | undefined;
  bytes: number;
}

async function streamedCall(url: string, model: string, id: number): Promise<StreamTimes> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      Authorization: `Bearer ${VALID_KEY}`,
      "MCP-Protocol-Version": "2025-11-25",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: { name: "chat_completion", arguments: { prompt: "x", model }, _meta: { progressToken: id } },
    }),
  });
  const times: StreamTimes = { firstProgressAt: undefined, resultAt: undefined, bytes: 0 };
  const decoder = new TextDecoder();
  let tail = ""; // the end of the previous chunk, in case a marker straddles two chunks
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const now = performance.now();
    times.bytes += chunk.byteLength;
    const text = tail + decoder.decode(chunk, { stream: true });
    if (times.firstProgressAt === undefined && text.includes("notifications/progress")) times.firstProgressAt = now;
    if (times.resultAt === undefined && text.includes(`"id":${id},"result"`)) times.resultAt = now;
    tail = text.slice(-64);
  }
  return times;
}

async function latencyAndWire(ourScript: string): Promise<Record<string, unknown>> {
  const standIn = await startOpenRouterStandIn();
  let firstToken = 0;
  let done = 0;
  standIn.onTiming = (event, at) => {
    if (event === "first-token") firstToken = at;
    else done = at;
  };
  const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      scriptPath: ourScript,
      ...COMPAT,
      durableObjects: RUNTIME.durableObjects,
      bindings: { OPENROUTER_BASE_URL: standIn.apiBase },
      host: "127.0.0.1",
      port: 0,
      handleStructuredLogs: QUIET,
    }),
  );
  const url = `${(await mf.ready).origin}/mcp`;
  const results: Record<string, unknown> = {};
  try {
    const toFirst: number[] = [];
    const toResult: number[] = [];
    for (let i = 0; i < 70; i++) {
      const times = await streamedCall(url, "stand-in/slow-20-2", i);
      if (i < 10) continue; // warm-up
      toFirst.push(times.firstProgressAt! - firstToken);
      toResult.push(times.resultAt! - done);
    }
    results.latency = {
      calls: toFirst.length,
      firstProgressP50: percentile(toFirst, 50),
      firstProgressP99: percentile(toFirst, 99),
      resultP50: percentile(toResult, 50),
      resultP99: percentile(toResult, 99),
    };
    row(
      "added latency: upstream first token → client first progress, p50",
      percentile(toFirst, 50),
      null,
      "ms",
      "< 2 ms",
      percentile(toFirst, 50) < 2,
    );
    row(
      "added latency: upstream first token → client first progress, p99",
      percentile(toFirst, 99),
      null,
      "ms",
      "(for reading)",
      null,
    );
    row(
      "added latency: upstream [DONE] → client result, p50",
      percentile(toResult, 50),
      null,
      "ms",
      "< 2 ms",
      percentile(toResult, 50) < 2,
    );
    row(
      "added latency: upstream [DONE] → client result, p99",
      percentile(toResult, 99),
      null,
      "ms",
      "(for reading)",
      null,
    );

    // Under load: 200 concurrent streamed calls (40 tokens, 10 ms apart), as the hardening test runs them.
    const load = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const start = performance.now();
        const times = await streamedCall(url, "stand-in/slow-40-10", 1000 + i);
        return { firstProgress: times.firstProgressAt! - start, complete: times.resultAt! - start };
      }),
    );
    const firsts = load.map((l) => l.firstProgress);
    const completes = load.map((l) => l.complete);
    results.load = {
      calls: load.length,
      firstProgressP50: percentile(firsts, 50),
      firstProgressP99: percentile(firsts, 99),
      completeP50: percentile(completes, 50),
      completeP99: percentile(completes, 99),
    };
    row(
      "200 concurrent calls: request → first progress, p50",
      percentile(firsts, 50),
      null,
      "ms",
      "(upstream's first token at ~10 ms)",
      null,
    );
    row(
      "200 concurrent calls: request → first progress, p99",
      percentile(firsts, 99),
      null,
      "ms",
      "(for reading)",
      null,
    );
    row(
      "200 concurrent calls: request → result, p50",
      percentile(completes, 50),
      null,
      "ms",
      "(upstream takes ~400 ms)",
      null,
    );
    row("200 concurrent calls: request → result, p99", percentile(completes, 99), null, "ms", "(for reading)", null);

    // Bytes on the wire with a paced upstream (about 1 token per ms), progress every 100 ms.
    for (const tokens of [100, 1000, 10000]) {
      const times = await streamedCall(url, `stand-in/slow-${tokens}-1`, 1);
      results[`wireBytesPer1k_${tokens}`] = (times.bytes * 1000) / tokens;
    }
  } finally {
    await mf.dispose();
    await standIn.close();
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// 3. Per request, in workerd: request rate at concurrency 32, and the CPU workerd spends on each
// request, measured from outside (the process's on-CPU time from /proc) so every Worker is
// measured alike. Each Worker runs alone in its own workerd, reached by a direct socket (no
// Miniflare entry Worker in front). The floor Worker answers a constant: the least any Worker
// spends, so the others read as multiples of it.

type PeerName = "floor" | "ours" | "oursKeyed" | "sdkV1" | "sdkV2";
const PEER_LABELS: Record<PeerName, string> = {
  floor: "floor",
  ours: "ours",
  oursKeyed: "ours, key checked",
  sdkV1: "SDK v1",
  sdkV2: "SDK v2",
};

const LEGACY_HEADERS = { "MCP-Protocol-Version": "2025-11-25" };
const modernMeta = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};
const modernHeaders = (method: string) => ({ "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": method });

interface RequestKind {
  label: string;
  body: string;
  headers: Record<string, string>;
  /** Who speaks this request (the floor answers anything). */
  servedBy: PeerName[];
}
const REQUEST_KINDS: RequestKind[] = [
  {
    label: "initialize (2025-11-25)",
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
    }),
    headers: LEGACY_HEADERS,
    servedBy: ["floor", "ours", "oursKeyed", "sdkV1", "sdkV2"],
  },
  {
    label: "tools/list (2025-11-25)",
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    headers: LEGACY_HEADERS,
    servedBy: ["floor", "ours", "oursKeyed", "sdkV1", "sdkV2"],
  },
  {
    label: "server/discover (2026-07-28)",
    body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "server/discover", params: { _meta: modernMeta } }),
    headers: modernHeaders("server/discover"),
    servedBy: ["floor", "ours", "oursKeyed", "sdkV2"],
  },
  {
    label: "tools/list (2026-07-28)",
    body: JSON.stringify({ jsonrpc: "2.0", id: 4, method: "tools/list", params: { _meta: modernMeta } }),
    headers: modernHeaders("tools/list"),
    servedBy: ["floor", "ours", "oursKeyed", "sdkV2"],
  },
];
const WINDOW_MS = 400;
const ROUNDS = 5;
const CONCURRENCY = 32;

interface PerRequest {
  rate: number;
  cpuMicroseconds: number;
}

interface ServedWorker {
  name: PeerName;
  mf: Miniflare;
  pid: number;
  url: URL;
  /** Sent with every request besides the kind's own: oursKeyed's key. */
  headers: Record<string, string>;
}

/**
 * Every Worker in its own workerd, all started at once; then, per request kind, rounds of short
 * windows taking the Workers in turn, so a change in the machine's load reaches them alike. Each
 * figure is the median over the rounds.
 */
async function perRequest(
  scripts: Partial<Record<PeerName, string>>,
): Promise<Record<string, Partial<Record<PeerName, PerRequest>>>> {
  const served: ServedWorker[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const results: Record<string, Partial<Record<PeerName, PerRequest>>> = {};
  const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
  // oursKeyed, in the default mode, asks the stand-in about its key once and then remembers it.
  const standIn = scripts.oursKeyed === undefined ? undefined : await startOpenRouterStandIn();
  try {
    for (const [name, scriptPath] of Object.entries(scripts) as [PeerName, string][]) {
      const known = workerdPids();
      // Ours with OPEN_DISCOVERY, as the peers have no login: every Worker does MCP work only.
      // oursKeyed: the default mode, every request's key checked (remembered after the first).
      const bindings: Record<string, string> =
        name === "ours"
          ? { OPEN_DISCOVERY: "true" }
          : name === "oursKeyed"
            ? { OPENROUTER_BASE_URL: standIn!.apiBase }
            : {};
      const headers: Record<string, string> = name === "oursKeyed" ? { Authorization: `Bearer ${VALID_KEY}` } : {};
      const durableObjects = name === "ours" || name === "oursKeyed" ? RUNTIME.durableObjects : {};
      const mf = new Miniflare(
        convertV4MiniflareOptions({
          modules: true,
          scriptPath,
          ...COMPAT,
          durableObjects,
          bindings,
          unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
          handleStructuredLogs: QUIET,
        }),
      );
      const url = new URL("/mcp", await mf.unsafeGetDirectURL());
      const pid = [...workerdPids()].find((p) => !known.has(p));
      if (pid === undefined) throw new Error("no workerd process found (this measurement reads Linux's /proc)");
      served.push({ name, mf, pid, url, headers });
    }
    const once = ({ url, headers: workerHeaders }: ServedWorker, kind: RequestKind) =>
      new Promise<number>((resolve, reject) => {
        const headers = {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          ...kind.headers,
          ...workerHeaders,
        };
        const req = http.request(url, { method: "POST", agent, headers }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end(kind.body);
      });
    /** Requests at full concurrency for `ms`; how many were answered 200. */
    const load = async (worker: ServedWorker, kind: RequestKind, ms: number) => {
      let completed = 0;
      const until = performance.now() + ms;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < until) if ((await once(worker, kind)) === 200) completed++;
        }),
      );
      return completed;
    };

    for (const kind of REQUEST_KINDS) {
      const workers = served.filter((w) => kind.servedBy.includes(w.name));
      for (const worker of workers) {
        if ((await once(worker, kind)) !== 200) throw new Error(`${worker.name} did not answer ${kind.label} with 200`);
        await load(worker, kind, 300); // warm-up: the steady state of a reused isolate
      }
      const samples = new Map<PeerName, { rate: number[]; cpu: number[] }>(
        workers.map((w) => [w.name, { rate: [], cpu: [] }]),
      );
      for (let round = 0; round < ROUNDS; round++) {
        for (const worker of workers) {
          const { name, pid } = worker;
          const cpuBefore = cpuNanoseconds(pid);
          const completed = await load(worker, kind, WINDOW_MS);
          samples.get(name)!.rate.push(completed / (WINDOW_MS / 1000));
          samples.get(name)!.cpu.push((cpuNanoseconds(pid) - cpuBefore) / completed / 1000);
        }
      }
      results[kind.label] = Object.fromEntries(
        [...samples].map(([name, s]) => [name, { rate: median(s.rate), cpuMicroseconds: median(s.cpu) }]),
      );
    }
  } finally {
    agent.destroy();
    await Promise.all(served.map((w) => w.mf.dispose()));
    await standIn?.close();
  }

  for (const kind of REQUEST_KINDS) {
    const measured = results[kind.label]!;
    const floor = measured.floor!.cpuMicroseconds;
    const ours = measured.ours!;
    row(
      `${kind.label}: workerd CPU per request ÷ floor's`,
      ours.cpuMicroseconds / floor,
      measured.sdkV2 ? measured.sdkV2.cpuMicroseconds / floor : null,
      "×",
      "≤ 1.25 × floor",
      ours.cpuMicroseconds / floor <= 1.25,
      false,
      "SDK v2",
    );
    const keyed = measured.oursKeyed;
    if (keyed)
      row(
        `${kind.label}: workerd CPU per request ÷ floor's, key checked (default mode)`,
        keyed.cpuMicroseconds / floor,
        null,
        "×",
        "(for reading)",
        null,
      );
    for (const peer of ["sdkV1", "sdkV2"] as const) {
      const theirs = measured[peer];
      if (theirs)
        row(
          `${kind.label}: requests per second (concurrency ${CONCURRENCY})`,
          ours.rate,
          theirs.rate,
          "req/s",
          "≥ 2 × SDK peer",
          ours.rate >= 2 * theirs.rate,
          true,
          PEER_LABELS[peer],
        );
    }
  }
  return results;
}

function durableRows(durable: DurableFigures): void {
  const { allInPer1kMs: allIn, relayPer1kMs: relay, oneTokenCallMs: oneToken } = durable;
  row(
    "durable: request → CreateTaskResult, p50",
    durable.createTaskMs.p50,
    durable.statelessFirstProgressMs.p50,
    "ms",
    "(for reading; baseline: a stateless call's first progress)",
    null,
    false,
    "stateless",
  );
  row(
    "durable: request → CreateTaskResult, p99",
    durable.createTaskMs.p99,
    durable.statelessFirstProgressMs.p99,
    "ms",
    "(for reading)",
    null,
    false,
    "stateless",
  );
  row(
    "durable: tasks/get workerd CPU per request",
    durable.tasksGetMicroseconds,
    durable.toolsListMicroseconds,
    "µs",
    "(for reading)",
    null,
    false,
    "tools/list",
  );
  row(
    "relay in workerd, CPU per 1k tokens, stateless ÷ read-only floor",
    relay.stateless / relay.floor,
    null,
    "×",
    "(for reading)",
    null,
  );
  row(
    "relay in workerd, CPU per 1k tokens, in a task's Durable Object ÷ read-only floor",
    relay.task / relay.floor,
    null,
    "×",
    "≤ 1.25 × read-only floor",
    relay.task <= 1.25 * relay.floor,
  );
  row(
    "relay in workerd, CPU per 1k tokens, read-only floor in a Durable Object ÷ floor",
    relay.floorInObject / relay.floor,
    null,
    "×",
    "(for reading)",
    null,
  );
  row(
    "a one-token call's workerd CPU, stateless",
    oneToken.stateless,
    oneToken.floor,
    "ms",
    "(for reading)",
    null,
    false,
    "read-only floor",
  );
  row(
    "a one-token call's workerd CPU, as a task (with its tasks/result)",
    oneToken.task,
    oneToken.floorInObject,
    "ms",
    "(for reading)",
    null,
    false,
    "floor in a Durable Object",
  );
  row(
    "2,000-token answer, all in: CPU per 1k tokens, stateless",
    allIn.stateless,
    allIn.floor,
    "ms",
    "(for reading)",
    null,
    false,
    "read-only floor",
  );
  row(
    "2,000-token answer, all in: CPU per 1k tokens, as a task",
    allIn.task,
    allIn.floor,
    "ms",
    "(for reading)",
    null,
    false,
    "read-only floor",
  );
}

// ---------------------------------------------------------------------------------------------

async function readRuntime(): Promise<void> {
  RUNTIME = await readRuntimeOptions();
  COMPAT = {
    compatibilityDate: RUNTIME.compatibilityDate,
    compatibilityFlags: [...RUNTIME.compatibilityFlags, "nodejs_compat"],
  };
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
    durableRows(await durableCalls(ours, relayFloor, await readRuntimeOptions()));
    printTable();
    return;
  }
  const peer = (name: string) => `${build(`${ROOT}bench/peers/${name}`, `${BUILD}/${name}`)}/worker.js`;
  if (process.env.BENCH_ONLY === "requests") {
    const ours = `${build(ROOT, `${BUILD}/ours`)}/index.js`;
    await readRuntime();
    printPerRequest(await perRequest({ floor: peer("floor"), ours, oursKeyed: ours }));
    return;
  }
  const started = performance.now();
  const ours = `${build(ROOT, `${BUILD}/ours`)}/index.js`;
  const scripts: Record<PeerName, string> = {
    floor: peer("floor"),
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
  await readRuntime();
  const wire = await latencyAndWire(ours);
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
  const perRequestCost = await perRequest(scripts);
  const durable = await durableCalls(ours, relayFloor, RUNTIME);
  durableRows(durable);
  const bigBodyFigures = await bigBodies(ours, RUNTIME);
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
    bigBodies: bigBodyFigures,
  };
  writeFileSync(`${ROOT}bench/results/latest.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote bench/results/latest.json (${report.seconds.toFixed(0)} s)`);
}

/** One isolate has 128 MB on Cloudflare: a big call must leave room for everyone else's streams. */
function bigBodyRows(figures: BigBodyFigures): void {
  row(
    `memory of one ${figures.bodyMiB.toFixed(1)} MiB tools/call (peak RSS above before, median of ${figures.oneCallMiB.length})`,
    figures.oneCallMedianMiB,
    null,
    "MiB",
    "< 92 MiB (¾ of an isolate)",
    figures.oneCallMedianMiB < 92,
  );
  const answered = figures.sixAtOnceStatuses.filter((status) => status === 200).length;
  row(
    `memory of six such calls at once (${answered} answered, ${6 - answered} refused: 503, or closed unread)`,
    figures.sixAtOnceMiB,
    null,
    "MiB",
    "≤ 1.5 × one call",
    figures.sixAtOnceMiB <= figures.oneCallMedianMiB * 1.5,
  );
}

function printTable(): void {
  const format = (n: number | null, unit: string) =>
    n === null ? "" : `${n >= 100 ? n.toFixed(0) : n.toFixed(2)} ${unit}`;
  const lines = rows.map((r) => [
    r.metric,
    format(r.ours, r.unit),
    r.baseline === null ? "" : `${r.against} ${format(r.baseline, r.unit)}`,
    r.advantage === null ? "" : `${r.advantage.toFixed(1)}×`,
    r.target,
    r.met === null ? "" : r.met ? "met" : "NOT MET",
  ]);
  const header = ["metric", "ours", "baseline", "ours better by", "target", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i]!)).join(" | "));
  print(header);
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  lines.forEach(print);
  console.log(
    "\nbaselines: naive = naive relay (lines split by hand, JSON.parse per frame, a notification per chunk);",
  );
  console.log(
    "SDK v1 = @modelcontextprotocol/sdk McpServer + web-standard transport, stateless; SDK v2 = @modelcontextprotocol/server createMcpHandler, both eras.",
  );
}

/** Per request kind: each Worker's workerd CPU (and its multiple of the floor's) and its rate. */
function printPerRequest(results: Record<string, Partial<Record<PeerName, PerRequest>>>): void {
  const peers = (Object.keys(PEER_LABELS) as PeerName[]).filter((p) =>
    Object.values(results).some((measured) => measured[p]),
  );
  const header = [
    "per request, in workerd",
    ...peers.map((p) => `${PEER_LABELS[p]} CPU`),
    ...peers.map((p) => `${PEER_LABELS[p]} req/s`),
  ];
  const lines = Object.entries(results).map(([label, measured]) => {
    const floor = measured.floor!.cpuMicroseconds;
    const cpu = peers.map((p) =>
      measured[p]
        ? `${measured[p]!.cpuMicroseconds.toFixed(0)} µs (${(measured[p]!.cpuMicroseconds / floor).toFixed(2)}×)`
        : "—",
    );
    const rate = peers.map((p) => (measured[p] ? measured[p]!.rate.toFixed(0) : "—"));
    return [label, ...cpu, ...rate];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(widths[i]!)).join(" | "));
  console.log("");
  print(header);
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  lines.forEach(print);
  console.log(
    `(CPU: workerd's on-CPU time per request answered, at concurrency ${CONCURRENCY}, median of ${ROUNDS} windows of ${WINDOW_MS} ms taken in turn; × = multiple of the floor Worker's.)`,
  );
}

await main();
