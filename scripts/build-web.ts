// `npm run build:web`: the browser code, bundled by esbuild into public/build/ (a static asset,
// never part of the Worker's bundle). wrangler.toml's [build] runs it before every `wrangler dev`,
// `wrangler deploy` and the test suite's bundle, so a clean clone needs no step of its own.
// - completion-view.html: the MCP Apps view (web/view/), one self-contained file (script and
//   styles inline, as a host's sandbox requires), which the Worker serves as ui://openrouter-mcp/completion.
// - playground.js: the landing page's host of that view (web/playground/).
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./wrangler-config.js";

const root = projectRoot();
const out = join(root, "public", "build");
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  legalComments: "none",
  logLevel: "warning",
  write: false,
} as const;

const [view, playground] = await Promise.all([
  build({ ...common, entryPoints: [join(root, "web/view/main.ts")] }),
  build({ ...common, entryPoints: [join(root, "web/playground/main.ts")] }),
]);

const script = view.outputFiles[0]!.text.replaceAll("</script", "<\\/script");
const style = readFileSync(join(root, "web/view/view.css"), "utf8");
const html = readFileSync(join(root, "web/view/view.html"), "utf8")
  // Functions as replacements: the bundle's own "$&" or "$'" must not be read as patterns.
  .replace("/*STYLE*/", () => style)
  .replace("/*SCRIPT*/", () => script);
writeFileSync(join(out, "completion-view.html"), html);
writeFileSync(join(out, "playground.js"), playground.outputFiles[0]!.text);
