import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGeneration, signInCookie } from "../support/api";
import { startApp, type AppServer } from "../support/app-server";
import { endsWithin, openEventStream } from "../support/event-stream";
import { makePortrait, toDataUrl } from "../support/portraits";

// An open event stream belongs to the session that opened it: when that session ends, so does the stream.
const PASSWORD = "correct horse battery staple";
/** Well inside the few seconds promised, and shorter than the safety-net re-check. */
const ENDS_WITHIN_MS = 3_000;
let app: AppServer;
let image: string;

beforeAll(async () => {
  // Demo generations that run for longer than each test: queued for 3 s, then reporting progress every second.
  app = await startApp({ env: { APP_PASSWORD: PASSWORD, DEMO_DURATION_MS: "20000", LOGIN_ATTEMPTS_PER_15_MIN: "100" } });
  image = toDataUrl(await makePortrait({ width: 600, height: 800 }));
});

afterAll(async () => app?.stop());

const signIn = () => signInCookie(app.url, PASSWORD);

async function runningGeneration(cookie: string): Promise<string> {
  const response = await postGeneration(app.url, { image, prompt: "she smiles" }, { Cookie: cookie });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const signOut = (cookie: string, path: "/api/session" | "/api/sessions") => fetch(`${app.url}${path}`, { method: "DELETE", headers: { Cookie: cookie } });

describe("an event stream ends with its session", () => {
  it("signing out ends the session's open stream at once, and it cannot be reopened", async () => {
    const cookie = await signIn();
    const id = await runningGeneration(cookie);
    const stream = await openEventStream(app.url, id, cookie);
    await expect.poll(() => stream.events()).toBeGreaterThan(0);
    const before = Date.now();
    expect((await signOut(cookie, "/api/session")).status).toBe(204);
    await endsWithin(stream, before, ENDS_WITHIN_MS);
    // What the browser's EventSource does next: reconnect, and be refused.
    expect((await fetch(`${app.url}/api/generations/${id}/events`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("signing out everywhere from another browser ends this browser's stream", async () => {
    const laptop = await signIn();
    const phone = await signIn();
    const id = await runningGeneration(laptop);
    const stream = await openEventStream(app.url, id, laptop);
    await expect.poll(() => stream.events()).toBeGreaterThan(0);
    const before = Date.now();
    expect((await signOut(phone, "/api/sessions")).status).toBe(204);
    await endsWithin(stream, before, ENDS_WITHIN_MS);
  });

  it("signing out one session leaves another session's stream of the same generation running", async () => {
    const leaving = await signIn();
    const staying = await signIn();
    const id = await runningGeneration(staying);
    const ending = await openEventStream(app.url, id, leaving);
    const kept = await openEventStream(app.url, id, staying);
    await expect.poll(() => kept.events()).toBeGreaterThan(0);
    const before = Date.now();
    expect((await signOut(leaving, "/api/session")).status).toBe(204);
    await endsWithin(ending, before, ENDS_WITHIN_MS);
    const seen = kept.events();
    // Past a safety-net re-check, the other stream is still open and the demo's progress keeps arriving.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    expect(kept.isEnded()).toBe(false);
    await expect.poll(() => kept.events(), { timeout: 10_000 }).toBeGreaterThan(seen);
    expect(kept.isEnded()).toBe(false);
    await kept.close();
  });
});
