// Unit tests of src/openrouter/sse.ts: bytes read in any pieces decode and frame as the whole
// would, a byte order mark is dropped only at the very start, and an event that outgrows the
// bound stops the framer once.
import { createParser } from "eventsource-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_EVENT_CHARS, sseDataFramer, utf8Decoder } from "../../src/openrouter/sse.js";

const encoder = new TextEncoder();
const BOM = [0xef, 0xbb, 0xbf];

/** Splits `length` at the given cut points, sorted and without repeats. */
function cutPoints(cutsAt: number[], length: number): number[] {
  return [...new Set(cutsAt.map((c) => (length === 0 ? 0 : c % (length + 1))))].sort((a, b) => a - b);
}

describe("utf8Decoder", () => {
  // Bytes drawn to hit the edges: ASCII, multi-byte characters, byte order marks, stray and
  // truncated sequences.
  const piece = fc.oneof(
    fc.string().map((t) => [...encoder.encode(t)]),
    fc.constant(BOM),
    fc.constant([...encoder.encode("é😀")]),
    fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 3 }),
  );

  it("decodes any bytes, read in any pieces, exactly as one decode of the whole that keeps byte order marks", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cutsAt) => {
        const all = Uint8Array.from(pieces.flat());
        const decode = utf8Decoder();
        let text = "";
        let from = 0;
        for (const cut of [...cutPoints(cutsAt, all.length), all.length]) {
          text += decode(all.subarray(from, cut));
          from = cut;
        }
        text += decode();
        expect(text).toBe(new TextDecoder("utf-8", { ignoreBOM: true }).decode(all));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("sseDataFramer", () => {
  // Lines drawn to hit the edges: data with and without its space, empty data, multi-line
  // events, comments, other fields, unknown fields, and every line ending.
  const line = fc.oneof(
    fc.string({ unit: fc.constantFrom("a", "b", " ", ":", "{", "é", "😀") }).map((v) => `data: ${v}`),
    fc.string({ unit: fc.constantFrom("x", " ", ":") }).map((v) => `data:${v}`),
    fc.constantFrom(
      "data",
      "data:",
      ": OPENROUTER PROCESSING",
      ":",
      "event: message",
      "id: 7",
      "retry: 10",
      "datum: x",
      "data : x",
      "",
    ),
  );
  const ending = fc.constantFrom("\n", "\r\n", "\r");

  it("finds the same events in the bytes read in any pieces as in the whole text, a leading byte order mark dropped", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(line, ending), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (bom, lines, cutsAt) => {
          const text = lines.map(([l, e]) => l + e).join("") + "\n";
          const bytes = Uint8Array.from([...(bom ? BOM : []), ...encoder.encode(text)]);
          const expected: string[] = [];
          createParser({ onEvent: (event) => expected.push(event.data) }).feed(text);
          const seen: string[] = [];
          const feed = sseDataFramer(
            (data) => seen.push(data),
            () => expect.unreachable(),
          );
          const decode = utf8Decoder();
          let from = 0;
          for (const cut of [...cutPoints(cutsAt, bytes.length), bytes.length]) {
            feed(decode(bytes.subarray(from, cut)));
            from = cut;
          }
          feed(decode());
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("keeps a byte order mark past the very start as content", () => {
    const seen: string[] = [];
    const feed = sseDataFramer(
      (data) => seen.push(data),
      () => {},
    );
    feed("\ufeffdata: a\n\n");
    feed("data: \ufeffb\n\n");
    expect(seen).toEqual(["a", "\ufeffb"]);
  });

  it("calls onOverflow once when an event outgrows MAX_EVENT_CHARS, and frames nothing after", () => {
    const seen: string[] = [];
    let overflows = 0;
    const feed = sseDataFramer(
      (data) => seen.push(data),
      () => overflows++,
    );
    feed("data: first\n\ndata: ");
    const piece = "z".repeat(1024 * 1024);
    for (let fed = 0; fed <= MAX_EVENT_CHARS; fed += piece.length) feed(piece);
    feed("\n\ndata: later\n\n");
    expect(seen).toEqual(["first"]);
    expect(overflows).toBe(1);
  });

  it("lets an event of exactly MAX_EVENT_CHARS through", () => {
    const seen: string[] = [];
    const feed = sseDataFramer(
      (data) => seen.push(data),
      () => expect.unreachable(),
    );
    const data = "q".repeat(MAX_EVENT_CHARS - "data: ".length);
    feed("data: ");
    feed(data);
    feed("\n\n");
    expect(seen.map((d) => d.length)).toEqual([data.length]);
  });
});
