// Small encoding and crypto helpers (Web Crypto only: no dependencies): base64url, random tokens,
// SHA-256, a constant-time compare. The OAuth layer uses most of them; durable calls, random ids.
import type * as z from "zod/mini";
import { decodeJson } from "./decode.js";

const encoder = new TextEncoder();

export function base64urlFromBytes(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary)
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/={1,2}$/, "");
}

export function base64urlFromText(text: string): string {
  return base64urlFromBytes(encoder.encode(text));
}

/** The bytes a base64url string encodes, or undefined when it is not valid base64url. */
export function bytesFromBase64url(value: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[\w-]*$/.test(value) || value.length % 4 === 1) return undefined;
  try {
    return Uint8Array.from(atob(value.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  } catch {
    // Not base64url.
    return undefined;
  }
}

/** The UTF-8 text a base64url string encodes, or undefined when it is not valid base64url. */
function textFromBase64url(value: string): string | undefined {
  const bytes = bytesFromBase64url(value);
  try {
    return bytes && new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Not UTF-8.
    return undefined;
  }
}

/** What base64url(JSON) carries, through a schema; undefined when it is damaged or of another shape. */
export function decodeBase64urlJson<S extends z.ZodMiniType>(value: string, schema: S): z.output<S> | undefined {
  const text = textFromBase64url(value);
  const decoded = text === undefined ? undefined : decodeJson(text, schema);
  return decoded?.ok ? decoded.value : undefined;
}

/** What a randomToken of 16 to 48 bytes looks like: 22 to 64 base64url characters. */
export const RANDOM_TOKEN_SHAPE = /^[\w-]{22,64}$/;

/** A random, URL-safe token carrying `bytes` bytes of entropy. */
export function randomToken(bytes = 16): string {
  return base64urlFromBytes(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** base64url(SHA-256(text)): the S256 PKCE transform, also used to bind a cookie to a URL. */
export async function sha256Base64url(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return base64urlFromBytes(new Uint8Array(digest));
}

/** Compares two strings without an early exit, so timing does not reveal how much matched. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
