// The stand-in's scenarios: every behaviour it has, picked by the request's model name. SCENARIOS
// is the one list of them: the demo prints the rows with an example, docs/stand-in.md lists them
// all (a test holds the page to it), and a `stand-in/` name it does not list answers 404.

export interface Scenario {
  /** The model name; N, MS and STATUS stand for numbers. */
  model: string;
  /** A name to paste, for the scenarios worth trying by hand (the demo prints these). */
  example?: string;
  what: string;
}

/** Every behaviour the stand-in has, picked by the request's model name. */
export const SCENARIOS: readonly Scenario[] = [
  {
    model: "any other name",
    example: "openai/gpt-4o-mini",
    what: "`Echo: <prompt>`, then, under `npm run demo`, a short answer about the demo, a word every 10 ms",
  },
  { model: "stand-in/slow-N-MS", example: "stand-in/slow-20-500", what: "N tokens, MS milliseconds apart" },
  {
    model: "stand-in/tokens-N",
    example: "stand-in/tokens-1000",
    what: "N tokens (`t0 t1 t2 …`) at once, also under `npm run demo` (whose other answers come a word every 10 ms)",
  },
  {
    model: "stand-in/midstream-error-N",
    example: "stand-in/midstream-error-20",
    what: "N tokens, then an error chunk under HTTP 200",
  },
  {
    model: "stand-in/error-STATUS",
    example: "stand-in/error-402",
    what: "OpenRouter's error: 402 no credits, 429 rate limited (Retry-After), 400, 401, 403, 408, 5xx",
  },
  {
    model: "stand-in/hang-after-N",
    example: "stand-in/hang-after-5",
    what: "N tokens, then silence: the call ends after `UPSTREAM_IDLE_TIMEOUT_MS` (5 s under `npm run demo`, a minute by default)",
  },
  { model: "stand-in/hang-before", what: "headers, then silence" },
  { model: "stand-in/never-responds", what: "no headers at all" },
  { model: "stand-in/broken-N", what: "N tokens, then the connection is cut" },
  { model: "stand-in/garbage-N", what: "N tokens with frames that are not JSON mixed in" },
  { model: "stand-in/crlf-N", what: "N tokens with CRLF line endings" },
  { model: "stand-in/split-N", what: "N non-ASCII tokens, written a few bytes at a time" },
  {
    model: "stand-in/silent-N",
    example: "stand-in/silent-90",
    what: "a model silent for N seconds before its first token: only `: OPENROUTER PROCESSING` comments, one a second, then the echo",
  },
  {
    model: "stand-in/at-capacity",
    example: "stand-in/at-capacity",
    what: "429 with OpenRouter's availability error `capacity_exhausted`: retry after 40 s (and Retry-After), fallback models `openai/gpt-4o-mini`, `anthropic/claude-haiku-4.5`",
  },
  {
    model: "stand-in/retired",
    example: "stand-in/retired",
    what: "404 with the availability error `model_deprecated`, its successor `openai/gpt-5-mini` as the fallback model",
  },
  {
    model: "stand-in/thinking-N-MS",
    example: "stand-in/thinking-40-50",
    what: "a thinking model: N reasoning tokens (`r0 r1 …`, as `delta.reasoning` and `reasoning_details`), MS milliseconds apart, then the echo; usage counts `reasoning_tokens`",
  },
  {
    model: "stand-in/image-N-KB",
    example: "stand-in/image-1",
    what: 'a model that draws: with `modalities` `["image", "text"]`, a line of text, then N 48×48 PNG images of about KB kilobytes each (about 9 KB without KB) as `delta.images`',
  },
  {
    model: "stand-in/not-an-image",
    what: 'a model that draws, wrongly: with `modalities` `["image", "text"]`, a `data:text/html` URL as its first image, then a PNG',
  },
  {
    model: "any name, with `response_format`",
    what: 'the answer as JSON: `{"echo": <prompt>}`, or an object with the schema\'s properties filled in (the `stand-in/` scenarios ignore it, so `stand-in/tokens-5` answers text that is not JSON)',
  },
  {
    model: "any name, with `web_search` (or a `:online` id)",
    what: "the answer, then two `url_citation` annotations (sent twice, as OpenRouter may), and `web_search_requests: 1` in usage",
  },
  {
    model: "any name, with images, videos, files or audio",
    what: "the echo says what it received: `[image https://…]`, `[video video/mp4, 1234 bytes]`, `[file report.pdf, application/pdf, 1234 bytes]`, `[audio wav, 1234 bytes]`; a `pdf` engine is named",
  },
  {
    model: 'any name, with `modalities` `["text", "audio"]`',
    what: "the echo spoken, as OpenRouter streams audio: a short tone a word in `delta.audio.data` (`wav` or `pcm16`, 24 kHz; other formats are refused with 400), the words in `delta.audio.transcript`",
  },
  {
    model: "any name, with `provider.max_price`",
    what: '404 "No endpoints found" with the availability error `constraint_filtered` when the limit is below the model\'s listed price',
  },
  {
    model: "stand-in/unknown",
    example: "stand-in/unknown",
    what: '404 "No endpoints found", as for any other `stand-in/` name and `anthropic/claude-3.5-sonnet`',
  },
];

/** Model names no endpoint serves any more: 404 "No endpoints found", and a `models` list falls back past them. */
export const RETIRED = new Set(["anthropic/claude-3.5-sonnet", "stand-in/unknown"]);

/** The scenario word of a `stand-in/…` model name or pattern: "slow" for stand-in/slow-N-MS. */
function scenarioKind(model: string): string | undefined {
  return /^stand-in\/([a-z]+(?:-[a-z]+)*)/.exec(model)?.[1];
}
const KINDS = new Set(SCENARIOS.map((s) => scenarioKind(s.model)).filter((k) => k !== undefined && k !== "unknown"));

export interface PickedScenario {
  /** The scenario word ("slow" for stand-in/slow-20-500), or "echo" for a name outside `stand-in/`. */
  kind: string;
  /** The name's numbers, N and MS (STATUS and KB are N and MS too), 0 when absent. */
  n: number;
  ms: number;
}

/**
 * The scenario a model name picks, or undefined for a `stand-in/` name SCENARIOS does not list.
 * A `:online` id picks the scenario of the model it names (with web search on).
 */
export function pickScenario(model: string): PickedScenario | undefined {
  const named = /^stand-in\/([a-z-]+?)(?:-(\d+))?(?:-(\d+))?$/.exec(model.replace(/:online$/, ""));
  const kind = named?.[1] ?? "echo";
  if (model.startsWith("stand-in/") && !KINDS.has(kind)) return undefined;
  return { kind, n: Number(named?.[2] ?? 0), ms: Number(named?.[3] ?? 0) };
}

/** The `stand-in/` scenarios a request may name, for the 404 that answers any other `stand-in/` name. */
export function listedScenarioModels(): string[] {
  return SCENARIOS.map((s) => s.model).filter((m) => m.startsWith("stand-in/") && !RETIRED.has(m));
}
