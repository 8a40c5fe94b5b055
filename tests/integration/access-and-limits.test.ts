import { beforeAll, describe, expect, it } from "vitest";
import { apiErrorBodySchema } from "@/lib/contracts/api-error";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { createGeneration, postGeneration, waitFor, waitForFinal } from "../support/api";
import type { AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";

const API_KEY = "vtx-access-secret-66e1";
const PASSWORD = "correct horse battery staple";
const live = setUpLiveApp({ apiKey: API_KEY, timeline: { pendingMs: 100, processingMs: 200 }, env: { POLL_INTERVAL_MS: "100" } });
let upstream: FakeUpstream;
let image: string;

/** An app for this test only (stopped after it). */
const start = (env: Record<string, string>) => live.startApp({ env });

const liveEnv = () => live.env();

beforeAll(async () => {
  ({ upstream } = live);
  image = toDataUrl(await makePortrait());
});

async function errorOf(response: Response) {
  return { status: response.status, retryAfter: response.headers.get("retry-after"), ...apiErrorBodySchema.parse(await response.json()).error };
}

async function logIn(app: AppServer, password = PASSWORD): Promise<Response> {
  return fetch(`${app.url}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password }),
  });
}

describe("password mode", () => {
  it("protects every private route and page, and a forged header opens nothing", async () => {
    const app = await start({ ...liveEnv(), APP_PASSWORD: PASSWORD });
    const id = "A".repeat(21);
    const forged = {
      "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware",
      "x-forwarded-user": "owner",
      Cookie: "portrait_live_session=forged",
    };
    for (const headers of [{}, forged]) {
      const routes: Array<[string, string]> = [
        ["GET", "/api/generations"],
        ["POST", "/api/generations"],
        ["POST", "/api/uploads"],
        ["GET", `/api/generations/${id}`],
        ["DELETE", `/api/generations/${id}`],
        ["PATCH", `/api/generations/${id}`],
        ["GET", `/api/generations/${id}/video`],
        ["GET", `/api/generations/${id}/input`],
        ["POST", `/api/generations/${id}/share`],
        ["DELETE", `/api/generations/${id}/share`],
        ["POST", `/api/generations/${id}/rerun`],
        ["GET", "/api/generations/totals?dayStart=2026-11-24T00:00:00Z&monthStart=2026-11-01T00:00:00Z"],
      ];
      for (const [method, path] of routes) {
        const response = await fetch(`${app.url}${path}`, {
          method,
          headers: { ...headers, ...(method === "GET" ? {} : { "Content-Type": "application/json" }) },
          body: method === "GET" || method === "DELETE" ? undefined : JSON.stringify({ image, hidePrompt: true }),
        });
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
      }
      for (const page of ["/", `/g/${id}`, "/history"]) {
        const response = await fetch(`${app.url}${page}`, { headers, redirect: "manual" });
        expect({ page, status: response.status }).toEqual({ page, status: 307 });
        expect(response.headers.get("location")).toContain(`/login?next=${encodeURIComponent(page)}`);
      }
    }
    expect(upstream.stats().creates.accepted).toBe(0);
    // Health and callbacks stay open; the login page too.
    expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${app.url}/login`)).status).toBe(200);
  });

  it("a session from the password opens the app; share pages work without one", async () => {
    const app = await start({ ...liveEnv(), APP_PASSWORD: PASSWORD });
    const wrong = await logIn(app, "guess");
    expect(await errorOf(wrong)).toMatchObject({ status: 401, field: "password" });
    const login = await logIn(app);
    expect(login.status).toBe(204);
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^portrait_live_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http here; Secure is set behind https
    const session = cookie.split(";")[0] ?? "";

    const created = await fetch(`${app.url}/api/generations`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: session },
      body: JSON.stringify({ image }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const done = await waitFor(async () => {
      const view = (await (await fetch(`${app.url}/api/generations/${id}`, { headers: { Cookie: session } })).json()) as {
        status: string;
        shareUrl: string | null;
      };
      return view.status === "succeeded" ? view : undefined;
    });
    expect((await fetch(`${app.url}/`, { headers: { Cookie: session }, redirect: "manual" })).status).toBe(200);

    // A visitor without a session: the share page and its media work.
    const shareUrl = done.shareUrl ?? "";
    expect((await fetch(`${app.url}${shareUrl}`)).status).toBe(200);
    const token = shareUrl.split("/s/")[1];
    expect((await fetch(`${app.url}/api/share/${token}/video`)).status).toBe(200);

    // Signing out ends the session.
    const logout = await fetch(`${app.url}/api/session`, { method: "DELETE", headers: { Cookie: session } });
    const cleared = (logout.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect((await fetch(`${app.url}/api/generations`, { headers: { Cookie: cleared } })).status).toBe(401);
  });

  it("rate-limits login attempts", async () => {
    const app = await start({ ...liveEnv(), APP_PASSWORD: PASSWORD, LOGIN_ATTEMPTS_PER_15_MIN: "3" });
    for (let attempt = 0; attempt < 3; attempt++) expect((await logIn(app, `guess-${attempt}`)).status).toBe(401);
    const blocked = await errorOf(await logIn(app, "guess-again"));
    expect(blocked).toMatchObject({ status: 429, code: "rate_limited" });
    expect(blocked.message).toMatch(/Try again in \d+ minutes?/);
    // The same wait in seconds, for clients that read the header rather than the message.
    expect(Number(blocked.retryAfter)).toBeGreaterThan(14 * 60);
    expect(Number(blocked.retryAfter)).toBeLessThanOrEqual(15 * 60);
    expect(blocked.message).toContain(`${Math.ceil(Number(blocked.retryAfter) / 60)} minute`);
    // Even the right password waits now.
    expect((await logIn(app)).status).toBe(429);
  });
});

