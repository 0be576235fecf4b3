// Imported first by each bundle: zod (under the MCP SDK that App and AppBridge run on) compiles parsers with new Function
// unless told not to, and probes for it when its first schemas are built, at import time. The
// pages' CSPs forbid eval, so every probe would be a CSP violation in the host's console.
import { config } from "zod/v4/core";

config({ jitless: true });
