// resources/list and resources/read: the MCP Apps view (apps.ts), and the images a background
// completion made, which its durable call keeps whole (durable/call-images.ts) and only the key
// that started it may read. Both eras answer alike, but for 2026-07-28's caching hints: the list
// and the view are everyone's, an image is its key's alone and never for a shared cache.
import * as z from "zod/mini";
import { VIEW_URI } from "../tools/view.js";
import { answer, failed, SHARED_CACHE_HINTS, unauthorized, type Method } from "./answers.js";
import { RESOURCE_LIST, viewContents } from "./apps.js";
import { ErrorCode, quoted, type JsonRpcErrorObject, type JsonRpcId } from "./jsonrpc.js";
import type { Era } from "./versions.js";

/** An image of a background completion, as web/view/resources.ts names it. */
const IMAGE_URI = /^openrouter-mcp:\/\/completions\/([\w-]{1,64})\/images\/(\d{1,2})$/;

const readParams = z.object({ uri: z.string() });

/** The caching hints a modern result carries (server/utilities/caching); 2025-11-25 has none. */
const cacheable = (era: Era, result: object, hints: { ttlMs: number; cacheScope: "public" | "private" }) =>
  era === "modern" ? { ...result, ...hints } : result;

export const listResources: Method = ({ id }, { era }) =>
  answer(id, era, cacheable(era, RESOURCE_LIST, SHARED_CACHE_HINTS));

export const readResource: Method = async ({ id, params }, context) => {
  const { era, calls } = context;
  const parsed = z.safeParse(readParams, params ?? {});
  if (!parsed.success) {
    return failed(id, {
      code: ErrorCode.InvalidParams,
      message: 'Invalid params: resources/read needs {"uri": string}',
    });
  }
  const { uri } = parsed.data;
  if (uri === VIEW_URI) {
    const html = await context.view();
    if (html !== undefined) return answer(id, era, cacheable(era, viewContents(html), SHARED_CACHE_HINTS));
    return notFound(
      id,
      uri,
      "This deployment has no view: its static assets lack build/completion-view.html (npm run build:web).",
    );
  }
  const image = IMAGE_URI.exec(uri);
  if (image) {
    if (!calls) return unauthorized(id);
    const kept = await calls.image(image[1], Number(image[2]));
    if (kept) {
      const contents = { contents: [{ uri, mimeType: kept.mimeType, blob: kept.data }] };
      // Fresh for as long as the call keeps it: it never changes, and is gone after.
      return answer(id, era, cacheable(era, contents, { ttlMs: kept.keptForMs, cacheScope: "private" }));
    }
    return notFound(
      id,
      uri,
      "No such image for this key: a background completion keeps its images (up to 10 MB each) for as long as it keeps its answer, and only the key that started it can read them.",
    );
  }
  return notFound(id, uri, `This server has ${VIEW_URI} and the images of background completions.`);
};

function notFound(id: JsonRpcId, uri: string, why: string) {
  const error: JsonRpcErrorObject = {
    code: ErrorCode.ResourceNotFound,
    message: `Resource not found: ${quoted(uri)}. ${why}`,
    data: { uri },
  };
  return failed(id, error);
}
