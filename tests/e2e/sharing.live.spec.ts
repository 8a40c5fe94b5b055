import { expect, test } from "./fixtures";
import { FAKE_UPSTREAM_URL } from "../../playwright.config";
import { fakeControl } from "../fake-upstream/control-client";
import type { FakeStats } from "../fake-upstream/fake-upstream";
import { testImages } from "../support/images";
import { finishedGeneration } from "./pages/finished-generation";
import { GenerationPage } from "./pages/generation-page";
import { HistoryPage } from "./pages/history-page";
import { StudioPage } from "./pages/studio-page";

const fake = fakeControl(FAKE_UPSTREAM_URL);

test.afterEach(() => fake.setFaults({ expireResults: false }));

test("a share link plays for a stranger, dies when revoked, and a new one works", async ({ page, browser }) => {
  const { generation } = await finishedGeneration(page, "share link lifecycle");
  const firstLink = await generation.shareLink().inputValue();

  // The provider's links expire; ours keep working because the video is stored here.
  await fake.setFaults({ expireResults: true });
  const stranger = await browser.newContext();
  const visitor = await stranger.newPage();
  await visitor.goto(firstLink);
  const player = visitor.getByLabel("Shared portrait video");
  await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.readyState)).toBeGreaterThanOrEqual(2);
  await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.currentTime)).toBeGreaterThan(0.2);

  await page.getByRole("button", { name: "Revoke link" }).click();
  await expect(page.getByText("Sharing is off")).toBeVisible();
  expect((await visitor.goto(firstLink))?.status()).toBe(404);

  await page.getByRole("button", { name: "Create link" }).click();
  const secondLink = await generation.shareLink().inputValue();
  expect(secondLink).not.toBe(firstLink);
  expect((await visitor.goto(secondLink))?.status()).toBe(200);
  await expect(visitor.getByLabel("Shared portrait video")).toBeVisible();

  // Hiding the prompt removes it from the public page.
  await page.getByLabel("Show the prompt on the shared page").uncheck();
  await expect(page.getByLabel("Show the prompt on the shared page")).not.toBeChecked();
  await visitor.goto(secondLink);
  await expect(visitor.getByText("share link lifecycle")).toHaveCount(0);
  await stranger.close();
});

const chargedSoFar = (stats: FakeStats) => stats.tasks.filter((task) => task.status === "completed").reduce((sum, task) => sum + Number(task.costUsd), 0);

test("history re-runs with one new task, deletes for good, and adds up costs like the provider", async ({ page, request }) => {
  const { id, generation } = await finishedGeneration(page, "history actions");
  const shareLink = await generation.shareLink().inputValue();
  const history = new HistoryPage(page);
  await history.open();
  await expect(history.card(id)).toBeVisible();
  // Counted from here: a task an earlier test deleted while it ran is charged by the provider
  // but its cost never reaches the app (it stays at the estimate in budgets).
  const chargedBefore = chargedSoFar(await fake.stats());
  await expect.poll(async () => Number.isFinite(Number((await history.allTimeCost())?.replace("$", "")))).toBe(true);
  const shownBefore = Number((await history.allTimeCost())?.replace("$", ""));

  const before = (await fake.stats()).creates.accepted;
  await history.card(id).getByRole("button", { name: "Re-run" }).dblclick();
  await page.waitForURL((url) => /\/g\/[A-Za-z0-9_-]{21}$/.test(url.pathname) && !url.pathname.endsWith(id));
  await new GenerationPage(page).expectPlaying();
  expect((await fake.stats()).creates.accepted - before).toBe(1);

  await history.open();
  await history.card(id).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(history.card(id)).toHaveCount(0);
  expect((await request.get(`/api/generations/${id}/video`)).status()).toBe(404);
  expect((await request.get(shareLink)).status()).toBe(404);

  // Spending totals grow by what the provider charged, and keep the deleted generation's cost.
  const charged = chargedSoFar(await fake.stats()) - chargedBefore;
  expect(charged).toBeGreaterThan(0);
  await page.reload();
  await expect.poll(async () => Number((await history.allTimeCost())?.replace("$", ""))).toBeCloseTo(shownBefore + charged, 6);
});

test("a failed generation explains why and retries with the same photo and prompt", async ({ page }) => {
  await fake.setFaults({ failNextTasks: { code: 10006095, times: 1, errorShape: "error_message" } });
  const studio = new StudioPage(page);
  await studio.prepare((await testImages()).portrait, "retry after failure");
  const failedId = await studio.generate();
  await expect(page.getByTestId("failure-message")).toHaveText(/internal error while generating the video/);
  const before = (await fake.stats()).creates.accepted;
  await page.getByTestId("retry").click();
  await page.waitForURL((url) => !url.pathname.endsWith(failedId));
  await new GenerationPage(page).expectPlaying();
  const stats = await fake.stats();
  expect(stats.creates.accepted - before).toBe(1);
  expect(stats.creates.requests.filter((request) => request.params.prompt === "retry after failure")).toHaveLength(2);
});

test("a finished generation's page is complete before any script runs", async ({ page, browser }) => {
  const { id } = await finishedGeneration(page, "rendered on the server");
  const link = await new GenerationPage(page).shareLink().inputValue();
  // What a slow phone shows before the scripts arrive: only the server's HTML.
  const noScripts = await browser.newContext({ javaScriptEnabled: false });
  const early = await noScripts.newPage();
  expect((await early.goto(`/g/${id}`))?.status()).toBe(200);
  await expect(early.getByTestId("generation-heading")).toHaveText("Your video is ready");
  // The last source is for every screen: the provider's file, or its index-first remux once made.
  await expect(early.getByTestId("result-video").locator("source").last()).toHaveAttribute(
    "src",
    new RegExp(`^/api/generations/${id}/video(\\?rendition=web)?$`),
  );
  await expect(early.getByTestId("download")).toHaveAttribute("href", `/api/generations/${id}/video?download=1`);
  // PUBLIC_BASE_URL is set for this server, so the link is whole before the browser helps.
  await expect(early.getByTestId("share-link")).toHaveValue(link);
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{24}$/);
  await noScripts.close();
});
