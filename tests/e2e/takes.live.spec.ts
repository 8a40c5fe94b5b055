import { readFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "./fixtures";
import { FAKE_UPSTREAM_URL, QUEUE_BASE_URL } from "../../playwright.config";
import { fakeControl } from "../fake-upstream/control-client";
import { testImages, type TestImages } from "../support/images";
import { StudioPage } from "./pages/studio-page";
import { TakesPage } from "./pages/takes-page";

const fake = fakeControl(FAKE_UPSTREAM_URL);
let files: TestImages;

test.beforeAll(async () => {
  files = await testImages();
});

/** The generations' rows in the live server's SQLite file, read beside it. */
function inputsOf(ids: string[]): { uploads: number; inputKeys: number } {
  const db = new Database(path.resolve("test-results/e2e-data-live/portrait-live.sqlite"), { readonly: true, fileMustExist: true });
  try {
    const marks = ids.map(() => "?").join(", ");
    const row = db
      .prepare(`select count(distinct upload_id) as uploads, count(distinct input_key) as inputKeys from generations where id in (${marks})`)
      .get(...ids) as { uploads: number; inputKeys: number };
    return row;
  } finally {
    db.close();
  }
}

const spread = (times: number[]) => Math.max(...times) - Math.min(...times);

test("three takes from one drop: three tasks on one stored input, compared in sync, a favourite shared", async ({ page, browser }) => {
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, "She smiles at the camera.");
  await page.getByTestId("take-count-3").click();
  await expect(page.getByTestId("take-prompt-2")).not.toHaveValue("");
  await page.getByTestId("take-vary").click();
  const prompts = ["She smiles at the camera.", await page.getByTestId("take-prompt-2").inputValue(), await page.getByTestId("take-prompt-3").inputValue()];
  expect(new Set(prompts).size).toBe(3);
  // The count and the price before the click.
  await expect(studio.generateButton()).toHaveText(/^Generate 3 takes · about \$\d+\.\d{2}$/);

  const before = (await fake.stats()).creates.accepted;
  await studio.generateButton().click();
  await page.waitForURL(/\/t\/[A-Za-z0-9_-]{21}$/);
  const takes = new TakesPage(page);
  const setId = takes.setId();
  await expect(takes.takes()).toHaveCount(3);
  await expect(page.getByTestId("take-prompt")).toHaveText(prompts);
  await takes.expectAllPlayable(3);

  const stats = await fake.stats();
  expect(stats.creates.accepted - before).toBe(3);
  expect(
    stats.creates.requests
      .slice(-3)
      .map((request) => request.params.prompt)
      .sort(),
  ).toEqual([...prompts].sort());
  const ids = await takes.takes().evaluateAll((items) => items.map((item) => item.getAttribute("data-generation-id") ?? ""));
  expect(inputsOf(ids)).toEqual({ uploads: 1, inputKeys: 1 });

  // One transport for all: pause, scrub, play, scrub while playing.
  await takes.togglePlay();
  await expect.poll(() => takes.pausedStates()).toEqual([true, true, true]);
  await takes.scrubTo(2.5);
  await expect.poll(async () => (await takes.currentTimes()).every((time) => Math.abs(time - 2.5) <= 0.1)).toBe(true);
  await takes.togglePlay();
  await expect.poll(() => takes.pausedStates()).toEqual([false, false, false]);
  await takes.scrubTo(4);
  await expect.poll(async () => spread(await takes.currentTimes()), { timeout: 5_000 }).toBeLessThanOrEqual(0.1);
  await page.waitForTimeout(1_000);
  expect(spread(await takes.currentTimes())).toBeLessThanOrEqual(0.1);

  // The favourite is the one the share button gives, and comes first in history.
  await takes.makeFavourite(1);
  const link = await page.getByTestId("favourite-link").textContent();
  expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{24}$/);
  const stranger = await browser.newContext();
  const visitor = await stranger.newPage();
  await visitor.goto(link ?? "");
  await expect(visitor.getByText(prompts[1]!)).toBeVisible();
  await stranger.close();

  await page.goto("/history");
  const card = page.locator(`[data-take-set-id="${setId}"]`);
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId("history-set-take").first()).toHaveAttribute("data-generation-id", ids[1]!);
  await expect(page.locator(`[data-testid="history-card"][data-generation-id="${ids[0]}"]`)).toHaveCount(0);
});

test.describe("with one provider task at a time", () => {
  test.use({ baseURL: QUEUE_BASE_URL });

  test("a waiting take shows its place in line and starts by itself when the slot frees", async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.prepare(files.portrait, "He nods.");
    await page.getByTestId("take-count-2").click();
    await expect(page.getByTestId("takes-quote")).toHaveText("1 of them will wait for a free slot and start by themselves.");
    await studio.generateButton().click();
    await page.waitForURL(/\/t\/[A-Za-z0-9_-]{21}$/);
    const takes = new TakesPage(page);
    // The second take waits behind the first, first in line.
    await expect(takes.take(1).getByTestId("queue-position")).toHaveText("1st");
    await expect(takes.take(1).getByTestId("take-status")).toHaveText("Waiting for a slot");
    await expect(takes.take(0)).not.toHaveAttribute("data-status", "succeeded");
    // It starts once the first has finished, and finishes too.
    await expect(takes.take(0)).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
    await expect(takes.take(1).getByTestId("queue-place")).toHaveCount(0, { timeout: 30_000 });
    await expect(takes.take(1)).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
    await takes.expectAllPlayable(2);
  });
});

test("takes finishing in a background tab show in its title and, once allowed, in a notification", async ({ page }) => {
  // A browser whose notifications are allowed on request, and a tab we can send to the background.
  await page.addInitScript(() => {
    const state = window as unknown as { __hidden: boolean; __notes: string[] };
    state.__hidden = false;
    state.__notes = [];
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (state.__hidden ? "hidden" : "visible") });
    let permission: NotificationPermission = "default";
    class FakeNotification {
      static get permission() {
        return permission;
      }
      static requestPermission() {
        permission = "granted";
        return Promise.resolve(permission);
      }
      constructor(_title: string, options?: NotificationOptions) {
        state.__notes.push(options?.body ?? "");
      }
    }
    Object.defineProperty(window, "Notification", { configurable: true, value: FakeNotification });
  });
  const image = `data:image/jpeg;base64,${(await readFile(files.portrait)).toString("base64")}`;
  const created = await page.request.post("/api/takes", { data: { image, takes: [{ prompt: "a first take" }, { prompt: "a second take" }] } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await page.goto(`/t/${id}`);
  await page.getByTestId("notify-me").click();
  await expect(page.getByTestId("notify-on")).toBeVisible();
  const title = await page.title();
  await page.evaluate(() => {
    (window as unknown as { __hidden: boolean }).__hidden = true;
  });
  await expect(page).toHaveTitle(/^✓ [12] done · /, { timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => (window as unknown as { __notes: string[] }).__notes.length)).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId("take").nth(1)).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  // Both finished in the background (the first may have finished before the tab was hidden).
  await expect(page).toHaveTitle(/^✓ [12] done · Compare takes/);
  // Looking at the page again clears the count.
  await page.evaluate(() => {
    (window as unknown as { __hidden: boolean }).__hidden = false;
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await expect(page).toHaveTitle(title);
});
