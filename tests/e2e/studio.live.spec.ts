import AxeBuilder from "@axe-core/playwright";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { FAKE_UPSTREAM_URL } from "../../playwright.config";
import { fakeControl } from "../fake-upstream/control-client";
import { photos, type Photos } from "./photos";
import { GenerationPage } from "./pages/generation-page";
import { StudioPage } from "./pages/studio-page";

const fake = fakeControl(FAKE_UPSTREAM_URL);
let files: Photos;

test.beforeAll(async () => {
  files = await photos();
});

test("drop → frame → describe → generate → watch it play → download → share", async ({ page, browser }) => {
  // The page must work under its own Content-Security-Policy, not merely send one.
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.portrait);
  await studio.expectFramed();
  await studio.chooseFrame("9:16");
  await studio.describe("She smiles and turns to the camera.");
  const id = await studio.generate();

  const generation = new GenerationPage(page);
  await generation.expectInProgress();
  await expect(page.getByRole("progressbar")).toBeVisible();
  await generation.expectPlaying();

  const sent = (await fake.stats()).creates.requests.find((request) => request.params.prompt === "She smiles and turns to the camera.");
  // 9:16 from a 900×1200 photo: the upload keeps that frame.
  expect(sent?.image?.width).toBeDefined();
  expect((sent?.image?.width ?? 0) / (sent?.image?.height ?? 1)).toBeCloseTo(9 / 16, 2);

  const download = await generation.download();
  expect(download.suggestedFilename()).toMatch(/^portrait-live-\d{4}-\d{2}-\d{2}-she-smiles-and-turns-to-the\.mp4$/);
  const bytes = await readFile((await download.path()) ?? "");
  expect(bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");

  const shareUrl = await generation.shareLink().inputValue();
  expect(shareUrl).toMatch(/\/s\/[A-Za-z0-9_-]{24}$/);
  const stranger = await browser.newContext();
  const visitor = await stranger.newPage();
  await visitor.goto(shareUrl);
  await expect(visitor.getByText("She smiles and turns to the camera.")).toBeVisible();
  const shared = visitor.getByLabel("Shared portrait video");
  await expect.poll(() => shared.evaluate((element: HTMLVideoElement) => element.readyState)).toBeGreaterThanOrEqual(2);
  await stranger.close();
  expect(id).toHaveLength(21);
  expect(cspViolations).toEqual([]);
});

test("explains what is wrong with a photo before anything is sent", async ({ page }) => {
  const before = (await fake.stats()).creates.accepted;
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.tooSmall);
  await expect(studio.dropError()).toHaveText(/300×400 px.*more than 300 px/);
  await studio.drop(files.notAnImage);
  await expect(studio.dropError()).toHaveText("This file is not a JPG, PNG or WebP image.");
  await expect(studio.generateButton()).toBeDisabled();

  await studio.drop(files.portrait);
  await studio.expectFramed();
  await studio.describe("a".repeat(2001));
  await expect(page.getByTestId("prompt-counter")).toHaveText("2001 / 2000");
  await expect(page.getByTestId("prompt-error")).toHaveText(/2001 characters; the limit is 2000/);
  await expect(studio.generateButton()).toBeDisabled();
  expect((await fake.stats()).creates.accepted).toBe(before);
});

test("a phone photo with EXIF rotation comes out upright", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.rotatedExif);
  await studio.expectFramed();
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-image-width", "600");
  await expect(page.getByTestId("crop-stage")).toHaveAttribute("data-image-height", "800");
  await studio.chooseFrame("Original");
  await studio.describe("exif upright check");
  await studio.generate();
  await expect.poll(async () => (await fake.stats()).creates.requests.find((request) => request.params.prompt === "exif upright check")?.image).toMatchObject({
    width: 600,
    height: 800,
  });
});

test("a 24-megapixel photo is framed and sent small", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  await studio.drop(files.huge);
  await studio.expectFramed();
  await studio.chooseFrame("9:16");
  await studio.describe("huge photo check");
  await studio.generate();
  const sentImage = async () =>
    (await fake.stats()).creates.requests.find((request) => request.params.prompt === "huge photo check")?.image;
  await expect.poll(sentImage).toBeTruthy();
  const image = await sentImage();
  expect(Math.max(image?.width ?? 0, image?.height ?? 0)).toBeLessThanOrEqual(1920);
  expect(image?.bytes ?? Infinity).toBeLessThan(1.5 * 1024 * 1024);
});

test("reloading in the middle of a generation picks it up again", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, "reload me");
  await studio.generate();
  const generation = new GenerationPage(page);
  await generation.expectInProgress();
  await page.reload();
  await generation.expectPlaying();
});

test("a double click starts exactly one task", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.prepare(files.portrait, "double click check");
  const before = (await fake.stats()).creates.accepted;
  await studio.generateButton().dblclick();
  await page.waitForURL(/\/g\//);
  await new GenerationPage(page).expectPlaying();
  expect((await fake.stats()).creates.accepted - before).toBe(1);
});

test("studio and generation pages have no serious accessibility problems", async ({ page }) => {
  const studio = new StudioPage(page);
  await studio.open();
  const serious = async () =>
    (await new AxeBuilder({ page }).analyze()).violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(await serious()).toEqual([]);
  await studio.drop(files.portrait);
  await studio.expectFramed();
  expect(await serious()).toEqual([]);
  await studio.describe("accessibility check");
  await studio.generate();
  await new GenerationPage(page).expectPlaying();
  expect(await serious()).toEqual([]);
});
