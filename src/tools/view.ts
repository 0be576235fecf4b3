// The MCP Apps view (io.modelcontextprotocol/ui) that shows chat_completion and get_completion:
// one ui:// resource for both (web/view/, built into public/build/). Its names live here, below
// mcp/, so that the tools can name it in their definitions and mcp/ can serve it.

/** The view's resource, as the tools' `_meta.ui.resourceUri` name it. */
export const VIEW_URI = "ui://openrouter-mcp/completion";

/** The view's resource description: what it shows, in the tools' own names. */
export const VIEW_DESCRIPTION =
  "Shows a chat_completion or get_completion call live: the model thinking and writing, the answer as Markdown, images, sources, usage, Stop.";

/** What the spec calls an MCP App's HTML. */
export const VIEW_MIME_TYPE = "text/html;profile=mcp-app";

/** What a tool that the view shows adds to its definition. */
export const VIEW_TOOL_META = { ui: { resourceUri: VIEW_URI } } as const;
