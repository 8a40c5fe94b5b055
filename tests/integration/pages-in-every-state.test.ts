import { beforeAll, describe, expect, it } from "vitest";
import type { GenerationView } from "@/lib/contracts/generation";
import type { FakeUpstream } from "../fake-upstream/fake-upstream";
import { generationViewSchema } from "@/lib/contracts/generation";
import { postGeneration, waitFor } from "../support/api";
import { freePort, type AppServer } from "../support/app-server";
import { setUpLiveApp } from "../support/live-app";
import { makePortrait, toDataUrl } from "../support/portraits";

/**
 * Every page in every state answers its status with its content in the server's HTML:
 * what a crawler, a slow phone or a page whose scripts failed sees. A page that only
 * works after the browser re-renders it would pass the browser tests and fail here.
 */
const API_KEY = "vtx-pages-secret-51c9";
const PASSWORD = "pages in every state";
// Tasks run until the test says otherwise, so each state holds still while it is looked at.
const live = setUpLiveApp({ apiKey: API_KEY, timeline: { pendingMs: 0, processingMs: 10 * 60_000 }, env: { POLL_INTERVAL_MS: "150" } });
let upstream: FakeUpstream;
let open: AppServer;
let locked: AppServer;
let image: string;

const liveEnv = () => live.env();

beforeAll(async () => {
  upstream = live.upstream;
  const port = await freePort();
  open = await live.startApp({ port, env: { ...liveEnv(), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } });
  locked = await live.startApp({ env: { ...liveEnv(), APP_PASSWORD: PASSWORD } });
  image = toDataUrl(await makePortrait({ width: 600, height: 800 }));
});

async function page(app: AppServer, path: string, cookie?: string) {
  const response = await fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  return { status: response.status, location: response.headers.get("location"), html: await response.text() };
}

/** The escaped text as React writes it into HTML. */
const inHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Names the missing pieces instead of printing a whole page. */
function expectInHtml(html: string, ...pieces: string[]) {
  expect(
    pieces.filter((piece) => !html.includes(piece)),
    "missing from the server HTML",
  ).toEqual([]);
}

const cookies = new Map<AppServer, string>();
const owner = (app: AppServer): Record<string, string> => {
  const cookie = cookies.get(app);
  return cookie ? { Cookie: cookie } : {};
};

async function create(app: AppServer, prompt: string): Promise<GenerationView> {
  const response = await postGeneration(app.url, { image, prompt }, owner(app));
  expect(response.status).toBe(201);
  return generationViewSchema.parse(await response.json());
}

async function get(app: AppServer, id: string): Promise<GenerationView> {
  const response = await fetch(`${app.url}/api/generations/${id}`, { headers: owner(app) });
  expect(response.status).toBe(200);
  return generationViewSchema.parse(await response.json());
}

const until = (app: AppServer, id: string, status: GenerationView["status"]) =>
  waitFor(async () => {
    const current = await get(app, id);
    if (current.status === "failed" && status !== "failed") throw new Error(`generation failed: ${current.error?.message}`);
    return current.status === status ? current : null;
  }, 30_000);

/** A generation whose provider task is running, and that task's id. */
async function processing(app: AppServer, prompt: string): Promise<{ view: GenerationView; taskId: string }> {
  const created = await create(app, prompt);
  const view = await until(app, created.id, "processing");
  // Prompts are unique in this file, so the prompt names the task.
  const taskId = upstream.stats().creates.requests.find((request) => request.params.prompt === prompt && request.taskId)?.taskId;
  if (!taskId) throw new Error("the provider recorded no task");
  return { view, taskId };
}

async function succeeded(app: AppServer, prompt: string): Promise<GenerationView> {
  const { view, taskId } = await processing(app, prompt);
  upstream.completeTask(taskId);
  return until(app, view.id, "succeeded");
}

