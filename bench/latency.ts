// `npm run bench`, sections 2 and 5: added latency and bytes on the wire, through workerd on loopback.
import { startOpenRouterStandIn, VALID_KEY } from "../stand-in/openrouter.js";
import { loadMiniflare, percentile, QUIET } from "./measure.js";
import { row } from "./report.js";
import type { Compat, Runtime } from "./workerd.js";

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

export async function latencyAndWire(
  ourScript: string,
  runtime: Runtime,
  compat: Compat,
): Promise<Record<string, unknown>> {
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
      ...compat,
      durableObjects: runtime.durableObjects,
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
