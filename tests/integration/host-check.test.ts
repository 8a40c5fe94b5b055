import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeneration, getGeneration, waitForFinal } from "../support/api";
import { freePort, startApp, type AppServer } from "../support/app-server";
import { makePortrait, toDataUrl } from "../support/portraits";
import { rawRequest } from "../support/raw-http";

// DNS rebinding: a page on a name the attacker controls, resolved to this loopback-bound
// app, sends that name as Host and counts as same-origin in the browser. Only the names
// the app is configured for (and IP literals and localhost, which need no DNS) are served.

let app: AppServer;
let port: number;
let image: string;

beforeAll(async () => {
  port = await freePort();
  app = await startApp({
    port,
    env: {
      DEMO_DURATION_MS: "300",
      PUBLIC_BASE_URL: `http://clips.example.test:${port}`,
      ALLOWED_HOSTS: "studio.example.test, Other.Example.Test",
    },
  });
  image = toDataUrl(await makePortrait());
});

afterAll(async () => app?.stop());

const asHost = (host: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  rawRequest(`${app.url}${path}`, { ...init, headers: { ...init.headers, host } });

describe("absolute-form request lines (GET http://host/path HTTP/1.1)", () => {
  it("naming another host than the Host header are refused, never redirected there", async () => {
    const host = `127.0.0.1:${port}`;
    for (const target of [`http://evil.example/s/${"Q".repeat(24)}`, `http://evil.example/history/`, `https://evil.example:${port}/`, "ftp://127.0.0.1/"]) {
      const response = await rawRequest(`${app.url}/`, { target, headers: { host } });
      expect(response.status, target).toBe(400);
      expect(response.headers.location, target).toBeUndefined();
      expect(response.text(), target).toMatch(/another host/);
    }
  });

  it("naming the Host header's own authority are served as the path they name", async () => {
    const host = `127.0.0.1:${port}`;
    const response = await rawRequest(`${app.url}/`, { target: `http://${host}/history/`, headers: { host } });
    expect(response.status).toBe(308);
    expect(response.headers.location).toBe("/history");
    expect((await rawRequest(`${app.url}/`, { target: `http://${host}/api/health`, headers: { host } })).status).toBe(200);
  });
});

describe("requests for a host name the app is not configured for", () => {
  it("are refused before routing, on every kind of route, and change nothing", async () => {
    const done = await waitForFinal(app.url, (await createGeneration(app.url, { image })).id);
    const token = done.shareUrl?.split("/s/")[1] ?? "";
    const host = `rebind.example:${port}`;
    const paths = [
      "/",
      "/history",
      `/g/${done.id}`,
      `/s/${token}`,
      "/login",
      "/api/health",
      "/api/generations",
      `/api/generations/${done.id}`,
      `/api/generations/${done.id}/video`,
      `/api/share/${token}/input`,
      "/_next/static/chunks/none.js",
      "/favicon.ico",
      "/no-such-page",
    ];
    for (const path of paths) {
      const answer = await asHost(host, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 421 });
      expect(answer.headers["content-type"]).toMatch(/^text\/plain/);
      expect(answer.text()).toMatch(/host name/i);
    }
    const before = (await (await fetch(`${app.url}/api/generations`)).json()) as { items: unknown[] };
    // The browser sees the attacker's page and this request as same-origin.
    const post = await asHost(host, "/api/generations", {
      method: "POST",
      headers: { "content-type": "application/json", origin: `http://${host}`, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ image }),
    });
    expect(post.status).toBe(421);
    const remove = await asHost(host, `/api/generations/${done.id}`, {
      method: "DELETE",
      headers: { origin: `http://${host}`, "sec-fetch-site": "same-origin" },
    });
    expect(remove.status).toBe(421);
    const after = (await (await fetch(`${app.url}/api/generations`)).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length);
    expect((await getGeneration(app.url, done.id)).status).toBe("succeeded");
  });

  it("include upgrade requests: the app uses none, and none may skip the check", async () => {
    for (const host of [`rebind.example:${port}`, `127.0.0.1:${port}`]) {
      const answer = await asHost(host, "/api/generations", { headers: { connection: "Upgrade", upgrade: "websocket" } });
      expect({ host, status: answer.status }).toEqual({ host, status: 400 });
    }
  });

  it("include names that merely end like an allowed one, and malformed Host headers", async () => {
    for (const host of [
      `evil-clips.example.test:${port}`,
      `clips.example.test.evil.example:${port}`,
      "localhost.evil.example",
      "127.0.0.1.nip.example",
      "clips.example.test@evil.example",
      "a b",
    ]) {
      expect({ host, status: (await asHost(host, "/api/health")).status }).toEqual({ host, status: 421 });
    }
  });
});

describe("requests for the app's own names", () => {
  it("are served: the public host name, the allow-list, IP literals and localhost, on any port", async () => {
    for (const host of [
      `clips.example.test:${port}`,
      "clips.example.test",
      "CLIPS.example.test.",
      "studio.example.test:8443",
      "other.example.test",
      `127.0.0.1:${port}`,
      "10.1.2.3",
      `[::1]:${port}`,
      `localhost:${port}`,
      "localhost",
    ]) {
      expect({ host, status: (await asHost(host, "/api/health")).status }).toEqual({ host, status: 200 });
    }
  });

  it("accept a same-origin change from an allowed name", async () => {
    const host = `studio.example.test:${port}`;
    const post = await asHost(host, "/api/generations", {
      method: "POST",
      headers: { "content-type": "application/json", origin: `http://${host}`, "sec-fetch-site": "same-origin" },
      body: JSON.stringify({ image }),
    });
    expect(post.status).toBe(201);
  });
});

describe("same-origin checks without a configured host name", () => {
  let bare: AppServer;
  beforeAll(async () => {
    bare = await startApp({ env: { DEMO_DURATION_MS: "60000" } });
  });
  afterAll(async () => bare?.stop());

  it("accept the app's IP literal and localhost, and refuse an Origin that names another host than the one asked", async () => {
    const bareUrl = new URL(bare.url);
    const post = (host: string, origin: string) =>
      rawRequest(`${bare.url}/api/generations`, {
        method: "POST",
        headers: { host, "content-type": "application/json", origin },
        body: JSON.stringify({ image }),
      });
    expect((await post(bareUrl.host, bare.url)).status).toBe(201);
    expect((await post(`localhost:${bareUrl.port}`, `http://localhost:${bareUrl.port}`)).status).toBe(201);
    expect((await post(bareUrl.host, `http://rebind.example:${bareUrl.port}`)).status).toBe(403);
  });
});
