// Runs the stand-in OpenRouter on its own, for trying the Worker offline:
//   npm run stand-in            (prints the URLs to pass to wrangler dev)
import { startOpenRouterStandIn, VALID_KEY } from "./openrouter-stand-in.js";

const standIn = await startOpenRouterStandIn({ tokenDelayMs: Number(process.env.TOKEN_DELAY_MS ?? 20) });
console.log(`Stand-in OpenRouter on ${standIn.origin}
  npx wrangler dev --var OPENROUTER_BASE_URL:${standIn.apiBase} --var OPENROUTER_AUTH_URL:${standIn.authUrl}
  a key it accepts: ${VALID_KEY}`);
