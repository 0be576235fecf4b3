// resources/list and resources/read: the MCP Apps view (apps.ts), and the images a background
// completion made, which its durable call keeps whole (durable/call-images.ts) and only the key
// that started it may read. Both eras answer alike.
import * as z from "zod/mini";
import { VIEW_URI } from "../tools/view.js";
import { answer, failed, unauthorized, type Method } from "./answers.js";
import { RESOURCE_LIST, viewContents } from "./apps.js";
import { ErrorCode, quoted, type JsonRpcErrorObject, type JsonRpcId } from "./jsonrpc.js";

/** An image of a background completion, as web/view/resources.ts names it. */
const IMAGE_URI = /^openrouter-mcp:\/\/completions\/([\w-]{1,64})\/images\/(\d{1,2})$/;

const readParams = z.object({ uri: z.string() });

export const listResources: Method = ({ id }, { era }) => answer(id, era, RESOURCE_LIST);

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
    if (html !== undefined) return answer(id, era, viewContents(html));
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
    if (kept) return answer(id, era, { contents: [{ uri, mimeType: kept.mimeType, blob: kept.data }] });
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
