// Unit tests of src/openrouter/errors.ts: what the person (or the model) is told when OpenRouter
// refuses a call or a stream ends badly. Each message says what happened and what to do next.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readRefusal, type UpstreamRefusal } from "../../src/openrouter/answers.js";
import { describeRefusal, describeStreamFailure, refusalSuggestions } from "../../src/openrouter/errors.js";
import type { StreamSummary } from "../../src/openrouter/stream.js";

const refusal = (status: number, extra: Partial<UpstreamRefusal> = {}): UpstreamRefusal => ({
  status,
  message: undefined,
  retryAfterSeconds: undefined,
  fallbackModels: [],
  ...extra,
});
const describe_ = (r: UpstreamRefusal) => describeRefusal(r, "vendor/model", "default/model", 60_000);

describe("describeRefusal", () => {
  it.each([
    [400, /rejected the request as invalid\. Check the arguments \(model, max_tokens, reasoning, provider, …\)/],
    [401, /rejected the API key\. Log in again or use a valid OpenRouter key\./],
    [402, /Out of credits for this key\. Add credits at https:\/\/openrouter\.ai\/settings\/credits/],
    [403, /moderation refused this input\. Rephrase the prompt or choose another model\./],
    [
      404,
      /Model "vendor\/model" is unknown or has no available endpoints.*omit "model" to use the default \(default\/model\)\./,
    ],
    [408, /timed out waiting for the model\. Retry/],
    [429, /^Rate limited by OpenRouter\. Retry in a few seconds\.$/],
    [500, /^The model's provider is having trouble \(HTTP 500\)\. Retry in a few seconds\. Or try another model\.$/],
    [503, /\(HTTP 503\)/],
    [418, /^OpenRouter answered HTTP 418\.$/],
  ])("explains HTTP %i", (status, text) => {
    expect(describe_(refusal(status))).toMatch(text);
  });

  it("tells a network error from a timeout, with the timeout in seconds", () => {
    expect(describe_(refusal(0))).toBe("Could not reach OpenRouter (network error). Check the connection and retry.");
    expect(describeRefusal(refusal(0, { timedOut: true }), "m", "d", 45_400)).toBe(
      "OpenRouter did not answer within 45 s, so the call was ended. Retry, or try another model.",
    );
  });

  it("quotes OpenRouter's message and names the models it suggests", () => {
    const text = describe_(refusal(404, { message: "No endpoints found", fallbackModels: ["a/one", "b/two"] }));
    expect(text).toContain('OpenRouter said: "No endpoints found"');
    expect(text).toContain("OpenRouter suggests: a/one, b/two.");
  });

  it("tells a mistyped model (with the closest listed ids) from a listed one no provider can serve", () => {
    const unknown = describeRefusal(refusal(404), "vendor/modle", "default/model", 60_000, {
      listed: false,
      closest: ["vendor/model", "vendor/model-2"],
    });
    expect(unknown).toMatch(
      /^Model "vendor\/modle" is not on OpenRouter's model list\. Closest ids: vendor\/model, vendor\/model-2\. Call list_models/,
    );
    expect(describeRefusal(refusal(404), "zz/q", "d/m", 60_000, { listed: false, closest: [] })).not.toContain(
      "Closest",
    );
    const listed = describeRefusal(refusal(404), "vendor/model", "default/model", 60_000, {
      listed: true,
      closest: ["vendor/model"],
    });
    expect(listed).toMatch(/is listed on OpenRouter but no provider can serve this request now.*provider preferences/);
  });

  it("says how long to wait when OpenRouter says it", () => {
    expect(describe_(refusal(429, { retryAfterSeconds: 1 }))).toContain("Retry in 1 second.");
    expect(describe_(refusal(429, { retryAfterSeconds: 7 }))).toContain("Retry in 7 seconds.");
    expect(describe_(refusal(502, { retryAfterSeconds: 0 }))).toContain("Retry in 0 seconds.");
  });

  it("always says something, and always passes on what OpenRouter said once it answered", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 599 }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
        (status, message, retryAfterSeconds, fallbackModels) => {
          const text = describe_(refusal(status, { message, retryAfterSeconds, fallbackModels }));
          expect(text.length).toBeGreaterThan(0);
          if (status !== 0 && message !== undefined) expect(text).toContain(`OpenRouter said: "${message}"`);
        },
      ),
    );
  });
});

