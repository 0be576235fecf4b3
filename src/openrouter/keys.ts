// OpenRouter's OAuth PKCE endpoints: exchange a code for a key, and read what a key is allowed.
// Neither the code, the verifier nor the key ever appears in an error message.

const TIMEOUT_MS = 15_000;
const MAX_LABEL_LENGTH = 100;

/**
 * OpenRouter's consent page for a PKCE login. `label` becomes the new key's name on
 * openrouter.ai/settings/keys (`key_label`), so the person can tell keys apart and delete one.
 */
export function consentUrl(authUrl: string, callbackUrl: string, codeChallenge: string, label: string): string {
  const url = new URL(authUrl);
  url.searchParams.set("callback_url", callbackUrl);
  url.searchParams.set("code_challenge", codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("key_label", label.slice(0, MAX_LABEL_LENGTH));
  return url.href;
}

/** The key's links on openrouter.ai (its settings and its activity), built from its SHA-256 as OpenRouter documents. */
export async function keyPages(key: string): Promise<{ settings: string; activity: string }> {
  const hash = await sha256Hex(key);
  return { settings: `https://openrouter.ai/keys/${hash}`, activity: `https://openrouter.ai/logs?api_key_hash=${hash}` };
}

type KeyExchange =
  | { ok: true; key: string }
  /** OpenRouter refused the code (bad, expired, used, or the verifier does not match). */
  | { ok: false; refused: true; status: number }
  /** OpenRouter could not be reached or answered something unexpected. */
  | { ok: false; refused: false; status: number };

export async function exchangeCodeForKey(baseUrl: string, code: string, codeVerifier: string): Promise<KeyExchange> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/auth/keys`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ code, code_verifier: codeVerifier, code_challenge_method: "S256" }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { ok: false, refused: false, status: 0 };
  }
  if (response.ok) {
    const body = (await response.json().catch(() => undefined)) as { key?: unknown } | undefined;
    if (typeof body?.key === "string" && body.key !== "") return { ok: true, key: body.key };
    return { ok: false, refused: false, status: response.status };
  }
  await response.body?.cancel();
  // OpenRouter documents 400 (method mismatch) and 403 (bad code or verifier, expired code).
  return { ok: false, refused: response.status >= 400 && response.status < 500 && response.status !== 429, status: response.status };
}

export interface KeyInfo {
  label: string | undefined;
  /** Credit limit in dollars; null when the key has none. */
  limit: number | null;
  usage: number | undefined;
  limitRemaining: number | null | undefined;
}

type KeyInfoLookup = { ok: true; info: KeyInfo } | { ok: false; rejected: boolean };

/** GET {base}/key: the key's label, limit and usage. `rejected` means the key no longer works. */
export async function readKeyInfo(baseUrl: string, key: string): Promise<KeyInfoLookup> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/key`, {
      headers: { Authorization: `Bearer ${key}`, Accept: "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    return { ok: false, rejected: false };
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    return { ok: false, rejected: true };
  }
  const body = (await response.json().catch(() => undefined)) as { data?: Record<string, unknown> } | undefined;
  const data = body?.data;
  if (!response.ok || typeof data !== "object" || data === null) return { ok: false, rejected: false };
  const number = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
  return {
    ok: true,
    info: {
      label: typeof data.label === "string" ? data.label : undefined,
      limit: number(data.limit) ?? null,
      usage: number(data.usage),
      limitRemaining: data.limit_remaining === null ? null : number(data.limit_remaining),
    },
  };
}

/**
 * Whether OpenRouter rejects this key (GET /key: 401 or 403); false when it cannot be asked.
 * Asked afresh each time: transport/key-verdicts.ts remembers the answers.
 */
export async function keyRejected(baseUrl: string, key: string): Promise<boolean> {
  const lookup = await readKeyInfo(baseUrl, key);
  return !lookup.ok && lookup.rejected;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
