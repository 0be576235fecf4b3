// What an answer says, token by token: the echo of the prompt (and, under `npm run demo`, a short
// answer about the demo after it), JSON for a response_format, a drawing model's line, or the
// numbered tokens the `stand-in/` scenarios stream (`t0 t1 …`, thoughts `r0 r1 …`).
import { jsonAnswer, type FeatureRequest } from "./features.js";
import type { PickedScenario } from "./scenarios.js";

/**
 * What ordinary model names answer after the echo under `npm run demo` (answerTokens): a short
 * answer about the demo itself, streamed a word at a time.
 */
const DEMO_ANSWER =
  `Hello from the stand-in OpenRouter. This answer was written on your machine, a word at a time, so that you can watch it arrive as progress while it streams. No account, no key and no network were needed: the Worker you are talking to is the real one, running under wrangler dev, and only OpenRouter is played by a small server on loopback.

What you just watched is what happens with a real model. Your client sent a tools/call with a progress token. The Worker asked OpenRouter for a streamed chat completion, counted the tokens as they came back and sent a progress notification at most every tenth of a second. When the stream ended, it sent the whole answer as the tool's result, with the model, the provider and the usage.

Other model names pick other behaviour. Try stand-in/slow-20-500 for a slow answer, stand-in/thinking-40-50 for a model that thinks before it answers, stand-in/midstream-error-20 for an error in the middle of the stream, stand-in/error-402 for a key that has run out of credits, or stand-in/hang-after-5 for an upstream that stops answering. The list_models tool finds them all.

For real answers, run npm run dev instead and log in with your OpenRouter account, setting a credit limit on the key your client receives. Or deploy the Worker with npm run deploy, and connect Claude, Cursor or VS Code to it.`.match(
    /\S+\s*/g,
  )!;

/**
 * The answer's tokens for the scenario. `demoAnswerTokens` above 0 adds the demo's answer to an
 * ordinary name's echo (StandInOptions.answerTokens); `drawing` is whether the request asked a
 * drawing model for images.
 */
export function answerWords(
  { kind, n }: PickedScenario,
  request: FeatureRequest,
  prompt: string,
  demoAnswerTokens: number,
  drawing: boolean,
): string[] {
  // JSON comes in pieces of a few characters, as a model writes it.
  if (kind === "echo" && request.response_format) return jsonAnswer(request, prompt).match(/[\s\S]{1,8}/g) ?? [];
  if (kind === "echo") return echoAnswer(prompt, demoAnswerTokens);
  if (kind === "image" || kind === "not-an-image")
    return (drawing ? "Here is your image." : 'This model draws when modalities include "image".').match(/\S+\s*/g)!;
  if (kind === "split") return Array.from({ length: n }, (_, i) => `é${i}😀 `);
  if (kind === "thinking" || kind === "silent") return `Echo: ${prompt}`.match(/\S+\s*|\s+/g) ?? [];
  return Array.from({ length: n }, (_, i) => `t${i} `);
}

/** A thinking model's reasoning tokens (none for other scenarios). */
export function thoughtWords({ kind, n }: PickedScenario): string[] {
  return kind === "thinking" ? Array.from({ length: n }, (_, i) => `r${i} `) : [];
}

/** "Echo: <prompt>", then, when `total` is above 0, the demo's answer, at most `total` tokens in all. */
function echoAnswer(prompt: string, total: number): string[] {
  const echo: string[] = `Echo: ${prompt}`.match(/\S+\s*|\s+/g) ?? [];
  if (total <= 0) return echo;
  return [...echo, "\n\n", ...DEMO_ANSWER].slice(0, Math.max(total, echo.length));
}
