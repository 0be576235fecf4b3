// Follows a background completion through the host: get_completion with a short wait, again and
// again, each answer the text so far, until the call ends. get_completion's own default wait
// (50 s) would show nothing until the end.
import type { App } from "@modelcontextprotocol/ext-apps";
import type { ToolResult } from "./call.js";

/** get_completion's wait, whole seconds: it answers as soon as the call ends, or after this. */
const FOLLOW_WAIT_SECONDS = 1;
/** Failed asks in a row (the host, the network) before the view says it lost touch. */
const MAX_FAILURES = 4;

export interface FollowEvents {
  onResult(result: ToolResult): void;
  onLost(reason: string): void;
}

export class Follower {
  private stopped = false;

  constructor(
    private readonly app: App,
    private readonly id: string,
    private readonly events: FollowEvents,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let result: ToolResult;
      try {
        result = (await this.app.callServerTool({
          name: "get_completion",
          arguments: { id: this.id, wait: FOLLOW_WAIT_SECONDS },
        })) as ToolResult;
      } catch (error) {
        if (++failures >= MAX_FAILURES) {
          this.events.onLost(
            `Lost touch with completion ${this.id} (${(error as Error).message}). It may still be working: ask get_completion for it.`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * failures));
        continue;
      }
      failures = 0;
      if (this.stopped) return;
      this.events.onResult(result);
      const completion = result.structuredContent?.completion as { status?: unknown } | undefined;
      if (completion?.status !== "working") return;
    }
  }
}
