// The age of a /callback transaction (src/auth/callback.ts), on a fake clock: OpenRouter's answer
// to a login approved on our consent page is passed on for 15 minutes after the approval, and
// refused after that, with no real waiting and no timestamp forged by hand.
import { describe, expect, it } from "vitest";
import { approvedTransaction, handleCallback } from "../../src/auth/callback.js";
import { encodeRegisteredClientId } from "../../src/auth/clients.js";
import { cookieJar } from "../../src/auth/cookies.js";
import { FakeClock } from "../support/fake-clock.js";

const ORIGIN = "http://localhost:8787";
const REDIRECT = "https://client.example/oauth/callback";
const CLIENT_ID = encodeRegisteredClientId([REDIRECT], "Acme Agent");
const MINUTE = 60_000;

/** What approving on the consent page gives this browser: the callback path, and the cookie (name=value) proving it approved. */
async function approve(clock: FakeClock): Promise<{ callbackPath: string; cookie: string }> {
  const approved = await approvedTransaction(
    { clientId: CLIENT_ID, redirectUri: REDIRECT, state: "st-123" },
    cookieJar(new Request(`${ORIGIN}/authorize`)),
    clock,
  );
  return { callbackPath: approved.callbackPath, cookie: approved.cookie.split(";")[0]! };
}

/** OpenRouter sends the same browser back to /callback with a code. */
function callback(
  { callbackPath, cookie }: { callbackPath: string; cookie: string },
  clock: FakeClock,
): Promise<Response> {
  const request = new Request(`${ORIGIN}${callbackPath}?code=the-code`, { headers: { Cookie: cookie } });
  return handleCallback(request, callbackPath.slice("/callback/".length), { clock });
}

describe("a /callback transaction", () => {
  it("is passed on to the client 15 minutes after the approval, and refused a second later", async () => {
    const clock = new FakeClock();
    // Two approvals at the same moment: each cookie is single use in a browser.
    const onTime = await approve(clock);
    const late = await approve(clock);

    await clock.advance(15 * MINUTE);
    const passed = await callback(onTime, clock);
    expect(passed.status).toBe(302);
    const location = new URL(passed.headers.get("Location")!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get("code")).toBe("the-code");
    expect(location.searchParams.get("state")).toBe("st-123");

    await clock.advance(1000);
    const refused = await callback(late, clock);
    expect(refused.status).toBe(400);
    expect(refused.headers.get("Location")).toBeNull();
    expect(await refused.text()).toMatch(/took too long/);
  });
});
