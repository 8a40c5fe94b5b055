import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppServer } from "../support/app-server";
import { makePortrait, toDataUrl } from "../support/portraits";
import { rawRequest } from "../support/raw-http";

// Which client a request comes from, for the sign-in and create limits: the connection's
// address, or what a configured proxy reports, never a header any client can write.

const PASSWORD = "correct horse battery staple";
const running: AppServer[] = [];
let image: string;

async function start(env: Record<string, string>, host?: string) {
  const app = await startApp({ env: { APP_PASSWORD: PASSWORD, ...env }, host });
  running.push(app);
  return app;
}

beforeAll(async () => {
  image = toDataUrl(await makePortrait());
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.stop()));
});

const signIn = (app: AppServer, password: string, options: { from?: string; forwardedFor?: string } = {}) =>
  rawRequest(`${app.url}/api/session`, {
    method: "POST",
    from: options.from,
    headers: { "content-type": "application/json", ...(options.forwardedFor ? { "x-forwarded-for": options.forwardedFor } : {}) },
    body: JSON.stringify({ password }),
  });

const randomAddress = () => `198.51.100.${Math.floor(Math.random() * 254) + 1}, 203.0.113.${Math.floor(Math.random() * 254) + 1}`;

describe("sign-in attempts", () => {
  it("a forged X-Forwarded-For does not buy more guesses: a burst of 240 gets at most the limit evaluated", async () => {
    const app = await start({});
    const statuses: number[] = [];
    for (let batch = 0; batch < 12; batch++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => signIn(app, "guess", { from: "127.0.0.2", forwardedFor: randomAddress() })));
      statuses.push(...answers.map((answer) => answer.status));
    }
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(230);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
  });

  it("a client-sent copy of the header the server sets is replaced, not believed", async () => {
    const app = await start({ LOGIN_ATTEMPTS_PER_15_MIN: "3" });
    const forged = (value: string) =>
      rawRequest(`${app.url}/api/session`, {
        method: "POST",
        from: "127.0.0.8",
        headers: { "content-type": "application/json", "x-portrait-live-client": value },
        body: JSON.stringify({ password: "guess" }),
      });
    for (let attempt = 0; attempt < 3; attempt++) expect((await forged(`203.0.113.${attempt}`)).status).toBe(401);
    expect((await forged("203.0.113.99")).status).toBe(429);
    // Nor can it be used to spend someone else's allowance.
    for (let attempt = 0; attempt < 3; attempt++) await forged("127.0.0.1");
    expect((await signIn(app, PASSWORD, { from: "127.0.0.1" })).status).toBe(204);
  });

  it("wrong tries sent from elsewhere in the owner's name do not lock the owner out", async () => {
    const app = await start({});
    for (let attempt = 0; attempt < 12; attempt++) await signIn(app, "guess", { from: "127.0.0.3", forwardedFor: "127.0.0.1" });
    expect((await signIn(app, "guess", { from: "127.0.0.3" })).status).toBe(429);
    expect((await signIn(app, PASSWORD, { from: "127.0.0.1" })).status).toBe(204);
  });

  it("a global ceiling stops guesses spread over many addresses, while an address that signed in before still can", async () => {
    const app = await start({ LOGIN_ATTEMPTS_PER_15_MIN: "2", LOGIN_ATTEMPTS_GLOBAL_PER_15_MIN: "6" });
    expect((await signIn(app, PASSWORD, { from: "127.0.0.1" })).status).toBe(204);
    const statuses: number[] = [];
    for (let host = 10; host < 20; host++) {
      for (let attempt = 0; attempt < 2; attempt++) statuses.push((await signIn(app, "guess", { from: `127.0.0.${host}` })).status);
    }
    expect(statuses.filter((status) => status === 401)).toHaveLength(6);
    expect(statuses.slice(6).every((status) => status === 429)).toBe(true);
    // A new address waits, even with the right password: it could be one more guess.
    const fresh = await signIn(app, PASSWORD, { from: "127.0.0.50" });
    expect(fresh.status).toBe(429);
    expect(fresh.text()).toMatch(/Try again in \d+ minutes?/);
    // The owner's own address still gets in.
    expect((await signIn(app, PASSWORD, { from: "127.0.0.1" })).status).toBe(204);
  });

  it("behind a configured proxy, the address the proxy reports is the one limited", async () => {
    const app = await start({ LOGIN_ATTEMPTS_PER_15_MIN: "3", TRUSTED_PROXIES: "127.0.0.1" });
    // The proxy appends the address it saw; whatever the client wrote before it is not trusted.
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await signIn(app, "guess", { from: "127.0.0.1", forwardedFor: `10.9.9.${attempt}, 203.0.113.5` })).status).toBe(401);
    }
    expect((await signIn(app, "guess", { from: "127.0.0.1", forwardedFor: "10.9.9.77, 203.0.113.5" })).status).toBe(429);
    // Another client behind the same proxy has its own allowance.
    expect((await signIn(app, PASSWORD, { from: "127.0.0.1", forwardedFor: "203.0.113.6" })).status).toBe(204);
    // A peer that is not a configured proxy cannot claim to be someone else.
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await signIn(app, "guess", { from: "127.0.0.4", forwardedFor: "203.0.113.6" })).status).toBe(401);
    }
    expect((await signIn(app, "guess", { from: "127.0.0.4", forwardedFor: "203.0.113.7" })).status).toBe(429);
    expect((await signIn(app, PASSWORD, { from: "127.0.0.1", forwardedFor: "203.0.113.6" })).status).toBe(204);
  });

  it("a hop count trusts that many proxies in front of the app", async () => {
    const app = await start({ LOGIN_ATTEMPTS_PER_15_MIN: "2", TRUSTED_PROXIES: "1" });
    for (let attempt = 0; attempt < 2; attempt++) await signIn(app, "guess", { from: "127.0.0.5", forwardedFor: `10.1.1.${attempt}, 203.0.113.20` });
    expect((await signIn(app, PASSWORD, { from: "127.0.0.5", forwardedFor: "203.0.113.20" })).status).toBe(429);
    expect((await signIn(app, PASSWORD, { from: "127.0.0.5", forwardedFor: "203.0.113.21" })).status).toBe(204);
  });
});

describe("per-client create limit", () => {
  it("cannot be dodged with X-Forwarded-For", async () => {
    const app = await start({ APP_PASSWORD: "", DEMO_DURATION_MS: "60000", CREATE_LIMIT_PER_CLIENT_PER_MINUTE: "2" });
    const post = (forwardedFor: string) =>
      rawRequest(`${app.url}/api/generations`, {
        method: "POST",
        from: "127.0.0.6",
        headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
        body: JSON.stringify({ image }),
      });
    expect((await post("198.51.100.1")).status).toBe(201);
    expect((await post("198.51.100.2")).status).toBe(201);
    const refused = await post("198.51.100.3");
    expect(refused.status).toBe(429);
    expect(refused.text()).toContain("2 generations a minute");
    // Another address is another client.
    const other = await rawRequest(`${app.url}/api/generations`, {
      method: "POST",
      from: "127.0.0.7",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ image }),
    });
    expect(other.status).toBe(201);
  });
});
