// OpenRouter's public model list, compacted and cached: for list_models, and for suggesting ids
// when chat_completion names a model OpenRouter does not know.
//
// The list is public (no key) and about a megabyte. It is fetched once per few minutes: the
// compact rows are kept in the Cache API (shared by the isolates of a colo) and in the isolate
// itself, and calls that arrive while a fetch is under way wait for that same fetch.
import type { OpenRouter } from "./client.js";

export interface ModelRow {
  id: string;
  name: string;
  context_length: number | null;
  /** Dollars per million tokens; null when the price varies (openrouter/auto). */
  prompt_price: number | null;
  completion_price: number | null;
  input_modalities: string[];
  output_modalities: string[];
  /** The request parameters some provider of the model takes (tools, reasoning, structured_outputs, …). */
  supported_parameters: string[];
  /** The start of the description, for the free-text query. */
  description: string;
}

const MODEL_LIST_TTL_SECONDS = 300;
const DESCRIPTION_CHARS = 240;

/**
 * The orders OpenRouter's /models can sort by (its `sort` parameter, guides/overview/models),
 * under the names list_models takes. Throughput and latency are OpenRouter's own recent
 * figures (the median over its routing), which the list's rows do not carry: it sorts them.
 */
const MODEL_SORTS = {
  price: "pricing-low-to-high",
  throughput: "throughput-high-to-low",
  latency: "latency-low-to-high",
  context: "context-high-to-low",
  newest: "newest",
  popular: "most-popular",
} as const;

export type ModelSort = keyof typeof MODEL_SORTS;

/** One list per order (and per base URL), each fetched at most once per MODEL_LIST_TTL_SECONDS. */
const memo = new Map<string, { until: number; rows: Promise<ModelRow[] | undefined> }>();

/** The compact model list, in OpenRouter's order or `sort`'s, or undefined when OpenRouter could not be asked (a reason is logged). */
export function modelList(openRouter: OpenRouter, sort?: ModelSort): Promise<ModelRow[] | undefined> {
  const order = sort && MODEL_SORTS[sort];
  const url = `${openRouter.baseUrl}/models${order ? `?sort=${order}` : ""}`;
  const now = openRouter.clock.now();
  const kept = memo.get(url);
  if (kept && now < kept.until) return kept.rows;
  const entry = { until: now + MODEL_LIST_TTL_SECONDS * 1000, rows: loadRows(openRouter, url, order) };
  memo.set(url, entry);
  // A failure is not kept: the next call asks again.
  void entry.rows.then((rows) => {
    if (rows === undefined && memo.get(url) === entry) memo.delete(url);
  });
  return entry.rows;
}

async function loadRows(
  openRouter: OpenRouter,
  url: string,
  order: string | undefined,
): Promise<ModelRow[] | undefined> {
  // The colo's cache; absent where this runs outside Workers (the bench, in Node).
  const cache = (globalThis as { caches?: { default?: Cache } }).caches?.default;
  // Our own compact copy has its own key: the Worker never answers this URL itself.
  const key = `${url}${order ? "&" : "?"}compact-rows-v2`;
  // The cache could not answer: the list is fetched instead.
  const cached = await cache?.match(key).catch(() => undefined);
  if (cached) {
    // Our own copy, written below.
    const rows: unknown = await cached.json();
    return rows as ModelRow[];
  }
  const fetched = await openRouter.modelList(order);
  const rows = fetched.ok ? compactRows(fetched.text) : undefined;
  if (!rows) {
    console.warn(`model list: no usable list from ${url} (${fetched.ok ? "not the expected JSON" : fetched.why})`);
    return undefined;
  }
  const copy = new Response(JSON.stringify(rows), {
    headers: { "Content-Type": "application/json", "Cache-Control": `max-age=${MODEL_LIST_TTL_SECONDS}` },
  });
  // Not kept: fetched again next time.
  await cache?.put(key, copy).catch(() => undefined);
  return rows;
}

/**
 * OpenRouter's list as compact rows; entries without an id are skipped. Read by hand like the
 * stream and error bodies: only a few fields matter, each with a safe fallback.
 */
