// The images a durable call's model made, kept whole for the call's retention time: the text
// result leaves out what passes its size cap, and the view reads them here (resources/read,
// only by the key that started the call). A SQLite-backed Durable Object keeps at most about
// 2 MB in one value, so an image is stored as base64 in chunks of 1 MiB characters (1 MiB: a
// multiple of 4, so the chunks join into the same base64), with a record of its type and chunks.
// erase() (deleteAll, at the end of retention) takes them with everything else.
import { imageOfDataUrl } from "../tool-result.js";

/** The largest image kept, in bytes: larger ones are left to the text result's note. */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Images kept per call: a model that draws many keeps its first ones. */
const MAX_IMAGES = 8;
const CHUNK_CHARS = 1024 * 1024;

interface ImageRecord {
  mimeType: string;
  chunks: number;
}

export interface KeptImage {
  mimeType: string;
  /** The image as base64. */
  data: string;
}

/** A kept image as the call hands it out: with how much longer the call keeps it. */
export interface ServedImage extends KeptImage {
  keptForMs: number;
}

const recordKey = (index: number) => `image:${index}`;
const chunkKey = (index: number, chunk: number) => `image:${index}:${chunk}`;

export class CallImages {
  private count = 0;

  constructor(private readonly kv: SyncKvStorage) {}

  /** Keeps the call's next image (a data: URL, as OpenRouter sends it), if it is one we keep. */
  keep(dataUrl: string): void {
    const index = this.count++;
    const comma = dataUrl.indexOf(",");
    // Only an image type is kept: it is served back as a resource of that type.
    const mimeType = imageOfDataUrl(dataUrl)?.mimeType;
    const base64Chars = dataUrl.length - comma - 1;
    if (index >= MAX_IMAGES || comma < 0 || !mimeType || base64Chars * 0.75 > MAX_IMAGE_BYTES + 2) return;
    const chunks = Math.ceil(base64Chars / CHUNK_CHARS);
    for (let chunk = 0; chunk < chunks; chunk++) {
      const start = comma + 1 + chunk * CHUNK_CHARS;
      this.kv.put(chunkKey(index, chunk), dataUrl.slice(start, start + CHUNK_CHARS));
    }
    this.kv.put(recordKey(index), { mimeType, chunks } satisfies ImageRecord);
  }

  read(index: number): KeptImage | undefined {
    const record = this.kv.get<ImageRecord>(recordKey(index));
    if (!record) return undefined;
    const parts: string[] = [];
    for (let chunk = 0; chunk < record.chunks; chunk++) parts.push(this.kv.get<string>(chunkKey(index, chunk)) ?? "");
    return { mimeType: record.mimeType, data: parts.join("") };
  }
}
