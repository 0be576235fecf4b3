// Is this state-changing POST from one of our own pages? Browsers send Origin with a POST, but
// as "null" when the page's Referrer-Policy is no-referrer (our home page); Fetch Metadata's
// Sec-Fetch-Site then says where it came from. Neither header can be set by a web page.
import { originOf } from "../http.js";

export function isSameOriginSubmission(request: Request): boolean {
  const origin = request.headers.get("Origin");
  if (origin !== null && origin !== "null") return origin === originOf(request);
  const site = request.headers.get("Sec-Fetch-Site");
  if (site !== null) return site === "same-origin";
  // A browser too old for Fetch Metadata that sent no Origin either: not a cross-site form
  // post from a modern browser, and the consent form's double-submit token still applies.
  return origin === null;
}
