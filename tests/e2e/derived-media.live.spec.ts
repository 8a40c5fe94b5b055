import { readFile } from "node:fs/promises";
import type { Page, Route } from "@playwright/test";
import sharp from "sharp";
import { expect, test } from "./fixtures";
import { finishedGeneration } from "./pages/finished-generation";
import { HistoryPage } from "./pages/history-page";

/** A finished generation whose poster frame and renditions are made. */
async function finishedWithDerivatives(page: Page, prompt: string): Promise<{ id: string; shareLink: string }> {
  const { id, generation } = await finishedGeneration(page, prompt);
  await expect
    .poll(
      async () => {
        const view = (await (await page.request.get(`/api/generations/${id}`)).json()) as {
          webVideoUrl?: string | null;
          lightVideoUrl?: string | null;
          videoWidth?: number | null;
        };
        return Boolean(view.webVideoUrl && view.lightVideoUrl && view.videoWidth);
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  return { id, shareLink: await generation.shareLink().inputValue() };
}

/** How much the picture in an element varies: a black box is ~0, a real frame far more. */
async function pictureSpread(page: Page, selector: string): Promise<number> {
  const shot = await page.locator(selector).screenshot();
  const stats = await sharp(shot).stats();
  return Math.max(...stats.channels.slice(0, 3).map((channel) => channel.stdev));
}

/** Holds every request for the video itself until released, so the page is seen before playback. */
async function holdVideo(page: Page): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let open = false;
  await page.route(/\/video(\?|$)/, async (route) => {
    if (open) await route.continue();
    else held.push(route);
  });
  return async () => {
    open = true;
    for (const route of held.splice(0)) await route.continue();
  };
}

for (const where of ["share page", "result page"] as const) {
  test(`the ${where} shows the video's first frame before the video plays, at the video's size`, async ({ page, browser }) => {
    const { id, shareLink } = await finishedWithDerivatives(page, `poster first on the ${where}`);
    const context = where === "share page" ? await browser.newContext() : page.context();
    const visitor = where === "share page" ? await context.newPage() : await context.newPage();
    try {
      const release = await holdVideo(visitor);
      const frameRequests: string[] = [];
      visitor.on("request", (request) => {
        if (new URL(request.url()).pathname.endsWith("/frame")) frameRequests.push(request.url());
      });
      await visitor.goto(where === "share page" ? shareLink : `/g/${id}`);
      const video = where === "share page" ? '[data-testid="shared-video"]' : '[data-testid="result-video"]';
      // The preview frame comes inside the page: no request for it races the page's scripts.
      await expect(visitor.locator(video)).toHaveAttribute("poster", /^data:image\/webp;base64,/);
      await expect(visitor.locator(video)).toHaveAttribute("width", "720");
      await expect(visitor.locator(video)).toHaveAttribute("height", "960");
      // Nothing of the video has arrived, yet a real picture is on screen: the poster frame.
      expect(await visitor.locator(video).evaluate((element: HTMLVideoElement) => element.readyState)).toBe(0);
      await expect.poll(() => pictureSpread(visitor, video), { timeout: 10_000 }).toBeGreaterThan(20);
      await release();
      await expect.poll(() => visitor.locator(video).evaluate((element: HTMLVideoElement) => element.currentTime), { timeout: 30_000 }).toBeGreaterThan(0.2);
      // Hydrated and playing, the page still never asked for a frame.
      expect(frameRequests).toEqual([]);
    } finally {
      if (where === "share page") await context.close();
      else await visitor.close();
    }
  });
}

test("a narrow screen plays the light rendition, a wide one the index-first remux", async ({ page, browser }) => {
  const { shareLink } = await finishedWithDerivatives(page, "light for phones");
  for (const [width, expected] of [
    [390, "rendition=light"],
    [1280, "rendition=web"],
  ] as const) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const visitor = await context.newPage();
    await visitor.goto(shareLink);
    const player = visitor.getByTestId("shared-video");
    await expect.poll(() => player.evaluate((element: HTMLVideoElement) => element.currentSrc), { timeout: 30_000 }).toContain(expected);
    await context.close();
  }
});

test("loops for chats download from the result page, the history card and the share page", async ({ page, browser }) => {
  // A generation, a GIF and a WebP made by ffmpeg on a machine shared with other builds.
  test.setTimeout(300_000);
  const { id, shareLink } = await finishedWithDerivatives(page, "loops download");

  // The result page: make a GIF, then download it.
  await page.getByTestId("loop-make-gif").click();
  const gifLink = page.getByTestId("loop-download-gif");
  await expect(gifLink).toBeVisible({ timeout: 60_000 });
  const [gif] = await Promise.all([page.waitForEvent("download"), gifLink.click()]);
  expect(gif.suggestedFilename()).toMatch(/\.gif$/);
  expect((await readFile(await gif.path())).subarray(0, 6).toString("latin1")).toBe("GIF89a");

  // The history card offers the same loops.
  const history = new HistoryPage(page);
  await history.open();
  const card = history.card(id);
  await card.getByTestId("loop-make-gif").click();
  const [again] = await Promise.all([page.waitForEvent("download"), card.getByTestId("loop-download-gif").click()]);
  expect(again.suggestedFilename()).toMatch(/\.gif$/);

  // A stranger on the share page: a WebP.
  const stranger = await browser.newContext();
  const visitor = await stranger.newPage();
  await visitor.goto(shareLink);
  await visitor.getByTestId("loop-make-webp").click();
  const webpLink = visitor.getByTestId("loop-download-webp");
  await expect(webpLink).toBeVisible({ timeout: 60_000 });
  const [webp] = await Promise.all([visitor.waitForEvent("download"), webpLink.click()]);
  expect(webp.suggestedFilename()).toMatch(/\.webp$/);
  const bytes = await readFile(await webp.path());
  expect(bytes.subarray(0, 4).toString("latin1") + bytes.subarray(8, 12).toString("latin1")).toBe("RIFFWEBP");

  // The owner turns loops off for the share page: they are gone there.
  await page.goto(`/g/${id}`);
  await page.getByTestId("loop-share-toggle").uncheck();
  await expect(page.getByTestId("loop-share-toggle")).not.toBeChecked();
  await visitor.reload();
  await expect(visitor.getByTestId("shared-video")).toBeVisible();
  await expect(visitor.getByTestId("loop-downloads")).toHaveCount(0);
  await stranger.close();
});
