// The result of a call with parallel_models: each model's answer under its id (its text, usage,
// cost, finish reason, and its failure kept apart from the others'), an optional synthesis, and
// the totals. One text block a model for the model that reads it, within the result's cap.
import type { CallToolResult, ContentBlock } from "../tool-result.js";
import { MAX_RESULT_BYTES } from "../tool-result.js";

/** One model's answer as chatResult's structuredContent has it (the fields this file reads). */
interface Entry {
  text: string;
  model: string;
  provider?: string;
  finish_reason: string | null;
  usage: Usage;
  error?: string;
  truncated?: true;
}

type Usage = { cost?: number; cost_details?: Record<string, number> } & Record<string, unknown>;

/**
 * Characters of answer text in all: each is sent about three times (its text block, its entry,
 * and the top-level text), so that the result stays within MAX_RESULT_BYTES.
 */
const TEXT_BUDGET = Math.floor(MAX_RESULT_BYTES / 4);

export interface Finished {
  /** The model as the call named it: its answer's key. */
  asked: string;
  result: CallToolResult;
}

export function parallelResult(answers: Finished[], synthesis: Finished | undefined): CallToolResult {
  const share = Math.floor(TEXT_BUDGET / (answers.length + (synthesis ? 1 : 0)));
  const entries = answers.map(({ result }) => capped(result.structuredContent as Entry, share));
  const answered = answers.filter(({ result }) => !result.isError).length;
  const synthesized =
    synthesis && !synthesis.result.isError ? capped(synthesis.result.structuredContent as Entry, share) : undefined;
  const synthesisEntry = synthesis && (synthesized ?? capped(synthesis.result.structuredContent as Entry, share));
  const usage = totalUsage([...entries, ...(synthesisEntry ? [synthesisEntry] : [])]);

  const sections = entries.map((entry, i) => section(answers[i]!.asked, entry));
  const content: ContentBlock[] = [];
  if (synthesized) content.push({ type: "text", text: synthesized.text });
  content.push(...sections.map((text): ContentBlock => ({ type: "text", text })));
  if (synthesisEntry && !synthesized)
    content.push({
      type: "text",
      text: `The synthesis by ${synthesis.asked} failed: ${synthesisEntry.error ?? "no answer"}`,
    });
  const cost = usage.cost === undefined ? "" : `$${usage.cost}`;
  const calls = answers.length + (synthesis ? 1 : 0);
  const summary = `${answered} of ${answers.length} models answered${synthesis ? `, ${synthesized ? "then one synthesis" : "the synthesis failed"}` : ""}.${cost ? ` Total cost: ${cost} for ${calls} calls.` : ""}`;
  content.push({ type: "text", text: summary });

  const failed = answered === 0;
  const structuredContent = {
    text: synthesized ? synthesized.text : sections.join("\n\n"),
    model: synthesized ? synthesized.model : answers.map((a) => a.asked).join(", "),
    provider: synthesized?.provider,
    finish_reason: synthesized ? synthesized.finish_reason : null,
    usage,
    answers: Object.fromEntries(entries.map((entry, i) => [answers[i]!.asked, entry])),
    synthesis: synthesisEntry,
    error: failed ? `None of the ${answers.length} models answered: each one's error is in its answer.` : undefined,
  };
  return failed ? { content, structuredContent, isError: true } : { content, structuredContent };
}

/** "## openai/gpt-5 · $0.0012 · 412 tokens", then the answer, and what went wrong, if anything. */
function section(asked: string, entry: Entry): string {
  const cost = entry.usage.cost === undefined ? "" : ` · $${entry.usage.cost}`;
  const tokens = Number(entry.usage.completion_tokens ?? 0);
  const head = `## ${asked}${cost} · ${tokens} token${tokens === 1 ? "" : "s"}`;
  const cut = entry.truncated ? "(Cut short here, to keep the result under its size cap.)" : "";
  const error = entry.error === undefined ? "" : `${entry.text === "" ? "Failed" : "Incomplete"}: ${entry.error}`;
  return [head, entry.text, cut, error].filter((part) => part !== "").join("\n\n");
}

/** The entry with its text cut to `chars`, marked, or as it is. */
function capped(entry: Entry, chars: number): Entry {
  return entry.text.length <= chars ? entry : { ...entry, text: `${entry.text.slice(0, chars)}…`, truncated: true };
}

/** Every call's usage added up, field by field; cost to the picodollar, as OpenRouter reports it. */
function totalUsage(entries: readonly Entry[]): Usage {
  const total: Record<string, number> = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const details: Record<string, number> = {};
  for (const { usage } of entries) {
    for (const [field, value] of Object.entries(usage))
      if (typeof value === "number") total[field] = (total[field] ?? 0) + value;
    for (const [field, value] of Object.entries(usage.cost_details ?? {}))
      details[field] = (details[field] ?? 0) + value;
  }
  const exact = (dollars: number) => Math.round(dollars * 1e12) / 1e12;
  if (total.cost !== undefined) total.cost = exact(total.cost);
  for (const field of Object.keys(details)) details[field] = exact(details[field]!);
  return Object.keys(details).length ? { ...total, cost_details: details } : total;
}
