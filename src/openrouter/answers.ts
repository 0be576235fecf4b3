// What OpenRouter's small answers say, read through schemas: a refusal's error body, and a key's
// details. Every field is optional; a body that does not fit is read as saying nothing more than
// its status.
import * as z from "zod/mini";
import { decodeJson } from "../decode.js";

export interface UpstreamRefusal {
  /** HTTP status from OpenRouter, or 0 when it could not be reached or did not answer. */
  status: number;
  /** No response headers came within the chat's start timeout. */
  timedOut?: boolean;
  /** OpenRouter's own message, when it sent one (never contains the key). */
  message: string | undefined;
  /** Seconds to wait before retrying, from Retry-After or the error body. */
  retryAfterSeconds: number | undefined;
  /** Models OpenRouter suggests instead, when it names any. */
  fallbackModels: string[];
  /** Why a model could not be served, when OpenRouter says (its error.availability). */
  availability?: Availability;
}

/** OpenRouter's error.availability, as much of it as says what to do (errors-and-debugging in its docs). */
export interface Availability {
  /** model_not_found, no_endpoints, capacity_exhausted, … (new codes may come: `retryable` decides then). */
  code: string;
  /** Whether the same request again may succeed. */
  retryable: boolean;
  /** The routing filters that removed the last endpoints: max_price, data_policy:zdr, geo, … */
  excludedBy: string[];
  /** The constraint that removed every endpoint, in OpenRouter's words. */
  constraint?: { field: string; detail: string } | undefined;
}

export interface KeyInfo {
  label: string | undefined;
  /** Credit limit in dollars; null when the key has none. */
  limit: number | null;
  usage: number | undefined;
  limitRemaining: number | null | undefined;
}

const errorBodySchema = z.object({
  error: z.optional(
    z.object({
      message: z.optional(z.string()),
      availability: z.optional(
        z.object({
          code: z.optional(z.string()),
          retryable: z.optional(z.boolean()),
          retry_after: z.optional(z.nullable(z.number())),
          fallback_models: z.optional(z.array(z.string())),
          excluded_by: z.optional(z.array(z.string())),
          constraint: z.optional(z.object({ field: z.string(), detail: z.string() })),
        }),
      ),
    }),
  ),
});

const keyBodySchema = z.object({
  data: z.object({
    label: z.optional(z.string()),
    limit: z.optional(z.nullable(z.number())),
    usage: z.optional(z.number()),
    limit_remaining: z.optional(z.nullable(z.number())),
  }),
});

/** A refusal from its status, Retry-After header and body (undefined when unread or too large). */
export function readRefusal(
  status: number,
  retryAfter: string | null,
  text: string | undefined,
  now: number,
): UpstreamRefusal {
  const decoded = text === undefined ? undefined : decodeJson(text, errorBodySchema);
  const error = decoded?.ok ? decoded.value.error : undefined;
  const availability = error?.availability;
  return {
    status,
    message: error?.message,
    retryAfterSeconds: parseRetryAfter(retryAfter, now) ?? availability?.retry_after ?? undefined,
    fallbackModels: availability?.fallback_models ?? [],
    ...(availability?.code === undefined
      ? {}
      : {
          availability: {
            code: availability.code,
            retryable: availability.retryable ?? false,
            excludedBy: availability.excluded_by ?? [],
            constraint: availability.constraint,
          },
        }),
  };
}

/** Retry-After as seconds: a number of seconds, or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** GET /key's answer, or undefined when it is not one. */
export function readKeyDetails(text: string): KeyInfo | undefined {
  const decoded = decodeJson(text, keyBodySchema);
  if (!decoded.ok) return undefined;
  const { label, limit, usage, limit_remaining } = decoded.value.data;
  return { label, limit: limit ?? null, usage, limitRemaining: limit_remaining };
}
