// Client ID Metadata Documents: an https client_id is fetched (bounded) and its redirect_uris
// checked. The Worker's outbound fetches are intercepted to play the client's web site.
import { Response as MiniflareResponse } from "miniflare";
import { describe, expect, it } from "vitest";
import { pkcePair, TestBrowser } from "../support/browser.js";
import { sharedCacheSeconds } from "../../src/auth/cache-control.js";
import { authorizeUrl, exchangeCode, standardParams, walkConsent } from "../support/oauth.js";
import { useWorkerWithStandIn } from "../support/fixture.js";

const SITE = "https://client.example";
const GOOD = `${SITE}/oauth/metadata.json`;
const REDIRECT = "https://client.example/oauth/callback";

/** The documents the client's site serves, by URL: a body, or a function for odd answers. */
const site = new Map<string, () => MiniflareResponse>();
const fetched: string[] = [];
function json(body: unknown) {
  return () => new MiniflareResponse(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });
}
site.set(
  GOOD,
  json({
    client_id: GOOD,
    client_name: "Example MCP Client",
    redirect_uris: [REDIRECT, "http://127.0.0.1:3000/callback"],
  }),
);
site.set(`${SITE}/mismatch.json`, json({ client_id: `${SITE}/other.json`, redirect_uris: [REDIRECT] }));
site.set(`${SITE}/bad-uris.json`, json({ client_id: `${SITE}/bad-uris.json`, redirect_uris: ["javascript:alert(1)"] }));
site.set(
  `${SITE}/secret.json`,
  json({
    client_id: `${SITE}/secret.json`,
    redirect_uris: [REDIRECT],
    token_endpoint_auth_method: "client_secret_basic",
  }),
);
site.set(
  `${SITE}/huge.json`,
  json({ client_id: `${SITE}/huge.json`, redirect_uris: [REDIRECT], padding: "x".repeat(10_000) }),
);
for (const [name, cacheControl] of [
  ["cached", "public, max-age=300"],
  ["uncached", undefined],
  ["no-store", "max-age=300, no-store"],
] as const) {
  const url = `${SITE}/${name}.json`;
  const body = JSON.stringify({ client_id: url, client_name: name, redirect_uris: [REDIRECT] });
  site.set(
    url,
    () =>
      new MiniflareResponse(body, {
        headers: { "Content-Type": "application/json", ...(cacheControl ? { "Cache-Control": cacheControl } : {}) },
      }),
  );
}
site.set(`${SITE}/not-json.json`, () => new MiniflareResponse("<html>hello</html>"));
site.set(`${SITE}/missing.json`, () => new MiniflareResponse("nope", { status: 404 }));
site.set(`${SITE}/redirect.json`, () => new MiniflareResponse(null, { status: 302, headers: { Location: GOOD } }));
// Headers at once, then one byte every 300 ms: small, but never done within the Worker's 5 s.
site.set(`${SITE}/drip.json`, () => {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (sent++ >= 40) return controller.close(); // stops by itself after 12 s
      controller.enqueue(new TextEncoder().encode(" "));
    },
  });
  return new MiniflareResponse(body, { headers: { "Content-Type": "application/json" } });
});

const { worker } = useWorkerWithStandIn(
  {},
  {
    outbound: (request) => {
      if (request.url.startsWith("http://127.0.0.1:")) return undefined; // the stand-in OpenRouter
      fetched.push(request.url);
      // Any other host plays a client whose document is fine: only the Worker's rules refuse it.
      if (!request.url.startsWith(SITE))
        return json({ client_id: request.url, client_name: "Anywhere", redirect_uris: [REDIRECT] })();
      if (request.url === `${SITE}/slow.json`) {
        // Answers long after the Worker's time limit for metadata documents.
        return new Promise((resolve) =>
          setTimeout(() => resolve(json({ client_id: `${SITE}/slow.json`, redirect_uris: [REDIRECT] })()), 8_000),
        );
      }
      return (site.get(request.url) ?? (() => new MiniflareResponse("not found", { status: 404 })))();
    },
  },
);

