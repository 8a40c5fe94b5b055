import { describe, expect, it } from "vitest";
import { decideMethod, methodAnswer } from "@/lib/http/allowed-methods.mjs";

// The front door's method rule (scripts/server.mjs); tests/integration/methods.test.ts
// checks the table against the route files and the answers over HTTP.
describe("decideMethod", () => {
  it("passes what an API route exports, HEAD where it takes GET, and OPTIONS everywhere", () => {
    expect(decideMethod("POST", "/api/uploads")).toEqual({ kind: "pass" });
    expect(decideMethod("delete", "/api/sessions")).toEqual({ kind: "pass" });
    expect(decideMethod("HEAD", "/api/health?x=1")).toEqual({ kind: "pass" });
    expect(decideMethod("OPTIONS", "/api/uploads")).toEqual({ kind: "pass" });
  });

  it("refuses other methods on an API route with its own Allow", () => {
    expect(decideMethod("GET", "/api/uploads")).toEqual({ kind: "not-allowed", allow: "OPTIONS, POST", api: true });
    expect(decideMethod("POST", "/api/sessions")).toEqual({ kind: "not-allowed", allow: "DELETE, OPTIONS", api: true });
    expect(decideMethod("TRACE", "/api/generations/totals")).toEqual({ kind: "not-allowed", allow: "GET, HEAD, OPTIONS", api: true });
  });

  it("leaves routed methods on unknown API addresses to Next (404) but refuses the rest without guessing an Allow", () => {
    expect(decideMethod("GET", "/api/nope")).toEqual({ kind: "pass" });
    expect(decideMethod("PROPFIND", "/api/nope")).toEqual({ kind: "not-allowed", api: true });
  });

  it("treats pages as read-only, answering OPTIONS itself", () => {
    expect(decideMethod("GET", "/history")).toEqual({ kind: "pass" });
    expect(decideMethod("OPTIONS", "/history")).toEqual({ kind: "options", allow: "GET, HEAD, OPTIONS" });
    expect(decideMethod("POST", "/login")).toEqual({ kind: "not-allowed", allow: "GET, HEAD, OPTIONS", api: false });
  });
});

describe("methodAnswer", () => {
  it("is JSON with the error code on API routes, text on pages, empty 204 for OPTIONS", () => {
    const api = methodAnswer({ kind: "not-allowed", allow: "GET, HEAD, OPTIONS", api: true });
    expect(api.status).toBe(405);
    expect(api.headers).toMatchObject({ Allow: "GET, HEAD, OPTIONS", "Content-Type": "application/json", "Cache-Control": "no-store" });
    expect(JSON.parse(api.body)).toEqual({ error: { code: "method_not_allowed", message: expect.any(String) } });
    expect(api.headers["Content-Length"]).toBe(String(Buffer.byteLength(api.body)));
    const page = methodAnswer({ kind: "not-allowed", allow: "GET, HEAD, OPTIONS", api: false });
    expect(page).toMatchObject({ status: 405, body: "Method Not Allowed\n" });
    expect(page.headers["Content-Type"]).toBe("text/plain; charset=utf-8");
    const options = methodAnswer({ kind: "options", allow: "GET, HEAD, OPTIONS" });
    expect(options).toEqual({ status: 204, headers: expect.objectContaining({ Allow: "GET, HEAD, OPTIONS" }), body: "" });
    expect(methodAnswer({ kind: "not-allowed", api: true }).headers.Allow).toBeUndefined();
  });
});
