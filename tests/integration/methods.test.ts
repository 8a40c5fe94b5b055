import { readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_ROUTES } from "@/lib/http/allowed-methods.mjs";
import { startApp, type AppServer } from "../support/app-server";

/**
 * Methods an address does not take get a clean 405 (with `Allow` where it is known),
 * on pages and API routes alike, and leave no error or stack trace in the log. The log
 * sink (tests/support/fail-on-server-errors.ts) fails any test here that makes one.
 */
const ID = "A".repeat(21);
const TOKEN = "t".repeat(24);
const SECRET = "s".repeat(32);
const KEY = "studio-0123456789";
let app: AppServer;

beforeAll(async () => {
  app = await startApp({ env: { APP_PASSWORD: "methods test password" } });
});

afterAll(async () => app?.stop());

/** node:http, because fetch refuses to send TRACE, TRACK and CONNECT at all. */
function send(method: string, target: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: hostname, port, method, path: target, headers: { Connection: "close" } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

const PAGES = ["/", "/history", `/g/${ID}`, `/s/${TOKEN}`, "/login", "/no-such-page", "/icon.svg"];

describe("pages take GET and HEAD only", () => {
  for (const method of ["TRACE", "PROPFIND", "MKCOL", "POST", "PUT", "PATCH", "DELETE"]) {
    it(`${method} on every page is a 405`, async () => {
      for (const page of PAGES) {
        const answer = await send(method, page);
        expect(answer.status, `${method} ${page}`).toBe(405);
        expect(answer.headers.allow, `${method} ${page}`).toBe("GET, HEAD, OPTIONS");
        expect(answer.body).not.toMatch(/at .*\.js:\d+|Error:/);
      }
    });
  }

  it("OPTIONS on a page names the methods it takes", async () => {
    const answer = await send("OPTIONS", "/history");
    expect(answer.status).toBe(204);
    expect(answer.headers.allow).toBe("GET, HEAD, OPTIONS");
  });

  it("GET and HEAD still work, also after all of the above", async () => {
    expect((await send("GET", "/login")).status).toBe(200);
    expect((await send("HEAD", "/login")).status).toBe(200);
    expect((await send("GET", "/")).status).toBe(307);
  });
});

describe("API routes answer 405 with their own Allow", () => {
  const samples: Array<[method: string, target: string, allow: string]> = [
    ["TRACE", "/api/health", "GET, HEAD, OPTIONS"],
    ["TRACE", "/api/generations", "GET, HEAD, OPTIONS, POST"],
    ["TRACE", `/api/generations/${ID}`, "DELETE, GET, HEAD, OPTIONS, PATCH"],
    ["TRACE", `/api/generations/${ID}/video`, "GET, HEAD, OPTIONS"],
    ["PROPFIND", "/api/generations/totals", "GET, HEAD, OPTIONS"],
    ["PROPFIND", `/api/share/${TOKEN}/video`, "GET, HEAD, OPTIONS"],
    ["MKCOL", "/api/session", "DELETE, OPTIONS, POST"],
    ["PUT", "/api/health", "GET, HEAD, OPTIONS"],
    ["PUT", `/api/generations/${ID}/input`, "GET, HEAD, OPTIONS"],
    ["PUT", `/api/generations/${ID}/poster`, "GET, HEAD, OPTIONS"],
    ["POST", `/api/share/${TOKEN}/input`, "GET, HEAD, OPTIONS"],
    ["POST", `/api/share/${TOKEN}/poster`, "GET, HEAD, OPTIONS"],
    ["GET", `/api/callbacks/vtrix/${SECRET}`, "OPTIONS, POST"],
    ["DELETE", `/api/generations/${ID}/rerun`, "OPTIONS, POST"],
    ["PUT", `/api/generations/${ID}/share`, "DELETE, OPTIONS, PATCH, POST"],
    ["POST", "/api/oembed", "GET, HEAD, OPTIONS"],
    ["PUT", `/api/generations/${ID}/events`, "GET, HEAD, OPTIONS"],
    ["DELETE", `/api/idempotency-keys/${KEY}`, "GET, HEAD, OPTIONS"],
  ];
  for (const [method, target, allow] of samples) {
    it(`${method} ${target.replace(/[A-Za-z]{20,}/g, "…")}`, async () => {
      const answer = await send(method, target);
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe(allow);
      expect(answer.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(answer.body)).toEqual({ error: { code: "method_not_allowed", message: expect.any(String) } });
    });
  }

  it("an unknown API address refuses an unknown method without guessing an Allow", async () => {
    const answer = await send("TRACE", "/api/no-such-route");
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBeUndefined();
    expect((await send("GET", "/api/no-such-route")).status).toBe(404);
  });

  it("a supported method still reaches the route", async () => {
    expect((await send("GET", "/api/health")).status).toBe(200);
    expect((await send("GET", "/api/generations")).status).toBe(401);
  });
});

describe("methods Node's HTTP parser does not know", () => {
  it("TRACK is refused by Node itself before the app, with nothing logged", async () => {
    for (const target of ["/", "/api/health"]) expect((await send("TRACK", target)).status).toBe(400);
    expect((await send("GET", "/api/health")).status).toBe(200);
  });
});

describe("the method table", () => {
  const apiDir = path.resolve(import.meta.dirname, "../../app/api");
  const routeFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? routeFiles(path.join(dir, entry.name)) : entry.name === "route.ts" ? [path.join(dir, entry.name)] : [],
    );
  const fromFiles = routeFiles(apiDir)
    .map((file) => {
      const pattern = `/api/${path.relative(apiDir, path.dirname(file)).split(path.sep).join("/")}`;
      const methods = [...readFileSync(file, "utf8").matchAll(/^export (?:const|async function|function) (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/gm)]
        .map((match) => match[1])
        .sort();
      return [pattern, methods] as const;
    })
    .sort(([a], [b]) => a.localeCompare(b));

  it("lists every API route with exactly the methods its file exports", () => {
    const table = API_ROUTES.map(([pattern, methods]) => [pattern, [...methods].sort()] as const).sort(([a], [b]) => a.localeCompare(b));
    expect(table).toEqual(fromFiles);
  });

  it("agrees with Next's own OPTIONS answer for every route", async () => {
    const sample = (pattern: string) => pattern.replace("[id]", ID).replace("[token]", TOKEN).replace("[secret]", SECRET).replace("[key]", KEY);
    for (const [pattern, methods] of API_ROUTES) {
      const answer = await send("OPTIONS", sample(pattern));
      expect(answer.status, pattern).toBe(204);
      const expected = new Set([...methods, "OPTIONS", ...(methods.includes("GET") ? ["HEAD"] : [])]);
      expect(answer.headers.allow, pattern).toBe([...expected].sort().join(", "));
    }
  });
});
