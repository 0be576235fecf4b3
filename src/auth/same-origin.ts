// Is this state-changing POST from one of our own pages? Browsers send Origin with every POST;
// when it is missing (old browsers), Fetch Metadata must not say the request is cross-site.
import { originOf } from "./responses.js";

export function isSameOriginSubmission(request: Request): boolean {
  const origin = request.headers.get("Origin");
  if (origin !== null) return origin === originOf(request);
  const site = request.headers.get("Sec-Fetch-Site");
  return site === null || site === "same-origin";
}
