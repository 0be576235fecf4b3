// Every request the stand-in receives is recorded (StandIn.requests), so a test can check what
// the Worker sent upstream and whether it closed a request early (a cancelled call really stopped).
import type { IncomingMessage, ServerResponse } from "node:http";

export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string, with its "?" (empty when there is none). */
  search: string;
  headers: Record<string, string>;
  body: unknown;
  closedEarly: boolean;
  finished: boolean;
  whenClosed: Promise<"client-closed" | "finished">;
}

/** The request's record, kept up to date as its response finishes or its client goes away first. */
export function recordRequest(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  let settle: (how: "client-closed" | "finished") => void = () => {};
  const recorded: RecordedRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    search: url.search,
    headers,
    body,
    closedEarly: false,
    finished: false,
    whenClosed: new Promise((resolve) => (settle = resolve)),
  };
  res.on("finish", () => {
    recorded.finished = true;
    settle("finished");
  });
  res.on("close", () => {
    if (!res.writableFinished) {
      recorded.closedEarly = true;
      settle("client-closed");
    }
  });
  return recorded;
}
