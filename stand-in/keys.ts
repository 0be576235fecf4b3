// The stand-in's keys: the fixed ones tests and the demo use, which keys it accepts, and the key
// lookup (GET /api/v1/key) that answers a key's label, credit limit and usage.
import type { IncomingMessage, ServerResponse } from "node:http";
import { bearer, sendError, sendJson } from "./http.js";

export const VALID_KEY = "sk-or-v1-stand-in-valid-key";
export const REVOKED_KEY = "sk-or-v1-revoked";
/** The key `npm run demo` prints: public on purpose, so the secret ledger does not track it. */
export const DEMO_KEY = "sk-or-v1-demo-key";
/**
 * Keys whose lookup (GET /key) fails, as OpenRouter's may: `sk-or-v1-lookup-503-<anything>`
 * answers that status, `…-lookup-hang-…` never answers, `…-lookup-drop-…` cuts the connection.
 */
const LOOKUP_FAILURE = /^sk-or-v1-lookup-(\d{3}|hang|drop)-/;

/** Any `sk-or-v1-…` key but the revoked one works, for chats and lookups alike. */
export function acceptsKey(key: string | undefined): key is string {
  return key !== undefined && key.startsWith("sk-or-v1-") && key !== REVOKED_KEY;
}

/** The keys a login issued (oauth.ts), with the credit limit and label it was given. */
export type IssuedKeys = Map<string, { limit: number | null; label: string | undefined }>;

export function answerKeyLookup(req: IncomingMessage, res: ServerResponse, issuedKeys: IssuedKeys): void {
  const key = bearer(req);
  if (!acceptsKey(key)) return sendError(res, 401, "User not found.");
  // A lookup OpenRouter does not answer, for keys that ask for one (chats with them still work).
  const failure = LOOKUP_FAILURE.exec(key)?.[1];
  if (failure === "hang") return;
  if (failure === "drop") return void res.socket?.destroy();
  if (failure !== undefined) return sendError(res, Number(failure), "Lookup failed.");
  const issued = issuedKeys.get(key);
  const limit = issued?.limit ?? null;
  const usageSoFar = 0.0123;
  sendJson(res, 200, {
    data: {
      // OpenRouter names a key by the key_label its login was given, else by a masked key.
      label: issued?.label ?? `${key.slice(0, 12)}...${key.slice(-3)}`,
      limit,
      usage: usageSoFar,
      is_free_tier: false,
      limit_remaining: limit === null ? null : limit - usageSoFar,
    },
  });
}
