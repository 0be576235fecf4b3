// The README and docs/ as the tests read them: each file's text, its fenced code blocks, and its
// lines marked as inside code or not.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface Doc {
  /** Relative to the repository's root, e.g. "docs/deploy.md". */
  path: string;
  text: string;
}

/** README.md and every page in docs/. */
export function readDocs(): Doc[] {
  const pages = readdirSync(`${ROOT}docs`)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...pages].map((path) => ({ path, text: readFileSync(ROOT + path, "utf8") }));
}

export interface Line {
  line: string;
  inCode: boolean;
}

/** Each line, marked as inside a fenced code block or not (CommonMark: a fence closes with the same character, at least as long). */
export function linesWithFences(markdown: string): Line[] {
  let fence: string | undefined;
  return markdown.split("\n").map((line) => {
    const marker = /^ *(`{3,}(?!`)|~{3,}(?!~))(.*)$/.exec(line);
    if (fence === undefined && marker) {
      fence = marker[1]!;
      return { line, inCode: true };
    }
    if (fence !== undefined) {
      if (marker && marker[1]!.startsWith(fence[0]!) && marker[1]!.length >= fence.length && marker[2]!.trim() === "")
        fence = undefined;
      return { line, inCode: true };
    }
    return { line, inCode: false };
  });
}

export interface CodeBlock {
  /** The info string: "sh", "json", "ts" or "". */
  lang: string;
  /** The block's text, its indentation (a block inside a list item) removed. */
  code: string;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}(?!`)|~{3,}(?!~))[ \t]*(\S*)$/.exec(lines[i]!.trimEnd());
    if (!open) continue;
    const [, indent = "", fence = "", lang = ""] = open;
    const body: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^ *${fence[0]}{${fence.length},}\\s*$`).test(lines[i]!); i++) {
      body.push(lines[i]!.startsWith(indent) ? lines[i]!.slice(indent.length) : lines[i]!);
    }
    blocks.push({ lang, code: body.join("\n") });
  }
  return blocks;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}
