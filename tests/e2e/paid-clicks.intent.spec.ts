import { readFile } from "node:fs/promises";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { testImages, type TestImages } from "../support/images";
import { GenerationPage } from "./pages/generation-page";
import { HistoryPage } from "./pages/history-page";
import { createsFor, fake, unique } from "./pages/provider-creates";
import { StudioPage } from "./pages/studio-page";

// One intent, one charge: every control that starts paid work, clicked again after the
// server has answered while the next page is still loading (held back 1.5 s, as on a slow
// phone). The fake provider counts what was really started.
let files: TestImages;

test.beforeAll(async () => {
  files = await testImages();
});

/** The next page (a generation's or a take set's) answers 1.5 s late, as on a slow phone. */
async function holdNextPage(page: Page) {
  await page.route(/\/(g|t)\/[A-Za-z0-9_-]{21}(\?.*)?$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue().catch(() => undefined);
  });
}

/** Every way a person clicks again while the next page is loading: a mouse, the keyboard, a script-fast double. */
async function clickAgain(button: Locator) {
  await button.click({ force: true, timeout: 1000 }).catch(() => undefined);
  await button.evaluate((element: HTMLButtonElement) => element.click());
  await button.press("Enter", { timeout: 1000 }).catch(() => undefined);
}

const answered = (page: Page, path: RegExp) =>
  page.waitForResponse((response) => response.request().method() === "POST" && path.test(new URL(response.url()).pathname));

const origin = (page: Page) => new URL(page.url()).origin;

/** A generation made through the API (faster than the studio), optionally failing at the provider. */
async function generationViaApi(page: Page, prompt: string, options: { fail?: boolean } = {}) {
  await page.goto("/history");
  const headers = { Origin: origin(page) };
  const upload = await page.request.post("/api/uploads", { headers: { ...headers, "Content-Type": "image/jpeg" }, data: await readFile(files.portrait) });
  expect(upload.status()).toBe(201);
  const { id: uploadId } = (await upload.json()) as { id: string };
  if (options.fail) await fake.setFaults({ failNextTasks: { code: 1026, times: 1 } });
  const created = await page.request.post("/api/generations", { headers, data: { uploadId, prompt, promptOptimizer: true, watermark: false } });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const generation = new GenerationPage(page);
  await page.goto(`/g/${id}`);
  await expect(page.getByTestId("generation")).toHaveAttribute("data-status", options.fail ? "failed" : "succeeded", { timeout: 60_000 });
  return { id, generation };
}

test.describe("a click after the answer, while the next page loads, starts nothing more", () => {
  test("Generate", async ({ page }) => {
    const prompt = unique("after the answer");
    const studio = new StudioPage(page);
    await studio.prepare(files.portrait, prompt);
    await studio.expectUploaded();
    await holdNextPage(page);
    const answer = answered(page, /^\/api\/generations$/);
    await studio.generateButton().click();
    expect((await answer).status()).toBe(201);
    await expect(studio.generateButton()).toBeDisabled();
    await expect(studio.generateButton()).toHaveText("Opening your video…");
    await clickAgain(studio.generateButton());
    await page.waitForURL(/\/g\/[A-Za-z0-9_-]{21}$/);
    await new GenerationPage(page).expectInProgress();
    expect(await createsFor(prompt)).toHaveLength(1);
  });

  test("Generate 2 takes", async ({ page }) => {
    const prompt = unique("two takes after the answer");
    const studio = new StudioPage(page);
    await studio.prepare(files.portrait, prompt);
    await page.getByTestId("take-count-2").click();
    await page.getByTestId("take-same").check();
    await studio.expectUploaded();
    await holdNextPage(page);
    const answer = answered(page, /^\/api\/takes$/);
    await studio.generateButton().click();
    expect((await answer).status()).toBe(201);
    await clickAgain(studio.generateButton());
    await page.waitForURL(/\/t\/[A-Za-z0-9_-]{21}$/);
    expect(await createsFor(prompt)).toHaveLength(2);
  });

  test("a history card's Re-run", async ({ page }) => {
    const prompt = unique("re-run after the answer");
    const { id } = await generationViaApi(page, prompt);
    const history = new HistoryPage(page);
    await history.open();
    await holdNextPage(page);
    const rerun = history.card(id).getByRole("button", { name: "Re-run" });
    const answer = answered(page, /\/rerun$/);
    await rerun.click();
    expect((await answer).status()).toBe(201);
    await clickAgain(history.card(id).getByRole("button", { name: /Re-run|Starting/ }));
    await page.waitForURL((url) => /\/g\/[A-Za-z0-9_-]{21}$/.test(url.pathname) && !url.pathname.endsWith(id));
    expect(await createsFor(prompt)).toHaveLength(2);
  });

  test("Retry on a failed generation", async ({ page }) => {
    const prompt = unique("retry after the answer");
    const { id } = await generationViaApi(page, prompt, { fail: true });
    await holdNextPage(page);
    const answer = answered(page, /\/rerun$/);
    await page.getByTestId("retry").click();
    expect((await answer).status()).toBe(201);
    await clickAgain(page.getByTestId("retry"));
    await page.waitForURL((url) => /\/g\/[A-Za-z0-9_-]{21}$/.test(url.pathname) && !url.pathname.endsWith(id));
    expect(await createsFor(prompt)).toHaveLength(2);
  });
});