export function compactRows(text: string): ModelRow[] | undefined {
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    // Not JSON: no list.
    return undefined;
  }
  if (!Array.isArray(data)) return undefined;
  const rows: ModelRow[] = [];
  for (const entry of data as Partial<Record<string, unknown>>[]) {
    const { id, name, description, context_length } = entry ?? {};
    if (typeof id !== "string") continue;
    const pricing = (entry.pricing ?? {}) as Record<string, unknown>;
    const architecture = (entry.architecture ?? {}) as Record<string, unknown>;
    rows.push({
      id,
      name: typeof name === "string" ? name : id,
      context_length: typeof context_length === "number" ? context_length : null,
      prompt_price: perMillion(pricing.prompt),
      completion_price: perMillion(pricing.completion),
      input_modalities: strings(architecture.input_modalities),
      output_modalities: strings(architecture.output_modalities),
      supported_parameters: strings(entry.supported_parameters, []),
      description: typeof description === "string" ? description.slice(0, DESCRIPTION_CHARS) : "",
    });
  }
  return rows;
}

const strings = (value: unknown, otherwise = ["text"]): string[] =>
  Array.isArray(value) ? value.filter((v) => typeof v === "string") : otherwise;

/** OpenRouter's price string (dollars per token) as dollars per million tokens. */
function perMillion(price: unknown): number | null {
  const perToken = typeof price === "string" && price.trim() !== "" ? Number(price) : NaN;
  if (!Number.isFinite(perToken) || perToken < 0) return null;
  return Math.round(perToken * 1e10) / 1e4; // four decimals, without float noise
}

export interface ModelFilter {
  query?: string | undefined;
  min_context_length?: number | undefined;
  /** Dollars per million tokens, prompt and completion alike. */
  max_price?: number | undefined;
  input_modality?: string | undefined;
  output_modality?: string | undefined;
  /** Parameters the model must take, every one. */
  supported_parameters?: string[] | undefined;
}

/**
 * The rows that pass every filter. Each word of the query must appear in the id, name or
 * description; rows matching every word in the id or name come first, each group in OpenRouter's
 * order (newest first), unless the list was `sorted`: then its order stands.
 */
export function filterModels(rows: readonly ModelRow[], filter: ModelFilter, sorted = false): ModelRow[] {
  const words = (filter.query ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const named: ModelRow[] = [];
  const described: ModelRow[] = [];
  for (const row of rows) {
    if (filter.min_context_length !== undefined && (row.context_length ?? 0) < filter.min_context_length) continue;
    if (
      filter.max_price !== undefined &&
      !(priceAtMost(row.prompt_price, filter.max_price) && priceAtMost(row.completion_price, filter.max_price))
    )
      continue;
    if (filter.input_modality !== undefined && !row.input_modalities.includes(filter.input_modality)) continue;
    if (filter.output_modality !== undefined && !row.output_modalities.includes(filter.output_modality)) continue;
    if (filter.supported_parameters?.some((p) => !row.supported_parameters.includes(p))) continue;
    const title = `${row.id} ${row.name}`.toLowerCase();
    if (words.every((w) => title.includes(w))) (sorted ? described : named).push(row);
    else if (words.every((w) => title.includes(w) || row.description.toLowerCase().includes(w))) described.push(row);
  }
  return named.concat(described);
}

const priceAtMost = (price: number | null, limit: number): boolean => price !== null && price <= limit;

/** Up to `count` listed ids closest to `wanted` (a mistyped or retired id), best first. */
export function closestModelIds(rows: readonly ModelRow[], wanted: string, count = 3): string[] {
  const target = bigrams(wanted);
  const targetTail = bigrams(wanted.slice(wanted.indexOf("/") + 1));
  return rows
    .map((row) => {
      const tail = row.id.slice(row.id.indexOf("/") + 1);
      // The vendor is often right and the version wrong, or the vendor missing: weigh the tail too.
      return { id: row.id, score: Math.max(dice(target, bigrams(row.id)), 0.9 * dice(targetTail, bigrams(tail))) };
    })
    .filter((c) => c.score >= 0.4)
    .sort((a, b) => b.score - a.score)
    .slice(0, count)
    .map((c) => c.id);
}

function bigrams(text: string): Map<string, number> {
  const lower = text.toLowerCase();
  const grams = new Map<string, number>();
  for (let i = 0; i < lower.length - 1; i++) {
    const gram = lower.slice(i, i + 2);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

/** Sørensen–Dice similarity of two bigram multisets, from 0 to 1. */
function dice(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const n of a.values()) total += n;
  for (const [gram, n] of b) {
    total += n;
    shared += Math.min(n, a.get(gram) ?? 0);
  }
  return total === 0 ? 0 : (2 * shared) / total;
}