describe("cross-origin requests", () => {
  it.each([
    ["a foreign Origin", { Origin: "https://evil.example" }],
    ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "Sec-Fetch-Site": "same-site" }],
  ])("with %s are refused and start nothing", async (_name, headers) => {
    const app = await start(liveEnv());
    const before = upstream.stats().creates.accepted;
    const response = await postGeneration(app.url, { image }, headers);
    expect(await errorOf(response)).toMatchObject({ status: 403, code: "forbidden" });
    expect(upstream.stats().creates.accepted).toBe(before);
  });

  it("from our own origin are accepted", async () => {
    const app = await start(liveEnv());
    const response = await postGeneration(app.url, { image }, { Origin: app.url, "Sec-Fetch-Site": "same-origin" });
    expect(response.status).toBe(201);
  });
});

describe("spending and load limits", () => {
  it("limits creates per client per minute", async () => {
    const app = await start({ ...liveEnv(), CREATE_LIMIT_PER_CLIENT_PER_MINUTE: "2" });
    await createGeneration(app.url, { image });
    await createGeneration(app.url, { image });
    const refused = await errorOf(await postGeneration(app.url, { image }));
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect(refused.message).toMatch(/2 generations a minute\. Try again in \d+ seconds?\./);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.message).toContain(`Try again in ${refused.retryAfter} second`);
  });

  it("limits creates across all clients", async () => {
    const app = await start({ ...liveEnv(), CREATE_LIMIT_GLOBAL_PER_MINUTE: "2" });
    await createGeneration(app.url, { image });
    await postGeneration(app.url, { image }, { "X-Forwarded-For": "203.0.113.7" });
    const refused = await errorOf(await postGeneration(app.url, { image }, { "X-Forwarded-For": "198.51.100.9" }));
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect(refused.message).toContain("too many generations");
  });

  it("caps generations in flight when nothing may wait (MAX_QUEUED=0)", async () => {
    const app = await start({ DEMO_DURATION_MS: "60000", MAX_IN_FLIGHT: "2", MAX_QUEUED: "0" });
    await createGeneration(app.url, { image });
    await createGeneration(app.url, { image });
    const refused = await errorOf(await postGeneration(app.url, { image }));
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect(refused.message).toContain("2 generations are already in progress");
  });

  it("enforces the daily budget from recorded costs plus an estimate for tasks in flight", async () => {
    const app = await start({ ...liveEnv(), MAX_SPEND_USD_DAY: "0.80", COST_ESTIMATE_USD: "0.30" });
    await waitForFinal(app.url, (await createGeneration(app.url, { image })).id); // 0.28 recorded
    await waitForFinal(app.url, (await createGeneration(app.url, { image })).id); // 0.56 recorded
    const before = upstream.stats().creates.accepted;
    const refused = await errorOf(await postGeneration(app.url, { image }));
    expect(refused).toMatchObject({ status: 402, code: "budget_exceeded" });
    expect(refused.message).toContain("today's spending limit of $0.80 ($0.56 spent");
    expect(upstream.stats().creates.accepted).toBe(before);
  });
});
