// The MCP Apps view of chat_completion and get_completion: one call, live. The host hands it the
// tool's input and result (App's notifications); for a background completion it follows the call
// itself through the host (follow.ts), shows the text as it grows, and once the call ends puts the
// answer into the model's context. Everything reaches the server through the host: the view's CSP
// allows no connection of its own.
import "../jitless.js";
import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
} from "@modelcontextprotocol/ext-apps";
import {
  contextText,
  isSettled,
  newCall,
  withCancelled,
  withInput,
  withLostTouch,
  withResult,
  type CallState,
  type ToolResult,
} from "./call.js";
import { copyText } from "./clipboard.js";
import { Follower } from "./follow.js";
import { completionImageUri } from "./resources.js";
import { render } from "./render.js";

const app = new App({ name: "OpenRouter completion", version: "1.0.0" }, {}, { autoResize: true });

let state: CallState = newCall();
const startedAt = Date.now();
let follower: Follower | undefined;
/** Whether this view followed the completion to its end, and so tells the model about it. */
let followed = false;
let toldModel = false;

function update(next: CallState): void {
  const wasSettled = isSettled(state.phase);
  state = next;
  draw();
  if (!wasSettled && isSettled(state.phase)) {
    follower?.stop();
    clearInterval(ticker);
    void loadOmittedImages();
    if (followed) void tellModel();
  } else if (!isSettled(state.phase) && state.completionId !== undefined && !follower) {
    follow(state.completionId);
  }
}

function draw(): void {
  render(state, { openLink, stop, copy }, Date.now(), startedAt);
}

// The elapsed seconds in the status line move while the call works.
const ticker = setInterval(draw, 1000);

function follow(id: string): void {
  followed = true;
  follower = new Follower(app, id, {
    onResult: (result) => update(withResult(state, result)),
    onLost: (reason) => update(withLostTouch(state, reason)),
  });
  void follower.run();
}

/** Images the text result left out (its size cap), read from the durable call that keeps them. */
async function loadOmittedImages(): Promise<void> {
  const id = state.completionId;
  if (id === undefined || !app.getHostCapabilities()?.serverResources) return;
  const images = state.images;
  await Promise.all(
    images.map(async (image, index) => {
      if (image.src || !image.omitted) return;
      try {
        const { contents } = await app.readServerResource({ uri: completionImageUri(id, index) });
        const [first] = contents;
        if (first && "blob" in first && typeof first.blob === "string") {
          const src = `data:${first.mimeType ?? image.mimeType};base64,${first.blob}`;
          state = { ...state, images: state.images.map((shown, i) => (i === index ? { ...shown, src } : shown)) };
        }
      } catch (error) {
        console.warn(`Image ${index + 1} could not be read: ${(error as Error).message}`);
      }
    }),
  );
  if (state.images !== images) draw();
}

/** The answer into the model's context, once: the model need not poll, and the person need not ask. */
async function tellModel(): Promise<void> {
  if (toldModel || !app.getHostCapabilities()?.updateModelContext) return;
  toldModel = true;
  try {
    await app.updateModelContext({ content: [{ type: "text", text: contextText(state) }] });
    document.body.dataset.toldModel = "true";
  } catch (error) {
    console.warn(`The host did not take the answer into the model's context: ${(error as Error).message}`);
  }
}

function openLink(url: string): void {
  if (app.getHostCapabilities()?.openLinks) {
    app.openLink({ url }).catch((error: Error) => console.warn(`The host did not open the link: ${error.message}`));
  } else {
    window.open(url, "_blank", "noopener,noreferrer");
  }
}

function stop(): void {
  const id = state.completionId;
  if (id === undefined || isSettled(state.phase)) return;
  follower?.stop();
  (document.getElementById("stop") as HTMLButtonElement).disabled = true;
  app
    .callServerTool({ name: "get_completion", arguments: { id, cancel: true } })
    .then((result) => update(withResult(state, result as ToolResult)))
    .catch((error: Error) => update(withLostTouch(state, `Stop did not reach the server: ${error.message}`)));
}

function copy(): void {
  const text = state.hasJson ? JSON.stringify(state.json, null, 2) : state.text;
  const button = document.getElementById("copy") as HTMLButtonElement;
  void copyText(text).then((copied) => (button.textContent = copied ? "Copied" : "Copy failed"));
}

function applyContext(context: McpUiHostContext | undefined): void {
  if (!context) return;
  if (context.theme) applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  if (context.styles?.css?.fonts) applyHostFonts(context.styles.css.fonts);
  const dimensions = context.containerDimensions;
  // A fixed height: fill it and scroll inside; otherwise the view grows with its content.
  document.documentElement.classList.toggle("fixed-height", dimensions !== undefined && "height" in dimensions);
  const insets = context.safeAreaInsets;
  if (insets) {
    document.body.style.padding = `${insets.top}px ${insets.right}px ${insets.bottom}px ${insets.left}px`;
  }
}

app.ontoolinputpartial = ({ arguments: args }) => update(withInput(state, args ?? {}, false));
app.ontoolinput = ({ arguments: args }) => update(withInput(state, args ?? {}, true));
app.ontoolresult = (result) => update(withResult(state, result as ToolResult));
app.ontoolcancelled = () => update(withCancelled(state));
app.onhostcontextchanged = (context) => applyContext({ ...app.getHostContext(), ...context });
app.onteardown = async () => {
  follower?.stop();
  clearInterval(ticker);
  return {};
};

document.getElementById("stop")!.addEventListener("click", stop);
document.getElementById("copy")!.addEventListener("click", copy);
draw();
app.connect().then(
  () => applyContext(app.getHostContext()),
  (error: Error) => update(withLostTouch(state, `This view could not reach its host: ${error.message}`)),
);
