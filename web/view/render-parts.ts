// Draws the parts of a result beyond one answer (result-parts.ts): several models' answers, each
// under its model with its cost and its failure apart; a spoken answer as a player; a refusal's
// advice. The models' words go in as Markdown through markdown.ts, everything else as text.
import type { Advice, ShownAnswer, ShownAudio } from "./result-parts.js";
import { linkTo, renderMarkdown, type OpenLink } from "./markdown.js";

const FINISHED: Record<string, string> = {
  stop: "finished",
  length: "cut off at max_tokens",
  error: "ended by an error",
};

export function answerSection(answer: ShownAnswer, openLink: OpenLink): HTMLElement {
  const section = document.createElement("section");
  section.className = "model-answer";
  section.dataset.model = answer.model;
  const heading = document.createElement("h2");
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = answer.model;
  const meta = document.createElement("span");
  meta.className = "meta";
  const finish = answer.finishReason ? (FINISHED[answer.finishReason] ?? answer.finishReason) : undefined;
  meta.textContent = [
    answer.cost === undefined ? undefined : dollars(answer.cost),
    `${answer.tokens.toLocaleString()} token${answer.tokens === 1 ? "" : "s"}`,
    answer.error === undefined ? finish : answer.text === "" ? "failed" : "incomplete",
  ]
    .filter((part) => part !== undefined)
    .join(" · ");
  heading.append(name, meta);
  section.append(heading);
  if (answer.text !== "") {
    const body = document.createElement("div");
    body.className = "answer";
    body.append(renderMarkdown(answer.text, openLink));
    section.append(body);
  }
  if (answer.truncated) section.append(note("Cut short here, to keep the result under its size cap.", "note"));
  if (answer.error !== undefined) section.append(note(answer.error, "error"));
  return section;
}

export function audioPlayer(audio: ShownAudio): HTMLElement {
  const figure = document.createElement("figure");
  const caption = document.createElement("figcaption");
  const size = `${audio.mimeType}, ${Math.max(1, Math.round(audio.bytes / 1024))} KB`;
  if (audio.src) {
    const player = document.createElement("audio");
    player.controls = true;
    player.src = audio.src;
    player.setAttribute("aria-label", "The spoken answer");
    figure.append(player);
    caption.textContent = `Spoken answer · ${size}`;
  } else {
    caption.textContent = `Spoken answer · ${size}: too large for the result (ask for mp3 or opus, or a shorter answer).`;
  }
  figure.append(caption);
  return figure;
}

export function adviceList(advice: Advice, openLink: OpenLink): HTMLElement[] {
  const items: HTMLElement[] = [];
  if (advice.retryAfterSeconds !== undefined) items.push(item(`Retry in ${advice.retryAfterSeconds} s.`));
  if (advice.models.length) {
    const li = item("Try instead: ");
    advice.models.forEach((model, i) => {
      const code = document.createElement("code");
      code.textContent = model;
      li.append(...(i ? [", ", code] : [code]));
    });
    items.push(li);
  }
  if (advice.addCreditsUrl) {
    const li = item("");
    const link = linkTo(advice.addCreditsUrl, openLink);
    link.textContent = "Add credits";
    li.append(link);
    items.push(li);
  }
  return items;
}

function item(text: string): HTMLElement {
  const li = document.createElement("li");
  li.textContent = text;
  return li;
}

function note(text: string, className: string): HTMLElement {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

function dollars(cost: number): string {
  return `$${cost.toFixed(cost < 0.01 ? 6 : 4)}`;
}
