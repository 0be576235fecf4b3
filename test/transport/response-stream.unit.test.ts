// Unit tests of src/transport/response-stream.ts: keepalives after quiet, disconnect probes in
// between, the client going away, and a client that reads slowly, on a fake clock (no real waiting).
import { describe, expect, it, vi } from "vitest";
import {
  HIGH_WATER_BYTES,
  JSON_FILLER,
  MAX_UNREAD_BYTES,
  ResponseStream,
  SSE_FILLER,
  sseEvent,
} from "../../src/transport/response-stream.js";
import { FakeClock } from "../support/fake-clock.js";

const KEEPALIVE = 15_000;

/** A response stream on a fake clock, and a reader that collects what the client received. */
function stream(keepaliveMs = KEEPALIVE, filler = SSE_FILLER) {
  const clock = new FakeClock();
  const onCancel = vi.fn();
  const out = new ResponseStream(keepaliveMs, filler, onCancel, clock);
  const reader = out.body.getReader();
  const decoder = new TextDecoder();
  let received = "";
  let ended = false;
  const pump = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += decoder.decode(value, { stream: true });
    }
    ended = true;
  })();
  return { clock, out, onCancel, reader, pump, received: () => received, ended: () => ended };
}

describe("ResponseStream", () => {
  it("passes writes through as UTF-8 and ends on close, leaving no timer behind", async () => {
    const s = stream();
    s.out.write(sseEvent('{"a":"é"}'));
    s.out.close();
    await s.pump;
    expect(s.received()).toBe('event: message\ndata: {"a":"é"}\n\n');
    expect(s.clock.pending).toBe(0);
    s.out.write("after close");
    expect(s.received()).not.toContain("after close");
  });

  it("sends a disconnect probe each second of quiet, and a keepalive after the keepalive interval", async () => {
    const s = stream();
    await s.clock.advance(999);
    expect(s.received()).toBe("");
    await s.clock.advance(1);
    expect(s.received()).toBe(":\n");
    await s.clock.advance(KEEPALIVE - 1000);
    expect(s.received()).toBe(":\n".repeat(14) + ": keepalive\n\n");
  });

  it("counts the keepalive interval from the last write, and the probes from the last byte", async () => {
    const s = stream();
    await s.clock.advance(10_000);
    s.out.write("x");
    await s.clock.advance(KEEPALIVE - 1);
    expect(s.received()).not.toContain("keepalive");
    expect(s.received()).toBe(`${":\n".repeat(10)}x${":\n".repeat(14)}`);
    await s.clock.advance(1);
    expect(s.received().endsWith(": keepalive\n\n")).toBe(true);
  });

  it("keeps a JSON answer alive with whitespace: a space as probe, a newline as keepalive", async () => {
    const s = stream(2_500, JSON_FILLER);
    // Ticks each second: probes at 1 s and 2 s, the keepalive at the first tick past 2.5 s.
    await s.clock.advance(3_000);
    s.out.write('{"jsonrpc":"2.0"}');
    s.out.close();
    await s.pump;
    expect(s.received()).toBe('  \n{"jsonrpc":"2.0"}');
    expect(JSON.parse(s.received())).toEqual({ jsonrpc: "2.0" });
  });

  it("ticks at the keepalive interval when it is shorter than a second", async () => {
    const s = stream(40);
    await s.clock.advance(120);
    expect(s.received()).toBe(": keepalive\n\n".repeat(3));
  });

  it("tells once when the client goes away, and then writes nothing and stops its timers", async () => {
    const s = stream();
    await s.reader.cancel();
    expect(s.onCancel).toHaveBeenCalledTimes(1);
    expect(s.clock.pending).toBe(0);
    s.out.write("x");
    s.out.close();
    expect(s.onCancel).toHaveBeenCalledTimes(1);
  });

  it("does not call onCancel when it closes normally", async () => {
    const s = stream();
    s.out.close();
    await s.pump;
    expect(s.onCancel).not.toHaveBeenCalled();
  });
});

describe("a client that reads slowly", () => {
  /** A stream nobody reads yet, and a way to read it all later. */
  function unread() {
    const clock = new FakeClock();
    const onCancel = vi.fn();
    const out = new ResponseStream(15_000, SSE_FILLER, onCancel, clock);
    const readAll = async () => {
      let text = "";
      const decoder = new TextDecoder();
      for await (const chunk of out.body as unknown as AsyncIterable<Uint8Array>)
        text += decoder.decode(chunk, { stream: true });
      return text;
    };
    return { clock, out, onCancel, readAll };
  }
  const note = (i: number) => sseEvent(`{"progress":${i},"pad":"${"x".repeat(400)}"}`);

  it("drops progress while HIGH_WATER_BYTES are unread, and never a result", async () => {
    const { out, readAll } = unread();
    let offered = 0;
    for (let i = 0; i < 2_000; i++, offered++) out.offer(note(i));
    out.write(sseEvent('{"result":"whole"}'));
    out.close();
    const text = await readAll();
    const received = text.split("event: message").length - 1;
    expect(offered * note(0).length).toBeGreaterThan(10 * HIGH_WATER_BYTES);
    expect(received).toBeLessThanOrEqual(Math.ceil(HIGH_WATER_BYTES / note(0).length) + 1);
    expect(text.endsWith('data: {"result":"whole"}\n\n')).toBe(true);
  });

  it("sends progress again once the client has read", async () => {
    const { out, readAll } = unread();
    const reader = out.body.getReader();
    for (let i = 0; i < 1_000; i++) out.offer(note(i));
    let drained = 0;
    while (drained < HIGH_WATER_BYTES) drained += (await reader.read()).value!.byteLength;
    out.offer(note(1_000));
    reader.releaseLock();
    out.close();
    expect(await readAll()).toContain('"progress":1000,');
  });

  it("writes no keepalive or probe while bytes are unread", async () => {
    const { clock, out, readAll } = unread();
    out.write("x");
    await clock.advance(60_000);
    out.close();
    expect(await readAll()).toBe("x");
  });

  it(`ends the answer past ${MAX_UNREAD_BYTES / 1024 / 1024} MiB unread: drops the queue and stops the work, once`, async () => {
    const { clock, out, onCancel, readAll } = unread();
    const result = sseEvent(`{"text":"${"r".repeat(1024 * 1024)}"}`);
    for (let i = 0; i < 6; i++) out.write(result);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(clock.pending).toBe(0);
    out.write(result);
    out.close();
    expect(onCancel).toHaveBeenCalledTimes(1);
    await expect(readAll()).rejects.toThrow(/read too slowly/);
  });
});
