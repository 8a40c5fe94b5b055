import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppServer } from "../support/app-server";

const PASSWORD = "correct horse battery staple";
let app: AppServer;

beforeAll(async () => {
  app = await startApp({ env: { APP_PASSWORD: PASSWORD, LOGIN_ATTEMPTS_PER_15_MIN: "100" } });
});

afterAll(async () => app?.stop());

async function signIn(): Promise<{ cookie: string; setCookie: string }> {
  const response = await fetch(`${app.url}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password: PASSWORD }),
  });
  expect(response.status).toBe(204);
  const setCookie = response.headers.get("set-cookie") ?? "";
  return { cookie: setCookie.split(";")[0] ?? "", setCookie };
}

const history = (cookie: string) => fetch(`${app.url}/api/generations`, { headers: { Cookie: cookie } });

describe("sessions", () => {
  it("signing out ends the session on the server: the old cookie no longer works", async () => {
    const { cookie } = await signIn();
    expect((await history(cookie)).status).toBe(200);
    const out = await fetch(`${app.url}/api/session`, { method: "DELETE", headers: { Cookie: cookie } });
    expect(out.status).toBe(204);
    // Replaying the cookie as it was (a copy an attacker kept) must not work.
    expect((await history(cookie)).status).toBe(401);
    expect((await fetch(`${app.url}/`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(307);
  });

  it("signing out everywhere ends every session, including ones on other devices", async () => {
    const laptop = await signIn();
    const phone = await signIn();
    expect((await history(phone.cookie)).status).toBe(200);
    const out = await fetch(`${app.url}/api/sessions`, { method: "DELETE", headers: { Cookie: laptop.cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie") ?? "").toMatch(/portrait_live_session=;/);
    expect((await history(laptop.cookie)).status).toBe(401);
    expect((await history(phone.cookie)).status).toBe(401);
    // Signing in again works.
    expect((await history((await signIn()).cookie)).status).toBe(200);
  });

  it("signing out everywhere needs a session and a same-origin request", async () => {
    const bystander = await signIn();
    expect((await fetch(`${app.url}/api/sessions`, { method: "DELETE" })).status).toBe(401);
    const crossSite = await fetch(`${app.url}/api/sessions`, { method: "DELETE", headers: { Cookie: bystander.cookie, Origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect((await history(bystander.cookie)).status).toBe(200);
  });

  it("last 30 days from sign-in: the cookie says so, less the 60-second clock allowance", async () => {
    const { setCookie } = await signIn();
    expect(setCookie).toMatch(new RegExp(`Max-Age=${30 * 24 * 60 * 60 - 60}(;|$)`, "i"));
  });

  it("the studio offers signing out and signing out everywhere", async () => {
    const { cookie } = await signIn();
    const html = await (await fetch(`${app.url}/`, { headers: { Cookie: cookie } })).text();
    expect(html).toContain("Sign out everywhere");
    expect(html).toMatch(/>Sign out</);
  });
});
