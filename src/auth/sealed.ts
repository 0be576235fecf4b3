// Tokens this server issues when TOKEN_SECRET is set, with nothing stored: the OpenRouter key
// sealed (AES-256-GCM) together with whom the token is for, which client it went to and until
// when. Only a holder of the secret can read or make one; changing a single bit makes it fail.
//
// Each kind (access token, refresh token, browser session) has its own key, derived from the
// secret with HKDF under its own label, so one kind can never be taken for another: it simply
// does not decrypt. A new or removed secret makes every sealed token unreadable, which is how a
// deployer logs everyone out.
//
// Format: prefix + base64url(12-byte random IV ‖ AES-GCM ciphertext of the JSON contents ‖ 16-byte tag).
import * as z from "zod/mini";
import { systemClock, type Clock } from "../clock.js";
import { decodeJson } from "../decode.js";
import { base64urlFromBytes, bytesFromBase64url, sha256Base64url } from "../encoding.js";

export type TokenKind = "access" | "refresh" | "session";

/** Every sealed token starts with this, so one is never mistaken for an OpenRouter key and sent upstream. */
export const SEALED_PREFIX = "mcp_";
const PREFIXES: Record<TokenKind, string> = { access: "mcp_at.", refresh: "mcp_rt.", session: "mcp_s." };

const contentsSchema = z.object({
  /** The OpenRouter key. */
  k: z.string(),
  /** Audience: the /mcp URL (access), the issuer origin (refresh) or the site origin (session). */
  a: z.string(),
  /** A digest of the client_id the token was issued to (access and refresh). */
  c: z.optional(z.string()),
  /** Expiry, in seconds since the epoch. */
  e: z.number(),
});
export type SealedContents = z.infer<typeof contentsSchema>;

export type Opened = { ok: true; contents: SealedContents } | { ok: false; expired: boolean };

const encoder = new TextEncoder();

/** One derivation per isolate and secret; the promise is kept, never the key bytes. */
let derived: { secret: string; keys: Map<TokenKind, Promise<CryptoKey>> } | undefined;

function keyFor(secret: string, kind: TokenKind): Promise<CryptoKey> {
  if (derived?.secret !== secret) derived = { secret, keys: new Map() };
  let key = derived.keys.get(kind);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]).then((base) =>
      crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: encoder.encode("openrouter-mcp sealed tokens"),
          info: encoder.encode(`${kind} v1`),
        },
        base,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      ),
    );
    derived.keys.set(kind, key);
  }
  return key;
}

/** What a token keeps of the client_id it was issued to: enough to tell clients apart, and short. */
export async function clientDigest(clientId: string): Promise<string> {
  return (await sha256Base64url(clientId)).slice(0, 22);
}

/** The time on `clock` in whole seconds since the epoch, as a token's expiry counts it. */
export function nowSeconds(clock: Clock = systemClock): number {
  return Math.floor(clock.now() / 1000);
}

export async function seal(secret: string, kind: TokenKind, contents: SealedContents): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await keyFor(secret, kind),
    encoder.encode(JSON.stringify(contents)),
  );
  const bytes = new Uint8Array(12 + sealed.byteLength);
  bytes.set(iv);
  bytes.set(new Uint8Array(sealed), 12);
  return PREFIXES[kind] + base64urlFromBytes(bytes);
}

/** The contents of a token of this kind made for this audience and not yet expired on `clock`; otherwise why not. */
export async function unseal(
  secret: string,
  kind: TokenKind,
  token: string,
  audience: string,
  clock: Clock = systemClock,
): Promise<Opened> {
  const body = token.startsWith(PREFIXES[kind]) ? token.slice(PREFIXES[kind].length) : "";
  const bytes = bytesFromBase64url(body);
  // Only the one spelling we write: base64url's spare low bits cannot vary either.
  if (bytes === undefined || bytes.length < 12 + 16 || base64urlFromBytes(bytes) !== body)
    return { ok: false, expired: false };
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, 12) },
      await keyFor(secret, kind),
      bytes.subarray(12),
    );
  } catch {
    // Tampered with, or sealed with another secret: not a token of ours.
    return { ok: false, expired: false };
  }
  const decoded = decodeJson(new TextDecoder().decode(plain), contentsSchema);
  if (!decoded.ok || decoded.value.a !== audience) return { ok: false, expired: false };
  const contents = decoded.value;
  if (contents.e <= nowSeconds(clock)) return { ok: false, expired: true };
  return { ok: true, contents };
}
