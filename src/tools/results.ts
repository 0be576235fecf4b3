// What every tool answers when it cannot do its work: a tool result with isError, whose text
// tells the person (or the model) what to change.
import type * as z from "zod/mini";
import type { CallToolResult } from "./tool.js";

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Every issue with its field named, then the shape the tool expects. */
export function describeArgumentIssues(tool: string, error: z.core.$ZodError, expected: string): string {
  const details = error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return `unknown argument${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    const field = issue.path.length ? `"${issue.path.join(".")}"` : "arguments";
    if (issue.code === "invalid_type" && issue.input === undefined) return `${field} is required`;
    // zod/mini ships no locale: a bound without a message of ours would read "Invalid input".
    if (issue.code === "too_big" && issue.message === "Invalid input") return `${field} must be ${issue.inclusive ? "at most" : "below"} ${issue.maximum}${unitOf(issue.origin)}`;
    if (issue.code === "too_small" && issue.message === "Invalid input") return `${field} must be ${issue.inclusive ? "at least" : "above"} ${issue.minimum}${unitOf(issue.origin)}`;
    return `${field} ${issue.message}`;
  });
  return `Invalid arguments for ${tool}: ${details.join("; ")}. Expected ${expected}.`;
}

function unitOf(origin: string): string {
  return origin === "string" ? " characters" : origin === "array" ? " items" : "";
}
