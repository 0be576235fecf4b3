// Unit tests of src/tools/chat-audio.ts: a spoken answer's streamed pieces become one audio file.
import { describe, expect, it } from "vitest";
import { base64Bytes, spokenAudio } from "../../src/tools/chat-audio.js";

describe("spokenAudio", () => {
  const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

  it("joins pieces that end on whole base64 groups as they are", () => {
    const pieces = [bytes.subarray(0, 30), bytes.subarray(30, 60), bytes.subarray(60)].map((b) => b.toString("base64"));
    expect(spokenAudio("mp3", pieces)).toEqual({ data: bytes.toString("base64"), mimeType: "audio/mpeg", bytes: 100 });
  });

  it("decodes and joins pieces padded mid-way, as a provider may encode each piece alone", () => {
    const pieces = [bytes.subarray(0, 31), bytes.subarray(31, 62), bytes.subarray(62)].map((b) => b.toString("base64"));
    expect(pieces[0]).toMatch(/=$/);
    const joined = spokenAudio("wav", pieces);
    expect(Buffer.from(joined.data, "base64")).toEqual(bytes);
    expect(joined).toMatchObject({ mimeType: "audio/wav", bytes: 100 });
  });

  it("makes raw 16-bit PCM a WAV file: 24 kHz, mono", () => {
    const {
      data,
      mimeType,
      bytes: size,
    } = spokenAudio("pcm16", [bytes.subarray(0, 50).toString("base64"), bytes.subarray(50).toString("base64")]);
    const file = Buffer.from(data, "base64");
    expect(mimeType).toBe("audio/wav");
    expect(size).toBe(144);
    expect(file.subarray(0, 12).toString("latin1")).toBe("RIFF\u0088\u0000\u0000\u0000WAVE");
    expect([file.readUInt16LE(22), file.readUInt32LE(24), file.readUInt16LE(34)]).toEqual([1, 24_000, 16]);
    expect(file.readUInt32LE(40)).toBe(100);
    expect(file.subarray(44)).toEqual(bytes);
  });

  it("counts the bytes base64 holds", () => {
    expect([base64Bytes(""), base64Bytes("AA=="), base64Bytes("AAA="), base64Bytes("AAAA")]).toEqual([0, 1, 2, 3]);
  });
});
