// A web host of MCP Apps, for the Chromium tests: the package's AppBridge, connected to our real
// /mcp through the MCP SDK's client, renders the view as a web host does (a sandboxed iframe of
// another origin, under the spec's default CSP), sends it the tool's input and result, and
// records what the view asks of it (links to open, the model's context). Bundled by host.ts.
import {
  AppBridge,
  PostMessageTransport,
  type McpUiHostContext,
  type McpUiStyles,
} from "@modelcontextprotocol/ext-apps/app-bridge";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

/** The spec's CSP for a view that declares no domains (apps.mdx, "Host Behavior"). */
const DEFAULT_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; media-src 'self' data:; connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'self'";

export interface HostRun {
  mcpUrl: string;
  key: string;
  /** The view's ui:// resource: its HTML comes from resources/read, as a host gets it. */
  viewUri: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** Partial inputs sent first, as a host streaming its model's arguments would. */
  partials?: Record<string, unknown>[];
  theme?: "light" | "dark";
  /** The host's CSS variables (the spec's names), as hostContext.styles.variables. */
  styles?: McpUiStyles;
  width?: number;
}

export interface HostRecord {
  openedLinks: string[];
  modelContext: unknown[];
  cspViolations: string[];
  result?: unknown;
  callError?: string;
}

const record: HostRecord = { openedLinks: [], modelContext: [], cspViolations: [] };
let bridge: AppBridge | undefined;
let hostContext: McpUiHostContext = {};

/** As a host does when the person switches its theme: the view gets ui/notifications/host-context-changed. */
function changeContext(change: McpUiHostContext): void {
  hostContext = { ...hostContext, ...change };
  bridge!.setHostContext(hostContext);
}

async function run(options: HostRun): Promise<void> {
  const client = new Client(
    { name: "chromium-apps-host", version: "1.0.0" },
    { capabilities: { extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } } } },
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(options.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${options.key}` } },
    }),
  );
  const [content] = (await client.readResource({ uri: options.viewUri })).contents;
  const html = content && "text" in content ? content.text : "";
  const iframe = document.createElement("iframe");
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.style.width = `${options.width ?? 640}px`;
  iframe.style.border = "0";
  iframe.style.height = "80px";
  document.body.append(iframe);
  hostContext = {
    theme: options.theme ?? "light",
    ...(options.styles ? { styles: { variables: options.styles } } : {}),
    displayMode: "inline",
    platform: "web",
    containerDimensions: { maxHeight: 4000, width: options.width ?? 640 },
  };
  bridge = new AppBridge(
    client,
    { name: "chromium-apps-host", version: "1.0.0" },
    { openLinks: {}, serverTools: {}, serverResources: {}, updateModelContext: { text: {} }, logging: {} },
    { hostContext },
  );
  const host = bridge;
  host.onopenlink = async ({ url }) => {
    record.openedLinks.push(url);
    return {};
  };
  host.onupdatemodelcontext = async (params) => {
    record.modelContext.push(params);
    return {};
  };
  host.onsizechange = ({ height }) => {
    if (height !== undefined) iframe.style.height = `${height}px`;
  };
  const initialized = new Promise<void>((resolve) => (host.oninitialized = () => resolve()));
  await host.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  // As a sandbox proxy does: the HTML under the CSP the view's resource declares (here none).
  iframe.srcdoc = html.replace(
    "<head>",
    `<head><meta http-equiv="Content-Security-Policy" content="${DEFAULT_CSP}">` +
      `<script>document.addEventListener("securitypolicyviolation", (e) => parent.postMessage({ cspViolation: e.violatedDirective + " " + e.blockedURI }, "*"));</script>`,
  );
  await initialized;
  for (const partial of options.partials ?? []) await host.sendToolInputPartial({ arguments: partial });
  await host.sendToolInput({ arguments: options.arguments });
  try {
    const result = await client.callTool({ name: options.tool, arguments: options.arguments });
    record.result = result;
    await host.sendToolResult(result as Parameters<AppBridge["sendToolResult"]>[0]);
  } catch (error) {
    record.callError = (error as Error).message;
    await host.sendToolCancelled({ reason: record.callError });
  }
}

window.addEventListener("message", (event: MessageEvent<{ cspViolation?: string }>) => {
  if (typeof event.data?.cspViolation === "string") record.cspViolations.push(event.data.cspViolation);
});

Object.assign(window, { host: { run, record, changeContext } });
