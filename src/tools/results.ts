// What every tool answers when it cannot do its work: a tool result with isError, whose text
// tells the person (or the model) what to change.
import type * as z from "zod/mini";
import type { ToolError } from "../tool-result.js";

export function errorResult(message: string): ToolError {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Every issue with its field named, then the shape the tool expects. */
export function describeArgumentIssues(tool: string, error: z.core.$ZodError, expected: string): string {
  const details = error.issues.flatMap(branchIssues).map((issue) => {
    const field = issue.path.length ? `"${issue.path.join(".")}"` : "arguments";
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      return issue.path.length ? `${field} has no field ${keys}` : `unknown argument ${keys}`;
    }
    if ((issue.code === "invalid_type" || issue.code === "invalid_union") && issue.input === undefined)
      return `${field} is required`;
    // Enums carry no message of their own: their values say it.
    if (issue.code === "invalid_value" && issue.message === "Invalid input")
      return `${field} must be one of ${issue.values.join(", ")}`;
    if (issue.code === "invalid_union" && issue.message === "Invalid input") return `${field} has the wrong shape`;
    if (issue.code === "invalid_type" && issue.message === "Invalid input")
      return `${field} must be of type ${issue.expected}`;
    // zod/mini ships no locale: a bound without a message of ours would read "Invalid input".
    if (issue.code === "too_big" && issue.message === "Invalid input")
      return `${field} must be ${issue.inclusive ? "at most" : "below"} ${issue.maximum}${unitOf(issue.origin)}`;
    if (issue.code === "too_small" && issue.message === "Invalid input") {
      return Number(issue.minimum) === 1 && issue.inclusive
        ? `${field} must not be empty`
        : `${field} must be ${issue.inclusive ? "at least" : "above"} ${issue.minimum}${unitOf(issue.origin)}`;
    }
    return `${field} ${issue.message}`;
  });
  return `Invalid arguments for ${tool}: ${details.join("; ")}. Expected ${expected}.`;
}

/**
 * A value that fits no option of a union is described by the option it was meant for: the one
 * option that refused neither its type outright nor its `type` literal (a list of content parts
 * with one bad URL names that URL). Without such a one, the union's own message stands.
 */
function branchIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union") return [issue];
  const meant = issue.errors.filter(
    (issues) =>
      !issues.some(
        (i) =>
          (i.code === "invalid_type" && !i.path.length) ||
          (i.code === "invalid_value" && i.path.length === 1 && i.values.length === 1),
      ),
  );
  return meant.length === 1
    ? meant[0]!.flatMap((i) => branchIssues({ ...i, path: [...issue.path, ...i.path] }))
    : [issue];
}

function unitOf(origin: string): string {
  return origin === "string" ? " characters" : origin === "array" ? " items" : "";
}
