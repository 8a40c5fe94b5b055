import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGeneration, signInCookie } from "../support/api";
import { startApp, type AppServer } from "../support/app-server";
import { endsWithin, openEventStream } from "../support/event-stream";
import { makePortrait, toDataUrl } from "../support/portraits";
import { startPostgres, type PostgresServer } from "../support/postgres-server";
import { rawRequest } from "../support/raw-http";

// Two instances on one Postgres database, each with its own DATA_DIR, as behind a load balancer.
const PASSWORD = "correct horse battery staple";
let postgres: PostgresServer;
let first: AppServer;
let second: AppServer;

beforeAll(async () => {
  postgres = await startPostgres();
  const env = { APP_PASSWORD: PASSWORD, DATABASE_URL: postgres.url, DEMO_DURATION_MS: "60000" };
  first = await startApp({ env });
  second = await startApp({ env });
});

afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await postgres?.stop();
});

const signIn = (app: AppServer) => signInCookie(app.url, PASSWORD);

const history = (app: AppServer, cookie: string) => fetch(`${app.url}/api/generations`, { headers: { Cookie: cookie } });

describe("sessions across instances", () => {
  it("a session opened on one instance works on the other, and signing out on either ends it on both", async () => {
    const cookie = await signIn(first);
    expect((await history(second, cookie)).status).toBe(200);
    expect((await fetch(`${second.url}/api/session`, { method: "DELETE", headers: { Cookie: cookie } })).status).toBe(204);
    expect((await history(first, cookie)).status).toBe(401);
    expect((await history(second, cookie)).status).toBe(401);
  });

  it("signing out everywhere on one instance ends the sessions opened on the other", async () => {
    const here = await signIn(first);
    const there = await signIn(second);
    expect((await fetch(`${first.url}/api/sessions`, { method: "DELETE", headers: { Cookie: here } })).status).toBe(204);
    expect((await history(second, there)).status).toBe(401);
    expect((await history(first, there)).status).toBe(401);
  });

  it("sign-in attempts count together across instances: past the limit either answers 429 with Retry-After", async () => {
    // A loopback address of its own, so the other tests' sign-ins do not share its count.
    const attempt = (app: AppServer, password: string) =>
      rawRequest(`${app.url}/api/session`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ password }),
        from: "127.0.0.9",
      });
    // LOGIN_ATTEMPTS_PER_15_MIN defaults to 10: five wrong tries on each instance use them up.
    for (let i = 0; i < 10; i++) expect((await attempt(i % 2 === 0 ? first : second, `guess-${i}`)).status).toBe(401);
    for (const app of [first, second]) {
      const refused = await attempt(app, PASSWORD);
      expect(refused.status).toBe(429);
      expect((refused.json() as { error: { message: string } }).error.message).toMatch(/^Too many wrong passwords\. Try again in 15 minutes\.$/);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(14 * 60);
    }
  });

  it("signing out on one instance ends the session's event stream held open on the other at once", async () => {
    const cookie = await signIn(first);
    const id = await runningGeneration(first, cookie);
    const stream = await openEventStream(second.url, id, cookie);
    await expect.poll(() => stream.events()).toBeGreaterThan(0);
    const before = Date.now();
    expect((await fetch(`${first.url}/api/session`, { method: "DELETE", headers: { Cookie: cookie } })).status).toBe(204);
    // Told through the database's notifications, not found by the periodic re-check.
    await endsWithin(stream, before, 3_000);
  });

  it("signing out everywhere on one instance ends every session's stream on the other", async () => {
    const here = await signIn(first);
    const there = await signIn(second);
    const id = await runningGeneration(second, there);
    const stream = await openEventStream(second.url, id, there);
    await expect.poll(() => stream.events()).toBeGreaterThan(0);
    const before = Date.now();
    expect((await fetch(`${first.url}/api/sessions`, { method: "DELETE", headers: { Cookie: here } })).status).toBe(204);
    await endsWithin(stream, before, 3_000);
  });
});

async function runningGeneration(app: AppServer, cookie: string): Promise<string> {
  const image = toDataUrl(await makePortrait({ width: 600, height: 800 }));
  const response = await postGeneration(app.url, { image, prompt: "she smiles" }, { Cookie: cookie });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}
