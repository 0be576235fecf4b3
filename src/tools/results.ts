// What every tool answers when it cannot do its work: a tool result with isError, whose text
// tells the person (or the model) what to change.
import type * as z from "zod/mini";
import type { ToolError } from "./tool.js";

export function errorResult(message: string): ToolError {
  return { content: [{ type: "text", text: message }], isError: true };
}

/** Every issue with its field named, then the shape the tool expects. */
export function describeArgumentIssues(tool: string, error: z.core.$ZodError, expected: string): string {
  const details = error.issues.flatMap(branchIssues).map((issue) => {
    const field = issue.path.length ? `"${issue.path.join(".")}"` : "arguments";
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      return issue.path.length ? `${field} has no field${issue.keys.length > 1 ? "s" : ""} ${keys}` : `unknown argument${issue.keys.length > 1 ? "s" : ""} ${keys}`;
    }
    if ((issue.code === "invalid_type" || issue.code === "invalid_union") && issue.input === undefined) return `${field} is required`;
    // Enums carry no message of their own: their values say it.
    if (issue.code === "invalid_value" && issue.message === "Invalid input") return `${field} must be ${listed(issue.values.map(String))}`;
    if (issue.code === "invalid_type" && issue.message === "Invalid input") return `${field} must be ${issue.expected === "int" ? "an integer" : `a ${issue.expected}`}`;
    // zod/mini ships no locale: a bound without a message of ours would read "Invalid input".
    if (issue.code === "too_big" && issue.message === "Invalid input") return `${field} must be ${issue.inclusive ? "at most" : "below"} ${issue.maximum}${unitOf(issue.origin)}`;
    if (issue.code === "too_small" && issue.message === "Invalid input") {
      return Number(issue.minimum) === 1 && issue.inclusive ? `${field} must not be empty` : `${field} must be ${issue.inclusive ? "at least" : "above"} ${issue.minimum}${unitOf(issue.origin)}`;
    }
    return `${field} ${issue.message}`;
  });
  return `Invalid arguments for ${tool}: ${details.join("; ")}. Expected ${expected}.`;
}

/**
 * A value that fits no option of a union is described by the option it was meant for: of the
 * options that neither refused its type outright nor its `type` literal, the one with fewest
 * issues (a list of content parts with one bad URL names that URL). Without a clear one, the
 * union's own message stands.
 */
function branchIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union") return [issue];
  const near = issue.errors.filter(
    (issues) =>
      issues.some((i) => i.path.length > 0 || i.code !== "invalid_type") &&
      !issues.some((i) => i.code === "invalid_value" && i.path.length === 1 && i.values.length === 1),
  );
  const fewest = Math.min(...near.map((issues) => issues.length));
  const meant = near.filter((issues) => issues.length === fewest);
  return meant.length === 1 ? meant[0]!.flatMap((i) => branchIssues({ ...i, path: [...issue.path, ...i.path] })) : [issue];
}

/** "a, b or c" */
function listed(values: string[]): string {
  return values.length > 1 ? `${values.slice(0, -1).join(", ")} or ${values.at(-1)}` : (values[0] ?? "");
}

function unitOf(origin: string): string {
  return origin === "string" ? " characters" : origin === "array" ? " items" : "";
}
