// Serves the Chromium tests' Apps host (page.ts, bundled here by esbuild) on loopback: a page of
// its own origin, apart from the Worker's, as a real web host is.
import { build } from "esbuild";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ROOT } from "../build-worker.js";

export interface AppsHost {
  origin: string;
  close(): Promise<void>;
}

export async function startAppsHost(): Promise<AppsHost> {
  const bundle = await build({
    entryPoints: [`${ROOT}test/support/apps-host/page.ts`],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  const script = bundle.outputFiles[0]!.text;
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Apps host</title></head><body style="margin:0"><script src="/host.js"></script></body></html>`;
  const server: Server = createServer((request, response) => {
    if (request.url === "/host.js") {
      response.writeHead(200, { "Content-Type": "text/javascript" }).end(script);
    } else {
      response.writeHead(200, { "Content-Type": "text/html" }).end(page);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
