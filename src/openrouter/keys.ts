// The person's OpenRouter key: where its login starts (the consent page), where it can be managed,
// and what one looks like. No key ever appears in an error message.

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
  const hash = await keyHash(key);
  return {
    settings: `https://openrouter.ai/keys/${hash}`,
    activity: `https://openrouter.ai/logs?api_key_hash=${hash}`,
  };
}

/**
 * Whether a value could be an OpenRouter key: "sk-or-v1-" and 64 hex digits today, any version
 * let through. What a browser's session cookie, and a bearer token that is not sealed, must hold
 * before OpenRouter is asked about it, so a made-up one costs no request upstream.
 */
export function looksLikeKey(value: string): boolean {
  return /^sk-or-[\w-]{1,250}$/.test(value);
}

/**
 * A key's SHA-256 in hex: how OpenRouter names a key in its links, and how this server knows who
 * owns a durable call, without keeping the key.
 */
export async function keyHash(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  let hex = "";
  for (const byte of digest) hex += HEX_BYTES[byte];
  return hex;
}

/** Each byte's two hex digits: a request with a key hashes it, so the digits are looked up, not formatted. */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
