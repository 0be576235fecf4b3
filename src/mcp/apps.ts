// MCP Apps (io.modelcontextprotocol/ui, an extension; spec 2026-01-26): the view of a completion
// as a resource (resources/list, resources/read), and whether a request's client declared the
// extension. The view's HTML is a static asset (public/build/completion-view.html), read through
// the ASSETS binding once per isolate: it is bigger than the whole Worker and stays out of its bundle.
//
// Negotiation: a 2026-07-28 request carries its client's capabilities, so tools/list adds
// `_meta.ui` only for a client that declared the extension. A 2025-11-25 tools/list cannot know
// (this server keeps no session, and the capabilities came with initialize): it always names the
// view, as the spec allows, and a host without Apps ignores the field. Results are the same either way.
import * as z from "zod/mini";
import { VIEW_DESCRIPTION, VIEW_MIME_TYPE, VIEW_URI } from "../tools/view.js";
import { META_CLIENT_CAPABILITIES } from "./era.js";

export const APPS_EXTENSION = "io.modelcontextprotocol/ui";

/** What the server declares under capabilities.extensions. */
export const APPS_CAPABILITY = { mimeTypes: [VIEW_MIME_TYPE] };

/**
 * The view's settings: no domains beyond the spec's default CSP (it fetches nothing: everything
 * reaches it through the host), a border, and the clipboard for its Copy button.
 */
const VIEW_UI_META = { csp: {}, prefersBorder: true, permissions: { clipboardWrite: {} } };

const VIEW_RESOURCE = {
  uri: VIEW_URI,
  name: "completion",
  title: "OpenRouter completion",
  description: VIEW_DESCRIPTION,
  mimeType: VIEW_MIME_TYPE,
  _meta: { ui: VIEW_UI_META },
};

export const RESOURCE_LIST = { resources: [VIEW_RESOURCE] };

/** Where the built view is among the static assets (wrangler.toml [assets]). */
const VIEW_ASSET = "https://assets.invalid/build/completion-view.html";

let viewHtml: Promise<string> | undefined;

/** The view's HTML, read once per isolate; undefined when the assets lack it (not built). */
export async function readView(env: Env): Promise<string | undefined> {
  viewHtml ??= env.ASSETS.fetch(VIEW_ASSET).then(async (response) => {
    if (!response.ok) throw new Error(`the view's asset answered ${response.status}`);
    return response.text();
  });
  try {
    return await viewHtml;
  } catch {
    // Not cached: a later request tries again (an asset upload still under way).
    viewHtml = undefined;
    return undefined;
  }
}

/** The view as resources/read answers it. */
export function viewContents(html: string): { contents: Record<string, unknown>[] } {
  return { contents: [{ uri: VIEW_URI, mimeType: VIEW_MIME_TYPE, text: html, _meta: { ui: VIEW_UI_META } }] };
}

/**
 * A modern request's params, as far as the Apps extension's place in its declared client
 * capabilities: optional at every level, as the common request declares nothing.
 */
const declaredApps = z.optional(
  z.object({
    _meta: z.optional(
      z.object({
        [META_CLIENT_CAPABILITIES]: z.optional(
          z.object({
            extensions: z.optional(
              z.object({ [APPS_EXTENSION]: z.optional(z.object({ mimeTypes: z.optional(z.array(z.string())) })) }),
            ),
          }),
        ),
      }),
    ),
  }),
);

/** Whether a modern request's client declared MCP Apps with our view's type (the spec's getUiCapability check). */
export function declaresApps(params: Record<string, unknown> | undefined): boolean {
  const declared = z.safeParse(declaredApps, params).data?._meta?.[META_CLIENT_CAPABILITIES]?.extensions?.[
    APPS_EXTENSION
  ];
  return declared?.mimeTypes?.includes(VIEW_MIME_TYPE) ?? false;
}
