import type { Locator } from "@playwright/test";
import { expect, test } from "./fixtures";
import { testImages, type TestImages } from "../support/images";
import { GenerationPage } from "./pages/generation-page";
import { createsFor, unique } from "./pages/provider-creates";
import { StudioPage } from "./pages/studio-page";

// One intent, one charge: double clicks, a dropped connection, an offline click, edits
// while a click is on its way. The fake provider counts what was really started.
let files: TestImages;

test.beforeAll(async () => {
  files = await testImages();
});

test("a double click, a triple click, Enter twice and two clicks in one frame each start one task", async ({ page }) => {
  const studio = new StudioPage(page);
  const ways: Array<[string, (button: Locator) => Promise<void>]> = [
    ["double click", (button) => button.dblclick()],
    ["triple click", (button) => button.click({ clickCount: 3 })],
    [
      "Enter twice",
      async (button) => {
        await button.focus();
        await page.keyboard.press("Enter");
        await page.keyboard.press("Enter");
      },
    ],
    ["two clicks in one frame", (button) => button.evaluate((element: HTMLButtonElement) => (element.click(), element.click()))],
  ];
  for (const [way, click] of ways) {
    const prompt = unique(way);
    await studio.prepare(files.portrait, prompt);
    await studio.expectUploaded();
    await click(studio.generateButton());
    await page.waitForURL(/\/g\/[A-Za-z0-9_-]{21}$/);
    await new GenerationPage(page).expectInProgress();
    expect(await createsFor(prompt), way).toHaveLength(1);
  }
});

test("offline, Generate waits for the connection, says so, and Cancel sends nothing", async ({ page, context }) => {
  const first = unique("offline first");
  const second = unique("offline second");
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, first);
  await studio.expectUploaded();
  await context.setOffline(true);
  await studio.generateButton().click();
  await expect(studio.generateButton()).toHaveText("Waiting for the connection…");
  await expect(page.getByTestId("generate-wait")).toHaveText(/You are offline/);
  // What the click is for cannot change while it waits.
  await expect(studio.prompt()).toBeDisabled();
  await expect(page.getByRole("button", { name: "Use a different photo" })).toBeDisabled();
  await page.getByTestId("generate-cancel").click();
  await expect(studio.generateButton()).toHaveText("Generate video");

  // Another photo and another prompt; the connection returns: the cancelled click stays cancelled.
  await page.getByRole("button", { name: "Use a different photo" }).click();
  await studio.drop(files.narrow);
  await studio.expectFramed();
  await studio.describe(second);
  await context.setOffline(false);
  await studio.expectUploaded();
  await page.waitForTimeout(1000);
  expect(await createsFor(first)).toHaveLength(0);

  await studio.generate();
  await expect.poll(async () => (await createsFor(second)).length).toBe(1);
  expect((await createsFor(second))[0]?.image?.width).toBeLessThanOrEqual(480);
  expect(await createsFor(first)).toHaveLength(0);
});

test("offline, a click goes out as it was made once the connection returns, once", async ({ page, context }) => {
  const prompt = unique("sent when back online");
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, prompt);
  await studio.expectUploaded();
  await context.setOffline(true);
  await studio.generateButton().click();
  await expect(studio.generateButton()).toHaveText("Waiting for the connection…");
  await page.waitForTimeout(500);
  await context.setOffline(false);
  await page.waitForURL(/\/g\/[A-Za-z0-9_-]{21}$/);
  expect(await createsFor(prompt)).toHaveLength(1);
});

test("a lost answer, then a small edit: the studio finds the video the first click started and opens it", async ({ page }) => {
  const prompt = unique("lost then edited");
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, prompt);
  await studio.expectUploaded();
  let creates = 0;
  await page.route("**/api/generations", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    creates += 1;
    // The first create reaches the server (which starts the task); its answer never arrives.
    if (creates === 1) {
      await route.fetch();
      return route.abort("connectionreset");
    }
    await route.continue();
  });
  await studio.generateButton().click();
  await expect(page.getByTestId("generate-error")).toHaveText(/could not be reached.*may have started/);
  await studio.describe(`${prompt}.`);
  await studio.generateButton().click();
  await page.waitForURL(/\/g\/[A-Za-z0-9_-]{21}$/);
  await expect(page.getByText(`“${prompt}”`)).toBeVisible();
  expect(creates).toBe(1);
  expect(await createsFor(prompt)).toHaveLength(1);
  expect(await createsFor(`${prompt}.`)).toHaveLength(0);
});

