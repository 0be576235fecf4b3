// A streamed response body that the Worker writes to as the answer arrives. It keeps idle
// connections alive (Cloudflare drops responses idle for 100 s) and reports the client
// going away, so the upstream request can be cancelled at once.

const encoder = new TextEncoder();

export class ResponseStream {
  readonly body: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;
  private lastWriteAt = Date.now();
  private keepaliveTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param keepaliveText written whenever nothing else was for keepaliveMs: an SSE comment,
   *   or whitespace before a JSON value (valid JSON either way)
   * @param onCancel called once if the client disconnects before close()
   */
  constructor(
    private readonly keepaliveMs: number,
    private readonly keepaliveText: string,
    onCancel: () => void,
  ) {
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        this.stop();
        onCancel();
      },
    });
    this.armKeepalive(keepaliveMs);
  }

  write(text: string): void {
    if (this.closed) return;
    this.lastWriteAt = Date.now();
    this.controller.enqueue(encoder.encode(text));
  }

  close(): void {
    if (this.closed) return;
    this.stop();
    this.controller.close();
  }

  private stop(): void {
    this.closed = true;
    if (this.keepaliveTimer !== undefined) clearTimeout(this.keepaliveTimer);
  }

  private armKeepalive(delay: number): void {
    this.keepaliveTimer = setTimeout(() => {
      if (this.closed) return;
      const quiet = Date.now() - this.lastWriteAt;
      if (quiet >= this.keepaliveMs) {
        this.write(this.keepaliveText);
        this.armKeepalive(this.keepaliveMs);
      } else {
        this.armKeepalive(this.keepaliveMs - quiet);
      }
    }, delay);
  }
}

/** One SSE event carrying a JSON-RPC message. No `id:` line: a stateless server cannot resume. */
export function sseEvent(json: string): string {
  return `event: message\ndata: ${json}\n\n`;
}

export const SSE_KEEPALIVE = ": keepalive\n\n";
export const JSON_KEEPALIVE = "\n";
