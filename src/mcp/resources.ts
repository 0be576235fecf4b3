// resources/list and resources/read: the MCP Apps view (apps.ts), and the images a background
// completion made, which its durable call keeps whole (durable/call-images.ts) and only the key
// that started it may read. Both eras answer alike.
import * as z from "zod/mini";
import { ownerOf, readCallImage } from "../durable/calls.js";
import type { DurableBindings } from "../durable/bindings.js";
import { VIEW_URI } from "../tools/view.js";
import { viewContents } from "./apps.js";
import { ErrorCode, quoted, type JsonRpcErrorObject } from "./jsonrpc.js";

/** An image of a background completion, as web/view/resources.ts names it. */
const IMAGE_URI = /^openrouter-mcp:\/\/completions\/([\w-]{1,64})\/images\/(\d{1,2})$/;

/** MCP's code for a resource that does not exist (or that this key may not see). */
const RESOURCE_NOT_FOUND = -32002;

const readParams = z.object({ uri: z.string() });

export interface ResourceContext {
  key: string | undefined;
  durable: DurableBindings | undefined;
  /** The view's HTML; undefined when this deployment has none. */
  view(): Promise<string | undefined>;
}

export type ResourceAnswer = { result: object } | { error: JsonRpcErrorObject } | "unauthorized";

export async function readResource(params: unknown, context: ResourceContext): Promise<ResourceAnswer> {
  const parsed = z.safeParse(readParams, params ?? {});
  if (!parsed.success) {
    return {
      error: { code: ErrorCode.InvalidParams, message: 'Invalid params: resources/read needs {"uri": string}' },
    };
  }
  const { uri } = parsed.data;
  if (uri === VIEW_URI) {
    const html = await context.view();
    return html === undefined
      ? notFound(
          uri,
          "This deployment has no view: its static assets lack build/completion-view.html (npm run build:web).",
        )
      : { result: viewContents(html) };
  }
  const image = IMAGE_URI.exec(uri);
  if (image && context.durable) {
    if (!context.key) return "unauthorized";
    const kept = await readCallImage(context.durable, await ownerOf(context.key), image[1], Number(image[2]));
    if (kept) return { result: { contents: [{ uri, mimeType: kept.mimeType, blob: kept.data }] } };
    return notFound(
      uri,
      "No such image for this key: a background completion keeps its images (up to 10 MB each) for as long as it keeps its answer, and only the key that started it can read them.",
    );
  }
  return notFound(uri, `This server has ${VIEW_URI} and the images of background completions.`);
}

function notFound(uri: string, why: string): { error: JsonRpcErrorObject } {
  return { error: { code: RESOURCE_NOT_FOUND, message: `Resource not found: ${quoted(uri)}. ${why}`, data: { uri } } };
}
