// `npm run bench`, section 3. Per request, in workerd: request rate at concurrency 32, and the
// CPU workerd spends on each request, measured from outside (the process's on-CPU time from /proc)
// so every Worker is measured alike. Each Worker runs alone in its own workerd, reached by a
// direct socket (no Miniflare entry Worker in front). The floor Worker answers a constant: the
// least any Worker spends, so the others read as multiples of it. The minimal MCP Worker reads and
// parses each request and answers ours' bytes for it: the least an MCP server spends, so ours
// reads beside it as what its own work costs.
import http from "node:http";
import type { Miniflare } from "miniflare";
import { startOpenRouterStandIn, VALID_KEY } from "../stand-in/openrouter.js";
import { cpuNanoseconds, loadMiniflare, median, QUIET, workerdPids } from "./measure.js";
import { row } from "./report.js";
import { answerKey, PEER_LABELS, REQUEST_KINDS, type PeerName, type RequestKind } from "./request-kinds.js";
import type { Compat, Runtime } from "./workerd.js";

const WINDOW_MS = 400;
const ROUNDS = 5;
const CONCURRENCY = 32;

export interface PerRequest {
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
export async function perRequest(
  scripts: Partial<Record<PeerName, string>>,
  runtime: Runtime,
  compat: Compat,
): Promise<Record<string, Partial<Record<PeerName, PerRequest>>>> {
  const served: ServedWorker[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const results: Record<string, Partial<Record<PeerName, PerRequest>>> = {};
  const { Miniflare, convertV4MiniflareOptions } = await loadMiniflare();
  // oursKeyed, in the default mode, asks the stand-in about its key once and then remembers it.
  const standIn = scripts.oursKeyed === undefined ? undefined : await startOpenRouterStandIn();
  try {
    const start = async (name: PeerName, scriptPath: string, bindings: Record<string, string>) => {
      const known = workerdPids();
      const headers: Record<string, string> = name === "oursKeyed" ? { Authorization: `Bearer ${VALID_KEY}` } : {};
      const durableObjects = name === "ours" || name === "oursKeyed" ? runtime.durableObjects : {};
      const mf = new Miniflare(
        convertV4MiniflareOptions({
          modules: true,
          scriptPath,
          ...compat,
          durableObjects,
          bindings,
          unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
          handleStructuredLogs: QUIET,
        }),
      );
      const url = new URL("/mcp", await mf.unsafeGetDirectURL());
      const pid = [...workerdPids()].find((p) => !known.has(p));
      if (pid === undefined) throw new Error("no workerd process found (this measurement reads Linux's /proc)");
      const worker = { name, mf, pid, url, headers };
      served.push(worker);
      return worker;
    };
    const { minimalMcp, ...others } = scripts;
    for (const [name, scriptPath] of Object.entries(others) as [PeerName, string][]) {
      // Ours with OPEN_DISCOVERY, as the peers have no login: every Worker does MCP work only.
      // oursKeyed: the default mode, every request's key checked (remembered after the first).
      const bindings: Record<string, string> =
        name === "ours"
          ? { OPEN_DISCOVERY: "true" }
          : name === "oursKeyed"
            ? { OPENROUTER_BASE_URL: standIn!.apiBase }
            : {};
      await start(name, scriptPath, bindings);
    }
    // The minimal MCP Worker answers what ours answers, taken from ours now.
    const ours = served.find((w) => w.name === "ours");
    if (minimalMcp !== undefined && ours) await start("minimalMcp", minimalMcp, { ANSWERS: await answersOf(ours) });
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
    const minimal = measured.minimalMcp;
    if (minimal)
      row(
        `${kind.label}: workerd CPU per request ÷ minimal MCP Worker's`,
        ours.cpuMicroseconds / minimal.cpuMicroseconds,
        null,
        "×",
        "(for reading: what ours does beyond reading, parsing and answering)",
        null,
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

/** Ours' answer to each request kind, its body and headers, as the minimal MCP Worker is handed them (JSON). */
async function answersOf(ours: ServedWorker): Promise<string> {
  const answers: Record<string, { body: string; headers: [string, string][] }> = {};
  for (const kind of REQUEST_KINDS) {
    const res = await fetch(ours.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...kind.headers },
      body: kind.body,
    });
    if (res.status !== 200) throw new Error(`ours did not answer ${kind.label} with 200`);
    const headers = [...res.headers].filter(([name]) => name !== "content-length");
    answers[answerKey(kind)] = { body: await res.text(), headers };
  }
  return JSON.stringify(answers);
}

/** Per request kind: each Worker's workerd CPU (and its multiple of the floor's) and its rate. */
export function printPerRequest(results: Record<string, Partial<Record<PeerName, PerRequest>>>): void {
  const peers = (Object.keys(PEER_LABELS) as PeerName[]).filter((p) =>
    Object.values(results).some((measured) => measured[p]),
  );
  const header = [
    "per request, in workerd",
    ...peers.map((p) => `${PEER_LABELS[p]} CPU`),
    ...peers.map((p) => `${PEER_LABELS[p]} req/s`),
    ...(peers.includes("minimalMcp") ? ["ours ÷ minimal MCP, CPU"] : []),
  ];
  const lines = Object.entries(results).map(([label, measured]) => {
    const floor = measured.floor!.cpuMicroseconds;
    const cpu = peers.map((p) =>
      measured[p]
        ? `${measured[p]!.cpuMicroseconds.toFixed(0)} µs (${(measured[p]!.cpuMicroseconds / floor).toFixed(2)}×)`
        : "—",
    );
    const rate = peers.map((p) => (measured[p] ? measured[p]!.rate.toFixed(0) : "—"));
    const { ours, minimalMcp } = measured;
    const beyondMinimal =
      peers.includes("minimalMcp") && ours && minimalMcp
        ? [`${(ours.cpuMicroseconds / minimalMcp.cpuMicroseconds).toFixed(2)}×`]
        : [];
    return [label, ...cpu, ...rate, ...beyondMinimal];
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
