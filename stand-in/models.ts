// The stand-in's answer to GET /api/v1/models: a realistic slice of OpenRouter's public model
// list, in its shape (prices are strings of dollars per token; "-1" means variable), plus the
// stand-in's own scenario models so a demo can list and pick them.

export interface ListedModel {
  id: string;
  canonical_slug: string;
  hugging_face_id: string | null;
  name: string;
  created: number;
  description: string;
  context_length: number;
  architecture: {
    modality: string;
    input_modalities: string[];
    output_modalities: string[];
    tokenizer: string;
    instruct_type: string | null;
  };
  pricing: {
    prompt: string;
    completion: string;
    request: string;
    image: string;
    web_search: string;
    internal_reasoning: string;
  };
  top_provider: { context_length: number; max_completion_tokens: number | null; is_moderated: boolean };
  per_request_limits: null;
  supported_parameters: string[];
  default_parameters: Record<string, unknown>;
}

const BASE_PARAMETERS = [
  "max_tokens",
  "temperature",
  "top_p",
  "stop",
  "seed",
  "response_format",
  "tools",
  "tool_choice",
];

/** Dollars per million tokens, as OpenRouter's per-token price string. */
const perToken = (perMillion: number): string =>
  perMillion < 0 ? "-1" : String(Number((perMillion / 1_000_000).toPrecision(6)));

function model(
  id: string,
  name: string,
  created: string,
  contextLength: number,
  promptPerMillion: number,
  completionPerMillion: number,
  description: string,
  options: {
    inputs?: string[];
    outputs?: string[];
    reasoning?: boolean;
    maxCompletion?: number;
    tokenizer?: string;
    parameters?: string[];
  } = {},
): ListedModel {
  const inputs = options.inputs ?? ["text"];
  const outputs = options.outputs ?? ["text"];
  return {
    id,
    canonical_slug: id.split(":")[0]!,
    hugging_face_id: null,
    name,
    created: Math.floor(Date.parse(created) / 1000),
    description,
    context_length: contextLength,
    architecture: {
      modality: `${inputs.join("+")}->${outputs.join("+")}`,
      input_modalities: inputs,
      output_modalities: outputs,
      tokenizer: options.tokenizer ?? "Other",
      instruct_type: null,
    },
    pricing: {
      prompt: perToken(promptPerMillion),
      completion: perToken(completionPerMillion),
      request: "0",
      image: "0",
      web_search: "0",
      internal_reasoning: "0",
    },
    top_provider: {
      context_length: contextLength,
      max_completion_tokens: options.maxCompletion ?? null,
      is_moderated: id.startsWith("openai/") || id.startsWith("anthropic/"),
    },
    per_request_limits: null,
    supported_parameters: [
      ...BASE_PARAMETERS,
      ...(options.reasoning ? ["reasoning", "include_reasoning"] : []),
      ...(options.parameters ?? []),
    ],
    default_parameters: {},
  };
}

const vision = { inputs: ["text", "image"] };
/** Models that read files, and (as OpenRouter lists for them) answer in a given JSON schema. */
const files = { inputs: ["text", "image", "file"], parameters: ["structured_outputs"] };

