import "server-only";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { decideMethod, type MethodDecision } from "@/lib/http/allowed-methods";

const INSTALLED = Symbol.for("portrait-live.method-guard");

function answer(response: ServerResponse, decision: Exclude<MethodDecision, { kind: "pass" }>) {
  const headers: Record<string, string> = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  };
  if (decision.allow) headers.Allow = decision.allow;
  if (decision.kind === "options") {
    response.writeHead(204, headers);
    response.end();
    return;
  }
  const body = decision.api
    ? JSON.stringify({ error: { code: "method_not_allowed", message: "This address does not accept that method." } })
    : "Method Not Allowed\n";
  response.writeHead(405, {
    ...headers,
    "Content-Type": decision.api ? "application/json" : "text/plain; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(body)),
  });
  response.end(body);
}

/**
 * Answers methods an address does not take before Next sees the request (see
 * lib/http/allowed-methods.ts for why Next cannot be left to do it). Next's server is a
 * node:http server in this process; the guard sits in front of its request listener.
 */
export function installMethodGuard(): void {
  const prototype = http.Server.prototype as http.Server & { [INSTALLED]?: true };
  if (prototype[INSTALLED]) return;
  const emit = prototype.emit;
  prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [request, response] = args as [IncomingMessage, ServerResponse];
      const decision = decideMethod(request.method ?? "GET", request.url ?? "/");
      if (decision.kind !== "pass") {
        // Drain any body so the connection can be reused.
        request.resume();
        answer(response, decision);
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof prototype.emit;
  prototype[INSTALLED] = true;
}
