#!/usr/bin/env node
// Serves the built app through Next's request handler, after the front door's checks.
// `next start` cannot do this: it keeps a client's own X-Forwarded-For instead of the
// connection's address, and answers any Host header. See README, "Design notes".
import { EventEmitter } from "node:events";
import { createServer } from "node:http";
import path from "node:path";
import { createFrontDoor, FRONT_DOOR_MARK } from "../lib/security/front-door.mjs";

process.env.NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = Number(process.env.PORT || 3000);
// HOST=127.0.0.1 keeps the server private to this machine; by default it listens on every interface.
const host = process.env.HOST || undefined;

// Imported after NODE_ENV is set: Next reads it while loading.
const { default: next } = await import("next");
// The app uses no WebSockets. Next attaches its upgrade handler to the server it is given
// (else to ours, on the first request), which would let upgrade requests skip the checks
// below: it gets a stand-in, and this server refuses upgrades itself.
const app = next({ dev: false, dir: root, hostname: host ?? "localhost", port, httpServer: new EventEmitter() });
// Loads next.config.ts, whose environment check stops start-up on a wrong value, so the
// values read below have been checked already.
await app.prepare();
const handle = app.getRequestHandler();

const frontDoor = createFrontDoor({
  trustedProxies: process.env.TRUSTED_PROXIES,
  publicBaseUrl: process.env.PUBLIC_BASE_URL?.trim() || undefined,
  allowedHosts: process.env.ALLOWED_HOSTS,
});
globalThis[FRONT_DOOR_MARK] = true;

const server = createServer((request, response) => {
  const verdict = frontDoor.admit(request);
  if (!verdict.ok) {
    request.resume();
    response.writeHead(verdict.status, {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      Connection: "close",
    });
    response.end(verdict.message);
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
