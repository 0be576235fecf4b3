// The landing page's one script (src/pages/home.ts), served from this origin as a static asset
// (wrangler.toml [assets]), so it costs the Worker neither bundle size nor CPU; the page's CSP
// allows no other script, and nothing inline. It adds a Copy button to each snippet and, when
// logged in, runs the playground: it calls /mcp like any client, through the same dispatch,
// except that the browser's session cookie stands in for a token, which /mcp accepts only from
// this origin's own pages (src/transport/bearer.ts). Plain JavaScript: no build, no dependency.
"use strict";
for (const pre of document.querySelectorAll("pre")) {
  const copy = document.createElement("button");
  copy.type = "button";
  copy.textContent = "Copy";
  copy.onclick = () => navigator.clipboard.writeText(pre.textContent).then(() => (copy.textContent = "Copied"));
  pre.after(copy);
}
const $ = (id) => document.getElementById(id);
let calls = 0;
// One tools/call over /mcp: progress messages go to onProgress; resolves with the result.
async function call(name, args, onProgress) {
  const id = ++calls;
  const response = await fetch("/mcp", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: {
        name,
        arguments: args,
        _meta: { progressToken: id, "io.modelcontextprotocol/clientInfo": { name: "landing-page", version: "1" } },
      },
    }),
  });
  if (!response.headers.get("Content-Type").startsWith("text/event-stream")) return resultOf(await response.json());
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  for (let buffer = "", end; ;) {
    const { done, value } = await reader.read();
    if (done) throw new Error("The answer broke off.");
    buffer += value;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const data = buffer
        .slice(0, end)
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5))
        .join("\n");
      buffer = buffer.slice(end + 2);
      const message = data && JSON.parse(data);
      if (message && message.method === "notifications/progress") onProgress(message.params.message);
      else if (message && message.id === id) return resultOf(message);
    }
  }
}
function resultOf(message) {
  if (message.error) throw new Error(message.error.message);
  return message.result;
}
const playground = $("playground");
if (playground) {
  playground.innerHTML = `<h2>Try it</h2>
<form id="try">
<label>Model<input id="model" list="models" placeholder="the default model" autocomplete="off"></label>
<datalist id="models"></datalist>
<label>Prompt<textarea id="prompt" rows="3" required></textarea></label>
<button type="submit" class="primary">Send</button>
</form>
<p id="progress" aria-live="polite"></p>
<div id="answer"></div>`;
  call("list_models", { limit: 50 }).then(
    (result) => {
      for (const model of result.structuredContent.models) $("models").append(new Option(model.name, model.id));
    },
    () => {},
  );
  /** One content block of the result: text as text, a generated image as an image, a cited source as a link. */
  const show = (part) => {
    if (part.type === "image")
      return Object.assign(new Image(), {
        src: "data:" + part.mimeType + ";base64," + part.data,
        alt: "A generated image",
      });
    const paragraph = document.createElement("p");
    if (part.type === "resource_link" && /^https?:/.test(part.uri)) {
      paragraph.append(
        Object.assign(document.createElement("a"), {
          href: part.uri,
          textContent: part.title || part.name || part.uri,
          rel: "noopener noreferrer",
        }),
      );
    } else paragraph.textContent = part.text ?? "";
    return paragraph;
  };
  $("try").onsubmit = async (event) => {
    event.preventDefault();
    $("answer").textContent = "";
    $("progress").textContent = "Waiting for the first token…";
    try {
      const result = await call(
        "chat_completion",
        { prompt: $("prompt").value, model: $("model").value.trim() || undefined },
        (text) => ($("progress").textContent = text),
      );
      const { model, usage } = result.structuredContent || {};
      $("answer").replaceChildren(...result.content.map(show));
      $("progress").textContent = usage
        ? model + " · " + usage.completion_tokens + " tokens" + (usage.cost === undefined ? "" : " · $" + usage.cost)
        : "";
    } catch (error) {
      $("progress").textContent = error.message;
    }
  };
}
