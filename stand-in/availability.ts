// OpenRouter's model availability errors (error.availability, in its errors-and-debugging docs),
// as the stand-in answers them: for the scenarios that ask, and for a max_price no endpoint meets.

interface AvailabilityAnswer {
  status: number;
  headers: Record<string, string>;
  body: { error: Record<string, unknown> };
}

const DOCS = "https://openrouter.ai/docs/errors";

function answer(
  status: number,
  errorType: string,
  model: string,
  message: string,
  availability: Record<string, unknown>,
): AvailabilityAnswer {
  const retryAfter = availability.retry_after;
  return {
    status,
    headers: typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : {},
    body: {
      error: {
        code: status,
        message,
        error_type: errorType,
        http_status: status,
        availability: { ...availability, requested_models: [model], docs_url: `${DOCS}#${String(availability.code)}` },
      },
    },
  };
}

/** The availability error a scenario asks for (stand-in/at-capacity, stand-in/retired), or undefined. */
export function scenarioUnavailable(kind: string, model: string): AvailabilityAnswer | undefined {
  if (kind === "at-capacity") {
    return answer(
      429,
      "rate_limit_exceeded",
      model,
      `All providers for ${model} are at capacity. Retry after 40 seconds.`,
      {
        code: "capacity_exhausted",
        retryable: true,
        retry_after: 40,
        affected_providers: ["stand-in-a", "stand-in-b"],
        fallback_models: ["openai/gpt-4o-mini", "anthropic/claude-haiku-4.5"],
      },
    );
  }
  if (kind === "retired") {
    return answer(404, "not_found", model, `${model} was retired.`, {
      code: "model_deprecated",
      retryable: false,
      fallback_models: ["openai/gpt-5-mini"],
    });
  }
  return undefined;
}

/** A max_price below every endpoint's price: no endpoint is left (constraint_filtered). */
export function priceUnavailable(model: string, message: string): AvailabilityAnswer {
  return answer(404, "not_found", model, message, {
    code: "constraint_filtered",
    retryable: false,
    excluded_by: ["max_price"],
    constraint: { field: "max_price", detail: `Every endpoint of ${model} costs more than max_price allows.` },
  });
}