export const MODELS: ListedModel[] = [
  model(
    "stand-in/thinking-40",
    "Stand-in: thinking model",
    "2026-11-01",
    131_072,
    0,
    0,
    "Thinks 40 tokens aloud (reasoning deltas), then echoes the prompt. For trying progress while a model thinks.",
    { reasoning: true },
  ),
  model("stand-in/slow-20-500", "Stand-in: slow answer", "2026-11-01", 32_768, 0, 0, "20 tokens, half a second apart."),
  model(
    "stand-in/tokens-1000",
    "Stand-in: long answer",
    "2026-11-01",
    32_768,
    0,
    0,
    "1,000 tokens as fast as the stand-in can write them.",
  ),
  model(
    "stand-in/midstream-error-20",
    "Stand-in: fails mid-answer",
    "2026-11-01",
    32_768,
    0,
    0,
    "20 tokens, then an error chunk under HTTP 200.",
  ),
  model(
    "stand-in/error-402",
    "Stand-in: out of credits",
    "2026-11-01",
    32_768,
    0,
    0,
    "Refuses with HTTP 402, as OpenRouter does when the key has no credits left.",
  ),
  model(
    "stand-in/hang-after-5",
    "Stand-in: stalls",
    "2026-11-01",
    32_768,
    0,
    0,
    "5 tokens, then silence with the connection open.",
  ),
  model(
    "stand-in/silent-90",
    "Stand-in: silent thinker",
    "2026-11-01",
    32_768,
    0,
    0,
    "Silent for 90 seconds (OpenRouter's processing comments only), then echoes the prompt. For trying progress through silence.",
    { reasoning: true },
  ),
  model(
    "stand-in/at-capacity",
    "Stand-in: at capacity",
    "2026-11-01",
    32_768,
    0,
    0,
    "Refuses with HTTP 429 and OpenRouter's availability error: every provider at capacity, two fallback models named.",
  ),
  model(
    "stand-in/image-1",
    "Stand-in: draws",
    "2026-11-01",
    32_768,
    0,
    0,
    'Answers a line of text and a small PNG when modalities include "image".',
    { inputs: ["text", "image"], outputs: ["image", "text"] },
  ),
  model(
    "openrouter/auto",
    "Auto Router",
    "2023-11-08",
    2_000_000,
    -1,
    -1,
    "Your prompt will be processed by a meta-model and routed to one of dozens of models.",
    files,
  ),
  model(
    "anthropic/claude-opus-4.5",
    "Anthropic: Claude Opus 4.5",
    "2025-11-24",
    200_000,
    5,
    25,
    "Anthropic's most capable model for complex reasoning, agentic coding and long-horizon tasks.",
    { ...files, reasoning: true, maxCompletion: 64_000, tokenizer: "Claude" },
  ),
  model(
    "anthropic/claude-haiku-4.5",
    "Anthropic: Claude Haiku 4.5",
    "2025-10-15",
    200_000,
    1,
    5,
    "Anthropic's fastest and most efficient model, with extended thinking.",
    { ...vision, reasoning: true, maxCompletion: 64_000, tokenizer: "Claude" },
  ),
  model(
    "anthropic/claude-sonnet-4.5",
    "Anthropic: Claude Sonnet 4.5",
    "2025-09-29",
    1_000_000,
    3,
    15,
    "Anthropic's strongest model for coding and agents, with extended thinking.",
    { ...files, reasoning: true, maxCompletion: 64_000, tokenizer: "Claude" },
  ),
  model(
    "anthropic/claude-3.7-sonnet",
    "Anthropic: Claude 3.7 Sonnet",
    "2025-02-24",
    200_000,
    3,
    15,
    "Hybrid reasoning model with an extended thinking mode.",
    { ...files, reasoning: true, maxCompletion: 64_000, tokenizer: "Claude" },
  ),
  model(
    "openai/gpt-5",
    "OpenAI: GPT-5",
    "2025-08-07",
    400_000,
    1.25,
    10,
    "OpenAI's flagship reasoning model for coding, writing and agentic tasks.",
    {
      ...files,
      reasoning: true,
      maxCompletion: 128_000,
      tokenizer: "GPT",
      parameters: ["structured_outputs", "web_search_options", "verbosity"],
    },
  ),
  model(
    "openai/gpt-5-mini",
    "OpenAI: GPT-5 Mini",
    "2025-08-07",
    400_000,
    0.25,
    2,
    "A smaller, faster GPT-5 for lighter reasoning tasks.",
    { ...files, reasoning: true, maxCompletion: 128_000, tokenizer: "GPT" },
  ),
  model(
    "openai/gpt-5-nano",
    "OpenAI: GPT-5 Nano",
    "2025-08-07",
    400_000,
    0.05,
    0.4,
    "The smallest and fastest GPT-5, for classification and low-latency work.",
    { ...files, reasoning: true, maxCompletion: 128_000, tokenizer: "GPT" },
  ),
  model(
    "openai/gpt-4o-mini",
    "OpenAI: GPT-4o-mini",
    "2024-07-18",
    128_000,
    0.15,
    0.6,
    "OpenAI's affordable small model, multimodal, cheaper than GPT-3.5 Turbo.",
    { ...files, maxCompletion: 16_384, tokenizer: "GPT" },
  ),
  model(
    "openai/gpt-4o",
    "OpenAI: GPT-4o",
    "2024-05-13",
    128_000,
    2.5,
    10,
    "OpenAI's versatile multimodal flagship of 2024.",
    { ...files, maxCompletion: 16_384, tokenizer: "GPT" },
  ),
  model(
    "openai/o3-mini",
    "OpenAI: o3 Mini",
    "2025-01-31",
    200_000,
    1.1,
    4.4,
    "A cost-efficient reasoning model for STEM, coding and math.",
    { ...files, reasoning: true, maxCompletion: 100_000, tokenizer: "GPT" },
  ),
  model(
    "openai/o4-mini",
    "OpenAI: o4 Mini",
    "2025-04-16",
    200_000,
    1.1,
    4.4,
    "A compact reasoning model with multimodal input and tool use.",
    { ...files, reasoning: true, maxCompletion: 100_000, tokenizer: "GPT" },
  ),
  model(
    "openai/gpt-4o-audio-preview",
    "OpenAI: GPT-4o Audio",
    "2025-08-15",
    128_000,
    2.5,
    10,
    "GPT-4o that listens and speaks: audio in, audio out.",
    { inputs: ["text", "audio"], outputs: ["text", "audio"], maxCompletion: 16_384, tokenizer: "GPT" },
  ),
  model(
    "google/gemini-2.5-pro",
    "Google: Gemini 2.5 Pro",
    "2025-06-17",
    1_048_576,
    1.25,
    10,
    "Google's state-of-the-art thinking model for reasoning, coding, math and science.",
    {
      inputs: ["text", "image", "file", "audio", "video"],
      reasoning: true,
      maxCompletion: 65_536,
      tokenizer: "Gemini",
    },
  ),
  model(
    "google/gemini-2.5-flash",
    "Google: Gemini 2.5 Flash",
    "2025-06-17",
    1_048_576,
    0.3,
    2.5,
    "Google's workhorse thinking model: fast, cheap, a million tokens of context.",
    {
      inputs: ["text", "image", "file", "audio", "video"],
      reasoning: true,
      maxCompletion: 65_535,
      tokenizer: "Gemini",
    },
  ),
  model(
    "google/gemini-2.5-flash-image",
    "Google: Gemini 2.5 Flash Image",
    "2025-10-07",
    32_768,
    0.3,
    2.5,
    "Gemini that draws: generates and edits images from text and images.",
    { inputs: ["text", "image"], outputs: ["image", "text"], maxCompletion: 32_768, tokenizer: "Gemini" },
  ),
  model(
    "deepseek/deepseek-r1",
    "DeepSeek: R1",
    "2025-01-20",
    163_840,
    0.4,
    2,
    "DeepSeek's open reasoning model, on par with OpenAI o1, with open reasoning tokens.",
    { reasoning: true, tokenizer: "DeepSeek" },
  ),
  model(
    "deepseek/deepseek-r1:free",
    "DeepSeek: R1 (free)",
    "2025-01-20",
    163_840,
    0,
    0,
    "DeepSeek R1 on free, rate-limited endpoints.",
    { reasoning: true, tokenizer: "DeepSeek" },
  ),
  model(
    "deepseek/deepseek-chat-v3.1",
    "DeepSeek: DeepSeek V3.1",
    "2025-08-21",
    163_840,
    0.2,
    0.8,
    "A hybrid model with thinking and non-thinking modes.",
    { reasoning: true, tokenizer: "DeepSeek" },
  ),
  model(
    "meta-llama/llama-3.3-70b-instruct",
    "Meta: Llama 3.3 70B Instruct",
    "2024-12-06",
    131_072,
    0.13,
    0.39,
    "Meta's multilingual 70B instruction-tuned model.",
    { tokenizer: "Llama3" },
  ),
  model(
    "meta-llama/llama-3.3-70b-instruct:free",
    "Meta: Llama 3.3 70B Instruct (free)",
    "2024-12-06",
    65_536,
    0,
    0,
    "Llama 3.3 70B on free, rate-limited endpoints.",
    { tokenizer: "Llama3" },
  ),
  model(
    "meta-llama/llama-4-maverick",
    "Meta: Llama 4 Maverick",
    "2025-04-05",
    1_048_576,
    0.15,
    0.6,
    "A mixture-of-experts multimodal model with 17B active parameters.",
    { ...vision, tokenizer: "Llama4" },
  ),
  model(
    "mistralai/mistral-large-2411",
    "Mistral Large 2411",
    "2024-11-18",
    131_072,
    2,
    6,
    "Mistral's flagship model for reasoning, code and multilingual work.",
    { tokenizer: "Mistral" },
  ),
  model(
    "mistralai/mistral-small-3.2-24b-instruct",
    "Mistral: Mistral Small 3.2 24B",
    "2025-06-20",
    131_072,
    0.05,
    0.1,
    "A small, fast instruction-following model with vision.",
    { ...vision, tokenizer: "Mistral" },
  ),
  model(
    "qwen/qwen3-235b-a22b",
    "Qwen: Qwen3 235B A22B",
    "2025-04-28",
    131_072,
    0.13,
    0.6,
    "Alibaba's mixture-of-experts model with a thinking mode.",
    { reasoning: true, tokenizer: "Qwen3" },
  ),
  model(
    "qwen/qwen3-coder",
    "Qwen: Qwen3 Coder 480B A35B",
    "2025-07-23",
    262_144,
    0.22,
    0.95,
    "A coding model for agentic tasks over whole repositories.",
    { tokenizer: "Qwen3" },
  ),
  model(
    "x-ai/grok-4",
    "xAI: Grok 4",
    "2025-07-09",
    256_000,
    3,
    15,
    "xAI's reasoning model; its reasoning is not exposed.",
    { ...files, reasoning: true, tokenizer: "Grok" },
  ),
  model(
    "x-ai/grok-code-fast-1",
    "xAI: Grok Code Fast 1",
    "2025-08-26",
    256_000,
    0.2,
    1.5,
    "A speedy, economical reasoning model for agentic coding.",
    { reasoning: true, maxCompletion: 10_000, tokenizer: "Grok" },
  ),
  model(
    "moonshotai/kimi-k2",
    "MoonshotAI: Kimi K2",
    "2025-07-11",
    131_072,
    0.5,
    2.4,
    "A trillion-parameter mixture-of-experts model tuned for agentic use.",
    { tokenizer: "Other" },
  ),
];
