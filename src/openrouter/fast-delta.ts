// The relay's fast path: most frames of a streamed answer differ only in their text, so their
// content (and a thinking model's reasoning) is sliced out of the frame instead of JSON.parsed.
// Measured in `npm run bench` (relay CPU per 1k tokens); a frame this does not recognise goes to
// the full parse in stream.ts, which is always correct.

export interface DeltaSink {
  onContent: (text: string) => void;
  /** A piece of reasoning; "" for a piece whose text is withheld (encrypted). */
  onReasoning: (text: string) => void;
}

const DELTA = '"delta":{';
const ROLE = '"role":"assistant",';
/** `"content":"` less its first quote: see where it is searched for. */
const CONTENT = 'content":"';
const REASONING = ',"reasoning":"';
const DETAILS = ',"reasoning_details":[';
const DELTA_END = '},"finish_reason":';

/** Where the last frame's delta was found (no frame starts with it). */
let deltaHint = 0;

/**
 * Hands an ordinary frame's content, and its reasoning when a thinking model sends one, to the
 * sink without parsing the frame. False when the frame needs a full parse instead (finish,
 * usage, error, reasoning only as details, an unusual key order): nothing was handed on then.
 */
export function fastDelta(data: string, sink: DeltaSink): boolean {
  // `"delta":{` cannot occur inside a JSON string, where its second quote would be escaped; nor
  // can any `"key":` searched below. A stream's frames repeat the fields before the delta (id,
  // provider, model, created), so it is looked for first where the last frame had it, and only
  // then searched for (backwards: it sits near the end). The hint is one per isolate, shared by
  // concurrent streams: a wrong one costs the search, nothing more. The content key is searched
  // for without its opening quote (checked after), so the search stops at none of the role's
  // quotes on its way. Together they take most of the searching out of an ordinary frame.
  const deltaAt = data.startsWith(DELTA, deltaHint) ? deltaHint : (deltaHint = data.lastIndexOf(DELTA));
  if (deltaAt < 0) return false;
  const start = data.indexOf(CONTENT, deltaAt) - 1;
  if (start < 0 || data.charCodeAt(start) !== 34) return false;
  // Content first (after the role, perhaps): a reasoning key before it would go unseen. Checked
  // by length and one letter ("ro" of role, where "reasoning" or "refusal" has "re"): startsWith
  // costs a tenth of the fast path.
  const lead = start - deltaAt - DELTA.length;
  if (lead !== 0 && (lead !== ROLE.length || data.charCodeAt(deltaAt + DELTA.length + 2) !== 111)) return false;
  const from = start + 1 + CONTENT.length;
  const end = stringEnd(data, from);
  if (end < 0) return false;
  // A thinking model's frame goes on with the reasoning text, then the same text again as
  // reasoning_details objects: those are skipped whole, up to where the delta closes.
  let after = end + 1;
  let reasoningFrom = -1;
  let reasoningEnd = -1;
  // `,"r` first: most frames end the delta right after the content.
  if (data.charCodeAt(after + 2) === 114 && data.startsWith(REASONING, after)) {
    reasoningFrom = after + REASONING.length;
    reasoningEnd = stringEnd(data, reasoningFrom);
    if (reasoningEnd < 0) return false;
    after = reasoningEnd + 1;
    if (data.startsWith(DETAILS, after)) {
      after = data.indexOf(DELTA_END, after);
      if (after < 0) return false;
    }
  }
  // Frames that end the answer or carry usage or an error take the full parse. Only the short
  // tail after the delta's strings is searched (scanning whole frames costs as much as parsing
  // them): an ordinary frame has "finish_reason":null there, while OpenRouter's mid-stream
  // error chunk has finish_reason "error" and the usage chunk has no delta at all. Nor does an
  // ordinary tail open an object: a "usage", "error" or "logprobs" object, or reasoning details
  // without a reasoning string, would, so one search for "{" covers them all.
  const tail = data.indexOf('"finish_reason":', after);
  if (tail < 0 || data.charCodeAt(tail + 16) !== 110 /* n, as in null */) return false;
  if (data.indexOf("{", after) >= 0) return false;
  const content = jsonString(data, from, end);
  if (content === undefined) return false;
  if (reasoningFrom >= 0) {
    const reasoning = jsonString(data, reasoningFrom, reasoningEnd);
    if (reasoning === undefined) return false;
    if (reasoning !== "") sink.onReasoning(reasoning);
  }
  if (content !== "") sink.onContent(content);
  return true;
}

/** Where the JSON string whose text starts at `from` ends (its closing quote), or -1. */
function stringEnd(data: string, from: number): number {
  let end = from;
  for (;;) {
    end = data.indexOf('"', end);
    if (end < 0) return -1;
    // A quote preceded by an odd run of backslashes is inside the string.
    let backslashes = 0;
    for (let i = end - 1; i >= from && data.charCodeAt(i) === 92; i--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end++;
  }
}

/** The JSON string between from and end (its quotes excluded), unescaped. */
function jsonString(data: string, from: number, end: number): string | undefined {
  const raw = data.slice(from, end);
  if (raw.indexOf("\\") < 0) return raw;
  try {
    return JSON.parse(data.slice(from - 1, end + 1)) as string;
  } catch {
    // Not a JSON string: the caller reads the frame whole.
    return undefined;
  }
}
