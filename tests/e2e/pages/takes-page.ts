import { expect, type Page } from "@playwright/test";

/** The compare page (/t/{id}) as a person uses it. */
export class TakesPage {
  constructor(readonly page: Page) {}

  setId() {
    return this.page.url().split("/t/")[1] ?? "";
  }

  takes() {
    return this.page.getByTestId("take");
  }

  take(index: number) {
    return this.takes().nth(index);
  }

  videos() {
    return this.page.getByTestId("take-video");
  }

  async expectAllPlayable(count: number) {
    await expect(this.videos()).toHaveCount(count, { timeout: 60_000 });
    for (let i = 0; i < count; i++) {
      await expect
        .poll(
          () =>
            this.videos()
              .nth(i)
              .evaluate((video: HTMLVideoElement) => video.readyState),
          { timeout: 30_000 },
        )
        .toBeGreaterThanOrEqual(2);
    }
  }

  currentTimes(): Promise<number[]> {
    return this.page.getByTestId("take-video").evaluateAll((videos) => (videos as HTMLVideoElement[]).map((video) => video.currentTime));
  }

  pausedStates(): Promise<boolean[]> {
    return this.page.getByTestId("take-video").evaluateAll((videos) => (videos as HTMLVideoElement[]).map((video) => video.paused));
  }

  async togglePlay() {
    await this.page.getByTestId("sync-play").click();
  }

  /** Drags the shared scrubber to `seconds` (as a keyboard or pointer would, with an input event). */
  async scrubTo(seconds: number) {
    await this.page.getByTestId("sync-scrub").fill(String(seconds));
  }

  async makeFavourite(index: number) {
    await this.take(index).getByTestId("take-favourite").click();
    await expect(this.take(index)).toHaveAttribute("data-favourite", "true");
  }
}