describe("availability errors (OpenRouter's error.availability)", () => {
  /** A refusal as readRefusal reads OpenRouter's body for it. */
  const unavailable = (status: number, availability: Record<string, unknown>, message = "m") =>
    readRefusal(status, null, JSON.stringify({ error: { code: status, message, availability } }), 0);

  it("reads the code, whether to retry, when, and what instead", () => {
    const read = unavailable(429, {
      code: "capacity_exhausted",
      retryable: true,
      retry_after: 40,
      fallback_models: ["a/one"],
      requested_models: ["v/m"],
      docs_url: "https://openrouter.ai/docs/errors#capacity_exhausted",
    });
    expect(read).toMatchObject({
      retryAfterSeconds: 40,
      fallbackModels: ["a/one"],
      availability: { code: "capacity_exhausted", retryable: true, excludedBy: [] },
    });
    expect(refusalSuggestions(read)).toEqual({ retry_after_seconds: 40, models: ["a/one"] });
    // A null retry_after is no hint; a header's wins over the body's.
    expect(
      unavailable(503, { code: "temporarily_unavailable", retryable: true, retry_after: null }).retryAfterSeconds,
    ).toBeUndefined();
    const both = readRefusal(429, "9", JSON.stringify({ error: { availability: { code: "x", retry_after: 40 } } }), 0);
    expect(both.retryAfterSeconds).toBe(9);
  });

  it.each([
    [
      400,
      { code: "model_not_found" },
      /^"v\/m" is not a model id OpenRouter knows\. OpenRouter said: "m" Try: a\/one\. Find ids with list_models\.$/,
    ],
    [
      400,
      { code: "wrong_endpoint", constraint: { field: "endpoint", detail: "use /embeddings" } },
      /is not a chat model \(use \/embeddings\)/,
    ],
    [
      404,
      { code: "no_endpoints" },
      /No provider can serve "v\/m" under this call's routing preferences\..*Loosen "provider"/,
    ],
    [404, { code: "model_deprecated" }, /has been retired\..* Use its successor: a\/one\./],
    [404, { code: "model_unavailable_upstream" }, /Every provider has removed "v\/m"/],
    [
      429,
      { code: "capacity_exhausted", retry_after: 40 },
      /at capacity\..* Retry in 40 seconds\. Or try one of these models instead: a\/one\./,
    ],
    [503, { code: "temporarily_unavailable" }, /failing for now\..* Retry in a few seconds\./],
    [403, { code: "region_restricted" }, /not offered in the region/],
    [
      404,
      { code: "privacy_restricted", excluded_by: ["data_policy:zdr"] },
      /The data policy \(data_policy:zdr\) leaves no provider.*settings\/privacy/,
    ],
    [
      404,
      { code: "constraint_filtered", constraint: { field: "max_price", detail: "too dear" } },
      /The "max_price" routing constraint leaves no provider for "v\/m": too dear\./,
    ],
    [
      404,
      { code: "free_variant_ended" },
      /The free variant "v\/m" has ended\..* Switch to a\/one \(normal prices apply\)\./,
    ],
    [
      503,
      { code: "some_new_code", retryable: true },
      /cannot be served right now \(some_new_code\)\..* Retry in a few seconds\./,
    ],
    [404, { code: "another_new_code" }, /cannot be served \(another_new_code\)\..* Choose another model\./],
  ])("words HTTP %i %j as what to do", (status, availability, expected) => {
    const read = unavailable(status, { retryable: false, fallback_models: ["a/one"], ...availability });
    expect(describeRefusal(read, "v/m", "d/m", 60_000)).toMatch(expected);
  });
});

describe("describeStreamFailure", () => {
  const summary = (extra: Partial<StreamSummary>): StreamSummary => ({
    end: "done",
    model: "vendor/model",
    provider: undefined,
    finishReason: "stop",
    usage: undefined,
    error: undefined,
    receivedAnything: true,
    ...extra,
  });

  it("has nothing to say about a stream that finished", () => {
    expect(describeStreamFailure(summary({ end: "done" }), 60_000)).toBeUndefined();
    expect(describeStreamFailure(summary({ end: "closed", finishReason: "length" }), 60_000)).toBeUndefined();
  });

  it("reports a mid-stream error chunk, with its code when there is one", () => {
    expect(describeStreamFailure(summary({ error: { code: 502, message: "Provider disconnected" } }), 60_000)).toBe(
      "The provider failed mid-answer (502): Provider disconnected. The partial answer is included; retry to get a complete one.",
    );
    expect(describeStreamFailure(summary({ error: { message: "oops" } as StreamSummary["error"] }), 60_000)).toMatch(
      /^The provider failed mid-answer: oops\./,
    );
    expect(describeStreamFailure(summary({ finishReason: "error" }), 60_000)).toMatch(/ended the answer with an error/);
  });

  it.each([
    [summary({ end: "closed", finishReason: undefined }), /ended early, before the model finished/],
    [summary({ end: "broken" }), /connection to OpenRouter broke mid-answer/],
    [summary({ end: "idle" }), /^OpenRouter stopped sending for 60 s/],
    [summary({ end: "idle", receivedAnything: false }), /^OpenRouter accepted the request but sent nothing for 60 s/],
    [summary({ end: "aborted" }), /^The call was cancelled\.$/],
  ])("explains %o", (ended, text) => {
    expect(describeStreamFailure(ended, 60_000)).toMatch(text);
  });
});
