// Reading a request or response body with a size cap, without buffering more than the cap:
// a chunked body carries no Content-Length to check first.

/** The body as text, "" when there is none, or undefined when it is over maxBytes or breaks off. */
export async function readTextWithin(message: Request | Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(message.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes) {
    await message.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!message.body) return "";
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
