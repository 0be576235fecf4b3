// A spoken answer, put together from the pieces OpenRouter streams (delta.audio.data, base64 in
// the format the request named) into one MCP audio content block's data and MIME type.

/** The MIME type of each audio format OpenRouter's guide names; pcm16 is sent as WAV (see below). */
const MIME_TYPES: Record<string, string> = {
  wav: "audio/wav",
  mp3: "audio/mpeg",
  flac: "audio/flac",
  opus: "audio/ogg",
  pcm16: "audio/wav",
};

/**
 * Raw PCM as OpenAI's models speak it (16-bit little-endian, mono, 24 kHz): no player takes it
 * bare, so it gets the 44-byte header that makes it a WAV file.
 */
const PCM16 = { sampleRate: 24_000, channels: 1, bitsPerSample: 16 };

export interface SpokenAudio {
  /** Base64, as an audio content block carries it. */
  data: string;
  mimeType: string;
  bytes: number;
}

export function spokenAudio(format: string, pieces: readonly string[]): SpokenAudio {
  const mimeType = MIME_TYPES[format] ?? `audio/${format}`;
  if (format === "pcm16") {
    const samples = decodeBase64(pieces);
    const file = new Uint8Array(44 + samples.length);
    file.set(wavHeader(samples.length), 0);
    file.set(samples, 44);
    return { data: encodeBase64(file), mimeType, bytes: file.length };
  }
  // Pieces whose base64 ends on a whole group join as text; one padded mid-way must be decoded.
  const whole = pieces.every((piece, i) => i === pieces.length - 1 || (piece.length % 4 === 0 && !piece.endsWith("=")));
  const data = whole ? pieces.join("") : encodeBase64(decodeBase64(pieces));
  return { data, mimeType, bytes: base64Bytes(data) };
}

/** How many bytes a base64 text holds. */
export function base64Bytes(base64: string): number {
  return Math.floor(base64.length * 0.75) - (base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0);
}

function decodeBase64(pieces: readonly string[]): Uint8Array {
  const parts = pieces.map((piece) => {
    const binary = atob(piece);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  });
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function wavHeader(dataBytes: number): Uint8Array {
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (at: number, text: string) => [...text].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
  const { sampleRate, channels, bitsPerSample } = PCM16;
  const blockAlign = (channels * bitsPerSample) / 8;
  ascii(0, "RIFF");
  header.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  header.setUint32(16, 16, true); // the fmt chunk's size
  header.setUint16(20, 1, true); // PCM
  header.setUint16(22, channels, true);
  header.setUint32(24, sampleRate, true);
  header.setUint32(28, sampleRate * blockAlign, true);
  header.setUint16(32, blockAlign, true);
  header.setUint16(34, bitsPerSample, true);
  ascii(36, "data");
  header.setUint32(40, dataBytes, true);
  return new Uint8Array(header.buffer);
}
