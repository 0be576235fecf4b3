// Draws a CallState into the view's page (view.html's elements, by id). Everything from the
// model or the tool's input goes in as text, or as Markdown through markdown.ts.
import { isSettled, type CallState, type Phase, type ShownImage } from "./call.js";
import { linkTo, renderMarkdown, type OpenLink } from "./markdown.js";
import { adviceList, answerSection, audioPlayer } from "./render-parts.js";

export interface ViewActions {
  openLink: OpenLink;
  stop(): void;
  copy(): void;
}

const $ = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`view.html has no #${id}`);
  return element;
};

/** What the last render drew, so that unchanged parts (images above all) are not drawn again. */
const drawn: {
  text?: string;
  json?: unknown;
  images?: ShownImage[];
  reasoning?: string;
  citations?: unknown;
  answers?: unknown;
  audio?: unknown;
  advice?: unknown;
} = {};

export function render(state: CallState, actions: ViewActions, now: number, startedAt: number): void {
  document.body.dataset.phase = state.phase;
  $("model").textContent = state.model ?? (state.tool === "get_completion" ? "Background completion" : "");
  $("status").textContent = statusLine(state, Math.round((now - startedAt) / 1000));
  $("prompt").textContent = state.prompt ?? (state.completionId ? `Completion ${state.completionId}` : "");
  $("asked").textContent = state.asked.join(" · ");

  const answer = $("answer");
  if (state.hasJson) {
    if (drawn.json !== state.json || drawn.text !== undefined) {
      const pre = document.createElement("pre");
      pre.className = "json";
      pre.textContent = JSON.stringify(state.json, null, 2);
      answer.replaceChildren(pre);
      drawn.json = state.json;
      drawn.text = undefined;
    }
  } else if (drawn.text !== state.text || drawn.answers !== state.answers) {
    // Several models' answers are drawn each under its model (below): only a synthesis goes here.
    const text = state.answers && !state.synthesis ? "" : state.text;
    answer.replaceChildren(...(text === "" ? [] : [renderMarkdown(text, actions.openLink)]));
    if (!isSettled(state.phase) && state.text !== "") answer.append(caret());
    drawn.text = state.text;
    drawn.json = undefined;
  }

  if (drawn.answers !== state.answers) {
    $("answers").replaceChildren(...(state.answers ?? []).map((shown) => answerSection(shown, actions.openLink)));
    drawn.answers = state.answers;
  }
  if (drawn.audio !== state.audio) {
    $("audio").replaceChildren(...(state.audio ? [audioPlayer(state.audio)] : []));
    drawn.audio = state.audio;
  }
  const advice = $("advice");
  advice.hidden = state.phase !== "failed" || state.advice === undefined;
  if (drawn.advice !== state.advice) {
    advice.replaceChildren(...(state.advice ? adviceList(state.advice, actions.openLink) : []));
    drawn.advice = state.advice;
  }

  if (drawn.images !== state.images) {
    $("images").replaceChildren(...state.images.map((image, i) => figure(image, i, state)));
    drawn.images = state.images;
  }

  const reasoning = $("reasoning");
  reasoning.hidden = state.reasoning === undefined;
  if (drawn.reasoning !== state.reasoning) {
    $("reasoning-text").textContent = state.reasoning ?? "";
    drawn.reasoning = state.reasoning;
  }

  const sources = $("sources");
  sources.hidden = state.citations.length === 0;
  if (drawn.citations !== state.citations) {
    $("source-list").replaceChildren(
      ...state.citations.map(({ url, title }) => {
        const item = document.createElement("li");
        const anchor = linkTo(url, actions.openLink);
        anchor.textContent = title || url;
        item.append(anchor);
        return item;
      }),
    );
    drawn.citations = state.citations;
  }

  const error = $("error");
  error.hidden = state.phase !== "failed";
  error.textContent = state.phase === "failed" ? (state.error ?? "The call failed.") : "";

  $("usage").textContent = usageLine(state);
  const stop = $("stop") as HTMLButtonElement;
  stop.hidden = isSettled(state.phase) || state.completionId === undefined;
  const copy = $("copy") as HTMLButtonElement;
  copy.hidden = state.text === "" && !state.hasJson;
}

const PHASE_WORDS: Record<Phase, string> = {
  asking: "Waiting for the question…",
  waiting: "Waiting for the first token",
  thinking: "Thinking",
  writing: "Writing",
  completed: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

const FINISH_WORDS: Record<string, string> = {
  stop: "finished",
  length: "cut off at max_tokens",
  content_filter: "stopped by the provider's content filter",
  tool_calls: "stopped to call a tool",
  error: "ended by an error",
};

function statusLine(state: CallState, seconds: number): string {
  const words = PHASE_WORDS[state.phase];
  if (isSettled(state.phase)) {
    const finish = state.finishReason ? (FINISH_WORDS[state.finishReason] ?? state.finishReason) : undefined;
    return state.phase === "completed" && finish ? `${words}: ${finish}` : words;
  }
  const tokens = state.tokens > 0 ? ` · ${count(state.tokens, "token")}` : "";
  return state.phase === "asking" ? words : `${words}${tokens} · ${seconds} s`;
}

function usageLine(state: CallState): string {
  const usage = state.usage;
  // A call refused before any answer used nothing: nothing to say.
  if (!usage || !isSettled(state.phase) || (!usage.prompt_tokens && !usage.completion_tokens && !usage.cost)) return "";
  const parts: string[] = [];
  if (usage.prompt_tokens !== undefined) parts.push(`${usage.prompt_tokens.toLocaleString()} in`);
  if (usage.completion_tokens !== undefined) {
    const thinking = usage.reasoning_tokens ? ` (${usage.reasoning_tokens.toLocaleString()} thinking)` : "";
    parts.push(`${usage.completion_tokens.toLocaleString()} out${thinking}`);
  }
  if (usage.web_search_requests) parts.push(count(usage.web_search_requests, "web search", "web searches"));
  if (usage.cost !== undefined) parts.push(`$${usage.cost.toFixed(usage.cost < 0.01 ? 6 : 4)}`);
  if (state.provider) parts.push(state.provider);
  return parts.join(" · ");
}

function figure(image: ShownImage, index: number, state: CallState): HTMLElement {
  const figure = document.createElement("figure");
  const caption = document.createElement("figcaption");
  const size = `${image.mimeType || "image"}, ${formatBytes(image.bytes)}`;
  if (image.src) {
    const img = document.createElement("img");
    img.src = image.src;
    img.alt = `Image ${index + 1} the model made`;
    figure.append(img);
    caption.textContent = `Image ${index + 1} · ${size}`;
  } else if (image.omitted && state.completionId !== undefined) {
    caption.textContent = `Image ${index + 1} · ${size} · loading…`;
  } else {
    caption.textContent = `Image ${index + 1} · ${size}: too large for a direct call's result. Ask with background: true to see it here.`;
  }
  figure.append(caption);
  return figure;
}

function caret(): HTMLElement {
  const span = document.createElement("span");
  span.className = "caret";
  span.setAttribute("aria-hidden", "true");
  return span;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : bytes >= 1024
      ? `${Math.round(bytes / 1024)} KB`
      : `${bytes} bytes`;
}
