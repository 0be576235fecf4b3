// A model's answer as Markdown, drawn as DOM nodes. markdown-it parses it (CommonMark, GFM
// tables and strikethrough, bare URLs as links); the nodes are built here from its tokens, each
// element from a fixed list and each text as a text node, so no HTML the model writes is ever
// parsed as HTML (raw HTML stays text, an image becomes a link, a link must be http(s) or
// mailto and opens through the host).
import MarkdownIt, { type Token } from "markdown-it";

const parser = new MarkdownIt("commonmark", { html: false, linkify: true }).enable([
  "table",
  "strikethrough",
  "linkify",
]);

/** The elements an answer may make, by markdown-it's tag names. */
const TAGS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "blockquote",
  "em",
  "strong",
  "s",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
]);

/** Opens a link the answer holds: through the host (a sandboxed view cannot navigate). */
export type OpenLink = (url: string) => void;

export function renderMarkdown(markdown: string, openLink: OpenLink): DocumentFragment {
  const root = document.createDocumentFragment();
  appendTokens(root, parser.parse(markdown, {}), openLink);
  return root;
}

function appendTokens(root: Node, tokens: Token[], openLink: OpenLink): void {
  const stack: Node[] = [root];
  const top = () => stack[stack.length - 1]!;
  for (const token of tokens) {
    if (token.nesting === 1) {
      stack.push(openElement(top(), token, openLink));
      continue;
    }
    if (token.nesting === -1) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    top().appendChild(leaf(token, openLink));
  }
}

/** Appends the element a token opens to `parent`, and answers the one its contents go into. */
function openElement(parent: Node, token: Token, openLink: OpenLink): HTMLElement {
  if (token.type === "link_open") return parent.appendChild(link(attribute(token, "href"), openLink));
  if (token.type === "table_open") {
    // Wide tables scroll inside the view instead of widening it.
    const wrapper = parent.appendChild(document.createElement("div"));
    wrapper.className = "table";
    return wrapper.appendChild(document.createElement("table"));
  }
  const element = parent.appendChild(document.createElement(TAGS.has(token.tag) ? token.tag : "span"));
  if (token.type === "ordered_list_open") {
    const start = Number(attribute(token, "start"));
    if (Number.isSafeInteger(start) && start !== 1) element.setAttribute("start", String(start));
  }
  const align = /text-align:(left|right|center)/.exec(attribute(token, "style"))?.[1];
  if (align) element.style.textAlign = align;
  return element;
}

function leaf(token: Token, openLink: OpenLink): Node {
  switch (token.type) {
    case "inline": {
      const fragment = document.createDocumentFragment();
      appendTokens(fragment, token.children ?? [], openLink);
      return fragment;
    }
    case "fence":
    case "code_block": {
      const pre = document.createElement("pre");
      const code = pre.appendChild(document.createElement("code"));
      const language = token.info.trim().split(/\s/, 1)[0];
      if (language) code.dataset.language = language;
      code.textContent = token.content;
      return pre;
    }
    case "code_inline": {
      const code = document.createElement("code");
      code.textContent = token.content;
      return code;
    }
    case "hr":
      return document.createElement("hr");
    case "hardbreak":
      return document.createElement("br");
    case "softbreak":
      return document.createTextNode("\n");
    case "image": {
      // Never fetched (the view loads nothing from outside): a link to it, named by its alt text.
      const anchor = link(attribute(token, "src"), openLink);
      anchor.textContent = token.content || "image";
      return anchor;
    }
    default:
      // text, and raw HTML (which markdown-it leaves as text with html: false), as text.
      return document.createTextNode(token.content);
  }
}

function attribute(token: Token, name: string): string {
  return String(token.attrGet(name) ?? "");
}

function link(href: string, openLink: OpenLink): HTMLElement {
  let url: URL | undefined;
  try {
    url = new URL(href);
  } catch {
    url = undefined;
  }
  if (!url || !["http:", "https:", "mailto:"].includes(url.protocol)) return document.createElement("span");
  return linkTo(url.href, openLink);
}

/** A link that asks the host to open it (a plain one would navigate the view away, or do nothing). */
export function linkTo(url: string, openLink: OpenLink): HTMLAnchorElement {
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.rel = "noopener noreferrer";
  anchor.title = url;
  anchor.addEventListener("click", (event) => {
    event.preventDefault();
    openLink(url);
  });
  return anchor;
}
