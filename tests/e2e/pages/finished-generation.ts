import type { Page } from "@playwright/test";
import { testImages } from "../../support/images";
import { GenerationPage } from "./generation-page";
import { StudioPage } from "./studio-page";

/** The test portrait taken through the studio with `prompt`, until its video plays on its own page. */
export async function finishedGeneration(page: Page, prompt: string): Promise<{ id: string; generation: GenerationPage }> {
  const studio = new StudioPage(page);
  await studio.prepare((await testImages()).portrait, prompt);
  const id = await studio.generate();
  const generation = new GenerationPage(page);
  await generation.expectPlaying();
  return { id, generation };
}
