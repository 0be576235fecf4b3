// The landing page as a small MCP Apps host: one call at a time, drawn by the same view every
// Apps host renders (public/build/completion-view.html, in a sandboxed iframe of an opaque
// origin), through the package's AppBridge. The page makes the call; the view follows it.
import {
  AppBridge,
  PostMessageTransport,
  type McpUiHostContext,
  type McpUiStyles,
} from "@modelcontextprotocol/ext-apps/app-bridge";
import { mcpRequest } from "./mcp.js";

const VIEW_PATH = "/build/completion-view.html";
/** What the view may ask through this host: following and stopping its completion, and its images. */
const VIEW_TOOLS = new Set(["get_completion"]);

type ToolResult = Parameters<AppBridge["sendToolResult"]>[0];

export class HostedCall {
  private readonly iframe = document.createElement("iframe");
  private readonly bridge: AppBridge;
  private completion: { id: string; working: boolean } | undefined;
  private closed = false;

  constructor(
    container: HTMLElement,
    private readonly args: Record<string, unknown>,
    private readonly onSettled: () => void,
  ) {
    this.iframe.title = "The answer";
    this.iframe.className = "view";
    // Scripts only: an opaque origin, so the view reaches nothing of this page (cookies, /mcp).
    this.iframe.setAttribute("sandbox", "allow-scripts");
    this.iframe.setAttribute("allow", "clipboard-write");
    container.replaceChildren(this.iframe);
    this.bridge = new AppBridge(
      null,
      { name: "landing-page", version: "1.0.0" },
      { openLinks: {}, serverTools: {}, serverResources: {} },
      { hostContext: hostContext(container) },
    );
    this.bridge.oncalltool = async (params) => {
      if (!VIEW_TOOLS.has(params.name)) throw new Error(`This page does not run ${params.name} for the view.`);
      const result = (await mcpRequest("tools/call", params)) as ToolResult;
      this.track(result);
      return result;
    };
    this.bridge.onreadresource = async (params) =>
      (await mcpRequest("resources/read", params)) as Awaited<ReturnType<NonNullable<AppBridge["onreadresource"]>>>;
    this.bridge.onopenlink = async ({ url }) => {
      if (/^https?:\/\//.test(url)) window.open(url, "_blank", "noopener,noreferrer");
      return {};
    };
    this.bridge.onsizechange = ({ height }) => {
      if (height !== undefined) this.iframe.style.height = `${Math.ceil(height)}px`;
    };
  }

  async start(): Promise<void> {
    const initialized = new Promise<void>((resolve) => (this.bridge.oninitialized = () => resolve()));
    await this.bridge.connect(new PostMessageTransport(this.iframe.contentWindow!, this.iframe.contentWindow!));
    this.iframe.src = VIEW_PATH;
    await initialized;
    if (this.closed) return;
    await this.bridge.sendToolInput({ arguments: this.args });
    let result: ToolResult;
    try {
      result = (await mcpRequest("tools/call", { name: "chat_completion", arguments: this.args })) as ToolResult;
    } catch (error) {
      // A refusal at the protocol level (a login gone, a rate limit): the view shows it as the call's error.
      result = { content: [{ type: "text", text: (error as Error).message }], isError: true };
    }
    if (this.closed) {
      this.track(result);
      await this.cancelUpstream();
      return;
    }
    this.track(result);
    await this.bridge.sendToolResult(result);
    if (!this.completion?.working) this.onSettled();
  }

  /** Ends this call's view: a new send replaces it, and stops its completion if it still works. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.cancelUpstream();
    await this.bridge.teardownResource({}).catch(() => undefined);
    await this.bridge.close();
  }

  private track(result: ToolResult): void {
    const structured = result.structuredContent as { completion?: { id?: unknown; status?: unknown } } | undefined;
    const completion = structured?.completion;
    if (typeof completion?.id !== "string") return;
    const wasWorking = this.completion?.working;
    this.completion = { id: completion.id, working: completion.status === "working" };
    if (wasWorking && !this.completion.working) this.onSettled();
  }

  private async cancelUpstream(): Promise<void> {
    const completion = this.completion;
    if (!completion?.working) return;
    completion.working = false;
    await mcpRequest("tools/call", { name: "get_completion", arguments: { id: completion.id, cancel: true } }).catch(
      () => undefined,
    );
  }
}

/** The page's look, handed to the view: its theme, font and width. */
function hostContext(container: HTMLElement): McpUiHostContext {
  const style = getComputedStyle(document.body);
  return {
    theme: pageTheme(),
    displayMode: "inline",
    platform: "web",
    locale: navigator.language,
    containerDimensions: { width: container.clientWidth },
    styles: { variables: { "--font-sans": style.fontFamily } as McpUiStyles },
  };
}

/**
 * The theme the page is drawn in, from its CSS color-scheme: the system's preference counts only
 * where the page offers both. A page that declares none ("normal") is light, so its view is too.
 */
function pageTheme(): "light" | "dark" {
  const schemes = getComputedStyle(document.documentElement).colorScheme.split(" ");
  if (!schemes.includes("dark")) return "light";
  if (!schemes.includes("light")) return "dark";
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}
