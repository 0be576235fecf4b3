// A model as OpenRouter's /models lists it, and `listedModel`, which writes one in that shape from
// the few figures that differ between models (prices are strings of dollars per token; "-1" means
// variable).

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

/** A model in OpenRouter's shape; prices in dollars per million tokens (-1: variable). */
export function listedModel(
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

/** Models that read images. */
export const vision = { inputs: ["text", "image"] };
/** Models that read files, and (as OpenRouter lists for them) answer in a given JSON schema. */
export const files = { inputs: ["text", "image", "file"], parameters: ["structured_outputs"] };
