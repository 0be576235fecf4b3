// `npm run bench`, section 1: the relay cost, the real tool handler versus the naive relay, on
// identical in-memory upstreams (no workerd; see measure.ts's loadMiniflare for why this section
// runs before anything loads Miniflare).
import { systemClock } from "../src/clock.js";
import { readConfig } from "../src/config.js";
import { messageJson, success } from "../src/mcp/jsonrpc.js";
import { ProgressNotifier } from "../src/mcp/progress.js";
import { chatCompletion } from "../src/tools/chat-completion.js";
import { median } from "./measure.js";
import { naiveRelay } from "./naive-relay.js";
import { row } from "./report.js";

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

export async function relayCost(): Promise<Record<string, unknown>> {
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