async function logIn(app: AppServer): Promise<void> {
  const response = await fetch(`${app.url}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password: PASSWORD }),
  });
  expect(response.status).toBe(204);
  cookies.set(
    app,
    response.headers
      .getSetCookie()
      .map((cookie) => cookie.split(";")[0])
      .join("; "),
  );
}

describe("owner pages, rendered on the server", () => {
  it("the studio", async () => {
    const { status, html } = await page(open, "/");
    expect(status).toBe(200);
    expectInHtml(html, "Bring a portrait to life", "Drop a portrait, paste one, or click to choose", 'data-testid="drop-zone"');
  });

  it("the history, with its newest videos", async () => {
    const done = await succeeded(open, "in the history");
    const { status, html } = await page(open, "/history");
    expect(status).toBe(200);
    expectInHtml(html, "Your videos", 'data-testid="history-card"', `href="/g/${done.id}"`, "in the history", "Ready");
    expect(html).not.toContain("Loading your videos");
  });

  it("a generation waiting for the provider to start", async () => {
    upstream.setFaults({ createHttpStatus: { status: 429, times: 1_000_000 } });
    try {
      const created = await create(open, "queued & waiting");
      // The provider has refused the create at least once and the generation waits its turn.
      await waitFor(async () => upstream.stats().creates.rejected > 0);
      const { status, html } = await page(open, `/g/${created.id}`);
      expect(status).toBe(200);
      expect((await get(open, created.id)).status).toBe("queued");
      expectInHtml(
        html,
        'data-status="queued"',
        "Making your video",
        "Waiting for the provider to start",
        inHtml("queued & waiting"),
        `src="/api/generations/${created.id}/input"`,
      );
    } finally {
      upstream.resetFaults();
    }
  });

  it("a generation being animated", async () => {
    const { view } = await processing(open, "she turns to the camera");
    const { status, html } = await page(open, `/g/${view.id}`);
    expect(status).toBe(200);
    expectInHtml(html, 'data-status="processing"', "Animating your portrait", 'role="progressbar"', "she turns to the camera");
  });

  it("a finished generation: player, download and share link", async () => {
    const done = await succeeded(open, "she smiles");
    const { status, html } = await page(open, `/g/${done.id}`);
    expect(status).toBe(200);
    expect(done.shareUrl).toMatch(new RegExp(`^${open.url}/s/`));
    expectInHtml(
      html,
      'data-status="succeeded"',
      "Your video is ready",
      // The provider's file, or its index-first remux once made (`?rendition=web`).
      `src="/api/generations/${done.id}/video`,
      `href="/api/generations/${done.id}/video?download=1"`,
      "Download MP4",
      // The link comes from PUBLIC_BASE_URL, so the server can write it out whole.
      `value="${done.shareUrl}"`,
      "Revoke link",
    );
  });

  it("a finished generation without a public origin shows its link as a path until the browser knows its origin", async () => {
    await logIn(locked);
    const done = await succeeded(locked, "he nods");
    expect(done.shareUrl).toMatch(/^\/s\/[A-Za-z0-9_-]{24}$/);
    const { status, html } = await page(locked, `/g/${done.id}`, cookies.get(locked));
    expect(status).toBe(200);
    expectInHtml(html, "Your video is ready", `value="${done.shareUrl}"`, "Revoke link");
  });

  it("a failed generation with the provider's reason", async () => {
    const { view, taskId } = await processing(open, "she waves");
    upstream.failTask(taskId, 10006095);
    const failed = await until(open, view.id, "failed");
    const { status, html } = await page(open, `/g/${view.id}`);
    expect(status).toBe(200);
    expectInHtml(html, 'data-status="failed"', "This one did not work", inHtml(failed.error?.message ?? "no message"), "Retry with the same photo and prompt");
  });

  it("an unknown or malformed generation id is a 404", async () => {
    for (const id of ["A".repeat(21), "not-an-id", "..%2F..%2Fetc"]) {
      const { status, html } = await page(open, `/g/${id}`);
      expect(status, id).toBe(404);
      expectInHtml(html, "This page could not be found");
    }
  });
});

describe("share pages, rendered on the server", () => {
  it("a shared video: player, prompt and preview tags", async () => {
    const done = await succeeded(open, "she laughs softly");
    const token = done.shareUrl?.split("/s/")[1] ?? "";
    const { status, html } = await page(open, `/s/${token}`);
    expect(status).toBe(200);
    expectInHtml(
      html,
      // The remux once made, the original until then.
      `src="/api/share/${token}/video`,
      "she laughs softly",
      "Made with Portrait Live on",
      `<meta property="og:video" content="${open.url}/api/share/${token}/video?rendition=web"/>`,
    );
  });

  it("a revoked link and an unknown token are the same branded 404", async () => {
    const done = await succeeded(open, "she blinks");
    const token = done.shareUrl?.split("/s/")[1] ?? "";
    expect((await fetch(`${open.url}/api/generations/${done.id}/share`, { method: "DELETE" })).status).toBe(200);
    for (const path of [`/s/${token}`, `/s/${"x".repeat(24)}`]) {
      const { status, html } = await page(open, path);
      expect(status, path).toBe(404);
      expectInHtml(html, "This video is no longer shared");
      expectInHtml(html, "Make your own");
      expect(html.includes("she blinks"), path).toBe(false);
    }
  });
});

describe("signed out with a password set", () => {
  it("every owner page redirects to sign-in and comes back after it", async () => {
    for (const path of ["/", "/history", `/g/${"A".repeat(21)}`]) {
      const { status, location } = await page(locked, path);
      expect(status, path).toBe(307);
      expect(location, path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it("the sign-in page", async () => {
    const { status, html } = await page(locked, "/login?next=%2Fhistory");
    expect(status).toBe(200);
    expectInHtml(html, "This server is private", 'type="password"');
  });

  it("a shared video stays public", async () => {
    await logIn(locked);
    const done = await succeeded(locked, "a public smile");
    const token = done.shareUrl?.split("/s/")[1] ?? "";
    // No session cookie: a stranger opening the link.
    const { status, html } = await page(locked, `/s/${token}`);
    expect(status).toBe(200);
    expectInHtml(html, `src="/api/share/${token}/video` /* the remux once made, the original until then */, "a public smile");
  });
});
