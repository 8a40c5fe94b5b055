import { expect, test } from "./fixtures";
import { testImages } from "../support/images";
import { GenerationPage } from "./pages/generation-page";
import { StudioPage } from "./pages/studio-page";

test("demo mode says so and runs the whole flow to a playable video", async ({ page }) => {
  const files = await testImages();
  const studio = new StudioPage(page);
  await studio.open();
  await expect(page.getByTestId("demo-badge")).toHaveText(/videos are simulated, no API key configured/);
  await studio.drop(files.portrait);
  await studio.expectFramed();
  await studio.chooseFrame("1:1");
  await studio.addMotion("Smile", "Blink");
  await expect(studio.prompt()).toHaveValue("The person slowly breaks into a warm, natural smile, then blinks softly and naturally.");
  await studio.generate();
  const generation = new GenerationPage(page);
  await generation.expectInProgress();
  await generation.expectPlaying();
  const size = await generation.video().evaluate((element: HTMLVideoElement) => [element.videoWidth, element.videoHeight]);
  expect(size).toEqual([720, 720]);
  await expect(page.getByText("simulated in demo mode")).toBeVisible();
  // No PUBLIC_BASE_URL here: the server sends a path, and the browser shows it whole.
  await expect(generation.shareLink()).toHaveValue(new RegExp(`^${new URL(page.url()).origin}/s/[A-Za-z0-9_-]{24}$`));
});
