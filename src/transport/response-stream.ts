// A streamed response body that the Worker writes to as the answer arrives. It keeps idle
// connections alive (Cloudflare drops responses idle for 100 s) and reports the client
// going away, so the upstream request can be cancelled at once.
import { systemClock, type Clock, type Timer } from "../clock.js";

const encoder = new TextEncoder();

/**
 * workerd notices a client that has gone only when it next writes to the connection, so while
 * the answer is quiet (JSON mode, or SSE without progress) a byte goes out this often: the
 * upstream, which the person pays for per token, is then cancelled within about this long.
 */
const DISCONNECT_PROBE_MS = 1000;

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
   * @param onCancel called once if the client disconnects before close()
   */
  constructor(
    private readonly keepaliveMs: number,
    private readonly filler: Filler,
    onCancel: () => void,
    private readonly clock: Clock = systemClock,
  ) {
    this.lastWriteAt = this.lastByteAt = clock.now();
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        this.stop();
        onCancel();
      },
    });
    const tick = Math.min(keepaliveMs, DISCONNECT_PROBE_MS);
    this.timer = clock.setInterval(() => this.onTick(tick), tick);
  }

  write(text: string): void {
    if (this.closed) return;
    this.lastWriteAt = this.lastByteAt = this.clock.now();
    this.controller.enqueue(encoder.encode(text));
  }

  close(): void {
    if (this.closed) return;
    this.stop();
    this.controller.close();
  }

  private stop(): void {
    this.closed = true;
    this.clock.clear(this.timer);
  }

  private onTick(tick: number): void {
    if (this.closed) return;
    const now = this.clock.now();
    if (now - this.lastWriteAt >= this.keepaliveMs) this.write(this.filler.keepalive);
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
