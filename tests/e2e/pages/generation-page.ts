import { expect, type Page } from "@playwright/test";

/** A generation's own page: progress, player, download, sharing. */
export class GenerationPage {
  constructor(readonly page: Page) {}

  async expectInProgress() {
    await expect(this.page.getByTestId("progress-panel")).toBeVisible();
  }

  video() {
    return this.page.getByTestId("result-video");
  }

  async expectPlaying() {
    const video = this.video();
    await expect(video).toBeVisible({ timeout: 60_000 });
    await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.readyState)).toBeGreaterThanOrEqual(2);
    const first = await video.evaluate((element: HTMLVideoElement) => element.currentTime);
    await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.currentTime)).not.toBe(first);
  }

  async download() {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.page.getByTestId("download").click()]);
    return download;
  }

  shareLink() {
    return this.page.getByTestId("share-link");
  }
}
