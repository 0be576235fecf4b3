// /mcp with TOKEN_SECRET (transport/bearer.ts): a sealed access token is taken only for this
// server's /mcp, never another kind of sealed token, and OpenRouter keys sent directly pass unless
// ACCEPT_OPENROUTER_KEYS=false. A refused token is never sent upstream. Its expiry is tried on a
// fake clock: test/auth/token.lifetimes.unit.test.ts.
import { describe, it } from "vitest";
import { VALID_KEY } from "../../stand-in/openrouter.js";
import { useStandIn, useWorker } from "../support/fixture.js";
import { callTool, expectEcho, expectInvalidToken, logIn, newSecret, sealedFor } from "../support/sealed-tokens.js";

const SECRET = newSecret();
const standIn = useStandIn();
const worker = useWorker({ TOKEN_SECRET: SECRET }, { standIn });
const keysOff = useWorker({ TOKEN_SECRET: SECRET, ACCEPT_OPENROUTER_KEYS: "false" }, { standIn });

describe("/mcp accepts a sealed token only for its own audience", () => {
  it("refuses a token sealed for another server, and takes the same one sealed for this one", async () => {
    const before = standIn.chatRequests().length;
    await expectInvalidToken(
      await callTool(worker, await sealedFor(SECRET, "access", { a: "https://other.example/mcp" })),
      standIn,
      before,
    );
    // Same origin, other path: not our resource either.
    await expectInvalidToken(
      await callTool(worker, await sealedFor(SECRET, "access", { a: `${worker.origin}/other` })),
      standIn,
      before,
    );
    await expectEcho(await callTool(worker, await sealedFor(SECRET, "access", { a: worker.mcpUrl })));
  });

  it("refuses a tampered token, whichever part is changed", async () => {
    const { tokens } = await logIn(worker);
    const token = tokens.access_token;
    const body = token.slice("mcp_at.".length);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const variants = [
      `mcp_at.${flip(body, 3)}`, // the IV
      `mcp_at.${flip(body, 40)}`, // the ciphertext
      `mcp_at.${flip(body, body.length - 3)}`, // the tag
      token.slice(0, -10),
      `${token}AAAA`,
      "mcp_at.",
      "mcp_at.!!!!",
    ];
    const before = standIn.chatRequests().length;
    for (const variant of variants) await expectInvalidToken(await callTool(worker, variant), standIn, before);
    await expectEcho(await callTool(worker, token));
  });

  it("refuses a refresh token or a session cookie value used as an access token", async () => {
    const { tokens } = await logIn(worker);
    const before = standIn.chatRequests().length;
    await expectInvalidToken(await callTool(worker, tokens.refresh_token), standIn, before);
    // Even relabelled as an access token: it was sealed under the refresh key.
    await expectInvalidToken(
      await callTool(worker, tokens.refresh_token.replace("mcp_rt.", "mcp_at.")),
      standIn,
      before,
    );
    const session = await sealedFor(SECRET, "session", { a: worker.origin });
    await expectInvalidToken(await callTool(worker, session), standIn, before);
    await expectInvalidToken(await callTool(worker, session.replace("mcp_s.", "mcp_at.")), standIn, before);
  });
});

describe("OpenRouter keys sent directly", () => {
  it("keep working by default", async () => {
    await expectEcho(await callTool(worker, VALID_KEY));
  });

  it("are refused with ACCEPT_OPENROUTER_KEYS=false, while sealed tokens work", async () => {
    const before = standIn.chatRequests().length;
    await expectInvalidToken(await callTool(keysOff, VALID_KEY), standIn, before, /accepts only tokens it issued/);
    const { tokens } = await logIn(keysOff);
    await expectEcho(await callTool(keysOff, tokens.access_token));
  });
});
