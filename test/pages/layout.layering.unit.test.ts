// pages/ holds views: the frame every page shares and the landing page. The auth/ handlers render
// through it, so it may not import auth/ back (the two folders imported each other once): what a
// page needs of the login (this browser's session, the consent page's client) is handed to it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const PAGES = join(import.meta.dirname, "../../src/pages");

describe("src/pages", () => {
  it.each(readdirSync(PAGES).filter((name) => name.endsWith(".ts")))("%s imports nothing from src/auth", (name) => {
    const imports = [...readFileSync(join(PAGES, name), "utf8").matchAll(/^import[^;]*?from\s+"([^"]+)"/gm)].map(
      (m) => m[1],
    );
    expect(imports.filter((from) => from?.startsWith("../auth/"))).toEqual([]);
  });
});
