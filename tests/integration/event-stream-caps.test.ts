import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postGeneration } from "../support/api";
import { startApp, type AppServer } from "../support/app-server";
import { openEventStream, type OpenStream } from "../support/event-stream";
import { makePortrait, toDataUrl } from "../support/portraits";

// Open event streams are capped per client and in total; a refused page polls instead.
let app: AppServer;
let generationId: string;
const opened: OpenStream[] = [];

beforeAll(async () => {
  // A demo generation that runs for longer than the file, reporting progress every second; the
  // test stands in for a trusted proxy on loopback, so X-Forwarded-For names the client.
  app = await startApp({
    env: { DEMO_DURATION_MS: "60000", EVENT_STREAMS_PER_CLIENT: "3", EVENT_STREAMS_MAX: "5", TRUSTED_PROXIES: "loopback" },
  });
  const response = await postGeneration(app.url, { image: toDataUrl(await makePortrait({ width: 600, height: 800 })), prompt: "she smiles" });
  expect(response.status).toBe(201);
  generationId = ((await response.json()) as { id: string }).id;
});

afterAll(async () => {
  await Promise.all(opened.map((stream) => stream.close()));
  await app?.stop();
});

const from = (client: string) => ({ "X-Forwarded-For": client });

async function open(client: string): Promise<OpenStream> {
  const stream = await openEventStream(app.url, generationId, "", from(client));
  opened.push(stream);
  return stream;
}

async function refusal(client: string) {
  const response = await fetch(`${app.url}/api/generations/${generationId}/events`, { headers: from(client) });
  if (response.status !== 429) {
    await response.body?.cancel();
    return { status: response.status };
  }
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, retryAfter: Number(response.headers.get("retry-after")), code: body.error.code, message: body.error.message };
}

describe("event stream caps", () => {
  it("a client past its own cap, then anyone past the total, gets 429 with Retry-After; a closed stream frees its place", async () => {
    const first = await open("203.0.113.1");
    await open("203.0.113.1");
    await open("203.0.113.1");
    const perClient = await refusal("203.0.113.1");
    expect(perClient).toMatchObject({ status: 429, code: "rate_limited" });
    expect(perClient.retryAfter).toBeGreaterThan(0);
    expect(perClient.message).toMatch(/3 live updates/);

    await open("203.0.113.2");
    await open("203.0.113.2");
    const total = await refusal("203.0.113.2");
    expect(total).toMatchObject({ status: 429, code: "rate_limited" });
    expect(total.retryAfter).toBeGreaterThan(0);
    expect(total.message).toMatch(/too many live updates/);

    await first.close();
    await expect.poll(async () => (await fetch(`${app.url}/api/generations/${generationId}`, { headers: from("203.0.113.1") })).status).toBe(200);
    // The server notices the closed connection; the place is free again.
    await expect
      .poll(async () => {
        const response = await fetch(`${app.url}/api/generations/${generationId}/events`, { headers: from("203.0.113.1") });
        await response.body?.cancel();
        return response.status;
      })
      .toBe(200);
  });

  it("every open stream gets each change", { timeout: 30_000 }, async () => {
    // All but the first, which the test above closed.
    const streams = opened.slice(1);
    expect(streams.some((stream) => stream.isEnded())).toBe(false);
    const seen = streams.map((stream) => stream.events());
    // The demo starts within seconds, then reports progress every second: each stream hears of the next change.
    await expect.poll(() => streams.every((stream, index) => stream.events() > (seen[index] ?? 0)), { timeout: 20_000 }).toBe(true);
  });
});
