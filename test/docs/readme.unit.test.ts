// The README as a newcomer reads it: every code fence closed (an open one swallows the sections
// after it), every section heading outside code; and docs/stand-in.md lists the stand-in's
// scenarios as the code has them.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/build-worker.js";
import { SCENARIOS } from "../../stand-in/openrouter.js";

const README = readFileSync(`${ROOT}README.md`, "utf8");
const STAND_IN_DOC = readFileSync(`${ROOT}docs/stand-in.md`, "utf8");

/** The README's lines, each marked as inside a fenced code block or not (CommonMark: a fence closes with the same character, at least as long). */
function linesWithFences(markdown: string): { line: string; inCode: boolean }[] {
  let fence: string | undefined;
  return markdown.split("\n").map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence === undefined && marker) {
      fence = marker[1]!;
      return { line, inCode: true };
    }
    if (fence !== undefined) {
      if (marker && marker[1]!.startsWith(fence[0]!) && marker[1]!.length >= fence.length && marker[2]!.trim() === "") fence = undefined;
      return { line, inCode: true };
    }
    return { line, inCode: false };
  });
}

/** The scenarios table as docs/stand-in.md shows it. */
function scenarioTable(): string {
  const rows = SCENARIOS.map((s) => {
    const model = s.model.startsWith("stand-in/") ? `\`${s.model}\`` : s.model;
    return `| ${model} | ${s.what} | ${s.example === undefined ? "" : `\`${s.example}\``} |`;
  });
  return ["| model | what the stand-in does | try |", "|---|---|---|", ...rows].join("\n");
}

describe("README", () => {
  const lines = linesWithFences(README);

  it("closes every code fence and keeps every section heading outside code", () => {
    // An unclosed fence (e.g. "``` and more words", which opens nothing and closes nothing) swallows what follows.
    expect(lines.at(-1)?.inCode && !/^ {0,3}(`{3,}|~{3,})\s*$/.test(lines.at(-1)!.line)).toBeFalsy();
    expect(lines.filter((l) => l.inCode && /^#{2,6} /.test(l.line)).map((l) => l.line)).toEqual([]);
    const headings = lines.filter((l) => !l.inCode && /^#{1,6} /.test(l.line)).map((l) => l.line);
    expect(headings).toEqual(expect.arrayContaining(["## Try it offline: `npm run demo`", "## Try it with curl", "## Deploy", "## Layout"]));
  });
});

describe("docs/stand-in.md", () => {
  it("lists the stand-in's scenarios exactly as the code has them", () => {
    expect(STAND_IN_DOC, `docs/stand-in.md's "Scenarios" should hold this table:\n${scenarioTable()}\n`).toContain(scenarioTable());
  });
});
