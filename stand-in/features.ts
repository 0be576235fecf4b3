// What the stand-in answers for OpenRouter's features beyond plain text (issue 19): it reads
// content parts and says what it received of images, videos, files and audio; draws images for
// stand-in/image-N-KB when modalities ask for them; cites sources when web search is on; answers
// JSON when response_format asks for it; and refuses a max_price below the model's price.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

interface Part {
  type: string;
  text?: string;
  image_url?: { url: string };
  video_url?: { url: string };
  file?: { filename: string; file_data: string };
  input_audio?: { data: string; format: string };
}

export interface FeatureRequest {
  model?: string;
  messages?: { role: string; content: string | Part[] }[];
  modalities?: string[];
  audio?: { voice?: string; format?: string };
  image_config?: Record<string, unknown>;
  response_format?: { type: string; json_schema?: { schema?: JsonSchema } };
  plugins?: { id: string; pdf?: { engine?: string } }[];
  tools?: { type: string; parameters?: { max_results?: number } }[];
  provider?: { max_price?: { prompt?: number; completion?: number } };
}

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

/** The last user message's text, and a note of each image, video, file and audio part it carried. */
export function lastPrompt(request: FeatureRequest): string {
  const content = request.messages?.filter((m) => m.role === "user").at(-1)?.content ?? "";
  if (typeof content === "string") return content;
  const engine = request.plugins?.find((p) => p.id === "file-parser")?.pdf?.engine;
  return content
    .map((part) => {
      if (part.type === "text") return part.text ?? "";
      if (part.image_url) return `[image ${describeUrl(part.image_url.url)}]`;
      if (part.video_url) return `[video ${describeUrl(part.video_url.url)}]`;
      if (part.file)
        return `[file ${part.file.filename}, ${describeUrl(part.file.file_data)}${engine ? `, parsed by ${engine}` : ""}]`;
      if (part.input_audio)
        return `[audio ${part.input_audio.format}, ${Buffer.byteLength(part.input_audio.data, "base64")} bytes]`;
      return `[${part.type}]`;
    })
    .join(" ");
}

/** An https URL as it is; a data URL as its type and size (never its bytes). */
function describeUrl(url: string): string {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return data ? `${data[1]}, ${Buffer.byteLength(data[2]!, "base64")} bytes` : url;
}

/** Web search is on: the openrouter:web_search server tool, the web plugin, or a :online model id. */
export function searchesWeb(request: FeatureRequest): boolean {
  return Boolean(
    request.tools?.some((t) => t.type === "openrouter:web_search") ||
    request.plugins?.some((p) => p.id === "web") ||
    request.model?.endsWith(":online"),
  );
}

/** The url_citation annotations a searching model's answer carries (as many as max_results allows, at most 2). */
export function citations(
  request: FeatureRequest,
  prompt: string,
): { type: "url_citation"; url_citation: Record<string, unknown> }[] {
  const count = Math.min(
    2,
    request.tools?.find((t) => t.type === "openrouter:web_search")?.parameters?.max_results ?? 2,
  );
  const words = prompt.split(/\s+/).slice(0, 4).join(" ");
  return Array.from({ length: count }, (_, i) => ({
    type: "url_citation",
    url_citation: {
      url: `https://example.com/result-${i + 1}`,
      title: `Result ${i + 1} for ${words}`,
      content: "What the page says.",
      start_index: 0,
      end_index: 5,
    },
  }));
}

/** A JSON answer for response_format: {"echo": prompt}, or an object with the schema's properties filled in. */
export function jsonAnswer(request: FeatureRequest, prompt: string): string {
  const schema = request.response_format?.json_schema?.schema;
  return JSON.stringify(schema ? sample(schema, prompt) : { echo: prompt });
}

function sample(schema: JsonSchema, prompt: string): unknown {
  switch (schema.type) {
    case "object":
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sample(value, prompt)]),
      );
    case "array":
      return schema.items ? [sample(schema.items, prompt)] : [];
    case "number":
    case "integer":
      return 42;
    case "boolean":
      return true;
    default:
      return prompt;
  }
}

/** The images stand-in/image-N-KB draws: N 48×48 PNGs of about KB kilobytes each (about 9 KB without KB), as data URLs. */
export function drawnImages(count: number, kilobytes: number): { type: "image_url"; image_url: { url: string } }[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => ({
    type: "image_url",
    image_url: { url: `data:image/png;base64,${png(kilobytes * 1024, i).toString("base64")}` },
  }));
}

/** What stand-in/not-an-image sends as an image: a page, which no client should be handed as one. */
export function notAnImage(): { type: "image_url"; image_url: { url: string } } {
  const page = Buffer.from("<script>alert('not an image')</script>").toString("base64");
  return { type: "image_url", image_url: { url: `data:text/html;base64,${page}` } };
}

/** Pixels on a side of each drawn image: small, but a picture a person can see in a view. */
const SIDE = 48;

/** A valid SIDE×SIDE PNG (a gradient, its hue from `seed`), padded with a comment chunk to about `size` bytes. */
function png(size: number, seed: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIDE, 0);
  header.writeUInt32BE(SIDE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  // Each row: filter byte 0, then RGBA pixels; deflated as one stored block (under 64 KB).
  const pixels = Buffer.alloc(SIDE * (1 + SIDE * 4));
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const at = y * (1 + SIDE * 4) + 1 + x * 4;
      pixels.set([(x * 5 + seed * 80) % 256, (y * 5) % 256, 160, 255], at);
    }
  }
  const stored = Buffer.concat([
    Buffer.from([0x78, 0x01, 0x01, pixels.length & 0xff, pixels.length >> 8]),
    Buffer.from([~pixels.length & 0xff, (~pixels.length >> 8) & 0xff]),
    pixels,
    adler32(pixels),
  ]);
  const padding = Math.max(0, size - 80 - stored.length);
  const comment = Buffer.concat([
    Buffer.from("Comment\0", "latin1"),
    Buffer.from(
      createHash("sha256")
        .update(String(seed))
        .digest("hex")
        .repeat(Math.ceil(padding / 64))
        .slice(0, padding),
      "latin1",
    ),
  ]);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("tEXt", comment),
    chunk("IDAT", stored),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function adler32(data: Buffer): Buffer {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE(((b << 16) | a) >>> 0);
  return out;
}

/**
 * OpenRouter's refusal when provider.max_price is below every endpoint's price (dollars per
 * million tokens), or undefined. `price` is the model's, in dollars per token.
 */
export function priceRefusal(
  request: FeatureRequest,
  price: { prompt: number; completion: number },
): string | undefined {
  const limit = request.provider?.max_price;
  if (!limit) return undefined;
  const over =
    (limit.prompt !== undefined && price.prompt * 1e6 > limit.prompt) ||
    (limit.completion !== undefined && price.completion * 1e6 > limit.completion);
  return over ? `No endpoints found for ${request.model} within your max_price.` : undefined;
}
