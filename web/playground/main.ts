// The landing page's one script (src/pages/home.ts): a Copy button on each snippet and, when
// logged in, the playground, a small host of the MCP Apps view (host.ts). Bundled by esbuild into
// public/build/playground.js (scripts/build-web.ts); the page's CSP allows no other script.
import "../jitless.js";
import { HostedCall } from "./host.js";
import { mcpRequest } from "./mcp.js";

for (const pre of document.querySelectorAll("pre")) {
  const copy = document.createElement("button");
  copy.type = "button";
  copy.textContent = "Copy";
  copy.onclick = () =>
    void navigator.clipboard.writeText(pre.textContent ?? "").then(() => (copy.textContent = "Copied"));
  pre.after(copy);
}

const playground = document.getElementById("playground");
if (playground) {
  playground.innerHTML = `<h2>Try it</h2>
<form id="try">
<label>Model<input id="model" list="models" placeholder="the default model" autocomplete="off"></label>
<datalist id="models"></datalist>
<label>Prompt<textarea id="prompt" rows="3" required></textarea></label>
<p class="switches">
<label><input type="checkbox" id="image"> Make an image</label>
<label><input type="checkbox" id="search"> Search the web</label>
</p>
<p><button type="submit" class="primary">Send</button> <span class="hint">Ctrl+Enter or ⌘+Enter sends. A new send stops the call that runs.</span></p>
</form>
<div id="call"></div>`;
  const input = (id: string) => document.getElementById(id) as HTMLInputElement;
  const form = document.getElementById("try") as HTMLFormElement;
  const prompt = document.getElementById("prompt") as HTMLTextAreaElement;
  const container = document.getElementById("call")!;

  mcpRequest("tools/call", { name: "list_models", arguments: { limit: 50 } }).then(
    (result) => {
      const models = (result.structuredContent as { models?: { id: string; name: string }[] } | undefined)?.models;
      for (const model of models ?? []) document.getElementById("models")!.append(new Option(model.name, model.id));
    },
    // Without suggestions the model field still takes any id.
    () => undefined,
  );

  let current: HostedCall | undefined;
  form.onsubmit = (event) => {
    event.preventDefault();
    const args: Record<string, unknown> = { prompt: prompt.value, background: true };
    const model = input("model").value.trim();
    if (model) args.model = model;
    if (input("image").checked) args.modalities = ["image", "text"];
    if (input("search").checked) args.web_search = true;
    // One call at a time: a new send ends the last one's view (and its completion, if still working).
    void current?.close();
    const call = new HostedCall(container, args, () => {
      if (current === call) container.dataset.state = "settled";
    });
    current = call;
    container.dataset.state = "working";
    call.start().catch((error: Error) => console.error(`The playground could not show the call: ${error.message}`));
  };
  prompt.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}
