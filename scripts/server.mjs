#!/usr/bin/env node
// The front door: serves the built app through Next's request handler, after the checks
// every request must pass before Next sees it (host name, client address, method).
// `next start` and the standalone build's own server.js cannot do this: they keep a
// client's own X-Forwarded-For instead of the connection's address, answer any Host
// header and leave unsupported methods to Next. See docs/design.md, "Design notes".
//
// Runs in two places: from the repository (`npm start`, the tests), and bundled by
// scripts/build-standalone.mjs into the standalone folder the container image runs,
// where it is the only entry point (Next's server.js is removed there).
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decideMethod, methodAnswer } from "../lib/http/allowed-methods.mjs";
import { createFrontDoor, FRONT_DOOR_MARK } from "../lib/security/front-door.mjs";

process.env.NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const here = path.dirname(fileURLToPath(import.meta.url));
/**
 * The build's dist folder name when bundled into the standalone folder (esbuild defines
 * __STANDALONE_DIST_DIR__ there); undefined in the repository, where it is not declared.
 */
const standaloneDistDir = typeof __STANDALONE_DIST_DIR__ === "string" ? __STANDALONE_DIST_DIR__ : undefined;
const root = standaloneDistDir ? here : path.resolve(here, "..");
const port = Number(process.env.PORT || 3000);
// HOST=127.0.0.1 keeps the server private to this machine; by default it listens on every interface.
const host = process.env.HOST || undefined;

/** @type {Record<string, unknown> | undefined} */
let conf;
if (standaloneDistDir) {
  // As Next's standalone server.js does: the folder has no next.config.ts, so the config
  // comes from the one the build serialized, and the environment variable tells Next (and
  // its render workers) to use it as it is instead of looking for a config file.
  process.chdir(root);
  const manifest = JSON.parse(readFileSync(path.join(root, standaloneDistDir, "required-server-files.json"), "utf8"));
  conf = { ...manifest.config, distDir: `./${standaloneDistDir}` };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(conf);
}

// Imported after NODE_ENV is set: Next reads it while loading.
const { default: next } = await import("next");
// The app uses no WebSockets. Next attaches its upgrade handler to the server it is given
// (else to ours, on the first request), which would let upgrade requests skip the checks
// below: it gets a stand-in, and this server refuses upgrades itself.
const app = next({ dev: false, dir: root, conf, hostname: host ?? "localhost", port, httpServer: new EventEmitter() });
// In the repository this loads next.config.ts, whose environment check stops start-up on
// a wrong value, so the values read below have been checked already.
await app.prepare();
const handle = app.getRequestHandler();

const frontDoor = createFrontDoor({
  trustedProxies: process.env.TRUSTED_PROXIES,
  publicBaseUrl: process.env.PUBLIC_BASE_URL?.trim() || undefined,
  allowedHosts: process.env.ALLOWED_HOSTS,
});
globalThis[FRONT_DOOR_MARK] = true;

/**
 * @param {import("node:http").IncomingMessage} request
 * @param {import("node:http").ServerResponse} response
 * @param {{ status: number; headers: Record<string, string>; body: string }} answer
 */
function refuse(request, response, answer) {
  // Drain any body so the connection can be reused.
  request.resume();
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

const server = createServer((request, response) => {
  const verdict = frontDoor.admit(request);
  if (!verdict.ok) {
    refuse(request, response, {
      status: verdict.status,
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        Connection: "close",
      },
      body: verdict.message,
    });
    return;
  }
  const decision = decideMethod(request.method ?? "GET", request.url ?? "/");
  if (decision.kind !== "pass") {
    refuse(request, response, methodAnswer(decision));
    return;
  }
  handle(request, response).catch((error) => {
    console.error("request failed", error);
    if (!response.headersSent) response.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
    response.end();
  });
});

server.on("upgrade", (_request, socket) => {
  socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
});

server.listen(port, host, () => {
  console.log(`Portrait Live listening on http://${host && host.includes(":") ? `[${host}]` : (host ?? "localhost")}:${port}`);
});

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close();
    Promise.resolve(app.close?.()).finally(() => process.exit(0));
    // Open event streams keep connections alive: do not wait for them forever.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
