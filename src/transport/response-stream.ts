// A streamed response body that the Worker writes to as the answer arrives. It keeps idle
// connections alive (Cloudflare drops responses idle for 100 s), reports the client going away,
// so the upstream request can be cancelled at once, and never queues without bound for a client
// that reads slowly: what may be dropped (progress) is, and past a hard cap the answer ends.
import { systemClock, type Clock, type Timer } from "../clock.js";

const encoder = new TextEncoder();

/**
 * workerd notices a client that has gone only when it next writes to the connection, so while
 * the answer is quiet (JSON mode, or SSE without progress) a byte goes out this often: the
 * upstream, which the person pays for per token, is then cancelled within about this long.
 */
const DISCONNECT_PROBE_MS = 1000;

/** Unread bytes past which what may be dropped is: some 150 progress notifications. */
export const HIGH_WATER_BYTES = 64 * 1024;

/**
 * Unread bytes past which the client is too slow to serve: the next result ends the response
 * instead (its queue dropped, the upstream aborted). Only results queue this far, since progress
 * is dropped first: it takes a batch of long answers to a client that reads nothing.
 */
export const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

export class ResponseStream {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;
  /** The last content or keepalive: what the keepalive interval counts from. */
  private lastWriteAt: number;
  /** The last byte of any kind, probes included. */
  private lastByteAt: number;
  private readonly timer: Timer;

  /**
   * @param filler what to write while the answer is quiet, harmless to the format
   * @param onCancel called once if the client disconnects, or is too slow, before close()
   */
  constructor(
    private readonly keepaliveMs: number,
    private readonly filler: Filler,
    private readonly onCancel: () => void,
    private readonly clock: Clock = systemClock,
  ) {
    this.lastWriteAt = this.lastByteAt = clock.now();
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => {
          this.stop();
          onCancel();
        },
      },
      { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
    );
    const tick = Math.min(keepaliveMs, DISCONNECT_PROBE_MS);
    this.timer = clock.setInterval(() => this.onTick(tick), tick);
  }

  /** Writes what must arrive (a result), unless the client has left MAX_UNREAD_BYTES unread. */
  write(text: string): void {
    if (this.closed) return;
    if (this.unreadBytes() > MAX_UNREAD_BYTES) return this.giveUp();
    this.enqueue(text);
  }

  /** Writes what may be dropped (a progress notification): only while the client keeps up. */
  offer(text: string): void {
    if (!this.closed && this.unreadBytes() < HIGH_WATER_BYTES) this.enqueue(text);
  }

  close(): void {
    if (this.closed) return;
    this.stop();
    this.controller.close();
  }

  private enqueue(text: string): void {
    this.lastWriteAt = this.lastByteAt = this.clock.now();
    this.controller.enqueue(encoder.encode(text));
  }

  private unreadBytes(): number {
    return HIGH_WATER_BYTES - (this.controller.desiredSize ?? 0);
  }

  /** The client reads too slowly to be served: drop what it has not read, and stop the work. */
  private giveUp(): void {
    this.stop();
    this.controller.error(new Error("The client read too slowly; the answer was ended."));
    this.onCancel();
  }

  private stop(): void {
    this.closed = true;
    this.clock.clear(this.timer);
  }

  private onTick(tick: number): void {
    // Bytes still unread will be written anyway (and reveal a client that has gone).
    if (this.closed || this.unreadBytes() > 0) return;
    const now = this.clock.now();
    if (now - this.lastWriteAt >= this.keepaliveMs) this.enqueue(this.filler.keepalive);
    else if (now - this.lastByteAt >= tick) {
      this.lastByteAt = now;
      this.controller.enqueue(encoder.encode(this.filler.probe));
    }
  }
}

/** One SSE event carrying a JSON-RPC message. No `id:` line: a stateless server cannot resume. */
export function sseEvent(json: string): string {
  return `event: message\ndata: ${json}\n\n`;
}

/** Bytes that carry no message: `keepalive` after keepaliveMs of quiet, `probe` after DISCONNECT_PROBE_MS. */
interface Filler {
  keepalive: string;
  probe: string;
}

/** SSE comments: a visible one, and an empty one. */
export const SSE_FILLER: Filler = { keepalive: ": keepalive\n\n", probe: ":\n" };
/** Whitespace before the JSON value, which still parses. */
export const JSON_FILLER: Filler = { keepalive: "\n", probe: " " };
