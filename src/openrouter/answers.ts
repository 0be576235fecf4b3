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
        z.object({ retry_after: z.optional(z.number()), fallback_models: z.optional(z.array(z.string())) }),
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
  return {
    status,
    message: error?.message,
    retryAfterSeconds: parseRetryAfter(retryAfter, now) ?? error?.availability?.retry_after,
    fallbackModels: error?.availability?.fallback_models ?? [],
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