describe("a Client ID Metadata Document", () => {
  it("is fetched, shown by name and host, and its redirect URIs used for the whole flow", async () => {
    const browser = new TestBrowser();
    const { verifier, challenge } = await pkcePair();
    const url = authorizeUrl(worker.origin, standardParams(GOOD, REDIRECT, challenge, worker.origin));
    const consent = await browser.request(url);
    expect(consent.status).toBe(200);
    const html = await consent.text();
    expect(html).toContain("Example MCP Client");
    expect(html).toContain(GOOD);
    expect(fetched).toContain(GOOD);

    const dance = await walkConsent(browser, url);
    expect(dance.final.origin + dance.final.pathname).toBe(REDIRECT);
    const token = await exchangeCode(worker.origin, {
      grant_type: "authorization_code",
      code: dance.final.searchParams.get("code")!,
      code_verifier: verifier,
      client_id: GOOD,
    });
    expect(token.status).toBe(200);
  });

  it("does not allow a redirect URI it does not list", async () => {
    const { challenge } = await pkcePair();
    const res = await fetch(
      authorizeUrl(worker.origin, standardParams(GOOD, "https://evil.example/cb", challenge, worker.origin)),
      { redirect: "manual" },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("Location")).toBeNull();
  });

  it.each([
    [`${SITE}/mismatch.json`, /client_id is not exactly/],
    [`${SITE}/bad-uris.json`, /redirect_uris/],
    [`${SITE}/secret.json`, /token_endpoint_auth_method/],
    [`${SITE}/huge.json`, /larger than/],
    [`${SITE}/not-json.json`, /not valid JSON/],
    [`${SITE}/missing.json`, /HTTP 404/],
    [`${SITE}/redirect.json`, /redirects are not followed/],
    [`${SITE}/slow.json`, /did not answer within 5 s/],
    [`${SITE}/drip.json`, /body did not arrive within 5 s/],
  ])(
    "is refused when %s is not acceptable, saying only that it could not be used (the reason goes to the log)",
    async (clientId, reason) => {
      const { challenge } = await pkcePair();
      const res = await fetch(
        authorizeUrl(worker.origin, standardParams(clientId, REDIRECT, challenge, worker.origin)),
        { redirect: "manual" },
      );
      expect(res.status).toBe(400);
      expect(res.headers.get("Location")).toBeNull();
      const page = await res.text();
      expect(page).toContain(`${clientId} could not be used as a client.`);
      expect(page.replaceAll(clientId, "")).not.toMatch(/HTTP|JSON|redirect|larger|within|client_id is|token_endpoint/);
      const logged = worker.logs().filter((line) => line.includes(`client metadata: ${clientId} `));
      expect(logged.join("\n")).toMatch(reason);
      if (clientId.endsWith("drip.json")) expect(logged.join("\n")).not.toMatch(/larger/);
    },
  );

  it.each([
    ["cached", 1],
    ["uncached", 3],
    ["no-store", 3],
  ] as const)("is kept only as long as its own Cache-Control allows (%s)", async (name, fetches) => {
    const clientId = `${SITE}/${name}.json`;
    const { challenge } = await pkcePair();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(
        authorizeUrl(worker.origin, standardParams(clientId, REDIRECT, challenge, worker.origin)),
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(name);
    }
    expect(fetched.filter((url) => url === clientId)).toHaveLength(fetches);
  });

  it("reads the cache lifetime from Cache-Control as a shared cache must", () => {
    expect(sharedCacheSeconds(null)).toBe(0);
    expect(sharedCacheSeconds("max-age=60")).toBe(60);
    expect(sharedCacheSeconds("public, s-maxage=120, max-age=60")).toBe(120);
    expect(sharedCacheSeconds("private, max-age=60")).toBe(0);
    expect(sharedCacheSeconds("no-cache")).toBe(0);
    expect(sharedCacheSeconds("max-age=60, No-Store")).toBe(0);
    expect(sharedCacheSeconds("must-revalidate")).toBe(0);
  });

  it.each([
    "https://127.0.0.1/meta.json",
    "https://2130706433/meta.json", // 127.0.0.1 spelled as one number
    "https://0x7f.0.0.1/meta.json",
    "https://10.0.0.8/meta.json",
    "https://169.254.169.254/latest/meta-data",
    "https://[::1]/meta.json",
    "https://[fd00::1]/meta.json",
    "https://localhost/meta.json",
    "https://metadata.google.internal/meta.json",
    "https://printer.local/meta.json",
    "https://intranet/meta.json",
    // names of the local machine or a private network (RFC 6761, 6762, 7686, 8375, 9476; Kubernetes, Consul)
    "https://localhost.localdomain/meta.json",
    "https://build.localdomain/meta.json",
    "https://api.default.svc/meta.json",
    "https://api.default.svc.cluster.local/meta.json",
    "https://client.test/meta.json",
    "https://client.invalid/meta.json",
    "https://nas.lan/meta.json",
    "https://router.home.arpa/meta.json",
    "https://1.0.0.127.in-addr.arpa/meta.json",
    "https://host.docker.internal/meta.json",
    "https://printer.home/meta.json",
    "https://mail.corp/meta.json",
    "https://hidden.onion/meta.json",
    "https://name.alt/meta.json",
    "https://vault.service.consul/meta.json",
    "https://Client.Test./meta.json",
    // public names whose DNS answers with a loopback or private address
    "https://127.0.0.1.nip.io/meta.json",
    "https://10-0-0-8.sslip.io/meta.json",
    "https://app.lvh.me/meta.json",
    "https://localtest.me/meta.json",
    "https://api.localho.st/meta.json",
    "https://app.192.168.1.1.traefik.me/meta.json",
    "https://client.example:8443/meta.json",
    "https://client.example/",
    "https://client.example/a/../meta.json",
    "https://CLIENT.example/meta.json",
    "http://client.example/meta.json",
    // a trailing dot names the same host: checked after normalising it
    "https://localhost./x",
    "https://metadata.google.internal./x",
    "https://foo.local./x",
    "https://127.0.0.1./x",
    "https://foo.localhost./x",
    // IDNA: a full-width "ｌｏｃａｌｈｏｓｔ" is localhost once normalised
    "https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54./x",
    // the URL shape the draft requires: a path, no query or fragment
    "https://client.example",
    "https://client.example/meta.json?v=1",
    "https://client.example/meta.json?",
    "https://client.example/meta.json#top",
    "https://user@client.example/meta.json",
  ])("is never fetched from %s", async (clientId) => {
    const before = fetched.length;
    const { challenge } = await pkcePair();
    const res = await fetch(authorizeUrl(worker.origin, standardParams(clientId, REDIRECT, challenge, worker.origin)), {
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("Location")).toBeNull();
    expect(fetched.length).toBe(before);
  });
});
