// The MCP Apps view (io.modelcontextprotocol/ui) that shows chat_completion and get_completion:
// one ui:// resource for both (web/view/, built into public/build/). Its names live here, below
// mcp/, so that the tools can name it in their definitions and mcp/ can serve it.

/** The view's resource, as the tools' `_meta.ui.resourceUri` name it. */
export const VIEW_URI = "ui://openrouter-mcp/completion";

/** What the spec calls an MCP App's HTML. */
export const VIEW_MIME_TYPE = "text/html;profile=mcp-app";

/** What a tool that the view shows adds to its definition. */
export const VIEW_TOOL_META = { ui: { resourceUri: VIEW_URI } } as const;