test("a request that never reached the server, then a real change: Generate starts the new intent, once", async ({ page }) => {
  const prompt = unique("never arrived");
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, prompt);
  await studio.expectUploaded();
  let aborted = 0;
  await page.route("**/api/generations", async (route) => {
    if (route.request().method() === "POST" && aborted === 0) {
      aborted += 1;
      return route.abort("connectionreset");
    }
    await route.continue();
  });
  await studio.generateButton().click();
  await expect(page.getByTestId("generate-error")).toHaveText(/could not be reached/);
  // A new photo clears the old attempt's error; the new intent is sent after a check finds nothing.
  await page.getByRole("button", { name: "Use a different photo" }).click();
  await studio.drop(files.narrow);
  await studio.expectFramed();
  await expect(page.getByTestId("generate-error")).toBeEmpty();
  await studio.describe(`${prompt} again`);
  await studio.expectUploaded();
  await studio.generate();
  await expect.poll(async () => (await createsFor(`${prompt} again`)).length).toBe(1);
  expect(await createsFor(prompt)).toHaveLength(0);
});

test("while the upload finishes, the composer is read-only and Cancel gives it back; a new photo leaves no old error", async ({ page }) => {
  const prompt = unique("read-only while uploading");
  const studio = new StudioPage(page);
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let hold = true;
  await page.route("**/api/uploads", async (route) => {
    if (hold) await held;
    await route.continue().catch(() => undefined);
  });
  await studio.prepare(files.portrait, prompt);
  await studio.generateButton().click();
  await expect(studio.generateButton()).toHaveText(/Finishing the upload/);
  await expect(studio.prompt()).toBeDisabled();
  await expect(page.getByTestId("take-count-2")).toBeDisabled();
  await expect(page.getByRole("radio", { name: "9:16", exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Use a different photo" })).toBeDisabled();

  await page.getByTestId("generate-cancel").click();
  await expect(studio.prompt()).toBeEnabled();
  await page.getByRole("button", { name: "Use a different photo" }).click();
  await studio.drop(files.narrow);
  await studio.expectFramed();
  await expect(page.getByTestId("generate-error")).toBeEmpty();
  hold = false;
  release();
  await studio.describe(`${prompt} edited`);
  await studio.generate();
  await expect.poll(async () => (await createsFor(`${prompt} edited`)).length).toBe(1);
  expect(await createsFor(prompt)).toHaveLength(0);
  const [sent] = await createsFor(`${prompt} edited`);
  expect(sent?.image?.width).toBeLessThanOrEqual(480);
});

test("a click while the upload is still on its way sends exactly the prompt on screen at the click", async ({ page }) => {
  const prompt = unique("frozen at the click");
  const studio = new StudioPage(page);
  let release = () => undefined as void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/uploads", async (route) => {
    await held;
    await route.continue().catch(() => undefined);
  });
  await studio.prepare(files.portrait, prompt);
  await studio.generateButton().click();
  await expect(studio.generateButton()).toHaveText(/Finishing the upload/);
  // The prompt cannot be edited now (it was silently ignored before: the old one was paid).
  await expect(studio.prompt()).toBeDisabled();
  await studio
    .prompt()
    .fill(`${prompt} changed`, { timeout: 1000 })
    .catch(() => undefined);
  release();
  await page.waitForURL(/\/g\/[A-Za-z0-9_-]{21}$/);
  expect(await createsFor(prompt)).toHaveLength(1);
  expect(await createsFor(`${prompt} changed`)).toHaveLength(0);
});
